import { afterEach, describe, expect, test } from '@jest/globals';
import { createSidecar, parseKnativeEnv } from '@shortline/knative';
import { createLogger, createShortline, defaultConfig, type MetricsConfig } from '@shortline/proxy';
import { KNATIVE_VARS } from './support/sidecar-fixture.js';

// `metrics.process`: Node's process metrics cost an idle process a wake-up every 10 ms (the event-loop
// lag monitor), which a sidecar in every pod should not pay unless asked; a standalone proxy or the
// gateway, one Deployment, keeps them by default.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const PROCESS_METRIC = 'process_cpu_seconds_total';

async function standaloneMetrics(process: MetricsConfig['process']): Promise<string> {
  const shortline = createShortline({ config: defaultConfig({ metrics: { process } }), logger: createLogger('silent') });
  closers.push(() => shortline.close());
  return shortline.registry.metrics();
}

async function sidecarMetrics(process: MetricsConfig['process']): Promise<string> {
  const sidecar = createSidecar({
    env: parseKnativeEnv({ ...KNATIVE_VARS, USER_PORT: '8080' }),
    config: defaultConfig({ metrics: { process } }),
    logger: createLogger('silent'),
  });
  closers.push(() => sidecar.close());
  return sidecar.shortline.registry.metrics();
}

describe('metrics.process', () => {
  test('auto: a standalone proxy has process metrics, a sidecar has none', async () => {
    expect(await standaloneMetrics('auto')).toContain(PROCESS_METRIC);
    const sidecar = await sidecarMetrics('auto');
    expect(sidecar).toContain('shortline_requests_accepted_total');
    expect(sidecar).not.toContain(PROCESS_METRIC);
  });

  test('on and off say so in every mode', async () => {
    expect(await sidecarMetrics('on')).toContain(PROCESS_METRIC);
    expect(await standaloneMetrics('off')).not.toContain(PROCESS_METRIC);
  });
});
