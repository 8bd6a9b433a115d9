import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { createDualProtocolServer } from '@shortline/knative';
import { Changes } from '../../proxy/test/support/changes.js';
import { close, listen, request } from './support/http.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The bytes a port has read from its connections so far (those it hands on are seen again). */
interface BytesRead {
  bytes: number;
  readonly changes: Changes;
}

/** A dual-protocol port whose HTTP/1.1 side answers `h1` and whose h2c side runs `onH2`. */
async function dualPort(onH2: (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void): Promise<{ port: number; read: BytesRead }> {
  const h1 = http.createServer((req, res) => {
    req.resume();
    res.end(`h1 ${req.method} ${req.url} HTTP/${req.httpVersion}`);
  });
  const h2 = http2.createServer(onH2);
  const front = createDualProtocolServer({ http1: h1, http2: () => h2 });
  const read: BytesRead = { bytes: 0, changes: new Changes() };
  front.on('connection', (socket: net.Socket) =>
    socket.on('data', (chunk: Buffer) => {
      read.bytes += chunk.length;
      read.changes.notify();
    }),
  );
  const port = await listen(front);
  cleanups.push(async () => {
    h1.closeAllConnections();
    await close(front);
    h2.close();
  });
  return { port, read };
}

function h2Get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request({ ':path': path });
    let status = 0;
    let body = '';
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    stream.on('error', reject);
    stream.end();
  });
}

/** Writes raw bytes in the given pieces, each once the port has read the one before, and returns the first line of the reply. */
function rawExchange({ port, read }: { port: number; read: BytesRead }, pieces: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.split('\r\n', 1)[0] as string);
      }
    });
    socket.on('error', reject);
    socket.once('connect', async () => {
      let written = 0;
      for (const piece of pieces) {
        socket.write(piece);
        written += piece.length;
        await read.changes.when(() => read.bytes >= written);
      }
    });
  });
}

describe('one port for HTTP/1.1 and prior-knowledge h2c', () => {
  it('hands each connection to the server that speaks its protocol', async () => {
    const { port } = await dualPort((req, res) => res.end(`h2 ${req.method} ${req.url} HTTP/${req.httpVersion}`));
    const [one, two, three] = await Promise.all([
      request(port, { path: '/a' }),
      h2Get(port, '/b'),
      request(port, { path: '/c', method: 'POST', body: 'payload' }),
    ]);
    expect(one.text).toBe('h1 GET /a HTTP/1.1');
    expect(two).toEqual({ status: 200, body: 'h2 GET /b HTTP/2.0' });
    expect(three.text).toBe('h1 POST /c HTTP/1.1');
  });

  it('waits for enough bytes: a request starting like the preface still goes to HTTP/1.1', async () => {
    const front = await dualPort((_req, res) => res.end('h2'));
    const firstLine = await rawExchange(front, ['P', 'R', 'OPFIND / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    expect(firstLine).toBe('HTTP/1.1 200 OK');
  });
});
