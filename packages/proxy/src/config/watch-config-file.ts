import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { REAL_TIMERS, type TimerHandle, type Timers } from '../timers/timers.js';
import { ConfigError } from './config-error.js';
import { unreadableConfig } from './load-config-file.js';
import { parseConfig } from './parse-config.js';
import { sameConfig } from './same-config.js';
import type { ShortlineConfig } from './shortline-config.js';

/** Called from the watcher; they must not throw. */
export interface ConfigWatchHandlers {
  /** The file now holds a valid configuration that differs from the last one. */
  onReload(config: ShortlineConfig): void;
  /** The file changed but is invalid or unreadable: keep running on the last good configuration. */
  onInvalid(error: ConfigError): void;
}

export interface WatchConfigOptions {
  /** Quiet time after the last file-system event before the file is read. Default 100 ms. */
  readonly debounceMs?: number;
  /** Re-read this often even without an event (events can be missed, e.g. on network file systems). Default 5000 ms. */
  readonly pollMs?: number;
  /** The configuration running now; without it the file's content at the start of watching is the baseline. */
  readonly current?: ShortlineConfig;
  /** For the debounce and the poll. Default: the process's. */
  readonly timers?: Timers;
}

export interface ConfigWatcher {
  close(): void;
}

/**
 * Watches a configuration file and reports each change of the configuration it holds.
 *
 * It watches the file's DIRECTORY, not the file: Kubernetes updates a mounted ConfigMap by writing a
 * new timestamped directory and atomically swapping the `..data` symlink, so the file that the path
 * leads to is replaced rather than written, and a watch on the old file would never fire again.
 * Editors that save by rename do the same. Events only prompt a read (debounced); the decision rests
 * on the content: the same text does nothing, and so does a text that parses to an equal configuration.
 */
export function watchConfigFile(path: string, handlers: ConfigWatchHandlers, options: WatchConfigOptions = {}): ConfigWatcher {
  const debounceMs = options.debounceMs ?? 100;
  const pollMs = options.pollMs ?? 5000;
  const timers = options.timers ?? REAL_TIMERS;
  let lastGood = options.current;
  let lastText: string | undefined;
  let unreadableReported = false;
  if (lastGood === undefined) {
    try {
      lastText = readFileSync(path, 'utf8');
      lastGood = parseConfig(lastText, path);
    } catch {
      // An unreadable or invalid file at the start is only a baseline; the next valid content reloads.
    }
  }

  let closed = false;
  let checking = false;
  let checkAgain = false;
  let debounce: TimerHandle | undefined;

  const checkOnce = async (): Promise<void> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (closed || unreadableReported) return;
      unreadableReported = true;
      lastText = undefined;
      handlers.onInvalid(unreadableConfig(path, error));
      return;
    }
    unreadableReported = false;
    if (closed || text === lastText) return;
    lastText = text;
    let config: ShortlineConfig;
    try {
      config = parseConfig(text, path);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      handlers.onInvalid(error);
      return;
    }
    if (lastGood !== undefined && sameConfig(config, lastGood)) return;
    lastGood = config;
    handlers.onReload(config);
  };

  // One read at a time; events during a read ask for one more read after it.
  const check = async (): Promise<void> => {
    if (checking) {
      checkAgain = true;
      return;
    }
    checking = true;
    try {
      do {
        checkAgain = false;
        await checkOnce();
      } while (checkAgain && !closed);
    } finally {
      checking = false;
    }
  };

  const settled = (): void => {
    debounce = undefined;
    void check();
  };
  // Each event restarts the quiet time; the read comes once events stop.
  const schedule = (): void => {
    if (closed) return;
    if (debounce === undefined) debounce = timers.setTimeout(settled, debounceMs, undefined).unref();
    else debounce.refresh();
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, schedule);
    // A directory that goes away ends the watch; polling carries on.
    watcher.on('error', () => watcher?.close());
  } catch {
    // No directory to watch (yet): polling carries on.
    watcher = undefined;
  }
  const poll = timers
    .setTimeout(
      () => {
        poll.refresh();
        void check();
      },
      pollMs,
      undefined,
    )
    .unref();

  return {
    close(): void {
      closed = true;
      watcher?.close();
      timers.clearTimeout(poll);
      if (debounce !== undefined) timers.clearTimeout(debounce);
    },
  };
}
