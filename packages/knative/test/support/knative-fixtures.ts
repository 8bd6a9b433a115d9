import http from 'node:http';
import { HeldRequests, type Holding } from './held-requests.js';
import { close, listen } from './http.js';

export * from '../../src/testing/knative-object-fixtures.js';

/**
 * A revision pod's queue-proxy on 127.0.0.1: answers the activator's probe while `ready` is true,
 * and records every other request. `/hold...` waits until `release()`; anything else is answered at
 * once. Every answer is `<name> <url>`. `when` resolves once a condition on its probes, requests or
 * held requests is true.
 */
export interface FakePod extends Holding {
  readonly port: number;
  readonly name: string;
  ready: boolean;
  readonly probes: number;
  /** Requests (not probes) received, in order. */
  readonly received: http.IncomingMessage[];
  /** Requests being answered now, and the most at once so far. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export async function startPod(ready = true, name = 'pod'): Promise<FakePod> {
  const held = new HeldRequests();
  const changed = (): void => held.changes.notify();
  let probes = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let port = 0;
  const pod: FakePod = {
    name,
    ready,
    received: [],
    get port() {
      return port;
    },
    get probes() {
      return probes;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get held() {
      return held.count;
    },
    release: () => held.release(),
    when: (condition) => held.changes.when(condition),
    close: async () => {
      held.release();
      await close(server);
    },
  };
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.headers['k-network-probe'] === 'queue' && req.headers['user-agent'] === 'Knative-Activator-Probe') {
      probes++;
      res.writeHead(pod.ready ? 200 : 503).end(pod.ready ? 'queue' : '');
      changed();
      return;
    }
    pod.received.push(req);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const url = req.url ?? '/';
    const answer = (): void => {
      inFlight--;
      res.end(`${name} ${url}`);
    };
    if (url.startsWith('/hold')) held.hold(answer);
    else answer();
    changed();
  });
  port = await listen(server);
  return pod;
}
