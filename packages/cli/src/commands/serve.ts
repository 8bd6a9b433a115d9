import { parseArgs } from 'node:util';
import { ConfigError, createShortline, loadConfigFile, resolveConfigPath, watchConfigFile, type Shortline } from '@shortline/proxy';
import type { Command } from '../command.js';

const USAGE = `usage: shortline serve [--config FILE]

Runs the scheduling proxy: requests are classified to functions, held while no backend slot is
free, and released shortest-predicted-first. The configuration file is watched and reloaded on
change (an invalid edit is logged and the previous configuration stays). SIGTERM or SIGINT drains:
readiness turns 503, queued and in-flight requests finish (bounded by drain.timeoutMs), exit 0.

options:
  --config FILE   configuration file (default: $SHORTLINE_CONFIG, else config/shortline.yaml)
  -h, --help      show this help
`;

type ShutdownSignal = 'SIGTERM' | 'SIGINT';

function firstSignal(): Promise<ShutdownSignal> {
  return new Promise((resolve) => {
    const on = (signal: ShutdownSignal) => (): void => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolve(signal);
    };
    const onTerm = on('SIGTERM');
    const onInt = on('SIGINT');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
  });
}

/** Drains within the configured bound; a second signal, or the bound, closes at once. */
async function shutDown(shortline: Shortline, signal: ShutdownSignal): Promise<void> {
  const boundMs = shortline.config.drain.timeoutMs;
  shortline.logger.info({ signal, boundMs }, 'shutting down: draining');
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<'bound' | 'signal'>((resolve) => {
    timer = setTimeout(() => resolve('bound'), boundMs);
    void firstSignal().then(() => resolve('signal'));
  });
  const outcome = await Promise.race([shortline.drain().then(() => 'drained' as const), forced]);
  clearTimeout(timer);
  if (outcome !== 'drained') shortline.logger.warn({ reason: outcome }, 'drain cut short: closing now');
  await shortline.close();
}

export const serve: Command = {
  summary: 'run the scheduling proxy',
  async run(args) {
    let values: { config?: string | undefined; help?: boolean | undefined };
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: false,
      }));
    } catch (error) {
      process.stderr.write(`shortline serve: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (values.help === true) {
      process.stdout.write(USAGE);
      return 0;
    }
    const path = resolveConfigPath(values.config);
    let config;
    try {
      config = await loadConfigFile(path);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`shortline serve: ${error.message}\n`);
      return 1;
    }
    const shortline = createShortline({ config });
    const signal = firstSignal();
    try {
      const { port, adminPort } = await shortline.listen();
      shortline.logger.info(
        { config: path, listen: `${config.listen.host}:${port}`, admin: `${config.admin.host}:${adminPort}`, policy: config.scheduler.policy },
        'shortline serving',
      );
    } catch (error) {
      shortline.logger.fatal({ err: error }, 'cannot listen');
      await shortline.close();
      return 1;
    }
    const watcher = watchConfigFile(
      path,
      { onReload: (next) => shortline.applyConfig(next), onInvalid: (error) => shortline.reportInvalidConfig(error) },
      { current: config },
    );
    const received = await signal;
    watcher.close();
    await shutDown(shortline, received);
    return 0;
  },
};
