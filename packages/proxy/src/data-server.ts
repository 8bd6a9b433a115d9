import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ShortlineConfig } from './config/index.js';

/**
 * The node:http server that receives invocations, with the connection-level limits that protect it
 * from its clients. A held request keeps its body unread for as long as it waits; Node's own
 * whole-request timeout would cut it, so the request timeout (queue wait included) is enforced by the
 * proxy instead.
 */
export function createDataServer(_config: ShortlineConfig, handle: (req: IncomingMessage, res: ServerResponse) => void): Server {
  return createServer({ requestTimeout: 0 }, handle);
}
