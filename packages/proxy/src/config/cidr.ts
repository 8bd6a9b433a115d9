import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Tells whether a client address (as `socket.remoteAddress` gives it) is in any of the ranges. */
export type CidrMatcher = (address: string | undefined) => boolean;

/**
 * A range of addresses as the configuration writes it: `10.0.0.0/8`, `fd00::/8`, or one address
 * (`10.1.2.3`, `::1`), which is the range of that address alone. Returns it with its prefix made
 * explicit, or why the text is not one.
 */
export function parseCidr(text: string): { cidr: string } | { problem: string } {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (family === undefined) {
    return { problem: `must be an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8, got ${JSON.stringify(text)}` };
  }
  const bits = family === 'ipv4' ? 32 : 128;
  if (slash === -1) return { cidr: `${address}/${bits}` };
  const prefixText = text.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > bits) {
    return { problem: `the prefix length of ${JSON.stringify(text)} must be a whole number from 0 to ${bits}` };
  }
  return { cidr: `${address}/${prefix}` };
}

/**
 * A matcher for ranges that `parseCidr` accepted. An IPv4 client reached over an IPv6 socket
 * (`::ffff:10.1.2.3`) matches the IPv4 ranges, as it should. With no ranges, nothing matches.
 */
export function createCidrMatcher(cidrs: readonly string[]): CidrMatcher {
  if (cidrs.length === 0) return () => false;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', prefix = ''] = cidr.split('/');
    list.addSubnet(address, Number(prefix), isIPv4(address) ? 'ipv4' : 'ipv6');
  }
  return (address) => {
    if (address === undefined) return false;
    if (isIPv4(address)) return list.check(address, 'ipv4');
    return isIPv6(address) && list.check(address, 'ipv6');
  };
}
