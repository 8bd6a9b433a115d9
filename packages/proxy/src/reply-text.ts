import type { ServerResponse } from 'node:http';

/** Answers with a short plain-text body: the replies the proxy and its Knative side give themselves (probes, admin ports). */
export function replyText(res: ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
