import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The backend of the footprint benchmark, in a process of its own: a tiny user container that
// answers `?ms=N` after N ms (at once without it), and, for the gateway, Knative's queue probe as a
// ready revision pod does. It reports { port } over IPC and stops when its parent says so.

const server = http.createServer((req, res) => {
  req.resume();
  if (req.headers['k-network-probe'] === 'queue') {
    res.end('queue');
    return;
  }
  const ms = Number(new URL(req.url ?? '/', 'http://pod').searchParams.get('ms') ?? 0);
  if (ms > 0) setTimeout(() => res.end('ok'), ms);
  else res.end('ok');
});

server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.once('disconnect', () => process.exit(0));
