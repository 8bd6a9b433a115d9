import { createSimulateCommand } from '../../src/commands/simulate.js';

export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `shortline simulate` in-process with string sinks for its output. */
export async function simulate(args: string[], options: { tty?: boolean } = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const command = createSimulateCommand({
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty === true },
  });
  const code = await command.run(args);
  return { code, stdout, stderr };
}
