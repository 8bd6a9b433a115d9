/** Where the command writes: process.stdout/stderr in production, string sinks in tests. */
export interface TextOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

export interface SimulateIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
}
