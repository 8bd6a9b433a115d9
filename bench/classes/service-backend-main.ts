import type { AddressInfo } from 'node:net';
import { createServiceBackend } from './service-backend.js';

// The service backend in a process of its own: `node service-backend-main.js FACTOR FLOOR_MS`.
// Reports { port } over IPC once it listens on 127.0.0.1; stops on SIGTERM or when the parent goes.

const [factor, floorMs] = process.argv.slice(2).map(Number);
if (!(factor !== undefined && factor > 0 && Number.isFinite(factor) && floorMs !== undefined && floorMs >= 0 && Number.isFinite(floorMs))) {
  process.stderr.write('usage: service-backend-main.js FACTOR FLOOR_MS (FACTOR > 0, FLOOR_MS >= 0)\n');
  process.exit(2);
}
const server = createServiceBackend({ factor, floorMs });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('disconnect', stop);
process.send?.({ port: (server.address() as AddressInfo).port });
