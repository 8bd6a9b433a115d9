import { readFileSync, writeFileSync } from 'node:fs';

/**
 * A request carrying this header (any value) asks a sample for what the call cost it; the answer
 * carries the same header: `cpu-ms=1.234, peak-rss-kb=45678`. Opt-in, because measuring peak memory
 * costs two small /proc file operations per call (about 30 µs), which the benchmarks must not pay.
 */
export const SAMPLE_USAGE_HEADER = 'x-sample-usage';

export interface SampleUsage {
  /** CPU time (user + system) the process spent during the call. */
  readonly cpuMs: number;
  /** The process's peak resident memory during the call, in KiB. */
  readonly peakRssKb: number;
}

export function formatSampleUsage(usage: SampleUsage): string {
  return `cpu-ms=${usage.cpuMs.toFixed(3)}, peak-rss-kb=${Math.round(usage.peakRssKb)}`;
}

/** The usage in a response header, or undefined when the header is absent or not in this format. */
export function parseSampleUsage(header: string | undefined): SampleUsage | undefined {
  if (header === undefined) return undefined;
  let cpuMs = NaN;
  let peakRssKb = NaN;
  for (const pair of header.split(',')) {
    const [key = '', text = ''] = pair.split('=', 2).map((part) => part.trim());
    const value = text === '' ? NaN : Number(text);
    if (key === 'cpu-ms') cpuMs = value;
    else if (key === 'peak-rss-kb') peakRssKb = value;
  }
  return Number.isFinite(cpuMs) && Number.isFinite(peakRssKb) ? { cpuMs, peakRssKb } : undefined;
}

const STATUS_FILE = '/proc/self/status';
/** Writing 5 here resets the process's resident-memory high-water mark (VmHWM), Linux 4.0 on. */
const CLEAR_REFS_FILE = '/proc/self/clear_refs';

function residentHighWaterKb(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(STATUS_FILE, 'utf8'));
  return match === null ? NaN : Number(match[1]);
}

/** Whether this kernel lets the process reset and read its memory high-water mark. */
function canTrackPeak(): boolean {
  try {
    writeFileSync(CLEAR_REFS_FILE, '5');
    return Number.isFinite(residentHighWaterKb());
  } catch {
    return false;
  }
}

let peakTracking: boolean | undefined;

/**
 * Starts measuring one call; the returned function ends the measure. The figures are the process's,
 * so they are the call's own when the process serves one call at a time (spin always does; a FaaS
 * container at concurrency 1 does). Where the high-water mark cannot be reset (not Linux), the peak
 * is the resident memory when the call ends.
 */
export function startUsageMeter(): () => SampleUsage {
  peakTracking ??= canTrackPeak();
  if (peakTracking) writeFileSync(CLEAR_REFS_FILE, '5');
  const cpuAtStart = process.cpuUsage();
  return () => {
    const cpu = process.cpuUsage(cpuAtStart);
    const peakRssKb = peakTracking === true ? residentHighWaterKb() : process.memoryUsage.rss() / 1024;
    return { cpuMs: (cpu.user + cpu.system) / 1000, peakRssKb };
  };
}
