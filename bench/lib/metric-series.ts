import { request } from 'undici';

/** How many series Shortline's admin `/metrics` holds now (sample lines, not comments). */
export async function metricSeries(adminPort: number): Promise<number> {
  const { statusCode, body } = await request(`http://127.0.0.1:${adminPort}/metrics`);
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`/metrics answered ${statusCode}`);
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}
