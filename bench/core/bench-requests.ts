import { createSyntheticWorkload, Random } from '@shortline/sim';

/** A request as the proxy holds it before classification: the request line and the headers it reads. */
export interface BenchRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** How long it truly takes, taught to the predictor at completion. */
  readonly durationMs: number;
}

/**
 * `count` requests of the simulator's `service` workload (ids, search terms, user names, report
 * ranges, uploads and thumbnails by size), turned back into what arrives on the wire, so that the
 * benchmark pays for extracting the features as well as for predicting and learning.
 */
export function benchRequests(count: number, seed: number): readonly BenchRequest[] {
  const workload = createSyntheticWorkload({ kind: 'service' });
  const random = new Random(seed);
  const draw = workload.drawRequest;
  if (draw === undefined) throw new Error('the service workload draws no requests');
  return Array.from({ length: count }, () => {
    const { features, durationMs } = draw(0, random);
    const headers = features.contentLength > 0 ? { 'content-length': String(features.contentLength) } : {};
    return { method: features.method, url: features.target, headers, durationMs };
  });
}
