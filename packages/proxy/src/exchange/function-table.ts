import type { FunctionEntry } from './proxy-settings.js';

/** A function name claimed by both sources: the configuration and run-time discovery. */
export class FunctionNameTakenError extends Error {
  readonly code = 'SHORTLINE_FUNCTION_NAME_TAKEN';
  constructor(
    readonly functionName: string,
    readonly takenBy: 'configuration' | 'run time',
  ) {
    super(
      takenBy === 'run time'
        ? `function ${functionName} was added at run time (discovery); the configuration may not define it too`
        : `function ${functionName} is defined by the configuration; it cannot be added at run time too`,
    );
    this.name = 'FunctionNameTakenError';
  }
}

/**
 * The functions requests can be admitted to, from two sources that never share a name: the
 * configuration (replaced as a whole on every reload) and run time (added and removed one by one, as
 * gateway discovery finds revisions). A reload never touches run-time functions, so discovery and
 * ConfigMap edits cannot undo each other.
 */
export class FunctionTable {
  #configured = new Map<string, FunctionEntry>();
  readonly #runtime = new Map<string, FunctionEntry>();
  /** Both sources in one map, read once per request by admission. */
  #all = new Map<string, FunctionEntry>();

  get all(): ReadonlyMap<string, FunctionEntry> {
    return this.#all;
  }

  get(name: string): FunctionEntry | undefined {
    return this.#all.get(name);
  }

  /** Throws FunctionNameTakenError if a configuration with these functions would clash with run-time ones. */
  checkConfigured(names: Iterable<string>): void {
    for (const name of names) if (this.#runtime.has(name)) throw new FunctionNameTakenError(name, 'run time');
  }

  /** Replaces the configured functions; returns the names the configuration no longer has. */
  replaceConfigured(functions: Map<string, FunctionEntry>): string[] {
    this.checkConfigured(functions.keys());
    const dropped = [...this.#configured.keys()].filter((name) => !functions.has(name));
    this.#configured = functions;
    this.#rebuild();
    return dropped;
  }

  /** Throws FunctionNameTakenError if the configuration has a function of this name. */
  checkRuntime(name: string): void {
    if (this.#configured.has(name)) throw new FunctionNameTakenError(name, 'configuration');
  }

  /** Adds or replaces a run-time function. */
  upsertRuntime(fn: FunctionEntry): void {
    this.checkRuntime(fn.name);
    this.#runtime.set(fn.name, fn);
    this.#all.set(fn.name, fn);
  }

  removeRuntime(name: string): boolean {
    if (!this.#runtime.delete(name)) return false;
    this.#all.delete(name);
    return true;
  }

  #rebuild(): void {
    this.#all = new Map([...this.#configured, ...this.#runtime]);
  }
}
