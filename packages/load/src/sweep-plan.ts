import type { LoadInvocation, SweepPoint } from './invocation.js';

/** A parameter of the grid and the values it takes, in order. */
export interface GridParameter {
  readonly name: string;
  readonly values: readonly string[];
}

export interface SweepPlanOptions {
  readonly functions: readonly string[];
  /** `ms` sets each call's duration ({ms}, duration_ms); `bytes` its body size; any other is a placeholder only. */
  readonly grid: readonly GridParameter[];
  readonly concurrency: readonly number[];
  /** Calls made at each cell. */
  readonly repeat: number;
  /** The body size of every call when the grid has no `bytes`; NaN for none. */
  readonly bodyBytes: number;
}

interface Cell {
  readonly functionName: string;
  readonly point: SweepPoint;
  readonly durationMs: number;
  readonly bodyBytes: number;
}

/** Every combination of the grid's values, the first parameter varying slowest. */
function gridPoints(grid: readonly GridParameter[]): Record<string, string>[] {
  return grid.reduce<Record<string, string>[]>((points, parameter) => points.flatMap((point) => parameter.values.map((value) => ({ ...point, [parameter.name]: value }))), [{}]);
}

/**
 * Dataset mode's calls, in order: for each function, each grid point, each concurrency level (the
 * cell), `repeat` calls. Call `id` belongs to cell ⌊id / repeat⌋, so a stopped sweep continues at
 * its first call not made.
 */
export class SweepPlan {
  readonly repeat: number;
  readonly #cells: readonly Cell[];

  constructor(options: SweepPlanOptions) {
    this.repeat = options.repeat;
    const cells: Cell[] = [];
    for (const functionName of options.functions) {
      for (const params of gridPoints(options.grid)) {
        const paramsText = Object.entries(params)
          .map(([key, value]) => `${key}=${value}`)
          .join(';');
        for (const concurrency of options.concurrency) {
          cells.push({
            functionName,
            point: { params, paramsText, concurrency },
            durationMs: params['ms'] === undefined ? NaN : Number(params['ms']),
            bodyBytes: params['bytes'] === undefined ? options.bodyBytes : Number(params['bytes']),
          });
        }
      }
    }
    this.#cells = cells;
  }

  get total(): number {
    return this.#cells.length * this.repeat;
  }

  /** The concurrency of the cell call `id` belongs to. */
  concurrencyOf(id: number): number {
    return (this.#cells[Math.floor(id / this.repeat)] as Cell).point.concurrency;
  }

  /** Call `id`, taken at `scheduledMs` on the run's clock. */
  invocation(id: number, scheduledMs: number): LoadInvocation {
    const cell = this.#cells[Math.floor(id / this.repeat)] as Cell;
    return { id, functionName: cell.functionName, scheduledMs, durationMs: cell.durationMs, bodyBytes: cell.bodyBytes, sweep: cell.point };
  }
}
