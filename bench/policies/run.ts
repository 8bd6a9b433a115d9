import { TraceFileError, TraceFormatError } from '@shortline/sim';
import { BenchUsageError } from '../lib/bench-usage-error.js';
import { HELP, parsePoliciesArgs, type PoliciesSettings } from './policies-options.js';
import { runPoliciesBenchmark } from './run-policies-benchmark.js';
import { ShortlineProcessError } from '../lib/shortline-process.js';

// npm run bench:policies -- [--trace DIR] [--load RHO] [--duration S] [--policies fifo,aging-srtf] ...
// The report folder is the last line on stdout; narration and progress go to stderr.

const EXIT = { done: 0, failed: 1, usage: 2, invalid: 3 } as const;

const args = process.argv.slice(2);
const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  let settings: PoliciesSettings | undefined;
  try {
    settings = parsePoliciesArgs(args);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    say(`bench:policies: ${error.message}\nRun with --help for the options.`);
    return EXIT.usage;
  }
  if (settings === undefined) {
    process.stdout.write(HELP);
    return EXIT.done;
  }
  const command = ['npm run bench:policies --', ...args].join(' ');
  try {
    const outcome = await runPoliciesBenchmark(settings, command, { progress: process.stderr, log: say });
    if (!outcome.valid) say('bench:policies: INVALID RUN: the generator could not keep to the schedule (see report.md); the figures are not the schedule\'s.');
    process.stdout.write(`${outcome.dir}\n`);
    return outcome.valid ? EXIT.done : EXIT.invalid;
  } catch (error) {
    if (error instanceof TraceFileError || error instanceof TraceFormatError || error instanceof ShortlineProcessError) {
      say(`bench:policies: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
}

process.exitCode = await main();
