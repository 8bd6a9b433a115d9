import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../lib/free-port.js';
import { REVISION, REVISION_HEADERS } from './fake-cluster.js';

export const FOOTPRINT_MODES = ['sidecar', 'gateway', 'standalone'] as const;
export type FootprintMode = (typeof FOOTPRINT_MODES)[number];

/** The backend's slots, as Knative's containerConcurrency; every mode queues 10 per slot, as Knative's queue-proxy. */
export const CONCURRENCY = 4;
const MAX_QUEUED = 10 * CONCURRENCY;

/** How to run `shortline serve` in one mode, and how to reach it. */
export interface ServeSetup {
  readonly args: readonly string[];
  /** The whole environment of the process (PATH is added). */
  readonly env: Readonly<Record<string, string>>;
  /** Where requests go. */
  readonly port: number;
  /** Sent with every request (the gateway routes by them). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface SetupContext {
  /** For configuration files. */
  readonly directory: string;
  readonly backendPort: number;
  /** The fake cluster's kubeconfig (gateway mode only). */
  readonly kubeconfig: string | undefined;
}

/** Knative's env contract for a revision pod, as its reconciler writes it, on loopback ports. */
async function sidecar(context: SetupContext): Promise<ServeSetup> {
  const port = await freePort();
  return {
    args: [],
    env: {
      SERVING_NAMESPACE: REVISION.namespace,
      SERVING_SERVICE: 'hello',
      SERVING_CONFIGURATION: 'hello',
      SERVING_REVISION: REVISION.name,
      SERVING_POD: `${REVISION.name}-deployment-abc`,
      SERVING_POD_IP: '127.0.0.1',
      QUEUE_SERVING_PORT: String(port),
      USER_PORT: String(context.backendPort),
      CONTAINER_CONCURRENCY: String(CONCURRENCY),
      REVISION_TIMEOUT_SECONDS: '300',
      SHORTLINE_SIDECAR_HOST: '127.0.0.1',
      SHORTLINE_SIDECAR_ADMIN_PORT: '0',
      SHORTLINE_SIDECAR_STATS_PORT: '0',
      SHORTLINE_SIDECAR_METRICS_PORT: '0',
    },
    port,
    headers: {},
  };
}

async function configFile(context: SetupContext, name: string, lines: readonly string[]): Promise<string> {
  const path = join(context.directory, name);
  await writeFile(path, [...lines, ''].join('\n'));
  return path;
}

/** The gateway Deployment's way: a configuration file, the cluster through $KUBECONFIG. */
async function gateway(context: SetupContext): Promise<ServeSetup> {
  if (context.kubeconfig === undefined) throw new Error('gateway mode needs the fake cluster');
  const port = await freePort();
  const config = await configFile(context, 'gateway.yaml', [
    'mode: gateway',
    `listen: { host: 127.0.0.1, port: ${port} }`,
    'admin: { host: 127.0.0.1, port: 0 }',
    `scheduler: { maxQueued: ${MAX_QUEUED} }`,
  ]);
  return {
    args: ['--config', config],
    env: { KUBECONFIG: context.kubeconfig, POD_NAMESPACE: 'shortline', POD_IP: '127.0.0.1', SHORTLINE_GATEWAY_SERVICE: 'shortline-gateway' },
    port,
    headers: REVISION_HEADERS,
  };
}

/** One static pool in front of the backend. */
async function standalone(context: SetupContext): Promise<ServeSetup> {
  const port = await freePort();
  const config = await configFile(context, 'standalone.yaml', [
    `listen: { host: 127.0.0.1, port: ${port} }`,
    'admin: { host: 127.0.0.1, port: 0 }',
    `scheduler: { maxQueued: ${MAX_QUEUED} }`,
    `pools: [{ name: backend, backends: ["http://127.0.0.1:${context.backendPort}"], concurrency: ${CONCURRENCY} }]`,
    'functions: [{ name: fn, pool: backend }]',
  ]);
  return { args: ['--config', config], env: {}, port, headers: {} };
}

const SETUPS: Record<FootprintMode, (context: SetupContext) => Promise<ServeSetup>> = { sidecar, gateway, standalone };

/** A fresh setup (new ports) for one start of `mode`. */
export function serveSetup(mode: FootprintMode, context: SetupContext): Promise<ServeSetup> {
  return SETUPS[mode](context);
}
