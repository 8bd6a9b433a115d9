import { InvalidOptionError } from '../errors.js';
import { LEVEL_SAMPLES, readContainerVerdict, referenceSlowdown, type ContainerKind, type ContainerVerdict } from './container-verdict.js';
import { EndOrder } from './end-order.js';
import { FlightList } from './flight-list.js';
import type { FlightKeeper, FlightRecord } from './flight-record.js';
import { LevelProbe } from './level-probe.js';
import { LevelStats, TOP_LEVEL } from './level-stats.js';
import { LONG_LEVEL_SAMPLES, readLongWorkBudget, risesAt } from './long-work-budget.js';
import { LongWorkDemand } from './long-work-demand.js';
import { LongWorkSpread } from './long-work-spread.js';
import { RunningMean } from './running-mean.js';

export interface ConcurrencyBounds {
  /** The limit never goes below this. Default 1. */
  readonly min?: number | undefined;
  /** The limit never goes above this (a container's declared concurrency). Default: none. */
  readonly max?: number | undefined;
}

export type ConcurrencyControllerOptions = ConcurrencyBounds;

/** One in-flight level of the evidence. */
export interface LevelEvidence {
  readonly level: number;
  readonly samples: number;
  /** Mean observed / predicted duration of calls at this level. */
  readonly slowdown: number;
  /** Calls that found this many rivals running (older calls predicted to end well after them)... */
  readonly trials: number;
  /** ...and the share of those that ended before all of their rivals. */
  readonly overtook: number;
}

/** What the controller has concluded about one backend, for snapshots and metrics. */
export interface ConcurrencyState {
  readonly kind: ContainerKind;
  /** Calls it may run at once; 0 = no limit. */
  readonly limit: number;
  /** shared: long calls it may run at once; 0 = no such budget. */
  readonly longBudget: number;
  /** Calls predicted to take at least this long count as long work. */
  readonly longFromMs: number;
  /** sequential: the worker count learnt; shared: the long calls it runs before they slow each other; else 0. */
  readonly parallelism: number;
  readonly probing: boolean;
  /** Calls from one probe of one more slot (or long call) to the next: it doubles while probes find nothing. */
  readonly probeEvery: number;
  /** How much longer long calls take than short ones (a budget needs 4×)... */
  readonly longSeparation: number;
  /** ...and how much long calls vary against their predictions (a budget needs below 1). */
  readonly longSpread: number;
  readonly inFlight: number;
  readonly completed: number;
  /** By the number of calls found in flight at start. */
  readonly levels: readonly LevelEvidence[];
  /** Long calls alone, by the number of long calls found in flight (no trials). */
  readonly longLevels: readonly LevelEvidence[];
}

/** Re-read the verdict after this many completions: cheap enough, and quick to follow a change. */
const DECIDE_EVERY = 8;
/**
 * Calls predicted at least this many times the mean prediction are long work. The mean, not the
 * median: before a limit is in force, a sequential backend's queue inflates every call's observed
 * duration alike, so that 5 ms and 250 ms calls were seen to take about 210 and 500 ms; 1.5 × the mean
 * (about 360 ms) still tells them apart, 4 × the median does not.
 */
const LONG_FACTOR = 1.5;
/** Weight of the newest prediction in their running mean: the mix of the last few hundred calls. */
const MEAN_WEIGHT = 1 / 256;
/**
 * Weight of the newest long call in its level's mean slowdown. Long calls are one class and alike,
 * so a short memory is quiet enough, and it lets the budget follow a CPU that lost cores in seconds.
 */
const LONG_LEVEL_WEIGHT = 1 / 8;
/**
 * A probe of the long budget counts long calls, each as this many calls: it comes as often, and waits
 * as long, as a probe of the limit would if one call in ten were long.
 */
const LONG_PROBE_PACE = 10;
/** Weight of the newest lone long call in the reference slowdown. */
const LONG_ALONE_WEIGHT = 1 / 32;

function bound(option: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!(resolved === Infinity || (Number.isInteger(resolved) && resolved >= 1))) throw new InvalidOptionError(option, resolved, 'an integer >= 1');
  return resolved;
}

