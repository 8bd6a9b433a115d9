import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Jimp } from 'jimp';
import { startSampleServer, type RunningSample } from '../src/index.js';
import { call, type Reply } from './support/http-call.js';

// The service sample: several functions, as routes of one server, whose work grows with their input.
// Work is counted (x-work-units, output bytes), never timed.

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
let service: RunningSample;

beforeAll(async () => {
  service = await startSampleServer('service');
});

afterAll(async () => {
  agent.destroy();
  await service.close();
});

const get = (path: string): Promise<Reply> => call(agent, service.url, path);
const post = (path: string, body: Buffer): Promise<Reply> => call(agent, service.url, path, { method: 'POST', body });
const work = (reply: Reply): number => Number(reply.headers['x-work-units']);

async function png(width: number, height: number): Promise<Buffer> {
  const image = new Jimp({ width, height, color: 0x3366ccff });
  return image.getBuffer('image/png');
}

describe('service sample', () => {
  test('graph BFS: generates a graph of n vertices and searches it; the work grows with n', async () => {
    const small = await get('/graph/bfs?n=1000');
    const large = await get('/graph/bfs?n=20000');
    expect(small.status).toBe(200);
    const body = JSON.parse(large.body.toString()) as { vertices: number; reached: number; edgesScanned: number; depth: number };
    expect(body.vertices).toBe(20_000);
    expect(body.reached).toBeGreaterThan(19_000);
    expect(body.edgesScanned).toBe(8 * body.reached);
    expect(work(large) / work(small)).toBeGreaterThan(15);
  });

  test('graph PageRank: the work is the graph times the iterations', async () => {
    const base = await get('/graph/pagerank?n=2000&iterations=10');
    const more = await get('/graph/pagerank?n=2000&iterations=40');
    const larger = await get('/graph/pagerank?n=8000&iterations=10');
    const body = JSON.parse(base.body.toString()) as { topRank: number };
    expect(body.topRank).toBeGreaterThan(1 / 2000);
    expect(work(more)).toBe(2000 * 8 + 4 * (work(base) - 2000 * 8));
    expect(work(larger)).toBe(4 * work(base));
  });

  test('render: n items as HTML or JSON, streamed; the output grows with n', async () => {
    const ten = await get('/render?n=10&format=json');
    const items = JSON.parse(ten.body.toString()) as { id: number }[];
    expect(items.map((item) => item.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const html = await get('/render?n=20000');
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body.toString().match(/<tr>/g)).toHaveLength(20_000);
    expect(work(html)).toBe(20_000);
    expect(html.body.length / (await get('/render?n=2000')).body.length).toBeGreaterThan(9);
  });

  test('gzip: compresses the body as it streams; what it does grows with the body', async () => {
    const small = randomBytes(10_000);
    const large = randomBytes(1_000_000);
    const [a, b] = await Promise.all([post('/gzip', small), post('/gzip', large)]);
    expect(gunzipSync(a.body).equals(small)).toBe(true);
    expect(gunzipSync(b.body).equals(large)).toBe(true);
    expect(b.body.length / a.body.length).toBeGreaterThan(50);
  });

  test('thumbnail: scales an image down with jimp; the work is the input pixels', async () => {
    // Small images: jimp's encoder is slow under Jest's module system.
    const [smallImage, largeImage] = await Promise.all([png(16, 12), png(160, 120)]);
    const small = await post('/thumbnail?w=8', smallImage);
    const large = await post('/thumbnail?w=8', largeImage);
    expect(small.status).toBe(200);
    expect(small.headers['content-type']).toBe('image/png');
    const thumbnail = await Jimp.read(large.body);
    expect([thumbnail.bitmap.width, thumbnail.bitmap.height]).toEqual([8, 6]);
    expect(work(large)).toBe(160 * 120);
    expect(work(large) / work(small)).toBe(100);
  });

  test('bad input gets a 4xx naming what is wrong, and the connection stays usable', async () => {
    expect((await get('/graph/bfs?n=0')).body.toString()).toBe('n must be a whole number from 1 to 1000000, got "0"\n');
    expect((await get('/graph/pagerank?iterations=1000')).status).toBe(400);
    expect((await get('/render?format=xml')).body.toString()).toBe('format must be html or json, got "xml"\n');
    const notAnImage = await post('/thumbnail', Buffer.from('not an image'));
    expect(notAnImage.status).toBe(400);
    expect(notAnImage.body.toString()).toMatch(/^the body is not an image jimp can read/);
    const missing = await get('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain('routes: GET /graph/bfs, GET /graph/pagerank, GET /render, POST /gzip, POST /thumbnail');
    expect((await get('/graph/bfs?n=10')).reusedSocket).toBe(true);
  });
});
