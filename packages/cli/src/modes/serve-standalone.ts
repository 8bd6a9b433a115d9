import { createRequestTracing, createShortline, type Shortline, type ShortlineConfig } from '@shortline/proxy';
import { listenOrClose, servingOf, type Serving } from '../serving.js';

/** Static pools from the configuration file; spans per request when its `tracing` says so. */
export async function serveStandalone(config: ShortlineConfig, _env: unknown, _configFile: unknown, logger: Shortline['logger']): Promise<Serving> {
  const shortline = createShortline({ config, logger });
  const tracing = createRequestTracing({ observe: (observer) => shortline.observe(observer), logger: shortline.logger, clock: () => shortline.timers.now() });
  const { port, adminPort } = await listenOrClose(shortline.listen(), () => shortline.close());
  void tracing.apply(shortline.config.tracing);
  return servingOf(
    {
      shortline,
      get drainBoundMs() {
        return shortline.config.drain.timeoutMs;
      },
      applyConfig: (next) => {
        shortline.applyConfig(next);
        void tracing.apply(shortline.config.tracing);
      },
      drain: () => shortline.drain().then(() => tracing.close()),
      close: () => shortline.close().then(() => tracing.close()),
    },
    { port, admin: adminPort },
  );
}
