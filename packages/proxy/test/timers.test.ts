import { describe, expect, test } from '@jest/globals';
import { ManualTimers } from '../src/index.js';

describe('ManualTimers: time moves only when the test moves it', () => {
  test('fires what falls due on the way, in due order, each at its own time', () => {
    const timers = new ManualTimers(1_000);
    const fired: string[] = [];
    const note = (name: string): void => {
      fired.push(`${name}@${timers.now()}`);
    };
    timers.setTimeout(note, 30, 'c');
    timers.setTimeout(note, 10, 'a');
    timers.setTimeout(note, 10, 'b');

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
    timers.setTimeout(() => {
      fired.push(timers.now());
      timers.setTimeout(() => fired.push(timers.now()), 5, undefined);
      timers.setTimeout(() => fired.push(timers.now()), 50, undefined);
    }, 10, undefined);

    timers.advance(20);

    expect(fired).toEqual([10, 15]);
    expect(timers.nextDueMs()).toBe(60);
  });

  test('a cleared timer never fires; a refreshed one starts its delay again from now', () => {
    const timers = new ManualTimers();
    const fired: string[] = [];
    const cleared = timers.setTimeout(() => fired.push('cleared'), 10, undefined);
    const refreshed = timers.setTimeout(() => fired.push(`refreshed@${timers.now()}`), 10, undefined);
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
