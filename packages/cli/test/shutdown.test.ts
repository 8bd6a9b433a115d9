import { describe, expect, it } from '@jest/globals';
import { ManualTimers } from '@shortline/proxy';
import { drainThenClose, type Stoppable } from '../src/shutdown.js';

// How `serve` and `demo` stop: drain within a bound, cut short by the bound or a second signal, and
// close in every case. On manual time.

/** Something stopping whose drain ends only when the test says; it records what was asked of it. */
function stoppable(): Stoppable & { readonly calls: string[]; finishDrain(): void } {
  const calls: string[] = [];
  let finishDrain = (): void => undefined;
  const drained = new Promise<void>((resolve) => (finishDrain = resolve));
  return {
    calls,
    finishDrain: () => finishDrain(),
    drain: () => {
      calls.push('drain');
      return drained;
    },
    close: async () => {
      calls.push('close');
    },
  };
}

const never = new Promise<never>(() => undefined);

describe('drain, then close', () => {
  it('closes once the drain is over, within the bound', async () => {
    const timers = new ManualTimers();
    const target = stoppable();
    const outcome = drainThenClose(target, 30_000, { timers, secondSignal: never });
    // t=29.999 s: still draining; then the drain ends.
    timers.advance(29_999);
    target.finishDrain();
    expect(await outcome).toBe('drained');
    expect(target.calls).toEqual(['drain', 'close']);
    expect(timers.pendingCount).toBe(0);
  });

  it('closes at the bound when the drain takes longer', async () => {
    const timers = new ManualTimers();
    const target = stoppable();
    const outcome = drainThenClose(target, 30_000, { timers, secondSignal: never });
    // t=30 s: the bound (not sooner: the test above finishes its drain at t=29.999 s).
    timers.advance(30_000);
    expect(await outcome).toBe('bound');
    expect(target.calls).toEqual(['drain', 'close']);
  });

  it('closes at once on a second signal', async () => {
    const timers = new ManualTimers();
    const target = stoppable();
    expect(await drainThenClose(target, 30_000, { timers, secondSignal: Promise.resolve() })).toBe('signal');
    expect(target.calls).toEqual(['drain', 'close']);
    expect(timers.pendingCount).toBe(0);
  });
});
