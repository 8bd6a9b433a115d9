import { describe, expect, test } from '@jest/globals';
import { ManualTimers, type TimerHandle } from '../src/index.js';

/** Sets a timer on `timers` that runs `callback` after `ms`. */
function after(timers: ManualTimers, ms: number, callback: () => void): TimerHandle {
  return timers.setTimeout(callback, ms, undefined);
}

describe('ManualTimers: time moves only when the test moves it', () => {
  test('fires what falls due on the way, in due order, each at its own time', () => {
    const timers = new ManualTimers(1_000);
    const fired: string[] = [];
    const note = (name: string) => (): void => {
      fired.push(`${name}@${timers.now()}`);
    };
    after(timers, 30, note('c'));
    after(timers, 10, note('a'));
    after(timers, 10, note('b'));

    timers.advance(9);
    expect(fired).toEqual([]);
    timers.advance(25);
    expect(fired).toEqual(['a@1010', 'b@1010', 'c@1030']);
    expect(timers.now()).toBe(1_034);
    expect(timers.pendingCount).toBe(0);
  });

  test('fires a timer that a callback sets within the window, and not one set beyond it', () => {
    const timers = new ManualTimers();
    const fired: number[] = [];
    after(timers, 10, () => {
      fired.push(timers.now());
      after(timers, 5, () => fired.push(timers.now()));
      after(timers, 50, () => fired.push(timers.now()));
    });

    timers.advance(20);

    expect(fired).toEqual([10, 15]);
    expect(timers.nextDueMs()).toBe(60);
  });

  test('a cleared timer never fires; a refreshed one starts its delay again from now', () => {
    const timers = new ManualTimers();
    const fired: string[] = [];
    const cleared = after(timers, 10, () => fired.push('cleared'));
    const refreshed = after(timers, 10, () => fired.push(`refreshed@${timers.now()}`));
    timers.clearTimeout(cleared);

    timers.advance(8);
    refreshed.refresh();
    timers.advance(9);
    expect(fired).toEqual([]);
    timers.advance(1);

    expect(fired).toEqual(['refreshed@18']);
  });

  test('refuses to move time backwards', () => {
    expect(() => new ManualTimers().advance(-1)).toThrow('expected ms >= 0');
  });
});
