import { readFileSync, statSync } from 'node:fs';
import tls from 'node:tls';
import type { ListenAddress, Shortline } from '@shortline/proxy';
import { repeatEvery } from '../timers/repeat-every.js';
import { bindDataListener, type DataListener } from './data-listener.js';

/** The certificate and key the serving TLS port presents (PEM files, as Knative mounts them). */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** How often the files are checked for a rotated certificate, unless told otherwise. */
const ROTATION_CHECK_MS = 10_000;

function readPair(files: TlsFiles): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
}

/** What changes when a mounted Secret is rotated (the kubelet swaps a symlink: the target's mtime and size). */
function fingerprint(files: TlsFiles): string {
  const cert = statSync(files.certFile);
  const key = statSync(files.keyFile);
  return `${cert.mtimeMs}/${cert.size}/${key.mtimeMs}/${key.size}`;
}

/**
 * The serving port over TLS (Knative's QUEUE_SERVING_TLS_PORT, used when system-internal TLS is on):
 * ALPN picks HTTP/2 or HTTP/1.1, and each connection goes to the same servers, and so the same request
 * path, as the cleartext port's. A rotated certificate is picked up for new connections within
 * ten seconds (on the proxy's timers); one that cannot be read is logged and the one in use kept.
 */
export async function listenTls(
  shortline: Shortline,
  address: ListenAddress,
  files: TlsFiles,
  options: { readonly rotationCheckMs?: number } = {},
): Promise<DataListener> {
  let seen = fingerprint(files);
  const server = tls.createServer({ ...readPair(files), ALPNProtocols: ['h2', 'http/1.1'] }, (socket) => {
    if (socket.alpnProtocol === 'h2') shortline.http2Server.emit('connection', socket);
    else shortline.server.emit('connection', socket);
  });
  // A handshake that fails (a client without the CA, a port scan) ends that connection only.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  const stopChecking = repeatEvery(shortline.timers, options.rotationCheckMs ?? ROTATION_CHECK_MS, () => {
    try {
      const current = fingerprint(files);
      if (current === seen) return;
      server.setSecureContext(readPair(files));
      seen = current;
      shortline.logger.info({ certFile: files.certFile }, 'serving certificate reloaded');
    } catch (error) {
      shortline.logger.error({ err: error, certFile: files.certFile }, 'serving certificate unreadable; keeping the one in use');
    }
  });
  try {
    return await bindDataListener(server, address, stopChecking);
  } catch (error) {
    stopChecking();
    throw error;
  }
}
