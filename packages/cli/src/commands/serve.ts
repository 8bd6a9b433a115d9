import { parseArgs } from 'node:util';
import { isKnativeSidecarEnv } from '@shortline/knative/sidecar';
import { ConfigError, defaultConfig, loadConfigFile, resolveConfigPath, watchConfigFile, type ShortlineConfig } from '@shortline/proxy';
import type { Command } from '../command.js';
import { startServing, type ServingMode } from '../serving-modes.js';
import type { Serving } from '../serving.js';
import { drainThenClose, nextSignal } from '../shutdown.js';
import { createTerminalLogger } from '../terminal-log.js';

const USAGE = `usage: shortline serve [--config FILE]

Runs the scheduling proxy: requests are classified to functions, held while no backend slot is
free, and released shortest-predicted-first. The configuration file is watched and reloaded on
change (an invalid edit is logged and the previous configuration stays). SIGTERM or SIGINT drains:
readiness turns 503, queued and in-flight requests finish (bounded by drain.timeoutMs), exit 0.

modes (the configuration's \`mode\`):
  standalone   static pools and functions from the configuration file (the default)
  sidecar      a drop-in for Knative's queue-proxy; chosen by itself when Knative's env contract
               (SERVING_REVISION, QUEUE_SERVING_PORT, ...) is present. Without --config or
               SHORTLINE_CONFIG it starts on the built-in defaults and follows the config-shortline
               ConfigMap of its namespace (SHORTLINE_CONFIG_SOURCE=off: not); a file adds request
               classes, policy and limits. Knative's env wins for what it sets.
  gateway      activator-style, in front of Knative revisions found through the Kubernetes API
               (in-cluster credentials, else $KUBECONFIG); env POD_NAMESPACE, POD_IP,
               SHORTLINE_GATEWAY_SERVICE; the config-shortline ConfigMap is watched too.

options:
  --config FILE   configuration file (default: $SHORTLINE_CONFIG, else config/shortline.yaml)
  -h, --help      show this help
`;

/** The file to read, if any: a sidecar without one takes the defaults rather than the demo's file. */
function configPath(flag: string | undefined, sidecarEnv: boolean): string | undefined {
  const given = flag ?? process.env['SHORTLINE_CONFIG'];
  if (sidecarEnv && (given === undefined || given === '')) return undefined;
  return resolveConfigPath(flag);
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
    const env = process.env;
    const sidecarEnv = isKnativeSidecarEnv(env);
    const path = configPath(values.config, sidecarEnv);
    let config: ShortlineConfig;
    try {
      config = path === undefined ? defaultConfig() : await loadConfigFile(path);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`shortline serve: ${error.message}\n`);
      return 1;
    }
    const mode: ServingMode = sidecarEnv ? 'sidecar' : config.mode;

    const signal = nextSignal();
    let serving: Serving;
    try {
      serving = await startServing(mode, config, env, path, createTerminalLogger(config.logging.level));
    } catch (error) {
      process.stderr.write(`shortline serve: cannot start in ${mode} mode: ${(error as Error).message}\n`);
      return 1;
    }
    serving.logger.info({ mode, config: path ?? '(built-in defaults)', ...serving.ports, policy: config.scheduler.policy }, 'shortline serving');

    const watcher =
      path === undefined
        ? undefined
        : watchConfigFile(
            path,
            { onReload: (next) => serving.applyConfig(next), onInvalid: (error) => serving.reportInvalidConfig(error) },
            { current: config },
          );
    const received = await signal;
    watcher?.close();
    const boundMs = serving.drainBoundMs;
    serving.logger.info({ signal: received, boundMs }, 'shutting down: draining');
    const outcome = await drainThenClose(serving, boundMs);
    if (outcome !== 'drained') serving.logger.warn({ reason: outcome }, 'drain cut short: closed now');
    return 0;
  },
};
