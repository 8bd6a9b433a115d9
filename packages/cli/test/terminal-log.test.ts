import { describe, expect, test } from '@jest/globals';
import { Writable } from 'node:stream';
import { ConfigError } from '@shortline/proxy';
import { createTerminalLogger, formatLogLine } from '../src/terminal-log.js';

/** A stream that says it is a terminal, keeping what is written. */
function terminal(): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return Object.assign(stream, { isTTY: true, text: () => chunks.join('') });
}

describe('logs on a terminal', () => {
  test('are lines a person reads: time, level, message, fields; a refused configuration as its lines, without a stack trace', () => {
    const out = terminal();
    const logger = createTerminalLogger('info', out);
    const refused = new ConfigError('SHORTLINE_CONFIG_INVALID', 'my.yaml', [
      { path: 'scheduler.policy', message: 'must be one of fifo, sept' },
      { path: 'pools[0].backends[0]', message: 'must name a port' },
    ]);

    logger.info({ functions: 2, policy: 'sept' }, 'configuration applied');
    logger.error({ err: refused }, 'configuration refused; the previous one stays in force');

    const lines = out.text().split('\n');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d info  configuration applied functions=2 policy=sept$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d ERROR configuration refused; the previous one stays in force$/),
      '    invalid configuration my.yaml (2 problems):',
      '    my.yaml: scheduler.policy: must be one of fifo, sept',
      '    my.yaml: pools[0].backends[0]: must name a port',
      '',
    ]);
  });

  test('an unexpected error keeps its stack; text that is not JSON passes as it is', () => {
    const line = formatLogLine(JSON.stringify({ level: 50, time: 0, msg: 'boom', err: { message: 'bad', stack: 'Error: bad\n    at here' } }));
    expect(line.split('\n').slice(1)).toEqual(['    Error: bad', '        at here', '']);
    expect(formatLogLine('plain text')).toBe('plain text\n');
  });
  // Off a terminal they stay JSON lines: serve-*.test.ts read them from the piped stdout of `shortline serve`.
});
