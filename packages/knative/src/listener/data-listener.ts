import type net from 'node:net';
import type { ListenAddress } from '@shortline/proxy';

/** A bound serving port. */
export interface DataListener {
  readonly port: number;
  /** Stops accepting connections; resolves once every connection it accepted has closed. */
  close(): Promise<void>;
}

/** Binds `server` where `address` says; `beforeClose` runs when the listener is first closed. */
export async function bindDataListener(server: net.Server, address: ListenAddress, beforeClose?: () => void): Promise<DataListener> {
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
    close: () => {
      if (closed === undefined) {
        beforeClose?.();
        closed = new Promise((resolve) => server.close(() => resolve()));
      }
      return closed;
    },
  };
}
