import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ConfigError, createCidrMatcher, defaultConfig, parseCidr, parseConfig, type ConfigOverrides } from '../src/config/index.js';

// The trust and connections sections on generated input: a configuration is accepted or refused with
// a ConfigError naming the key, nothing else; and an address matches a range exactly when a plain
// bit-by-bit comparison says so.

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const dotted = (parts: readonly number[]): string => parts.join('.');
const asNumber = (parts: readonly number[]): number => parts.reduce((total, part) => total * 256 + part, 0);

describe('parseCidr', () => {
  test('never throws: an accepted range has an explicit prefix, anything else a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 24 }), ipv4.map(dotted), fc.ipV6(), fc.ipV4Extended()), fc.oneof(fc.constant(''), fc.integer({ min: -5, max: 140 }).map((n) => `/${n}`), fc.string({ maxLength: 4 }).map((s) => `/${s}`)), (address, suffix) => {
        const parsed = parseCidr(address + suffix);
        if ('cidr' in parsed) expect(parsed.cidr).toMatch(/\/\d{1,3}$/);
        else expect(parsed.problem.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('createCidrMatcher', () => {
  test('agrees with a bit-by-bit comparison for IPv4, also when the address arrives IPv4-mapped', () => {
    fc.assert(
      fc.property(ipv4, fc.nat(32), ipv4, (network, prefix, address) => {
        const parsed = parseCidr(`${dotted(network)}/${prefix}`);
        if (!('cidr' in parsed)) throw new Error(parsed.problem);
        const matches = createCidrMatcher([parsed.cidr]);
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        const expected = ((asNumber(address) & mask) >>> 0) === ((asNumber(network) & mask) >>> 0);
        expect(matches(dotted(address))).toBe(expected);
        expect(matches(`::ffff:${dotted(address)}`)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  test('builds from anything parseCidr accepts, and answers any address without throwing', () => {
    const candidate = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.string({ maxLength: 20 }), fc.constantFrom('fe80::1%eth0', '::ffff:10.0.0.1', '::'));
    fc.assert(
      fc.property(fc.array(fc.tuple(candidate, fc.nat(140)), { maxLength: 5 }), candidate, (ranges, address) => {
        const cidrs = ranges.flatMap(([base, prefix]) => {
          const parsed = parseCidr(`${base}/${prefix}`);
          return 'cidr' in parsed ? [parsed.cidr] : [];
        });
        expect(typeof createCidrMatcher(cidrs)(address)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  test('matches nothing when empty, and never an absent or malformed address', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6()), (address) => {
        expect(createCidrMatcher([])(address)).toBe(false);
        expect(createCidrMatcher(['10.0.0.0/8'])(undefined)).toBe(false);
      }),
      { numRuns: 500 },
    );
    expect(createCidrMatcher(['0.0.0.0/0', '::/0'])('not an address')).toBe(false);
  });
});

describe('the trust and connections sections', () => {
  const anything = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 1e308, 2 ** 31, 1023, 1024, 1_048_577, '10.0.0.0/8', 'host', 'x-ok', '::/0'),
  );
  const section = fc.oneof(
    fc.record({ trust: fc.record({ trustedSources: fc.oneof(anything, fc.array(anything, { maxLength: 4 })), hintHeaders: fc.dictionary(fc.constantFrom('expectedDuration', 'workflowRemaining', 'other'), anything) }, { requiredKeys: [] }) }),
    fc.record({ connections: fc.dictionary(fc.constantFrom('maxHeaderBytes', 'headersTimeoutMs', 'bodyIdleTimeoutMs', 'other'), anything) }),
  );

  test('are accepted, or refused with a ConfigError whose problems name trust.* or connections.*', () => {
    fc.assert(
      fc.property(section, (value) => {
        let problems: readonly { path: string }[] = [];
        try {
          defaultConfig(value as ConfigOverrides);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          problems = (error as ConfigError).problems;
        }
        for (const problem of problems) expect(problem.path).toMatch(/^(trust|connections)(\.|$)/);
      }),
      { numRuns: 1000 },
    );
  });

  test('survive a trip through YAML', () => {
    fc.assert(
      fc.property(section, (value) => {
        try {
          parseConfig(stringify(value), 'generated.yaml');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
