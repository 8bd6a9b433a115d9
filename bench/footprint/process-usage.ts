import { readdirSync, readFileSync } from 'node:fs';

/** What Linux says a process (all its threads) has used so far. */
export interface ProcessUsage {
  /** Resident set now. */
  readonly rssBytes: number;
  /** The most resident at any time so far (VmHWM). */
  readonly peakRssBytes: number;
  /** CPU time of every thread, nanoseconds (schedstat: exact, where /proc/PID/stat counts 10 ms ticks). */
  readonly cpuNs: number;
  /** Times its threads were switched in after waiting or pre-empted: each timer tick that wakes it counts. */
  readonly contextSwitches: number;
}

function statusKilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (match === null) throw new Error(`/proc status has no ${field}`);
  return Number(match[1]) * 1024;
}

function statusCount(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status);
  return match === null ? 0 : Number(match[1]);
}

/** Reads /proc/PID; throws if the process is gone (Linux only, as the benchmarks are). */
export function processUsage(pid: number): ProcessUsage {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  let cpuNs = 0;
  let contextSwitches = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      cpuNs += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      const taskStatus = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
      contextSwitches += statusCount(taskStatus, 'voluntary_ctxt_switches') + statusCount(taskStatus, 'nonvoluntary_ctxt_switches');
    } catch {
      // A thread that ended between the listing and the read used nothing more.
    }
  }
  return { rssBytes: statusKilobytes(status, 'VmRSS'), peakRssBytes: statusKilobytes(status, 'VmHWM'), cpuNs, contextSwitches };
}
