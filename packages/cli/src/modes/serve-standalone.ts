import { createShortline, type ShortlineConfig } from '@shortline/proxy';
import { listenOrClose, servingOf, type Serving } from '../serving.js';

/** Static pools from the configuration file. */
export async function serveStandalone(config: ShortlineConfig): Promise<Serving> {
  const shortline = createShortline({ config });
  const { port, adminPort } = await listenOrClose(shortline.listen(), () => shortline.close());
  return servingOf(
    {
      shortline,
      get drainBoundMs() {
        return shortline.config.drain.timeoutMs;
      },
      applyConfig: (next) => shortline.applyConfig(next),
      drain: () => shortline.drain(),
      close: () => shortline.close(),
    },
    { port, admin: adminPort },
  );
}
