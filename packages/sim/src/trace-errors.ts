/** A trace file could not be opened or read at all (missing, unreadable, not found in the folder). */
export class TraceFileError extends Error {
  readonly code = 'SHORTLINE_TRACE_FILE';
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
    this.name = 'TraceFileError';
  }
}

/** A trace or record file was read but one of its lines is not in its format (the message names file and line). */
export class TraceFormatError extends Error {
  readonly code = 'SHORTLINE_TRACE_FORMAT';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'TraceFormatError';
  }
}
