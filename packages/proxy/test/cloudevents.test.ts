import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { TestBackend } from './support/test-backend.js';
import { createClient, startProxy, type TestProxy } from './support/test-proxy.js';

const client = createClient();
let resize: TestBackend;
let other: TestBackend;
let proxy: TestProxy;

beforeAll(async () => {
  resize = await TestBackend.start();
  other = await TestBackend.start();
  proxy = await startProxy({
    limits: { maxCloudEventBytes: 4096 },
    pools: [
      { name: 'resize', backends: [resize.url] },
      { name: 'other', backends: [other.url] },
    ],
    functions: [
      { name: 'resize', pool: 'resize', match: { ceType: 'com.example.resize' } },
      { name: 'other', pool: 'other', match: { pathPrefix: '/' } },
    ],
  });
});

afterAll(async () => {
  await client.close();
  await proxy.close();
  await resize.close();
  await other.close();
});

const structured = (type: string, data: unknown): string =>
  JSON.stringify({ specversion: '1.0', id: 'e-1', source: '/test', type, datacontenttype: 'application/json', data });

describe('CloudEvents through the proxy', () => {
  test('a structured-mode event is routed by its type and forwarded with its body intact', async () => {
    const body = structured('com.example.resize', { width: 640 });

    const answer = await client.send(`${proxy.url}/events?echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      body,
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toBe(body);
    expect(resize.paths).toEqual(['/events']);
    expect(resize.received[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  test('a binary-mode event is routed by its ce-type header without reading the body', async () => {
    const answer = await client.send(`${proxy.url}/binary`, {
      method: 'POST',
      headers: { 'ce-type': 'com.example.resize', 'ce-specversion': '1.0', 'ce-id': '2', 'ce-source': '/t', 'content-type': 'application/json' },
      body: '{"width":1}',
    });

    expect(answer.status).toBe(200);
    expect(resize.paths).toContain('/binary');
  });

  test('a structured event of another type falls through to the next rule', async () => {
    const answer = await client.send(`${proxy.url}/elsewhere`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: structured('com.example.other', {}),
    });

    expect(answer.status).toBe(200);
    expect(other.paths).toContain('/elsewhere');
  });

  test('a structured event over the size limit gets 413, an invalid one 400', async () => {
    const tooLarge = await client.send(`${proxy.url}/big`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: structured('com.example.resize', 'x'.repeat(10_000)),
    });
    const invalid = await client.send(`${proxy.url}/bad`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: '{"not": "an event"}',
    });

    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toContain('cloudevent-too-large');
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('invalid-cloudevent');
  });
});
