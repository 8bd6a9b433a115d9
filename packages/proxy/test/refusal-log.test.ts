import { describe, expect, test } from '@jest/globals';
import { ManualTimers } from '../src/index.js';
import { RefusalLog } from '../src/refusal-log.js';
import { capturingLogger } from './support/test-proxy.js';

describe('the refusal log under a storm', () => {
  test('logs one line per reason per second with its details, then the rest as one count', () => {
    const timers = new ManualTimers();
    const { logger, lines } = capturingLogger();
    const log = new RefusalLog(logger, timers, 1_000);

    // 500 queue-full refusals and one deadline within the same second.
    for (let i = 0; i < 500; i++) log.record('queue-full', 503, `r${i}`, 'fn', undefined);
    log.record('deadline', 504, 'late', 'fn', undefined);
    expect(lines.map((line) => [line.msg, line.reason, line.requestId])).toEqual([
      ['request refused', 'queue-full', 'r0'],
      ['request refused', 'deadline', 'late'],
    ]);

    // The window ends: the 499 not logged one by one are logged as their count.
    timers.advance(1_000);
    expect(lines.slice(2)).toEqual([expect.objectContaining({ msg: 'requests refused (counted, not logged one by one)', reason: 'queue-full', count: 499 })]);

    // A refusal after the window is logged in full again.
    log.record('queue-full', 503, 'again', 'fn', undefined);
    expect(lines.at(-1)).toEqual(expect.objectContaining({ msg: 'request refused', requestId: 'again' }));
  });

  test('backend failures log at warn, the proxy failing at error, the rest at info', () => {
    const { logger, lines } = capturingLogger();
    const log = new RefusalLog(logger, new ManualTimers());
    log.record('upstream-error', 502, 'a', 'fn', new Error('reset'));
    log.record('internal-error', 500, 'b', 'fn', new Error('bug'));
    log.record('unknown-function', 404, 'c', '', undefined);
    expect(lines.map((line) => line.level)).toEqual([40, 50, 30]);
  });

  test('counts still pending are logged at shutdown', () => {
    const { logger, lines } = capturingLogger();
    const log = new RefusalLog(logger, new ManualTimers());
    log.record('queue-full', 503, 'a', 'fn', undefined);
    log.record('queue-full', 503, 'b', 'fn', undefined);
    log.close();
    expect(lines.at(-1)).toEqual(expect.objectContaining({ reason: 'queue-full', count: 1 }));
  });
});
