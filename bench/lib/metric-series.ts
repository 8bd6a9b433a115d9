import { request } from 'undici';

/**
 * How many series Shortline's admin `/metrics` holds now (sample lines, not comments); with
 * `prefix`, only the series whose name starts with it (`shortline_`: leaving out Node's process
 * metrics, which gain series as the runtime does things, a first major GC for one).
 */
export async function metricSeries(adminPort: number, prefix = ''): Promise<number> {
  const { statusCode, body } = await request(`http://127.0.0.1:${adminPort}/metrics`);
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`/metrics answered ${statusCode}`);
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#') && line.startsWith(prefix)).length;
}
