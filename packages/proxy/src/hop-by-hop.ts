/**
 * Is this header meaningful only for one connection (RFC 9110 §7.6.1), so a proxy must not pass it on?
 * Checked on every header of every request and response: the length test rejects almost every
 * name before any string is compared or lower-cased.
 */
export function isHopByHop(name: string): boolean {
  switch (name.length) {
    case 2:
      return name.toLowerCase() === 'te';
    case 7: {
      const lower = name.toLowerCase();
      return lower === 'trailer' || lower === 'upgrade';
    }
    case 10: {
      const lower = name.toLowerCase();
      return lower === 'connection' || lower === 'keep-alive';
    }
    case 16:
      return name.toLowerCase() === 'proxy-connection';
    case 17:
      return name.toLowerCase() === 'transfer-encoding';
    case 18:
      return name.toLowerCase() === 'proxy-authenticate';
    case 19:
      return name.toLowerCase() === 'proxy-authorization';
    default:
      return false;
  }
}

/**
 * Adds the header names a `Connection` header value lists (they are hop-by-hop too) to `listed`.
 * Every Connection header counts, so a second one cannot hide the names the first one listed.
 */
export function addConnectionTokens(value: string, listed: string[] | undefined): string[] | undefined {
  // Nearly every message says just keep-alive or close: no names to look for.
  if (value.length <= 10) {
    const lower = value.toLowerCase();
    if (lower === 'keep-alive' || lower === 'close') return listed;
  }
  for (const token of value.split(',')) {
    const trimmed = token.trim().toLowerCase();
    if (trimmed !== '' && trimmed !== 'close' && trimmed !== 'keep-alive') (listed ??= []).push(trimmed);
  }
  return listed;
}
