import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { startProxyProcess } from './proxy-process.js';

// node bench/dist/reliability/held-requests.js [--json] [--requests 10000] [--concurrency 10]
//
// Memory per held request: N requests, each on its own connection, held by a proxy whose backend
// answers nothing until told (CONCURRENCY run, the rest wait in the queue with their bodies unread).
// The proxy's RSS and heap are taken inside it after a garbage collection, idle and with all N held;
// the difference divided by N is the cost of one held request (connection, parser, request, exchange,
// queue entry). Then the backend answers them all and every one must come back 200.

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    requests: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '10' },
  },
});
const requests = Number(flags.requests);
const concurrency = Number(flags.concurrency);
if (!(Number.isInteger(requests) && requests > 0 && requests <= 15_000)) throw new Error('--requests must be an integer from 1 to 15000 (file descriptors)');
if (!(Number.isInteger(concurrency) && concurrency > 0 && concurrency <= requests)) throw new Error('--concurrency must be from 1 to --requests');
const BATCH = 500;
const say = (line: string): void => void process.stderr.write(`${line}\n`);

// The backend: holds every request until release, then answers them all.
const held: ServerResponse[] = [];
let releasing = false;
const backend = createServer((req, res) => {
  req.resume();
  if (releasing || req.url === '/warm') res.end('ok');
  else held.push(res);
});
await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

const proxy = await startProxyProcess({
  scheduler: { maxQueued: requests },
  timeouts: { requestMs: 600_000 },
  functions: [{ name: 'held', backends: [backendUrl], concurrency }],
});

/** Opens a connection and sends one request; resolves with the status once the answer's head is in. */
function open(path: string): { connected: Promise<void>; status: Promise<number>; socket: Socket } {
  const socket = connect(proxy.port, '127.0.0.1');
  let text = '';
  const status = new Promise<number>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match !== null) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on('close', () => resolve(0));
    socket.on('error', () => resolve(0));
  });
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: bench\r\n\r\n`);
  return { connected, status, socket };
}

for (let i = 0; i < 200; i++) await open('/warm').status;
const idle = await proxy.sample(true);
say(`held-requests: ${requests} requests, ${concurrency} slots; idle proxy RSS ${(idle.rssBytes / 1048576).toFixed(1)} MB`);

const statuses: Promise<number>[] = [];
const openedAt = performance.now();
for (let first = 0; first < requests; first += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, requests - first) }, (_, i) => open(`/held/${first + i}`));
  await Promise.all(batch.map((request) => request.connected));
  statuses.push(...batch.map((request) => request.status));
}
let holding = await proxy.sample();
while (holding.openRequests < requests) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  holding = await proxy.sample();
}
const openMs = performance.now() - openedAt;
const full = await proxy.sample(true);

releasing = true;
const releasedAt = performance.now();
for (const res of held.splice(0)) res.end('ok');
const answers = await Promise.all(statuses);
const drainMs = performance.now() - releasedAt;
const after = await proxy.sample(true);
await proxy.stop();
await new Promise<void>((resolve) => backend.close(() => resolve()));

const count = (status: number): number => answers.filter((answer) => answer === status).length;
const report = {
  requests,
  concurrency,
  held: { waiting: full.waiting, inFlight: full.inFlight },
  rssMb: { idle: idle.rssBytes / 1048576, holding: full.rssBytes / 1048576, after: after.rssBytes / 1048576 },
  bytesPerHeldRequest: {
    rss: Math.round((full.rssBytes - idle.rssBytes) / requests),
    heap: Math.round((full.heapUsedBytes - idle.heapUsedBytes) / requests),
    external: Math.round((full.externalBytes - idle.externalBytes) / requests),
  },
  secondsToHoldAll: openMs / 1000,
  secondsToAnswerAll: drainMs / 1000,
  answers: { ok: count(200), other: requests - count(200) - count(0), none: count(0) },
};
if (flags.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
else {
  say(`holding ${full.waiting} queued + ${full.inFlight} in flight: RSS ${report.rssMb.holding.toFixed(1)} MB (idle ${report.rssMb.idle.toFixed(1)} MB)`);
  say(`per held request: ${report.bytesPerHeldRequest.rss} B of RSS, ${report.bytesPerHeldRequest.heap} B of heap, ${report.bytesPerHeldRequest.external} B outside the heap`);
  say(`held all in ${report.secondsToHoldAll.toFixed(1)} s; answered all in ${report.secondsToAnswerAll.toFixed(1)} s: ${JSON.stringify(report.answers)}`);
  say(`after: RSS ${report.rssMb.after.toFixed(1)} MB`);
}
