import { describe, expect, it } from '@jest/globals';
import { contentLengthOf, Predictor, queryParameter, requestFeatures, UNKNOWN_LENGTH, type RequestFeatures } from '@shortline/core';
import { DurationEstimate } from '../src/predictor/duration-estimate.js';
import { FunctionModel } from '../src/predictor/function-model.js';
import { PredictionPool } from '../src/predictor/prediction-pool.js';
import { get, lcg, male, noise, teach } from './support/request-stream.js';

/** Teaches `calls` calls drawn by `draw` (features and true duration); returns the predictions made. */
function run(predictor: Predictor, calls: number, draw: (i: number) => [RequestFeatures, number]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < calls; i++) {
    const [features, durationMs] = draw(i);
    pairs.push([teach(predictor, 'svc', features, durationMs).predictedMs, durationMs]);
  }
  return pairs;
}

describe('request features', () => {
  it('are read from the request line and headers without parsing a URL', () => {
    const report = requestFeatures('GET', '/report?range=week&format=csv', 0);
    expect(report).toMatchObject({ method: 'GET', target: '/report?range=week&format=csv', contentLength: 0, ceType: undefined, extra: undefined });
    expect([report.path, report.query, report.hasQuery]).toEqual(['/report', 'range=week&format=csv', true]);
    expect([requestFeatures('GET', '/a?', 0).query, requestFeatures('GET', '/a?', 0).hasQuery]).toEqual(['', false]);
    expect(requestFeatures('GET', '?x=1', 0).path).toBe('');
    expect(requestFeatures('POST', '/', 12, 'order.created', 'gold').path).toBe('/');
    expect(contentLengthOf('2048', false)).toBe(2048);
    expect(contentLengthOf(undefined, true)).toBe(UNKNOWN_LENGTH);
    expect(contentLengthOf(undefined, false)).toBe(0);
    expect(contentLengthOf('12abc', false)).toBe(UNKNOWN_LENGTH);
    expect(contentLengthOf('', false)).toBe(UNKNOWN_LENGTH);
  });

  it('take an operator-chosen query parameter from the raw query', () => {
    expect(queryParameter('a=1&model=gpt&b', 'model')).toBe('gpt');
    expect(queryParameter('models=x&model=y', 'model')).toBe('y');
    expect(queryParameter('a=1&model', 'model')).toBe('');
    expect(queryParameter('model=&x=1', 'model')).toBe('');
    expect(queryParameter('a=model', 'model')).toBeUndefined();
    expect(queryParameter('', 'model')).toBeUndefined();
  });
});

