import type net from 'node:net';
import type { ListenAddress, Shortline } from '@shortline/proxy';
import { createDualProtocolServer } from './dual-protocol-server.js';

export interface DataListener {
  readonly port: number;
  /** Stops accepting connections; resolves once every connection it accepted has closed. */
  close(): Promise<void>;
}

/**
 * Binds the proxy's data plane on one port for HTTP/1.1 and prior-knowledge h2c, as Knative's
 * serving ports accept both: each connection goes to `shortline.server` or `shortline.http2Server`.
 * The proxy must have been started with `listenAdmin()`, which leaves this listener to the caller.
 */
export async function listenDualProtocol(shortline: Shortline, address: ListenAddress): Promise<DataListener> {
  const server = createDualProtocolServer({ http1: shortline.server, http2: shortline.http2Server });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => (closed ??= new Promise((resolve) => server.close(() => resolve()))),
  };
}
