import type { Shortline, ShortlineConfig } from '@shortline/proxy';
import type { Stoppable } from './shutdown.js';

/** The proxy running in one of its modes, as `serve` drives it. */
export interface Serving extends Stoppable {
  readonly logger: Shortline['logger'];
  /** The ports it listens on, by name, for the start-up log line. */
  readonly ports: Readonly<Record<string, number>>;
  /** The longest a drain may take under the configuration in force; then the proxy closes anyway. */
  readonly drainBoundMs: number;
  /** A new configuration from the watched file. */
  applyConfig(config: ShortlineConfig): void;
  reportInvalidConfig(error: Error): void;
}

/** What a mode's own object (the sidecar, the gateway) offers, around the proxy it runs. */
export interface ModeRunner extends Stoppable {
  readonly shortline: Shortline;
  readonly drainBoundMs: number;
  applyConfig(config: ShortlineConfig): void;
}

/** `serve`'s view of a mode's object listening on `ports`. */
export function servingOf(runner: ModeRunner, ports: Readonly<Record<string, number>>): Serving {
  return {
    logger: runner.shortline.logger,
    ports,
    get drainBoundMs() {
      return runner.drainBoundMs;
    },
    applyConfig: (next) => runner.applyConfig(next),
    reportInvalidConfig: (error) => runner.shortline.reportInvalidConfig(error),
    drain: () => runner.drain(),
    close: () => runner.close(),
  };
}

/** A listener that cannot bind leaves nothing open behind it. */
export async function listenOrClose<T>(listening: Promise<T>, close: () => Promise<void>): Promise<T> {
  try {
    return await listening;
  } catch (error) {
    await close();
    throw error;
  }
}
