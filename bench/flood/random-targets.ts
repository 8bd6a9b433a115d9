import { Random } from '@shortline/sim';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function text(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.below(alphabet.length)];
  return out;
}

/** One path segment of any kind a client might send: a word, a number, a hex id, a UUID, a token, a very long name. */
function segment(random: Random): string {
  switch (random.below(6)) {
    case 0:
      return text(random, LETTERS, 1 + random.below(12));
    case 1:
      return String(random.below(1_000_000_000));
    case 2:
      return text(random, HEX, 16 + random.below(24));
    case 3:
      return [8, 4, 4, 4, 12].map((length) => text(random, HEX, length)).join('-');
    case 4:
      return text(random, TOKEN, 20 + random.below(40));
    default:
      return text(random, LETTERS, 64 + random.below(400));
  }
}

/**
 * Request targets a hostile or careless client sends: 1–8 random segments of every kind, and a query
 * of 0–6 random parameter names, each with a random value or none. Deterministic for a seed. No
 * parameter is called `ms`, so the `sleep` sample behind the proxy answers each at once.
 */
export function createRandomTargets(seed: number): () => string {
  const random = new Random(seed);
  return () => {
    const segments = Array.from({ length: 1 + random.below(8) }, () => segment(random));
    const parameters = Array.from({ length: random.below(7) }, () => {
      const name = `p${text(random, LETTERS, 1 + random.below(10))}`;
      return random.below(4) === 0 ? name : `${name}=${segment(random)}`;
    });
    return `/${segments.join('/')}${parameters.length === 0 ? '' : `?${parameters.join('&')}`}`;
  };
}
