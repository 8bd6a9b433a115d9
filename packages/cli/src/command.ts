/** A subcommand of `shortline`: takes its own arguments, returns the process exit code. */
export interface Command {
  readonly summary: string;
  run(args: readonly string[]): Promise<number>;
}
