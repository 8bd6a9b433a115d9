import { Scheduler, type AutoCapacity, type ConcurrencyState } from '@shortline/core';
import type { Call } from './harness.js';
import { lcg, noise } from './request-stream.js';

/**
 * What runs inside one backend, for tests: calls are admitted with the work they need and the model
 * says when the next one ends. Small and exact, so that a test can state what a container is and
 * check what the controller makes of it (the simulator's models are in packages/sim).
 */
export interface ContainerUnderTest {
  admit(id: number, workMs: number, now: number): void;
  /** When the next call ends; Infinity when none runs. */
  readonly nextEndMs: number;
  /** Ends the call due at nextEndMs and returns its id. */
  finishNext(): number;
}

interface TimedCall {
  readonly id: number;
  readonly endMs: number;
}

function soonestEndMs(running: readonly TimedCall[]): number {
  return running.reduce((soonest, call) => Math.min(soonest, call.endMs), Infinity);
}

/** Takes the call that ends first out of `running` (the first started, among equal ends). */
function takeSoonest(running: TimedCall[]): TimedCall {
  let at = 0;
  running.forEach((call, i) => {
    if (call.endMs < (running[at] as TimedCall).endMs) at = i;
  });
  return running.splice(at, 1)[0] as TimedCall;
}

/**
 * `workers` workers fed first come first served from a backlog: a single-threaded function, or a few.
 * `setWorkers` changes how many there are from then on (those busy finish their call first).
 */
export function sequentialWorkers(workers: number): ContainerUnderTest & { setWorkers(count: number): void } {
  const backlog: { id: number; workMs: number }[] = [];
  const running: TimedCall[] = [];
  let now = 0;
  const fill = (): void => {
    while (running.length < workers && backlog.length > 0) {
      const next = backlog.shift() as { id: number; workMs: number };
      running.push({ id: next.id, endMs: now + next.workMs });
    }
  };
  return {
    admit(id, workMs, at) {
      now = at;
      backlog.push({ id, workMs });
      fill();
    },
    get nextEndMs() {
      return soonestEndMs(running);
    },
    finishNext() {
      const done = takeSoonest(running);
      now = done.endMs;
      fill();
      return done.id;
    },
    setWorkers(count) {
      workers = count;
      fill();
    },
  };
}

/** Processor sharing over `cores` cores: with n calls running each gets min(1, cores / n) of one. */
export function sharedCores(cores: number): ContainerUnderTest {
  const running: { id: number; leftMs: number }[] = [];
  let now = 0;
  const rate = (): number => Math.min(1, cores / running.length);
  const advance = (to: number): void => {
    if (running.length > 0) for (const call of running) call.leftMs -= (to - now) * rate();
    now = to;
  };
  const soonest = (): number => running.reduce((at, call, i) => (call.leftMs < (running[at] as { leftMs: number }).leftMs ? i : at), 0);
  return {
    admit(id, workMs, at) {
      advance(at);
      running.push({ id, leftMs: workMs });
    },
    get nextEndMs() {
      if (running.length === 0) return Infinity;
      return now + Math.max(0, (running[soonest()] as { leftMs: number }).leftMs) / rate();
    },
    finishNext() {
      advance(this.nextEndMs);
      const done = running.splice(soonest(), 1)[0] as { id: number };
      return done.id;
    },
  };
}

/** Every call just waits its time, whatever else runs: a function that waits on I/O. */
export function ioBound(): ContainerUnderTest {
  const running: TimedCall[] = [];
  return {
    admit(id, workMs, at) {
      running.push({ id, endMs: at + workMs });
    },
    get nextEndMs() {
      return soonestEndMs(running);
    },
    finishNext() {
      return takeSoonest(running).id;
    },
  };
}

export interface MixedLoad {
  /** Arrival rate × mean work ÷ `perCapacity`: the load relative to the container's workers or cores. */
  readonly load: number;
  readonly perCapacity: number;
  readonly calls: number;
  readonly seed: number;
  /** Spread of each call's work around its class's (log-normal sigma); 0 for exact. */
  readonly sigma?: number;
  readonly shortMs?: number;
  readonly longMs?: number;
  readonly longShare?: number;
}

/** After each completion: how many calls had completed, the limit and long budget in force, and the controller's state. */
export interface Observation {
  readonly completed: number;
  readonly limit: number;
  readonly longBudget: number;
  readonly state: ConcurrencyState;
}

/**
 * Poisson arrivals of the mix (90% short calls, 10% long, on two functions that have no
 * configured prediction, as in bench:concurrency) through the real Scheduler with an `auto` backend
 * in front of `container`; `observe` sees every completion.
 */
export function runMixedLoad(container: ContainerUnderTest, load: MixedLoad, observe: (seen: Observation) => void, capacity: AutoCapacity = { auto: true }): void {
  const { shortMs = 5, longMs = 250, longShare = 0.1, sigma = 0 } = load;
  const scheduler = new Scheduler<Call>({ policy: 'aging-srtf', pools: [{ name: 'p' }], functions: [{ name: 'short', pool: 'p' }, { name: 'long', pool: 'p' }] });
  const backend = scheduler.addBackend('p', { id: 'b', capacity });
  const random = lcg(load.seed);
  const meanWorkMs = (1 - longShare) * shortMs + longShare * longMs;
  const gapMs = meanWorkMs / (load.load * load.perCapacity);
  const startedAt = new Map<number, number>();
  const work = new Map<number, number>();
  let nextArrivalMs = 0;
  let arrived = 0;
  let completed = 0;
  const take = (now: number): void => {
    for (const { invocation } of scheduler.dispatch(now)) {
      startedAt.set(invocation.id, now);
      container.admit(invocation.id, work.get(invocation.id) as number, now);
    }
  };
  while (completed < load.calls) {
    if (arrived < load.calls && nextArrivalMs < container.nextEndMs) {
      const now = nextArrivalMs;
      const long = random() < longShare;
      const id = arrived++;
      work.set(id, (long ? longMs : shortMs) * (sigma > 0 ? noise(random, sigma) : 1));
      scheduler.enqueue({ id, functionName: long ? 'long' : 'short' }, now);
      nextArrivalMs += -Math.log(1 - random()) * gapMs;
      take(now);
      continue;
    }
    const now = container.nextEndMs;
    const id = container.finishNext();
    scheduler.complete(id, now - (startedAt.get(id) as number), now);
    completed++;
    take(now);
    const state = backend.controller?.state() as ConcurrencyState;
    observe({ completed, limit: backend.capacity === 0 ? Infinity : backend.capacity, longBudget: backend.longBudget, state });
  }
}
