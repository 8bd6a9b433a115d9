/**
 * `node bench/dist/overhead/alternate.js [--rounds 4] [--seconds 4] [--policy aging-srtf]`: the
 * throughput ratio of Shortline to the minimal pass-through, measured in alternating wrk windows
 * with both proxies kept up, so that a slow moment of the machine hits both alike. Prints each round
 * and the median ratio. Needs wrk.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnSampleServer } from '@shortline/samples';
import { startChildTarget } from '../lib/child-target.js';
import { findWrk, runWrk } from '../lib/wrk.js';

const TARGET_MAIN = fileURLToPath(new URL('./target-main.js', import.meta.url));
const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '4' }, seconds: { type: 'string', default: '4' }, policy: { type: 'string', default: 'aging-srtf' } },
});
const rounds = Number(values.rounds);
const durationMs = Number(values.seconds) * 1000;
if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20)) throw new Error('--rounds must be an integer from 1 to 20');
if (!(durationMs >= 1000 && durationMs <= 30_000)) throw new Error('--seconds must be from 1 to 30');
const wrk = findWrk();
if (wrk === undefined) throw new Error('wrk not found: apt-get install wrk');

const backend = await spawnSampleServer('sleep');
const passThrough = await startChildTarget<{ port: number }>(TARGET_MAIN, ['pass-through', backend.url]);
const shortline = await startChildTarget<{ port: number }>(TARGET_MAIN, [values.policy, backend.url]);
const rate = (port: number, ms: number): Promise<number> =>
  runWrk({ wrk, url: `http://127.0.0.1:${port}/`, connections: 32, durationMs: ms }).then((result) => result.requestsPerSecond);
try {
  await rate(passThrough.info.port, 1000);
  await rate(shortline.info.port, 1000);
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const base = await rate(passThrough.info.port, durationMs);
    const proxied = await rate(shortline.info.port, durationMs);
    ratios.push(proxied / base);
    process.stdout.write(`round ${round}: pass-through ${Math.round(base)} req/s, shortline ${values.policy} ${Math.round(proxied)} req/s, ratio ${(proxied / base).toFixed(2)}\n`);
  }
  ratios.sort((a, b) => a - b);
  const middle = ratios.length / 2;
  const median = ratios.length % 2 === 1 ? (ratios[Math.floor(middle)] as number) : ((ratios[middle - 1] as number) + (ratios[middle] as number)) / 2;
  process.stdout.write(`median ratio shortline/pass-through: ${median.toFixed(2)}\n`);
} finally {
  await shortline.stop();
  await passThrough.stop();
  await backend.close();
}
