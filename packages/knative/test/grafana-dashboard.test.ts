import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoscalerReporter } from '@shortline/knative';
import { createLogger, createShortline, defaultConfig } from '@shortline/proxy';
import { useCleanups } from './support/cleanups.js';
import { request } from './support/http.js';
import { startUserContainer } from './support/user-container.js';
import { sendRaw } from '../../proxy/test/support/raw-http.js';

// k8s/grafana/shortline-dashboard.json must chart what a running proxy exports: every metric its
// PromQL names is looked for in /metrics of a real proxy that served a little traffic.

const DASHBOARD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../k8s/grafana/shortline-dashboard.json');

/**
 * Metrics the dashboard charts before the code exports them, each promised by open work. An entry
 * whose metric now shows in /metrics should be taken out, so that the check covers it again.
 */
const PROMISED_BY_OPEN_WORK: Readonly<Record<string, string>> = {
  // Issue #13 (adaptive concurrency limits) adds the limit each backend runs under.
  shortline_backend_concurrency_limit: 'issue #13',
};

const defer = useCleanups();

interface Panel {
  readonly title?: string;
  readonly targets?: readonly { expr: string }[];
  readonly panels?: readonly Panel[];
}

function expressions(panels: readonly Panel[]): { title: string; expr: string }[] {
  return panels.flatMap((panel) => [
    ...(panel.targets ?? []).map((target) => ({ title: panel.title ?? '', expr: target.expr })),
    ...expressions(panel.panels ?? []),
  ]);
}

const NOT_METRICS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'inf', 'nan']);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\$\w+/g, '');
  const names: string[] = [];
  for (const match of bare.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const name = match[0];
    const rest = bare.slice((match.index ?? 0) + name.length).trimStart();
    if (rest.startsWith('(') || NOT_METRICS.has(name.toLowerCase())) continue;
    names.push(name);
  }
  return names;
}

/** The sample names of a Prometheus text exposition (histograms as their _bucket, _sum, _count). */
function sampleNames(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(/[{ ]/)[0] as string),
  );
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[]; templating: { list: { query?: unknown }[] } };
  const exprs = expressions(dashboard.panels);
  const variableQueries = dashboard.templating.list
    .map((variable) => (typeof variable.query === 'object' ? (variable.query as { query?: string }).query : undefined))
    .filter((query): query is string => query?.startsWith('label_values(') === true);
  const used = new Set([
    ...exprs.flatMap(({ expr }) => metricNames(expr)),
    ...variableQueries.map((query) => (/label_values\(\s*([\w:]+)/.exec(query) as RegExpExecArray)[1] as string),
  ]);

  it('reads metric names out of PromQL as Prometheus would', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (function, le) (rate(shortline_queue_wait_seconds_bucket{function=~"$function"}[$__rate_interval])))')).toEqual([
      'shortline_queue_wait_seconds_bucket',
    ]);
    expect(metricNames('sum by (function) (rate(a_sum{x="y"}[5m])) / sum without (pod) (rate(a_count[5m])) and on (function) b')).toEqual(['a_sum', 'a_count', 'b']);
  });

  it('charts what the issue asks for, each panel with a query', () => {
    for (const wanted of [
      'shortline_queue_depth',
      'shortline_queue_wait_seconds_bucket',
      'shortline_service_time_seconds_bucket',
      'shortline_rejections_total',
      'shortline_predictor_mape',
      'shortline_backend_concurrency_limit',
      'shortline_autoscaler_connected',
      'shortline_autoscaler_reports_total',
      'shortline_deadlines_total',
    ]) {
      expect([...used]).toContain(wanted);
    }
    expect(exprs.filter(({ expr }) => expr.trim() === '')).toEqual([]);
    expect(Object.keys(PROMISED_BY_OPEN_WORK).filter((name) => !used.has(name))).toEqual([]);
  });

  it('uses only metrics that a running proxy exports (histograms by their _bucket, _sum and _count series)', async () => {
    const user = await startUserContainer();
    defer(() => user.close());
    const config = defaultConfig({
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0 },
      logging: { level: 'silent' },
      pools: [{ name: 'p', backends: [`http://127.0.0.1:${user.port}`], concurrency: 1 }],
      functions: [{ name: 'fn', pool: 'p', match: { pathPrefix: '/ok' }, deadlineMs: 60_000 }],
    });
    const shortline = createShortline({ config, logger: createLogger('silent') });
    defer(() => shortline.close());
    // What the gateway adds to the same registry: its reports to Knative's autoscaler (none listens here).
    const reporter = new AutoscalerReporter({ url: 'ws://127.0.0.1:9', podName: 'test', logger: shortline.logger, registry: shortline.registry });
    shortline.observe(reporter.observer);
    const { port, adminPort } = await shortline.listen();

    // A little traffic: answers, a refusal, a refusal on the connection, an untrusted hint, a reload, a report.
    for (let i = 0; i < 3; i++) expect((await request(port, { path: `/ok/${i}` })).status).toBe(200);
    expect((await request(port, { path: '/nowhere' })).status).toBe(404);
    await sendRaw(port, 'GET / HTTP/1.1\r\nbad header\r\n\r\n');
    await request(port, { path: '/ok/hint', headers: { 'x-shortline-expected-ms': '5' } });
    shortline.applyConfig(defaultConfig({ ...config, scheduler: { policy: 'sept' } }));
    reporter.report();

    const exported = sampleNames((await request(adminPort, { path: '/metrics' })).text);
    const missing = [...used].filter((name) => !exported.has(name) && PROMISED_BY_OPEN_WORK[name] === undefined);
    expect(missing).toEqual([]);
  });
});
