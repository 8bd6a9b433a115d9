import http from 'node:http';
import { close, listen } from './http.js';

export * from '../../src/testing/knative-object-fixtures.js';

/**
 * A revision pod's queue-proxy on 127.0.0.1: answers the activator's probe while `ready` is true,
 * and records every other request. `/hold...` waits until `release()`; `/work?ms=N` answers after N
 * ms; anything else at once. Every answer is `<name> <url>`.
 */
export interface FakePod {
  readonly port: number;
  readonly name: string;
  ready: boolean;
  probes: number;
  /** Requests (not probes) received, in order. */
  readonly received: http.IncomingMessage[];
  /** Requests being answered now, and the most at once so far. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  readonly held: number;
  release(): void;
  close(): Promise<void>;
}

export async function startPod(ready = true, name = 'pod'): Promise<FakePod> {
  let holding: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let port = 0;
  const pod: FakePod = {
    name,
    ready,
    probes: 0,
    received: [],
    get port() {
      return port;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get held() {
      return holding.length;
    },
    release(): void {
      const answering = holding;
      holding = [];
      for (const answer of answering) answer();
    },
    close: async () => {
      pod.release();
      await close(server);
    },
  };
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.headers['k-network-probe'] === 'queue' && req.headers['user-agent'] === 'Knative-Activator-Probe') {
      pod.probes++;
      res.writeHead(pod.ready ? 200 : 503).end(pod.ready ? 'queue' : '');
      return;
    }
    pod.received.push(req);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const url = req.url ?? '/';
    const answer = (): void => {
      inFlight--;
      res.end(`${name} ${url}`);
    };
    if (url.startsWith('/hold')) holding.push(answer);
    else if (url.startsWith('/work')) setTimeout(answer, Number(new URL(url, 'http://pod').searchParams.get('ms') ?? 0));
    else answer();
  });
  port = await listen(server);
  return pod;
}
