/** Bad command-line input to a benchmark: exit 2 with a message naming the option. */
export class BenchUsageError extends Error {
  readonly code = 'SHORTLINE_BENCH_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}
