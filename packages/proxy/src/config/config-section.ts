import type { ConfigProblem } from './config-error.js';
import { REMOVED_KEYS, RENAMED_KEYS } from './renamed-keys.js';
import { suggestKey } from './suggest-key.js';

/** Node's timers cannot wait longer than this (2^31 − 1 ms, about 24.8 days); longer delays fire at once. */
export const MAX_DURATION_MS = 2_147_483_647;
/** Upper bound for counts (queue lengths, concurrency): beyond it a value is a mistake, not a limit. */
export const MAX_COUNT = 2_147_483_647;

/** Problems found so far; validation records and goes on, so that one run reports them all. */
export class ProblemLog {
  readonly problems: ConfigProblem[] = [];

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }
}

export interface NumberRange {
  readonly min: number;
  readonly max: number;
  /** The bound `min` itself is not allowed (for "> 0"). */
  readonly minExclusive?: boolean;
  /** `.inf` is allowed as well (meaning "no limit"). */
  readonly allowInfinity?: boolean;
}

/** A described value for messages: `the string "8012"`, `.nan`, `a list`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (value === Infinity) return '.inf';
    if (value === -Infinity) return '-.inf';
    return String(value);
  }
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map || isPlainObject(value)) return 'a mapping';
  if (value instanceof Uint8Array) return 'binary data';
  if (value instanceof Set) return 'a set';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describeRange(range: NumberRange, integer: boolean): string {
  const kind = integer ? 'an integer' : 'a number';
  const upper = range.allowInfinity === true ? `${range.max} or .inf` : String(range.max);
  if (range.minExclusive === true) return `${kind} greater than ${range.min} and at most ${upper}`;
  return `${kind} from ${range.min} to ${upper}`;
}

/**
 * One mapping of the configuration, read key by key. It accepts what YAML gives (a Map, with
 * `mapAsMap`) or a plain object (programmatic overrides). Unknown keys are reported on reading, so
 * a typo never passes silently. A missing key or an empty value (YAML `~` or nothing) takes the
 * default. A bad value is recorded and replaced by the default, so reading goes on.
 */
export class ConfigSection {
  readonly path: string;
  readonly problems: ProblemLog;
  readonly #entries: ReadonlyMap<string, unknown>;

  private constructor(path: string, entries: ReadonlyMap<string, unknown>, problems: ProblemLog) {
    this.path = path;
    this.#entries = entries;
    this.problems = problems;
  }

  static read(value: unknown, path: string, knownKeys: readonly string[], problems: ProblemLog): ConfigSection {
    const entries = new Map<string, unknown>();
    if (value === undefined || value === null) return new ConfigSection(path, entries, problems);
    let given: Iterable<[unknown, unknown]>;
    if (value instanceof Map) given = value;
    else if (isPlainObject(value)) given = Object.entries(value);
    else {
      problems.add(path || '(document)', `must be a mapping of keys to values, got ${describeValue(value)}`);
      return new ConfigSection(path, entries, problems);
    }
    const section = new ConfigSection(path, entries, problems);
    for (const [key, entry] of given) {
      if (typeof key !== 'string') {
        problems.add(path || '(document)', `keys must be strings, got the key ${describeValue(key)}`);
      } else if (!knownKeys.includes(key)) {
        const renamed = RENAMED_KEYS[section.keyPath(key)];
        if (renamed !== undefined) {
          problems.add(section.keyPath(key), `renamed: this key is now "${renamed}"`);
          continue;
        }
        const removed = REMOVED_KEYS[section.keyPath(key)];
        if (removed !== undefined) {
          problems.add(section.keyPath(key), `removed: ${removed}`);
          continue;
        }
        const suggestion = suggestKey(key, knownKeys);
        const hint = suggestion === undefined ? `known keys: ${knownKeys.join(', ')}` : `did you mean "${suggestion}"?`;
        problems.add(section.keyPath(key), `unknown key; ${hint}`);
      } else if (entry !== undefined && entry !== null) {
        entries.set(key, entry);
      }
    }
    return section;
  }

  keyPath(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The raw value, or undefined when the key is missing or empty. */
  value(key: string): unknown {
    return this.#entries.get(key);
  }

  problem(key: string, message: string): void {
    this.problems.add(this.keyPath(key), message);
  }

  section(key: string, knownKeys: readonly string[]): ConfigSection {
    return ConfigSection.read(this.#entries.get(key), this.keyPath(key), knownKeys, this.problems);
  }

  /** The items of a list, each with its key path; a missing list is empty. */
  list(key: string): readonly { readonly value: unknown; readonly path: string }[] {
    const value = this.#entries.get(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problem(key, `must be a list, got ${describeValue(value)}`);
      return [];
    }
    const base = this.keyPath(key);
    return value.map((item: unknown, index) => ({ value: item, path: `${base}[${index}]` }));
  }

  integer(key: string, fallback: number, range: NumberRange): number {
    return this.#number(key, fallback, range, true, '');
  }

  number(key: string, fallback: number, range: NumberRange): number {
    return this.#number(key, fallback, range, false, '');
  }

  /** Durations are plain numbers of milliseconds: `5000`, never `"5s"`. */
  durationMs(key: string, fallback: number, range: Partial<NumberRange> = {}): number {
    const full: NumberRange = { min: 0, max: MAX_DURATION_MS, ...range };
    return this.#number(key, fallback, full, false, 'a duration in milliseconds: ');
  }

  string(key: string, fallback: string, check?: (value: string) => string | undefined): string {
    return this.optionalString(key, check) ?? fallback;
  }

  /** A string, checked by `check` (which returns why it is bad, or undefined); undefined when missing. */
  optionalString(key: string, check?: (value: string) => string | undefined): string | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.problem(key, `must be a string, got ${describeValue(value)}`);
      return undefined;
    }
    const why = check?.(value);
    if (why !== undefined) {
      this.problem(key, why);
      return undefined;
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.#entries.get(key);
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.problem(key, `must be true or false, got ${describeValue(value)}`);
    return fallback;
  }

  choice<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const value = this.#entries.get(key);
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    this.problem(key, `must be one of ${choices.join(', ')}; got ${describeValue(value)}`);
    return fallback;
  }

  #number(key: string, fallback: number, range: NumberRange, integer: boolean, kind: string): number {
    const value = this.#entries.get(key);
    if (value === undefined) return fallback;
    const inRange =
      typeof value === 'number' &&
      (integer ? Number.isInteger(value) : !Number.isNaN(value)) &&
      (range.minExclusive === true ? value > range.min : value >= range.min) &&
      (value <= range.max || (range.allowInfinity === true && value === Infinity));
    if (inRange) return value;
    this.problem(key, `must be ${kind}${describeRange(range, integer)}, got ${describeValue(value)}`);
    return fallback;
  }
}
