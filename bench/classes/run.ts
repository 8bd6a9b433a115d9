import { BenchUsageError } from '../lib/bench-usage-error.js';
import { HELP, parseClassesArgs, type ClassesSettings } from './classes-options.js';
import { runClassesBenchmark } from './run-classes-benchmark.js';
import { ShortlineProcessError } from '../lib/shortline-process.js';

// npm run bench:classes -- [--load RHO] [--slots N] [--invocations N] [--duration S] [--seed S] [--out DIR]
// The report folder is the last line on stdout; narration and progress go to stderr.

const EXIT = { done: 0, failed: 1, usage: 2, invalid: 3 } as const;

const args = process.argv.slice(2);
const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  let settings: ClassesSettings | undefined;
  try {
    settings = parseClassesArgs(args);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    say(`bench:classes: ${error.message}\nRun with --help for the options.`);
    return EXIT.usage;
  }
  if (settings === undefined) {
    process.stdout.write(HELP);
    return EXIT.done;
  }
  const command = ['npm run bench:classes --', ...args].join(' ');
  try {
    const outcome = await runClassesBenchmark(settings, command, { progress: process.stderr, log: say });
    if (!outcome.valid) say('bench:classes: INVALID RUN (see report.md): the figures are not the schedule\'s.');
    process.stdout.write(`${outcome.dir}\n`);
    return outcome.valid ? EXIT.done : EXIT.invalid;
  } catch (error) {
    if (error instanceof ShortlineProcessError) {
      say(`bench:classes: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
}

process.exitCode = await main();
