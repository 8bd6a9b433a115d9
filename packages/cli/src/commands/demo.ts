import { parseArgs } from 'node:util';
import {
  ConfigError,
  createShortline,
  loadConfigFile,
  resolveConfigPath,
  watchConfigFile,
  type ListeningPorts,
  type Shortline,
  type ShortlineConfig,
} from '@shortline/proxy';
import { isSampleKind, spawnSampleServer, type RunningSample, type SampleKind } from '@shortline/samples';
import type { Command } from '../command.js';
import { drainThenClose, nextSignal } from '../shutdown.js';
import { createTerminalLogger } from '../terminal-log.js';

const USAGE = `usage: shortline demo [--config FILE]

Starts the sample functions (sleep, spin, echo) on the backends the configuration names for the pools
called sleep, spin and echo, then the scheduling proxy in front of them, and prints example requests.
This is what \`npm start\` runs. Edit the configuration while it runs: it is reloaded live.
Ctrl-C drains the proxy (queued and running requests finish), then stops the samples.

options:
  --config FILE   configuration file (default: $SHORTLINE_CONFIG, else config/shortline.yaml)
  -h, --help      show this help
`;

const LOCAL_BACKEND = /^http:\/\/(127\.0\.0\.1|localhost):(\d+)$/;

/** A sample for each local backend of each pool named after a sample kind. */
function samplesWanted(config: ShortlineConfig): { kind: SampleKind; port: number }[] {
  return config.pools.flatMap((pool) => {
    const kind = pool.name;
    if (!isSampleKind(kind)) return [];
    return pool.backends.flatMap((backend) => {
      const match = LOCAL_BACKEND.exec(backend);
      return match === null ? [] : [{ kind, port: Number(match[2]) }];
    });
  });
}

/** Example requests for the functions this configuration has, with the scheduling one if it can be shown. */
function examples(config: ShortlineConfig, proxy: string): string[] {
  // A pool named after a sample kind is served by that sample (see samplesWanted); the function named
  // after its pool, if any, is the one to show first.
  const routed = config.functions
    .filter((fn) => fn.match.pathPrefix !== undefined && isSampleKind(fn.pool))
    .sort((a, b) => Number(b.name === b.pool) - Number(a.name === a.pool));
  const lines: string[] = [];
  const shown = new Set<string>();
  for (const fn of routed) {
    const kind = fn.pool;
    if (shown.has(kind)) continue;
    shown.add(kind);
    const url = `${proxy}${fn.match.pathPrefix ?? '/'}`;
    if (kind === 'sleep') lines.push(`curl '${url}?ms=200'`);
    if (kind === 'spin') lines.push(`curl '${url}?ms=50'`);
    if (kind === 'echo') lines.push(`curl --data-binary 'hello, echo' ${url}`);
  }
  // Two functions of one sleep pool with different expectations: long requests fill the slots and
  // the queue, a short one arrives last and still starts at the first free slot.
  const sleepPool = config.pools.find((pool) => pool.name === 'sleep' && pool.concurrency > 0);
  const candidates = routed
    .filter((fn) => fn.pool === sleepPool?.name && fn.expectedDurationMs !== undefined)
    .sort((a, b) => (a.expectedDurationMs ?? 0) - (b.expectedDurationMs ?? 0));
  const short = candidates[0];
  const long = candidates[candidates.length - 1];
  if (sleepPool !== undefined && short !== undefined && long !== undefined && short !== long) {
    const slots = sleepPool.concurrency * sleepPool.backends.length;
    const count = 3 * slots;
    lines.push(
      `# A short request overtakes long ones: ${count} ${long.name} calls of 3 s take the ${slots} slots and queue ${count - slots};`,
      `# a ${short.name} sent after them answers in about 3 s under aging-srtf (about 9 s under fifo: set`,
      `# scheduler.policy to fifo in the config, save, and run it again; the proxy reloads it live).`,
      `for i in $(seq ${count}); do curl -s '${proxy}${long.match.pathPrefix ?? '/'}?ms=3000' >/dev/null & done; sleep 0.5; ` +
        `time curl -s '${proxy}${short.match.pathPrefix ?? '/'}?ms=50'; wait`,
    );
  }
  return lines;
}

function banner(config: ShortlineConfig, path: string, ports: ListeningPorts, samples: readonly RunningSample[]): string {
  const proxy = `http://${config.listen.host}:${ports.port}`;
  const admin = `http://${config.admin.host}:${ports.adminPort}`;
  const sampleList = samples.map((sample) => `${sample.kind} ${sample.url}`).join(', ') || '(none: no pool is named sleep, spin or echo)';
  return [
    '',
    'Shortline demo: the scheduling proxy is running in front of the sample functions.',
    '',
    `  proxy     ${proxy}   (policy ${config.scheduler.policy})`,
    `  metrics   ${admin}/metrics`,
    `  queue     ${admin}/queue   (live; JSON at ${admin}/debug/queue)`,
    `  samples   ${sampleList}`,
    `  config    ${path}   (watched: edits apply live)`,
    '',
    'Try:',
    ...examples(config, proxy).map((line) => `  ${line}`),
    '',
    'Ctrl-C stops everything: queued and running requests finish first.',
    '',
  ].join('\n');
}

export const demo: Command = {
  summary: 'start the sample functions and the proxy in front of them',
  async run(args) {
    let values: { config?: string | undefined; help?: boolean | undefined };
    try {
      ({ values } = parseArgs({ args: [...args], options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
    } catch (error) {
      process.stderr.write(`shortline demo: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (values.help === true) {
      process.stdout.write(USAGE);
      return 0;
    }
    const path = resolveConfigPath(values.config);
    let config: ShortlineConfig;
    try {
      config = await loadConfigFile(path);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`shortline demo: ${error.message}\n`);
      return 1;
    }

    const samples: RunningSample[] = [];
    const stopSamples = async (): Promise<void> => {
      await Promise.all(samples.map((sample) => sample.close()));
    };
    const signal = nextSignal();
    let shortline: Shortline | undefined;
    let ports: ListeningPorts;
    try {
      for (const wanted of samplesWanted(config)) samples.push(await spawnSampleServer(wanted.kind, { port: wanted.port }));
      shortline = createShortline({ config, logger: createTerminalLogger(config.logging.level) });
      ports = await shortline.listen();
    } catch (error) {
      process.stderr.write(`shortline demo: cannot start: ${(error as Error).message}\n`);
      await shortline?.close();
      await stopSamples();
      return 1;
    }
    const running = shortline;
    const watcher = watchConfigFile(
      path,
      { onReload: (next) => running.applyConfig(next), onInvalid: (error) => running.reportInvalidConfig(error) },
      { current: config },
    );
    process.stdout.write(banner(config, path, ports, samples));

    await signal;
    process.stdout.write('\nstopping: draining the proxy, then the samples\n');
    watcher.close();
    await drainThenClose(running, running.config.drain.timeoutMs);
    await stopSamples();
    return 0;
  },
};
