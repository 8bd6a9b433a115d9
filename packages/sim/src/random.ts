/** Scrambles a 32-bit word (a splitmix-style finaliser); used only to spread a seed over the state. */
function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The four 32-bit words of a Random's state: plain numbers, so that it survives JSON. */
export type RandomState = readonly [number, number, number, number];

/**
 * A small, fast, seeded pseudo-random source (xoshiro128**): the same seed gives the same sequence on
 * every machine, which is what makes a simulation reproducible byte for byte. Not for cryptography.
 */
export class Random {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /** `seed` is any safe non-negative integer. */
  constructor(seed: number) {
    if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new RangeError(`Random: seed must be a safe integer >= 0, got ${seed}`);
    const low = seed >>> 0;
    const high = Math.floor(seed / 2 ** 32) >>> 0;
    this.#s0 = mix32(low + 0x9e3779b9);
    this.#s1 = mix32(high + 0x3c6ef372);
    this.#s2 = mix32(low ^ 0xdaa66d2b);
    this.#s3 = mix32(high ^ 0x78dde6e4) | 1;
  }

  /** A source that continues exactly where the one whose `state()` this was stood. */
  static fromState(state: RandomState): Random {
    const words = state.map((word) => word >>> 0);
    if (state.length !== 4 || words.some((word, i) => word !== state[i]) || words.every((word) => word === 0)) {
      throw new RangeError(`Random: a state is four unsigned 32-bit integers, not all 0; got ${JSON.stringify(state)}`);
    }
    const random = new Random(0);
    [random.#s0, random.#s1, random.#s2, random.#s3] = words as [number, number, number, number];
    return random;
  }

  /** Where the sequence stands, to be saved (a checkpoint) and continued with `fromState`. */
  state(): RandomState {
    return [this.#s0 >>> 0, this.#s1 >>> 0, this.#s2 >>> 0, this.#s3 >>> 0];
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.#s1;
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
    const shifted = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= shifted;
    this.#s3 = rotateLeft(this.#s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform in (0, 1]: safe to take the logarithm of. */
  nextPositive(): number {
    return 1 - this.next();
  }

  /** Exponentially distributed with the given mean: the gap between Poisson arrivals. */
  exponential(mean: number): number {
    return -mean * Math.log(this.nextPositive());
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
