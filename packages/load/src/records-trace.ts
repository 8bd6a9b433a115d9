import { readRecords, TraceFileError } from '@shortline/sim';
import { createInvocationTrace, type InvocationTrace, type TracedCall } from './invocation-trace.js';

/**
 * A previous run's records.csv as a trace, to replay it: every invocation at its scheduled time,
 * standing for the duration it stood for then (duration_ms), or where it had none the time it took
 * (upstream_ms, else latency_ms), with the body size it was sent with.
 */
export async function readRecordsTrace(file: string): Promise<InvocationTrace> {
  const table = await readRecords(file);
  if (table.length === 0) throw new TraceFileError(file, 'has no records');
  const calls: TracedCall[] = [];
  for (let row = 0; row < table.length; row++) {
    const asked = table.durationMs[row] as number;
    const upstream = table.upstreamMs[row] as number;
    calls.push({
      functionName: table.functionName[row] as string,
      startMs: table.scheduledMs[row] as number,
      durationMs: Number.isFinite(asked) ? asked : Number.isFinite(upstream) ? upstream : (table.latencyMs[row] as number),
      bodyBytes: table.bodyBytes[row] as number,
    });
  }
  return createInvocationTrace(file, calls);
}
