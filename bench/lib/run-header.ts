/** The machine a benchmark ran on, and how busy it was around the run. */
export interface RunMachine {
  readonly cpus: number;
  readonly node: string;
  readonly loadAverageBefore: number;
  readonly loadAverageAfter: number;
}

/** The lines every report opens its details with: the command to repeat it, when and where it ran. */
export function runHeaderLines(command: string, startedAt: string, machine: RunMachine): string[] {
  return [
    '```',
    command,
    '```',
    '',
    `- Started ${startedAt}; ${machine.cpus} CPUs, Node ${machine.node}; load average ${machine.loadAverageBefore.toFixed(2)} before, ${machine.loadAverageAfter.toFixed(2)} after.`,
  ];
}
