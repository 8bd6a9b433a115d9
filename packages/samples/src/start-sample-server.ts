import type { AddressInfo } from 'node:net';
import { createSampleServer } from './create-sample-server.js';
import type { ListenOptions, RunningSample } from './running-sample.js';
import type { SampleKind } from './sample-kind.js';

/** Starts a sample server in this process. */
export async function startSampleServer(kind: SampleKind, options: ListenOptions = {}): Promise<RunningSample> {
  const host = options.host ?? '127.0.0.1';
  const server = createSampleServer(kind, {
    ...(options.maxMs === undefined ? {} : { maxMs: options.maxMs }),
    ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    kind,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
