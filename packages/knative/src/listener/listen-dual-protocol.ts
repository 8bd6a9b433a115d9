import type { ListenAddress, Shortline } from '@shortline/proxy';
import { bindDataListener, type DataListener } from './data-listener.js';
import { createDualProtocolServer } from './dual-protocol-server.js';

/**
 * Binds the proxy's data plane on one port for HTTP/1.1 and prior-knowledge h2c, as Knative's
 * serving ports accept both: each connection goes to `shortline.server` or `shortline.http2Server`.
 * The proxy must have been started with `listenAdmin()`, which leaves this listener to the caller.
 */
export function listenDualProtocol(shortline: Shortline, address: ListenAddress): Promise<DataListener> {
  return bindDataListener(createDualProtocolServer({ http1: shortline.server, http2: () => shortline.http2Server }), address);
}
