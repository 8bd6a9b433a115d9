import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig, watchConfigFile, type ConfigWatcher, type ShortlineConfig } from '../src/config/index.js';

const config = (policy: string, comment = ''): string =>
  `${comment}scheduler: { policy: ${policy} }\npools: [{ name: p, backends: ["http://127.0.0.1:9101"] }]\nfunctions: [{ name: f, pool: p }]\n`;

type Event = { kind: 'reload'; config: ShortlineConfig } | { kind: 'invalid'; error: ConfigError };

/** Records what the watcher reports and lets a test wait for the next report. */
function recorder(): { events: Event[]; next(): Promise<Event>; handlers: Parameters<typeof watchConfigFile>[1] } {
  const events: Event[] = [];
  let waiting: ((event: Event) => void) | undefined;
  const push = (event: Event): void => {
    events.push(event);
    waiting?.(event);
    waiting = undefined;
  };
  return {
    events,
    next: () => new Promise((resolve) => (waiting = resolve)),
    handlers: {
      onReload: (reloaded) => push({ kind: 'reload', config: reloaded }),
      onInvalid: (error) => push({ kind: 'invalid', error }),
    },
  };
}

let dir: string;
let watcher: ConfigWatcher | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shortline-watch-'));
});

afterEach(() => {
  watcher?.close();
  watcher = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const options = { debounceMs: 20, pollMs: 60_000 };

/** A config file with policy fifo in the test's directory, watched; what the watcher reports is recorded. */
function watchFifoFile(): { path: string; seen: ReturnType<typeof recorder> } {
  const path = join(dir, 'shortline.yaml');
  writeFileSync(path, config('fifo'));
  const seen = recorder();
  watcher = watchConfigFile(path, seen.handlers, options);
  return { path, seen };
}
/** Gives the watcher time to read a change that should do nothing (a slow machine only weakens the test). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 150));

describe('watchConfigFile', () => {
  test('reloads when the file is written in place', async () => {
    const { path, seen } = watchFifoFile();

    const next = seen.next();
    writeFileSync(path, config('sept'));
    const event = await next;
    expect(event.kind === 'reload' && event.config.scheduler.policy).toBe('sept');
  });

  test('reloads when an editor saves by renaming a new file over the old one', async () => {
    const { path, seen } = watchFifoFile();

    const next = seen.next();
    writeFileSync(join(dir, '.shortline.yaml.tmp'), config('hrrn'));
    renameSync(join(dir, '.shortline.yaml.tmp'), path);
    const event = await next;
    expect(event.kind === 'reload' && event.config.scheduler.policy).toBe('hrrn');
  });

  test('reloads across the atomic ..data symlink swap of a Kubernetes ConfigMap mount', async () => {
    // The kubelet's layout: shortline.yaml -> ..data/shortline.yaml, ..data -> ..<timestamp>/
    mkdirSync(join(dir, '..2026_01_01_first'));
    writeFileSync(join(dir, '..2026_01_01_first', 'shortline.yaml'), config('fifo'));
    symlinkSync('..2026_01_01_first', join(dir, '..data'));
    symlinkSync(join('..data', 'shortline.yaml'), join(dir, 'shortline.yaml'));
    const path = join(dir, 'shortline.yaml');
    const seen = recorder();
    watcher = watchConfigFile(path, seen.handlers, options);

    // An update: a new timestamped directory, a new symlink renamed over ..data, the old one removed.
    const next = seen.next();
    mkdirSync(join(dir, '..2026_01_02_second'));
    writeFileSync(join(dir, '..2026_01_02_second', 'shortline.yaml'), config('sept'));
    symlinkSync('..2026_01_02_second', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    rmSync(join(dir, '..2026_01_01_first'), { recursive: true });
    const first = await next;
    expect(first.kind === 'reload' && first.config.scheduler.policy).toBe('sept');

    // And a second update through the same path still arrives.
    const again = seen.next();
    mkdirSync(join(dir, '..2026_01_03_third'));
    writeFileSync(join(dir, '..2026_01_03_third', 'shortline.yaml'), config('linear-aging'));
    symlinkSync('..2026_01_03_third', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    const second = await again;
    expect(second.kind === 'reload' && second.config.scheduler.policy).toBe('linear-aging');
    expect(seen.events.map((event) => event.kind)).toEqual(['reload', 'reload']);
  });

  test('an invalid edit is reported and the next valid edit reloads', async () => {
    const { path, seen } = watchFifoFile();

    const invalid = seen.next();
    writeFileSync(path, config('nonsense'));
    const bad = await invalid;
    expect(bad.kind).toBe('invalid');
    expect(bad.kind === 'invalid' && bad.error.problems.map((problem) => problem.path)).toEqual(['scheduler.policy']);

    const valid = seen.next();
    writeFileSync(path, config('sept'));
    const good = await valid;
    expect(good.kind === 'reload' && good.config.scheduler.policy).toBe('sept');
  });

  test('a change that leaves the configuration equal (a comment) reloads nothing', async () => {
    const { path, seen } = watchFifoFile();

    writeFileSync(path, config('fifo', '# just a comment\n'));
    await settle();
    const next = seen.next();
    writeFileSync(path, config('sept', '# just a comment\n'));
    const event = await next;
    expect(event.kind === 'reload' && event.config.scheduler.policy).toBe('sept');
    expect(seen.events).toHaveLength(1);
  });

  test('returning to the running configuration after an invalid edit reloads nothing', async () => {
    const { path, seen } = watchFifoFile();

    const invalid = seen.next();
    writeFileSync(path, config('nonsense'));
    await invalid;
    writeFileSync(path, config('fifo'));
    await settle();
    const next = seen.next();
    writeFileSync(path, config('hrrn'));
    const event = await next;
    expect(seen.events.map((e) => e.kind)).toEqual(['invalid', 'reload']);
    expect(event.kind === 'reload' && event.config.scheduler.policy).toBe('hrrn');
  });

  test('a deleted file is reported once as unreadable, and its return reloads', async () => {
    const { path, seen } = watchFifoFile();

    const gone = seen.next();
    unlinkSync(path);
    const event = await gone;
    expect(event.kind === 'invalid' && event.error.code).toBe('SHORTLINE_CONFIG_UNREADABLE');
    expect(event.kind === 'invalid' && event.error.message).toContain(path);

    const back = seen.next();
    writeFileSync(path, config('sept'));
    const returned = await back;
    expect(returned.kind === 'reload' && returned.config.scheduler.policy).toBe('sept');
    expect(seen.events.map((e) => e.kind)).toEqual(['invalid', 'reload']);
  });

  test('polling picks up a change even without a file-system event', async () => {
    const target = mkdtempSync(join(tmpdir(), 'shortline-elsewhere-'));
    try {
      // The file is a symlink into a directory that is not watched: only polling can see its edits.
      writeFileSync(join(target, 'real.yaml'), config('fifo'));
      const path = join(dir, 'shortline.yaml');
      symlinkSync(join(target, 'real.yaml'), path);
      const seen = recorder();
      watcher = watchConfigFile(path, seen.handlers, { debounceMs: 10, pollMs: 30 });

      const next = seen.next();
      writeFileSync(join(target, 'real.yaml'), config('sept'));
      const event = await next;
      expect(event.kind === 'reload' && event.config.scheduler.policy).toBe('sept');
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });

  test('compares against the configuration given as current', async () => {
    const path = join(dir, 'shortline.yaml');
    writeFileSync(path, config('fifo'));
    const seen = recorder();
    // The proxy started on "sept"; the file says "fifo" by the time watching starts: that is a change.
    watcher = watchConfigFile(path, seen.handlers, { ...options, current: parseConfig(config('sept'), 'start') });
    const next = seen.next();
    writeFileSync(join(dir, 'other'), 'an event in the directory');
    const event = await next;
    expect(event.kind === 'reload' && event.config.scheduler.policy).toBe('fifo');
  });
});