describe('request-level prediction', () => {
  it('predicts a new class from the function estimate, then from its own calls as they come', () => {
    const predictor = new Predictor({ priorMs: 1000 });
    // Eight calls of one route teach the function, and the choice may leave the plain estimate.
    run(predictor, 8, () => [get('/slow'), 1000]);
    const first = predictor.predictRequest('svc', get('/fast'));
    expect(first.predictedMs).toBeCloseTo(1000, 6);
    predictor.observe('svc', first.predictedMs, 10, first);
    // One call of its own: halfway (in log terms) between the function and itself.
    const second = predictor.predictRequest('svc', get('/fast'));
    expect(second.predictedMs).toBeGreaterThan(10);
    expect(second.predictedMs).toBeLessThan(1000);
    run(predictor, 30, () => [get('/fast'), 10]);
    expect(predictor.predictRequest('svc', get('/fast')).predictedMs).toBeCloseTo(10, 0);
    expect(predictor.predictRequest('svc', get('/slow')).predictedMs).toBeGreaterThan(900);
  });

  it('learns how duration grows with body size, and predicts sizes it has not seen', () => {
    const predictor = new Predictor();
    const random = lcg(3);
    // A fixed 2 ms plus 1 ms per 10 KB: what compressing or uploading a body costs.
    const cost = (bytes: number): number => 2 + bytes / 10_000;
    run(predictor, 60, () => {
      const bytes = Math.round(1_000 * 1_000 ** random());
      return [requestFeatures('POST', '/gzip', bytes), cost(bytes)];
    });
    expect(predictor.requestStats('svc')?.features).toContain('size');
    for (const bytes of [1_500, 50_000, 900_000, 5_000_000]) {
      const predicted = predictor.predictRequest('svc', requestFeatures('POST', '/gzip', bytes)).predictedMs;
      expect(Math.abs(Math.log(predicted / cost(bytes)))).toBeLessThan(0.15);
    }
  });

  it('fits a power law as well: work that grows faster than the body', () => {
    const predictor = new Predictor();
    const random = lcg(4);
    const cost = (bytes: number): number => 5 * (bytes / 1_000) ** 1.5;
    run(predictor, 80, () => {
      const bytes = Math.round(1_000 * 100 ** random());
      return [requestFeatures('POST', '/sort', bytes), cost(bytes) * noise(random, 0.1)];
    });
    const stats = predictor.requestStats('svc');
    expect(stats?.candidate).toMatch(/\+size$/);
    expect(stats?.classes[0]?.sizeFit).toBe('power');
    expect(stats?.classes[0]?.sizeExponent).toBeCloseTo(1.5, 1);
  });

  it('keeps the features that tell calls apart and switches off those that do not', () => {
    const cases: { name: string; draw: (random: () => number) => [RequestFeatures, number]; on: string[]; off: string[] }[] = [
      {
        name: 'route with signal, query value without',
        draw: (random) => {
          const route = ['a', 'b', 'c'][Math.floor(random() * 3)] as string;
          const format = ['json', 'xml', 'csv'][Math.floor(random() * 3)] as string;
          return [get(`/${route}?format=${format}`), { a: 10, b: 100, c: 1000 }[route] as number];
        },
        on: ['route'],
        off: ['query', 'size'],
      },
      {
        name: 'query value with signal',
        draw: (random) => {
          const range = ['day', 'week', 'month'][Math.floor(random() * 3)] as string;
          return [get(`/report?range=${range}`), { day: 20, week: 150, month: 1200 }[range] as number];
        },
        on: ['query'],
        off: ['size'],
      },
      {
        name: 'body size without signal',
        draw: (random) => [requestFeatures('POST', '/x', Math.round(1e6 * random())), 100],
        on: [],
        off: ['size', 'route'],
      },
      {
        name: 'CloudEvent type with signal, one route',
        draw: (random) => {
          const type = Math.floor(random() * 4);
          return [requestFeatures('POST', '/', 300, `step.${type}`), 10 * 5 ** type];
        },
        on: ['ceType'],
        off: ['query'],
      },
    ];
    for (const { name, draw, on, off } of cases) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const predictor = new Predictor();
        const random = lcg(seed);
        run(predictor, 300, () => {
          const [features, ms] = draw(random);
          return [features, ms * noise(random, 0.3)];
        });
        const features = predictor.requestStats('svc')?.features ?? [];
        expect({ name, seed, on: on.filter((f) => features.includes(f as never)) }).toEqual({ name, seed, on });
        expect({ name, seed, off: off.filter((f) => features.includes(f as never)) }).toEqual({ name, seed, off: [] });
      }
    }
  });

  it('drops a feature once it stops telling calls apart', () => {
    const predictor = new Predictor();
    const random = lcg(9);
    const route = (): string => ['a', 'b'][Math.floor(random() * 2)] as string;
    run(predictor, 200, () => {
      const r = route();
      return [get(`/${r}`), (r === 'a' ? 10 : 1000) * noise(random, 0.2)];
    });
    expect(predictor.requestStats('svc')?.features).toContain('route');
    // The backend changed: both routes now take the same time.
    run(predictor, 600, () => [get(`/${route()}`), 100 * noise(random, 0.2)]);
    expect(predictor.requestStats('svc')?.features).not.toContain('route');
  });

  it('learns within a few dozen calls on the service mix: error near the noise floor', () => {
    const predictor = new Predictor();
    const random = lcg(11);
    const pairs = run(predictor, 400, () => {
      const u = random();
      if (u < 0.4) return [get(`/items/${Math.floor(random() * 1e6)}`), 5 * noise(random, 0.2)];
      if (u < 0.7) {
        const range = ['day', 'week', 'month'][Math.floor(random() * 3)] as string;
        return [get(`/report?range=${range}`), ({ day: 200, week: 800, month: 3000 }[range] as number) * noise(random, 0.2)];
      }
      const bytes = Math.round(1e3 * 1e4 ** random());
      return [requestFeatures('POST', '/upload', bytes), (3 + bytes / 1e4) * noise(random, 0.2)];
    });
    // Noise of spread 0.2 alone gives a mean absolute log error of 0.16.
    expect(male(pairs.slice(40, 100))).toBeLessThan(0.45);
    expect(male(pairs.slice(300))).toBeLessThan(0.25);
  });

  it('reports per function and per class what it learnt and how wrong it was, most-used classes first', () => {
    const predictor = new Predictor();
    run(predictor, 30, (i) => [get(`/users/${i}`), 20]);
    run(predictor, 10, () => [requestFeatures('POST', '/orders', 100, 'order.created'), 200]);
    const stats = predictor.requestStats('svc', 2);
    expect(stats?.samples).toBe(40);
    expect(stats?.classCount).toBe(3);
    expect(stats?.classes.map((c) => [c.key, c.level, c.samples])).toEqual([
      ['GET /users/{n}', 'route', 30],
      ['POST /orders', 'route', 10],
    ]);
    expect(stats?.classes[0]?.estimateMs).toBeCloseTo(20, 6);
    // Only its first call was mispredicted (the 1,000 ms prior for a 20 ms call), out of 30.
    expect(stats?.classes[0]?.male).toBeCloseTo(Math.log(1000 / 20) / 30, 6);
    expect(stats?.classes[0]?.mape).toBeCloseTo((1000 / 20 - 1) / 30, 6);
    expect(stats?.male).toBeGreaterThanOrEqual(0);
    expect(stats?.mape).toBeGreaterThanOrEqual(0);
    expect(stats?.candidates).toHaveLength(8);
    expect(predictor.requestStats('svc')?.classes.map((c) => c.key)).toContain('POST /orders ce=order.created');
  });

  it('keeps at most maxClasses classes, evicting the least recently used, and shrinks at once when told', () => {
    const predictor = new Predictor({ maxClasses: 3 });
    for (const path of ['/a', '/b', '/c', '/d']) teach(predictor, 'svc', get(path), 10);
    teach(predictor, 'svc', get('/b'), 10);
    teach(predictor, 'svc', get('/e'), 10);
    const stats = predictor.requestStats('svc');
    expect(stats?.classes.map((c) => c.key).sort()).toEqual(['GET /b', 'GET /d', 'GET /e']);
    expect(stats?.evictedClasses).toBe(2);
    predictor.configure({ maxClasses: 1 });
    expect(predictor.requestStats('svc')?.classes.map((c) => c.key)).toEqual(['GET /e']);
  });

  it('learns the query: names always, values while a parameter takes few of them', () => {
    const predictor = new Predictor();
    teach(predictor, 'svc', get('/report?range=week&format=csv'), 10);
    for (let i = 0; i < 20; i++) teach(predictor, 'svc', get(`/search?q=term${i}x&page=2`), 10);
    const keys = predictor.requestStats('svc', 100)?.classes.map((c) => c.key) ?? [];
    expect(keys).toContain('GET /report ?range=week&format=csv');
    // `q` took more than 8 distinct values: from then on only its name counts; `page` kept one value.
    expect(keys).toContain('GET /search ?q&page=2');
  });

  it('keeps each query variant of a route apart when calls alternate between more of them than it caches', () => {
    const predictor = new Predictor();
    const variants = ['day', 'week', 'month', 'quarter', 'year', 'all'].flatMap((range, r) => ['csv', 'json'].map((format) => ({ range, format, ms: 10 * (r + 1) })));
    for (let i = 0; i < 10 * variants.length; i++) {
      const { range, format, ms } = variants[i % variants.length] as (typeof variants)[number];
      teach(predictor, 'svc', get(`/report?range=${range}&format=${format}`), ms);
    }
    const classes = predictor.requestStats('svc', 100)?.classes ?? [];
    for (const { range, format, ms } of variants) {
      const variant = classes.find((c) => c.key === `GET /report ?range=${range}&format=${format}`);
      expect([variant?.samples, variant?.estimateMs]).toEqual([10, expect.closeTo(ms, 6)]);
    }
  });

  it('holds a flood of distinct paths, queries and event types in a bounded table of collapsed classes', () => {
    const predictor = new Predictor();
    let n = 0;
    const token = (): string => `t${(Math.imul(++n, 2654435761) >>> 0).toString(36)}`;
    for (let i = 0; i < 30_000; i++) {
      teach(predictor, 'svc', requestFeatures('GET', `/${token()}/${token()}?${token()}=${token()}&q=${token()}`, 0, i % 2 === 0 ? token() : undefined), 10);
    }
    const stats = predictor.requestStats('svc', 300);
    expect(stats?.classCount).toBeLessThanOrEqual(256);
    // The flooded positions collapsed: the classes that carry the calls now are a handful.
    expect(stats?.classes[0]?.key).toBe('GET /{*}/{*}');
    expect(stats?.classes.slice(0, 3).map((c) => c.key)).toEqual(['GET /{*}/{*}', 'GET /{*}/{*} ?*&q', 'GET /{*}/{*} ce=*']);
  });

  it('predicts a hostile request, within bounds, and learns nothing from a duration that is no duration', () => {
    const predictor = new Predictor({ maxClasses: 16 });
    const hostile: RequestFeatures[] = [
      requestFeatures('GET', `/${'a/'.repeat(2048)}`, 0),
      requestFeatures('GET', `/${'x'.repeat(4096)}`, 0),
      requestFeatures('POST', '/upload', 1e15),
      requestFeatures('POST', '/upload', Number.NaN),
      requestFeatures('POST', '/upload', -5),
      requestFeatures('POST', '/upload', Infinity),
      requestFeatures('POST', '/upload', Number.MAX_VALUE),
      requestFeatures('X'.repeat(1000), '', 0),
      requestFeatures('GET', `/q?${'&'.repeat(10_000)}${'a=b&'.repeat(1000)}`, 0),
      requestFeatures('POST', '/', 1, 't'.repeat(10_000), 'e'.repeat(10_000)),
      requestFeatures('', '', 0, '', ''),
    ];
    for (let round = 0; round < 3; round++) {
      for (const features of hostile) {
        const prediction = teach(predictor, 'svc', features, 50);
        expect(prediction.predictedMs).toBeGreaterThanOrEqual(1);
        expect(prediction.predictedMs).toBeLessThanOrEqual(1e9);
      }
    }
    const before = predictor.requestStats('svc')?.samples;
    for (const junk of [Number.NaN, -1, Infinity, -Infinity]) teach(predictor, 'svc', get('/a'), junk);
    expect(predictor.requestStats('svc')?.samples).toBe(before);
    expect(predictor.requestStats('svc')?.classCount).toBeLessThanOrEqual(16);
    // A 10^15-byte body is predicted long, whatever the class learnt from ordinary ones.
    for (let i = 0; i < 30; i++) teach(predictor, 'svc', requestFeatures('POST', '/sized', 1000 * (1 + (i % 10))), 2 + i % 10);
    expect(predictor.predictRequest('svc', requestFeatures('POST', '/sized', 1e15)).predictedMs).toBeGreaterThan(1000);
  });

  it('learns from a prediction once, however often it is observed', () => {
    const predictor = new Predictor();
    const prediction = predictor.predictRequest('svc', get('/a'));
    for (let i = 0; i < 3; i++) predictor.observe('svc', prediction.predictedMs, 10, prediction);
    expect(predictor.requestStats('svc')?.samples).toBe(1);
    expect(predictor.requestStats('svc')?.classes[0]?.samples).toBe(1);
  });

  it('keeps what a waiting call was predicted while other calls complete and new ones are predicted', () => {
    const predictor = new Predictor();
    run(predictor, 20, (i) => [get(i % 2 === 0 ? '/fast' : '/slow'), i % 2 === 0 ? 10 : 1000]);
    const waiting = predictor.predictRequest('svc', get('/slow'));
    const said = { predictedMs: waiting.predictedMs, route: waiting.route, estimates: [...waiting.estimates] };
    // Calls that complete meanwhile hand their predictions back, and later calls reuse them.
    const later = run(predictor, 50, () => [get('/fast'), 10]);
    expect(later.at(-1)?.[0]).toBeLessThan(20);
    expect(waiting.predictedMs).toBe(said.predictedMs);
    expect(waiting.route).toBe(said.route);
    expect([...waiting.estimates]).toEqual(said.estimates);
    predictor.observe('svc', waiting.predictedMs, 1000, waiting);
    expect(predictor.requestStats('svc')?.classes.find((c) => c.key === 'GET /slow')?.samples).toBe(11);
  });
});

describe('PredictionPool', () => {
  it('keeps at most its capacity of learnt predictions for reuse', () => {
    const pool = new PredictionPool(2);
    const model = new FunctionModel(8, pool, new DurationEstimate());
    const predictions = [get('/a'), get('/b'), get('/c')].map((features) => model.predict(features, 10));
    for (const prediction of predictions) model.learn(prediction, 5);
    const reused = [pool.take(), pool.take(), pool.take()];
    expect(reused[2]).toBeUndefined();
    expect(reused.slice(0, 2).every((p) => p !== undefined && predictions.includes(p))).toBe(true);
  });
});
