import { BenchUsageError } from '../lib/bench-usage-error.js';
import { ShortlineProcessError } from '../lib/shortline-process.js';
import { HELP, parseConcurrencyArgs, type ConcurrencySettings } from './concurrency-options.js';
import { runConcurrencyBenchmark } from './run-concurrency-benchmark.js';

// npm run bench:concurrency -- [--quick] [--cases sequential,shared,io,halving] [--rounds N] ...
// The report folder is the last line on stdout; narration and progress go to stderr.

const EXIT = { done: 0, failed: 1, usage: 2, invalid: 3 } as const;

const args = process.argv.slice(2);
const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  let settings: ConcurrencySettings | undefined;
  try {
    settings = parseConcurrencyArgs(args);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    say(`bench:concurrency: ${error.message}\nRun with --help for the options.`);
    return EXIT.usage;
  }
  if (settings === undefined) {
    process.stdout.write(HELP);
    return EXIT.done;
  }
  const command = ['npm run bench:concurrency --', ...args].join(' ');
  try {
    const outcome = await runConcurrencyBenchmark(settings, command, { progress: process.stderr, log: say });
    if (!outcome.valid) say('bench:concurrency: INVALID RUN: the generator could not keep to the schedule (see report.md).');
    process.stdout.write(`${outcome.dir}\n`);
    return outcome.valid ? EXIT.done : EXIT.invalid;
  } catch (error) {
    if (error instanceof ShortlineProcessError) {
      say(`bench:concurrency: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
}

process.exitCode = await main();