/**
 * Learns how much concurrency one backend turns into throughput, sans I/O: it is told when calls
 * start and end (and when), and answers the limit to hold the backend to. Latency is read relative to each
 * call's prediction, so a shift towards longer calls is not taken for congestion, and it is learnt
 * per in-flight level, so an overall mean cannot blur a knee. It counts calls, not time: a probe or
 * a change of mind waits for enough calls, however fast or slow they come.
 *
 * Per kind: a sequential backend is held to its worker count (the rest wait in the scheduler, in
 * policy order, instead of first come first served inside); a shared one keeps no limit but a budget
 * of long calls, so short ones go straight in and share the CPU with fewer long ones; an I/O-bound
 * one, and anything not yet understood, gets no limit at all. It never rejects: held calls wait.
 */
export class ConcurrencyController implements FlightKeeper {
  readonly #min: number;
  readonly #max: number;
  readonly #flight = new FlightList();
  readonly #levels = new LevelStats();
  readonly #longLevels = new LevelStats(LONG_LEVEL_WEIGHT);
  /** The slowdown of long calls that ran alone: the reference long levels are kept relative to. */
  readonly #longAlone = new RunningMean(LONG_ALONE_WEIGHT);
  readonly #meanPrediction = new RunningMean(MEAN_WEIGHT);
  readonly #probe = new LevelProbe();
  readonly #spread = new LongWorkSpread();
  readonly #demand = new LongWorkDemand();
  readonly #endOrder = new EndOrder();
  #verdict: ContainerVerdict = { kind: 'unknown', workers: 0 };
  /** The limit learnt, and the long budget learnt (a probe may widen either by one for a while). */
  #limit: number;
  #longBudget = Infinity;
  #widened: 'limit' | 'longBudget' | undefined = undefined;
  #longInFlight = 0;
  #completed = 0;
  #longCompleted = 0;
  /** Long calls in flight integrated over time (calls × ms), up to #lastEventMs. */
  #longAreaMs = 0;
  #lastEventMs = -Infinity;
  /** Long completions when the long budget last moved. */
  #longSteppedAt = 0;

