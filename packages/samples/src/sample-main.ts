import { DEFAULT_MAX_MS } from './duration-parameter.js';
import { isSampleKind, SAMPLE_KINDS } from './sample-kind.js';
import { startSampleServer } from './start-sample-server.js';

// One sample server per process: `node sample-main.js KIND [PORT] [HOST] [MAX_MS] [CAPACITY]`. Forked by
// spawnSampleServer, it reports { port } or { error } over IPC and stops when its parent says so
// (SIGTERM or the IPC channel closing); Ctrl-C is left to the parent, which drains its proxy first.
// Run by hand, it prints its URL and stops on Ctrl-C.

const [kind = '', port = '0', host = '127.0.0.1', maxMs = String(DEFAULT_MAX_MS), capacity] = process.argv.slice(2);
if (!isSampleKind(kind) || (capacity !== undefined && !(Number.isSafeInteger(Number(capacity)) && Number(capacity) >= 1))) {
  process.stderr.write(`usage: sample-main.js ${SAMPLE_KINDS.join('|')} [port] [host] [maxMs] [workers or cores]\n`);
  process.exit(2);
}
const forked = process.send !== undefined;

try {
  const running = await startSampleServer(kind, {
    port: Number(port),
    host,
    maxMs: Number(maxMs),
    ...(capacity === undefined ? {} : { capacity: Number(capacity) }),
  });
  const stop = (): void => void running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  if (forked) {
    process.on('SIGINT', () => undefined);
    process.once('disconnect', stop);
    process.send?.({ port: running.port, url: running.url });
  } else {
    process.once('SIGINT', stop);
    process.stdout.write(`${kind} listening on ${running.url}\n`);
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (forked) process.send?.({ error: message }, () => process.exit(1));
  else {
    process.stderr.write(`${kind}: ${message}\n`);
    process.exit(1);
  }
}
