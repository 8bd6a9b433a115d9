import type { Command } from './command.js';

// Commands load lazily so that `shortline simulate` never pulls in the HTTP stack, and vice versa.
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.js')).serve,
  simulate: async () => (await import('./commands/simulate.js')).simulate,
  demo: async () => (await import('./commands/demo.js')).demo,
  load: async () => (await import('./commands/load.js')).load,
};

function usage(): string {
  return [
    'usage: shortline <command> [options]',
    '',
    'commands:',
    '  serve      run the scheduling proxy (--config FILE, or SHORTLINE_CONFIG)',
    '  simulate   replay a trace or synthetic workload through every policy on a virtual clock',
    '  demo       start the sample functions and the proxy in front of them (what `npm start` runs)',
  '  load       send a trace or a sweep to any HTTP endpoint, open loop, recording every invocation',
    '',
    'shortline <command> --help shows the options of one command.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    process.stderr.write(`shortline: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const command = await load();
  return command.run(args);
}
