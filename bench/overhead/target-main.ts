import type { AddressInfo } from 'node:net';
import { createShortline, defaultConfig } from '@shortline/proxy';
import { createPassThrough } from './pass-through.js';

// One proxy under test per process:
// `node target-main.js pass-through|fifo|aging-srtf|aging-srtf-no-features BACKEND_URL`
// (aging-srtf-no-features: the default policy with `predictor.requestFeatures: false`).
// Reports { port, adminPort? } over IPC once listening; answers { kind: 'cpu-usage' } with its
// process.cpuUsage() and { kind: 'memory-usage' } with its process.memoryUsage() and peak RSS
// (maxRssKb); stops on SIGTERM or when the parent goes.

/** Per-backend concurrency for Shortline: above the 32 connections, as Knative's comparison used (CC 64). */
const CONCURRENCY = 64;

const [kind = '', backend = ''] = process.argv.slice(2);

async function start(): Promise<{ port: number; adminPort?: number; stop: () => Promise<void> }> {
  if (kind === 'pass-through') {
    const server = createPassThrough(backend);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as AddressInfo).port,
      stop: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
  if (kind !== 'fifo' && kind !== 'aging-srtf' && kind !== 'aging-srtf-no-features') throw new Error(`unknown target ${kind}`);
  const shortline = createShortline({
    config: defaultConfig({
      listen: { port: 0 },
      admin: { port: 0 },
      scheduler: { policy: kind === 'fifo' ? 'fifo' : 'aging-srtf' },
      predictor: { requestFeatures: kind !== 'aging-srtf-no-features' },
      logging: { level: 'warn' },
      functions: [{ name: 'tiny', backends: [backend], concurrency: CONCURRENCY }],
    }),
  });
  const ports = await shortline.listen();
  return { port: ports.port, adminPort: ports.adminPort, stop: () => shortline.close() };
}

const target = await start();
const stop = (): void => void target.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('disconnect', stop);
process.on('message', (message: { kind?: string }) => {
  if (message.kind === 'cpu-usage') process.send?.(process.cpuUsage());
  if (message.kind === 'memory-usage') process.send?.({ ...process.memoryUsage(), maxRssKb: process.resourceUsage().maxRSS });
});
process.send?.({ port: target.port, ...(target.adminPort === undefined ? {} : { adminPort: target.adminPort }) });
