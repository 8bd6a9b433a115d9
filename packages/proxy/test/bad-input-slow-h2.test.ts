import { afterEach, expect, test } from '@jest/globals';
import http2 from 'node:http2';
import { h2cFront, listening } from './support/h2c.js';
import { sleep, startProxy, type TestProxy } from './support/test-proxy.js';

// An HTTP/2 request body is held to connections.bodyIdleTimeoutMs as an HTTP/1.1 one is, counted on
// its own stream: its connection's bytes belong to every stream on it.

const IDLE_MS = 200;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An h2c backend that reads the whole body and answers how many bytes it got. */
async function h2cCounter(): Promise<string> {
  const server = http2.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => res.end(`got ${bytes}`));
  });
  const port = await listening(server);
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${port}`;
}

async function proxyOverH2c(): Promise<string> {
  const proxy: TestProxy = await startProxy({
    connections: { bodyIdleTimeoutMs: IDLE_MS },
    pools: [{ name: 'one', backends: [await h2cCounter()] }],
    functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' } }],
  });
  closers.push(() => proxy.close());
  const front = await h2cFront(proxy);
  closers.push(front.close);
  return front.url;
}

function connect(url: string): http2.ClientHttp2Session {
  const session = http2.connect(url);
  closers.push(async () => void session.destroy());
  return session;
}

/** POSTs `chunks`, `gapMs` apart; `end` false leaves the body unfinished. Resolves with the answer. */
function h2Upload(
  session: http2.ClientHttp2Session,
  chunks: number,
  gapMs: number,
  end: boolean,
): Promise<{ status: number; reason: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    session.once('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': '/upload' });
    let answer: { status: number; reason: string | undefined } | undefined;
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (head) => (answer = { status: Number(head[':status']), reason: head['x-shortline-reason'] as string | undefined }));
    stream.on('data', (chunk: string) => (body += chunk));
    // The answer is whole when its side of the stream ends, whether or not the upload was finished.
    stream.on('end', () => (answer === undefined ? reject(new Error('no answer')) : resolve({ ...answer, body })));
    stream.on('close', () => (answer === undefined ? reject(new Error(`stream closed without an answer (code ${stream.rstCode})`)) : undefined));
    void (async () => {
      for (let i = 0; i < chunks && !stream.destroyed; i++) {
        stream.write(Buffer.alloc(100, 1));
        await sleep(gapMs);
      }
      if (end && !stream.destroyed) stream.end();
    })();
  });
}

test('an HTTP/2 body that stops arriving gets 408 request-body-timeout', async () => {
  const url = await proxyOverH2c();
  const session = connect(url);
  const answer = await h2Upload(session, 1, 0, false);
  expect([answer.status, answer.reason]).toEqual([408, 'request-body-timeout']);
  // Only that stream is refused: the connection carries others, and the next one is served.
  const next = await h2Upload(session, 2, 0, true);
  expect([next.status, next.body]).toEqual([200, 'got 200']);
});

test('an HTTP/2 body that arrives slowly but steadily goes through whole', async () => {
  const url = await proxyOverH2c();
  const answer = await h2Upload(connect(url), 12, IDLE_MS / 4, true);
  expect([answer.status, answer.body]).toEqual([200, 'got 1200']);
});