  /** `optionName` names the setting in errors about the bounds. */
  constructor(options: ConcurrencyControllerOptions = {}, optionName = 'concurrency') {
    this.#min = bound(`${optionName}.min`, options.min, 1);
    this.#max = bound(`${optionName}.max`, options.max, Infinity);
    if (this.#min > this.#max) throw new InvalidOptionError(`${optionName}.min`, this.#min, `<= ${optionName}.max (${this.#max})`);
    this.#limit = this.#max;
  }

  /** Calls the backend may run at once now; Infinity for no limit. */
  get limit(): number {
    return this.#widened === 'limit' && this.#probe.active ? this.#limit + 1 : this.#limit;
  }

  /** Long calls the backend may run at once now; Infinity for no such budget. */
  get longBudget(): number {
    return this.#widened === 'longBudget' && this.#probe.active ? this.#longBudget + 1 : this.#longBudget;
  }

  /** Calls predicted to take at least this long are long work (Infinity until a call was seen). */
  get longFromMs(): number {
    return this.#meanPrediction.count === 0 ? Infinity : LONG_FACTOR * this.#meanPrediction.value;
  }

  get inFlight(): number {
    return this.#flight.size;
  }

  /**
   * A call predicted to take `predictedDurationMs` started on the backend at `now`. Returns its
   * record, to hand back once with `completed` or `abandoned`.
   */
  started(predictedDurationMs: number, now: number): FlightRecord {
    this.#advance(now);
    const long = predictedDurationMs >= this.longFromMs;
    const before = this.#flight.size;
    const call = this.#flight.push();
    call.keeper = this;
    call.heldToBudget = false;
    call.predictedDurationMs = predictedDurationMs;
    call.before = before;
    call.long = long;
    call.startMs = now;
    call.longAreaAtStart = this.#longAreaMs;
    this.#flight.countRivals(call);
    this.#meanPrediction.add(predictedDurationMs);
    if (long) this.#longInFlight++;
    if (this.#verdict.kind === 'sequential' ? this.#flight.size >= this.limit : long && this.#longInFlight >= this.longBudget) {
      this.#probe.noteReached();
    }
    return call;
  }

  /**
   * A call ended. With its observed duration it teaches the controller; without (it failed, or was
   * cut short) it only leaves. `now` defaults to its start plus the observed duration. Returns true
   * when the limit or the long budget changed.
   */
  completed(call: FlightRecord, observedMs: number | undefined, now = call.startMs + (observedMs ?? 0)): boolean {
    this.#advance(now);
    const { before, long, rivals, predictedDurationMs, startMs, longAreaAtStart } = call;
    // Every call is a test of the order calls end in; one that found rivals (older calls that, side
    // by side, would end well after it) is a trial: did it end before all of them?
    const olderStillRunning = this.#flight.olderStillRunning(call);
    const overtookAll = call.rivalsLeft === rivals;
    this.#leave(call);
    if (observedMs === undefined || !(observedMs >= 0)) return false;
    const slowdown = observedMs / Math.max(1, predictedDurationMs);
    if (rivals > 0) {
      const rivalLevel = LevelStats.levelOf(rivals);
      this.#levels.recordTrial(rivalLevel, overtookAll, slowdown / referenceSlowdown(this.#levels, rivalLevel));
    }
    this.#levels.record(LevelStats.levelOf(before), slowdown);
    this.#endOrder.record(olderStillRunning);
    if (long) {
      this.#longCompleted++;
      const livedMs = now - startMs;
      const meanLong = livedMs > 0 ? (this.#longAreaMs - longAreaAtStart) / livedMs : 1;
      this.#recordLong(meanLong, slowdown);
      this.#demand.record(predictedDurationMs, this.#longAlone.value, now);
    }
    this.#spread.record(long, observedMs, slowdown);
    this.#completed++;
    const probing = this.#probe.active;
    const due = this.#completed % DECIDE_EVERY === 0;
    if (probing ? !this.#probe.isOverAt(this.#probeCount()) && !(due && this.#lostCapacity()) : !due) return false;
    const limitBefore = this.limit;
    const budgetBefore = this.longBudget;
    if (probing) this.#probe.end();
    this.#decide();
    return this.limit !== limitBefore || this.longBudget !== budgetBefore;
  }

  /** A started call never reached the backend (its connection was refused): it leaves, teaching nothing. */
  abandoned(call: FlightRecord): void {
    this.#advance(call.startMs);
    this.#leave(call);
  }

  state(): ConcurrencyState {
    const longFromMs = this.longFromMs;
    const limit = this.limit;
    const longBudget = this.longBudget;
    return {
      kind: this.#verdict.kind,
      limit: limit === Infinity ? 0 : limit,
      longBudget: longBudget === Infinity ? 0 : longBudget,
      longFromMs: longFromMs === Infinity ? 0 : round(longFromMs),
      parallelism: this.#verdict.kind === 'sequential' ? this.#verdict.workers : this.#longBudget === Infinity ? 0 : this.#longBudget,
      probing: this.#probe.active,
      probeEvery: this.#probe.every,
      longSeparation: round(this.#spread.separation),
      longSpread: round(this.#spread.spread),
      inFlight: this.#flight.size,
      completed: this.#completed,
      levels: evidence(this.#levels),
      longLevels: evidence(this.#longLevels),
    };
  }

  /**
   * A long call's level is the mean number of *other* long calls running during its life (rounded):
   * one that starts as the third on two cores shares them only until the older ones end, so the count
   * at its start would blur the knee. Levels keep the slowdown relative to what a long call alone
   * takes at the time: the predictions drift as a budget changes how long calls run, and a level not
   * visited since keeps a figure from before, which must still compare with fresh ones.
   */
  #recordLong(meanLongInFlight: number, slowdown: number): void {
    const level = LevelStats.levelOf(Math.max(0, Math.round(meanLongInFlight) - 1));
    if (level === 0) this.#longAlone.add(slowdown);
    const alone = this.#longAlone.value;
    this.#longLevels.record(level, alone > 0 ? slowdown / alone : 1);
  }

  #advance(now: number): void {
    if (now > this.#lastEventMs) {
      if (this.#lastEventMs > -Infinity) this.#longAreaMs += this.#longInFlight * (now - this.#lastEventMs);
      this.#lastEventMs = now;
    }
  }

  #leave(call: FlightRecord): void {
    if (call.long) this.#longInFlight--;
    this.#flight.remove(call);
  }

  #decide(): void {
    const judged = this.#probe.takeJudged();
    const widened = this.#widened;
    const limitBefore = this.#limit;
    const next = this.#nextLongBudget(this.#longBudget, widened === 'longBudget' ? judged : -1);
    const longBudget = next === Infinity ? next : Math.max(next, this.#demand.floor);
    this.#verdict = readContainerVerdict(this.#levels, longBudget, this.#endOrder, this.#verdict);
    const kind = this.#verdict.kind;
    this.#limit = kind === 'sequential' ? this.#clamp(this.#verdict.workers) : this.#max;
    this.#longBudget = kind === 'shared' ? Math.min(this.#limit, longBudget) : Infinity;
    this.#settleProbe(widened, limitBefore);
    this.#widened = undefined;
    if (kind === 'sequential' && this.#limit < this.#max && this.#probe.maybeStart(this.#levels, this.#limit, this.#completed, true, LEVEL_SAMPLES)) {
      this.#widened = 'limit';
    } else if (
      kind === 'shared' &&
      this.#longBudget < this.#limit &&
      this.#probe.maybeStart(this.#longLevels, this.#longBudget, this.#longCompleted * LONG_PROBE_PACE, false, LONG_LEVEL_SAMPLES)
    ) {
      this.#widened = 'longBudget';
    }
  }

  /**
   * The long budget after `current`: the knee seen without one, first; then down to a knee that shows
   * below it, or one step down when the budget's last long call is seen sharing the CPU with the
   * others, or one step up when a probe
   * (`probed`: the level a probe just judged, else -1) found that one more would not have; a step
   * down waits for fresh calls at the level it rests on.
   */
  #nextLongBudget(current: number, probed: number): number {
    if (!this.#spread.pays) return Infinity;
    if (current === Infinity) return readLongWorkBudget(this.#longLevels);
    if (probed === current) return this.#stepped(risesAt(this.#longLevels, current) ? current : current + 1);
    if (current < 2 || this.#longCompleted < this.#longSteppedAt + LONG_LEVEL_SAMPLES) return current;
    // The CPU lost cores: long calls now slow each other below the budget, where every level is fresh.
    const knee = readLongWorkBudget(this.#longLevels, current - 1);
    if (knee < current) return this.#stepped(knee);
    return risesAt(this.#longLevels, current - 1) ? this.#stepped(current - 1) : current;
  }

  /**
   * A probe of the limit that found nothing makes the next one wait longer: a sequential container's
   * workers rarely change, and each probe costs calls that wait inside. One that found more, or a
   * limit that came down (what the backend offers changed), brings probes back to their first pace.
   * The long budget is probed at that pace throughout: on a shared CPU its knee is a slowdown, noisier
   * than the order test, and a budget read one too low must be seen to be so soon.
   */
  #settleProbe(widened: 'limit' | 'longBudget' | undefined, limitBefore: number): void {
    if (widened === 'limit' && this.#limit <= limitBefore) this.#probe.backOff();
    else if (widened === 'limit' || this.#limit < limitBefore) this.#probe.rearm(this.#completed);
  }

  #stepped(budget: number): number {
    if (budget !== this.#longBudget) this.#longSteppedAt = this.#longCompleted;
    return budget;
  }

  /**
   * During a probe (which may wait hundreds of calls for traffic at the level beyond): do the levels
   * below it already say the backend has less than the probe started from? Then the probe ends.
   */
  #lostCapacity(): boolean {
    if (this.#widened === 'limit') {
      const verdict = readContainerVerdict(this.#levels, this.#longBudget, this.#endOrder, this.#verdict);
      return verdict.kind === 'sequential' && verdict.workers < this.#limit;
    }
    return readLongWorkBudget(this.#longLevels, this.#longBudget - 1) < this.#longBudget || risesAt(this.#longLevels, this.#longBudget - 1);
  }

  /** What a probe counts: every call for the limit; long calls (at the pace of all calls) for the long budget. */
  #probeCount(): number {
    return this.#widened === 'longBudget' ? this.#longCompleted * LONG_PROBE_PACE : this.#completed;
  }

  #clamp(limit: number): number {
    return Math.min(this.#max, Math.max(this.#min, limit));
  }
}

function evidence(levels: LevelStats): LevelEvidence[] {
  const found: LevelEvidence[] = [];
  for (let level = 0; level <= TOP_LEVEL; level++) {
    const samples = levels.samples(level);
    if (samples === 0 && levels.trials(level) === 0) continue;
    found.push({ level, samples, slowdown: round(levels.slowdown(level)), trials: levels.trials(level), overtook: round(levels.overtook(level)) });
  }
  return found;
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
