import type { AddressInfo } from 'node:net';
import { createSampleServer, type SampleKind } from '@shortline/samples';

/** A sample server of packages/samples that also counts what reaches it. */
export interface CountedSample {
  readonly url: string;
  /** Requests received so far. */
  readonly requests: () => number;
  /** The most requests it held at once. */
  readonly maxInFlight: () => number;
  /** Forgets the counts (between the parts of a test). */
  reset(): void;
  close(): Promise<void>;
}

export async function startCountedSample(kind: SampleKind): Promise<CountedSample> {
  const server = createSampleServer(kind, { maxMs: 5000 });
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  server.prependListener('request', (_request, response) => {
    requests++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    response.once('close', () => inFlight--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    maxInFlight: () => maxInFlight,
    reset() {
      requests = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
