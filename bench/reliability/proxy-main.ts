import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createShortline, defaultConfig, type ConfigOverrides } from '@shortline/proxy';
import type { ProxySample } from './proxy-process.js';

// One Shortline under test in a process of its own: `node proxy-main.js '<config overrides as JSON>'`.
// Reports { port } over IPC once it listens; answers each 'sample' (or 'sample-after-gc', with
// --expose-gc) with its memory, its event-loop delay since the previous sample, and its queue;
// stops on 'stop', SIGTERM, or when the parent goes.

const overrides = JSON.parse(process.argv[2] ?? '{}') as ConfigOverrides;
const shortline = createShortline({
  config: defaultConfig({
    ...overrides,
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    logging: { level: 'warn' },
  }),
  processMetrics: false,
});
// 1 ms resolution: the delays worth reporting here are a few milliseconds.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

function sample(): ProxySample {
  const memory = process.memoryUsage();
  const snapshot = shortline.debugSnapshot();
  const taken: ProxySample = {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external + memory.arrayBuffers,
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    waiting: snapshot.waiting,
    inFlight: snapshot.inFlight,
    openRequests: snapshot.openRequests,
  };
  loopDelay.reset();
  return taken;
}

const stop = (): void => {
  loopDelay.disable();
  void shortline.close().then(() => process.exit(0));
};

const { port } = await shortline.listen();
process.on('message', (message) => {
  if (message === 'sample-after-gc') (globalThis as { gc?: () => void }).gc?.();
  if (message === 'sample' || message === 'sample-after-gc') process.send?.(sample());
  else if (message === 'stop') stop();
});
process.once('SIGTERM', stop);
process.once('disconnect', stop);
process.send?.({ port });
