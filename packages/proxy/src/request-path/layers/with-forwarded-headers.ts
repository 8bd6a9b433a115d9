import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from '../handler.js';

export interface ForwardedHeadersOptions {
  readonly enabled: boolean;
}

/** An address as a `Forwarded` node: IPv6 bracketed and quoted (RFC 7239 §6). */
function forwardedNode(address: string): string {
  return address.includes(':') ? `"[${address}]"` : address;
}

/** A header's value as one string (node:http joins repeated headers, but its types allow a list). */
function single(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.join(', ');
}

function protocolOf(req: IncomingMessage): string {
  return (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
}

/**
 * Records this hop for the backend: the client address appended to `X-Forwarded-For`,
 * `X-Forwarded-Proto` set unless an earlier proxy set it, and `Forwarded` extended with this hop —
 * or, when absent, built from the whole `X-Forwarded-For` chain, as Knative's queue-proxy does.
 */
export function withForwardedHeaders(next: RequestHandler, options: ForwardedHeadersOptions): RequestHandler {
  if (!options.enabled) return next;
  return (exchange) => {
    const req = exchange.req;
    const client = req.socket.remoteAddress ?? 'unknown';
    const headers = req.headers;
    const priorFor = single(headers['x-forwarded-for']);
    const forwardedFor = priorFor === '' ? client : `${priorFor}, ${client}`;
    exchange.setUpstreamHeader('x-forwarded-for', forwardedFor);
    const priorProto = single(headers['x-forwarded-proto']);
    const proto = priorProto === '' ? protocolOf(req) : priorProto;
    if (priorProto === '') exchange.setUpstreamHeader('x-forwarded-proto', proto);
    const priorForwarded = single(headers.forwarded);
    if (priorForwarded !== '') {
      exchange.setUpstreamHeader('forwarded', `${priorForwarded}, for=${forwardedNode(client)}`);
    } else if (priorFor === '') {
      // The usual case, a client straight to this proxy: one hop, nothing to split.
      exchange.setUpstreamHeader('forwarded', `for=${forwardedNode(client)};proto=${proto}`);
    } else {
      const hops = forwardedFor.split(',');
      let forwarded = `for=${forwardedNode((hops[0] as string).trim())};proto=${proto}`;
      for (let i = 1; i < hops.length; i++) forwarded += `, for=${forwardedNode((hops[i] as string).trim())}`;
      exchange.setUpstreamHeader('forwarded', forwarded);
    }
    next(exchange);
  };
}
