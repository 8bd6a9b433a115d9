import { Gauge, Registry } from 'prom-client';
import type { Stat } from './stat-message.js';

export interface StatMetricsOptions {
  /** The Stat to expose; read at each scrape. */
  readonly current: () => Stat;
  readonly namespace: string;
  readonly configuration: string;
  readonly revision: string;
  readonly pod: string;
}

/**
 * The same figures as the protobuf Stat, as Prometheus gauges under the queue-proxy's names and
 * labels, for anyone scraping :9090 without asking for protobuf.
 */
export function createStatMetrics(options: StatMetricsOptions): Registry {
  const registry = new Registry();
  const labels = {
    destination_namespace: options.namespace,
    destination_configuration: options.configuration,
    destination_revision: options.revision,
    destination_pod: options.pod,
  };
  const labelNames = Object.keys(labels);
  const gauges: [name: string, help: string, read: (stat: Stat) => number][] = [
    ['queue_requests_per_second', 'Requests per second that arrived in the last window', (s) => s.requestCount],
    ['queue_proxied_operations_per_second', 'Activator-proxied requests per second in the last window', (s) => s.proxiedRequestCount],
    ['queue_average_concurrent_requests', 'Time-weighted requests in the pod, queued ones included', (s) => s.averageConcurrentRequests],
    [
      'queue_average_proxied_concurrent_requests',
      'Time-weighted activator-proxied requests in the pod',
      (s) => s.averageProxiedConcurrentRequests,
    ],
    ['process_uptime', 'Seconds since the proxy started', (s) => s.processUptime],
  ];
  for (const [name, help, read] of gauges) {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.set(labels, read(options.current()));
      },
    });
  }
  return registry;
}
