import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { listenTls } from '@shortline/knative';
import { createLogger, createShortline, defaultConfig, ManualTimers } from '@shortline/proxy';
import { startSidecar, sidecarEnv } from './support/sidecar-fixture.js';
import { startUserContainer } from './support/user-container.js';
import { useCleanups } from './support/cleanups.js';

// Knative's queue-proxy serves QUEUE_SERVING_TLS_PORT when system-internal TLS mounts a certificate;
// so does the sidecar: the same request path as the cleartext port, HTTP/1.1 or HTTP/2 by ALPN.

const FIXTURES = fileURLToPath(new URL('./fixtures/tls/', import.meta.url));
const certOf = (name: 'a' | 'b'): Buffer => readFileSync(join(FIXTURES, `${name}.crt`));

const defer = useCleanups();

/** A certificate directory as Knative mounts it (tls.crt, tls.key), holding fixture `name`. */
function certDirectory(name: 'a' | 'b', directory = mkdtempSync(join(tmpdir(), 'shortline-certs-'))): string {
  copyFileSync(join(FIXTURES, `${name}.crt`), join(directory, 'tls.crt'));
  copyFileSync(join(FIXTURES, `${name}.key`), join(directory, 'tls.key'));
  defer(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

function httpsGet(port: number, path: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path, ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

function h2Get(port: number, headers: http2.OutgoingHttpHeaders, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca });
    session.on('error', reject);
    const stream = session.request(headers);
    let status = 0;
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    stream.on('error', reject);
  });
}

/** The certificate a new TLS connection to `port` is shown. */
function presentedCertificate(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().subject.CN as string);
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('the TLS serving port', () => {
  it('serves HTTP/1.1 and HTTP/2 (by ALPN) through the same request path when the certificate is mounted', async () => {
    const user = await startUserContainer();
    defer(() => user.close());
    const { sidecar, ports } = await startSidecar({ ...sidecarEnv(user.port), servingTlsPort: 0 }, {}, certDirectory('a'));
    defer(() => sidecar.close());
    expect(ports.servingTls).toBeGreaterThan(0);

    const overHttp1 = await httpsGet(ports.servingTls as number, '/one', certOf('a'));
    expect(overHttp1).toEqual({ status: 200, body: 'ok /one' });
    expect(user.received.map((r) => [r.url, r.headers['x-forwarded-proto']])).toEqual([['/one', 'https']]);
    // HTTP/2 goes on to the user container over h2c, which this one does not speak: the activator's
    // queue probe, answered by the sidecar itself, shows HTTP/2 over TLS reaching the request path.
    const overHttp2 = await h2Get(ports.servingTls as number, { ':path': '/', 'k-network-probe': 'queue' }, certOf('a'));
    expect(overHttp2).toEqual({ status: 200, body: 'queue' });
  });

  it('stays closed without a mounted certificate, and the cleartext port serves as before', async () => {
    const user = await startUserContainer();
    defer(() => user.close());
    const empty = mkdtempSync(join(tmpdir(), 'shortline-no-certs-'));
    defer(() => rmSync(empty, { recursive: true, force: true }));
    const { sidecar, ports } = await startSidecar({ ...sidecarEnv(user.port), servingTlsPort: 0 }, {}, empty);
    defer(() => sidecar.close());
    expect(ports.servingTls).toBeUndefined();
    expect(ports.serving).toBeGreaterThan(0);
  });

  it('picks up a rotated certificate for new connections at the next check', async () => {
    const timers = new ManualTimers();
    const shortline = createShortline({ config: defaultConfig({ logging: { level: 'silent' } }), logger: createLogger('silent'), processMetrics: false, timers });
    defer(() => shortline.close());
    const directory = certDirectory('a');
    const listener = await listenTls(
      shortline,
      { host: '127.0.0.1', port: 0 },
      { certFile: join(directory, 'tls.crt'), keyFile: join(directory, 'tls.key') },
      { rotationCheckMs: 1000 },
    );
    defer(() => listener.close());
    expect(await presentedCertificate(listener.port)).toBe('shortline-test-a');

    // The Secret is rotated; until the next check (t=1000) connections are still shown the old one.
    certDirectory('b', directory);
    timers.advance(999);
    expect(await presentedCertificate(listener.port)).toBe('shortline-test-a');
    timers.advance(1);
    expect(await presentedCertificate(listener.port)).toBe('shortline-test-b');
    // The check repeats: rotated back, it is picked up at t=2000.
    certDirectory('a', directory);
    timers.advance(1000);
    expect(await presentedCertificate(listener.port)).toBe('shortline-test-a');
  });
});
