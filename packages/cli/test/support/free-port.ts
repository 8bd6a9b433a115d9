import { createServer } from 'node:net';
import { close } from '../../../knative/test/support/http.js';

/** A port free right now (bound to 0, then released): QUEUE_SERVING_PORT must name one. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await close(server);
  return port;
}
