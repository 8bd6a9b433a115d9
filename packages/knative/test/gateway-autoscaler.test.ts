import { describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeWireStatMessages, KnativeEnvError, readAutoscalerEndpoint, RevisionDemand } from '@shortline/knative';
import { Changes } from '../../proxy/test/support/changes.js';
import { ENDPOINT_SLICES, FakeKubeApi, REVISIONS } from './support/fake-kube-api.js';
import { startGateway, type RunningGateway } from './support/gateway-fixture.js';
import { request } from './support/http.js';
import { privateSlice, revision, startPod } from './support/knative-fixtures.js';
import { decodeWireStatMessages } from './support/stat-decoder.js';
import { useCleanups } from './support/cleanups.js';

// Gateway mode wakes revisions at zero as the activator does: it tells Knative's autoscaler the
// demand it holds for each revision over the autoscaler's stat websocket.

type Received = ReturnType<typeof decodeWireStatMessages>[number];

/**
 * Knative's autoscaler stat server as far as the gateway sees it: a websocket taking binary
 * WireStatMessages. It pings each connection: a pong shows the gateway's side is open too.
 */
class FakeAutoscaler {
  readonly received: Received[] = [];
  readonly connections: WebSocket[] = [];
  /** Connections whose gateway side answered the ping. */
  open = 0;
  readonly #server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  readonly #changes = new Changes();

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.once('listening', resolve));
    this.#server.on('connection', (socket) => {
      this.connections.push(socket);
      socket.once('pong', () => {
        this.open++;
        this.#changes.notify();
      });
      socket.ping();
      socket.on('message', (data, isBinary) => {
        expect(isBinary).toBe(true);
        this.received.push(...decodeWireStatMessages(data as Buffer));
        this.#changes.notify();
      });
    });
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  when(condition: () => boolean): Promise<void> {
    return this.#changes.when(condition);
  }

  stop(): Promise<void> {
    for (const socket of this.connections) socket.terminate();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

const defer = useCleanups();

describe('RevisionDemand', () => {
  it('says to report at once when a revision without demand in the last period gets a request, once', () => {
    const demand = new RevisionDemand();
    expect(demand.arrived('ns/a', 0)).toBe(true);
    expect(demand.arrived('ns/a', 1)).toBe(false);
    expect(demand.arrived('ns/b', 1)).toBe(true);
    demand.finished('ns/a', 2);
    demand.finished('ns/a', 3);
    // Back to zero and up again within the period: a busy revision, not one to wake.
    expect(demand.arrived('ns/a', 4)).toBe(false);
    demand.finished('ns/a', 5);
    demand.finished('ns/b', 5);
    demand.report(1000);
    demand.report(2000);
    // A whole quiet period: the revision may have scaled to zero since.
    expect(demand.arrived('ns/a', 2500)).toBe(true);
  });

  it('reports each revision’s time-weighted concurrency and requests, then forgets a revision gone quiet', () => {
    const demand = new RevisionDemand();
    demand.arrived('ns/a', 0);
    demand.arrived('ns/a', 500);
    expect(demand.report(1000)).toEqual([{ key: 'ns/a', window: expect.objectContaining({ averageConcurrency: 1.5, requestCount: 2 }) }]);
    demand.finished('ns/a', 1000);
    demand.finished('ns/a', 1500);
    expect(demand.report(2000)).toEqual([{ key: 'ns/a', window: expect.objectContaining({ averageConcurrency: 0.5, requestCount: 0 }) }]);
    expect(demand.report(3000)).toEqual([]);
    expect(demand.arrived('ns/a', 3000)).toBe(true);
  });
});

describe('the autoscaler’s wire format', () => {
  it('encodes WireStatMessages that a protobuf decoder reads back field for field', () => {
    const stat = { podName: 'gw-1', averageConcurrentRequests: 2.5, averageProxiedConcurrentRequests: 0, requestCount: 3, proxiedRequestCount: 0, processUptime: 0 };
    const decoded = decodeWireStatMessages(encodeWireStatMessages([{ namespace: 'ns', name: 'hello-00001', stat }, { namespace: 'other', name: 'r', stat }]));
    expect(decoded.map((m) => [m.namespace, m.name, m.stat['pod_name'], m.stat['average_concurrent_requests'], m.stat['request_count']])).toEqual([
      ['ns', 'hello-00001', 'gw-1', 2.5, 3],
      ['other', 'r', 'gw-1', 2.5, 3],
    ]);
  });
});

describe('where the gateway reports', () => {
  it('follows SHORTLINE_AUTOSCALER_URL, else Knative’s autoscaler inside a cluster, else nowhere', () => {
    expect(readAutoscalerEndpoint({ SHORTLINE_AUTOSCALER_URL: 'ws://10.0.0.1:8080', POD_NAME: 'gw-1' })).toEqual({ url: 'ws://10.0.0.1:8080', podName: 'gw-1' });
    expect(readAutoscalerEndpoint({ KUBERNETES_SERVICE_HOST: '10.96.0.1', SYSTEM_NAMESPACE: 'serving', POD_NAME: 'gw-1' })).toEqual({
      url: 'ws://autoscaler.serving.svc.cluster.local:8080',
      podName: 'gw-1',
    });
    expect(readAutoscalerEndpoint({ KUBERNETES_SERVICE_HOST: '10.96.0.1' })?.url).toBe('ws://autoscaler.knative-serving.svc.cluster.local:8080');
    expect(readAutoscalerEndpoint({ KUBERNETES_SERVICE_HOST: '10.96.0.1', SHORTLINE_AUTOSCALER_URL: 'off' })).toBeUndefined();
    expect(readAutoscalerEndpoint({})).toBeUndefined();
  });

  it('refuses a URL that is not a websocket one, naming the variable', () => {
    expect(() => readAutoscalerEndpoint({ SHORTLINE_AUTOSCALER_URL: 'http://autoscaler:8080' })).toThrow(KnativeEnvError);
    expect(() => readAutoscalerEndpoint({ SHORTLINE_AUTOSCALER_URL: 'http://autoscaler:8080' })).toThrow(/SHORTLINE_AUTOSCALER_URL/);
  });
});

/** A gateway reporting to a fake autoscaler every 50 ms (of manual time), with revision ns/r known and no pod for it. */
async function gatewayAtZero(): Promise<{ autoscaler: FakeAutoscaler; api: FakeKubeApi } & RunningGateway> {
  const autoscaler = new FakeAutoscaler();
  const url = await autoscaler.start();
  defer(() => autoscaler.stop());
  const api = new FakeKubeApi();
  await api.start();
  defer(() => api.stop());
  api.apply(REVISIONS, revision('ns', 'r', 1));
  const running = await startGateway(api, {}, { autoscaler: { url, podName: 'gw-1', reportingPeriodMs: 50, retryDelayMs: 20 } });
  defer(() => running.gateway.close());
  return { autoscaler, api, ...running };
}

/** The autoscaler scaled ns/r up: its pod appears, and held requests go to it. */
async function podAppears(api: FakeKubeApi): Promise<void> {
  const pod = await startPod(true, 'a');
  defer(() => pod.close());
  api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r', [{ ip: '127.0.0.1', port: pod.port }]));
}

const forR = { 'knative-serving-namespace': 'ns', 'knative-serving-revision': 'r' };

describe('a revision at zero', () => {
  it('is reported at once when a request for it arrives; the request waits for a pod and is then served', async () => {
    const { autoscaler, api, gateway, ports, timers } = await gatewayAtZero();
    await autoscaler.when(() => autoscaler.open === 1);
    expect(gateway.autoscaler?.connected).toBe(true);

    // t=0: a request for the revision at zero: reported at once, as one in flight, one per second.
    const reply = request(ports.port, { path: '/wake', headers: forR });
    await autoscaler.when(() => autoscaler.received.length === 1);
    expect(autoscaler.received[0]).toEqual({
      namespace: 'ns',
      name: 'r',
      stat: expect.objectContaining({ pod_name: 'gw-1', average_concurrent_requests: 1, request_count: 1 }),
    });
    expect(gateway.shortline.scheduler.waiting).toBe(1);

    await podAppears(api);
    expect((await reply).status).toBe(200);
    // t=50: the period ends; its window is reported: one request in 50 ms is 20 a second.
    timers.advance(50);
    await autoscaler.when(() => autoscaler.received.length === 2);
    expect(autoscaler.received[1]).toEqual({ namespace: 'ns', name: 'r', stat: expect.objectContaining({ request_count: 20 }) });

    const metrics = (await request(ports.adminPort, { path: '/metrics' })).text;
    expect(metrics).toContain('shortline_autoscaler_connected 1');
    expect(metrics).toContain('shortline_autoscaler_reports_total{result="sent"} 2');
  });

  it('keeps reporting after the autoscaler drops the connection: the gateway reconnects', async () => {
    const { autoscaler, api, gateway, ports, timers, logs } = await gatewayAtZero();
    await autoscaler.when(() => autoscaler.open === 1);
    // The autoscaler drops the connection; the gateway says so and retries 20 ms later.
    autoscaler.connections[0]?.terminate();
    await logs.logged('autoscaler stat server unreachable; retrying (revisions at zero are not woken meanwhile)');
    expect(gateway.autoscaler?.connected).toBe(false);
    timers.advance(20);
    await autoscaler.when(() => autoscaler.open === 2);
    await logs.logged('autoscaler stat server reachable again');

    const reply = request(ports.port, { path: '/after', headers: forR });
    await autoscaler.when(() => autoscaler.received.some((m) => m.name === 'r'));
    await podAppears(api);
    expect((await reply).status).toBe(200);
  });
});
