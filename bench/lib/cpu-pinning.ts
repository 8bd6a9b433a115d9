import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { findExecutable } from './find-executable.js';

/**
 * Where a measurement's processes run: the proxy under test alone on CPU 0, and everything else
 * (load generator, backend, the bench itself) on the other CPUs. Without it, on a two-core machine
 * three busy processes take turns at random, and two windows of the same code can differ by a third.
 */
export interface CpuLayout {
  readonly proxyCpus: string;
  readonly otherCpus: string;
}

/** The layout, or undefined where it cannot be had: no taskset (util-linux), or a single CPU. */
export function cpuLayout(): CpuLayout | undefined {
  const cpus = availableParallelism();
  if (cpus < 2 || process.platform !== 'linux' || findExecutable('taskset') === undefined) return undefined;
  return { proxyCpus: '0', otherCpus: cpus === 2 ? '1' : `1-${cpus - 1}` };
}

/** Pins every thread of a running process to `cpus` (a taskset list such as "0" or "1-3"). */
export function pinProcess(pid: number, cpus: string): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)], { stdio: 'ignore' });
}
