// What Shortline takes from prom-client, without its index: that one loads the default metrics, and
// with them @opentelemetry/api, on every start. Here they load when a registry first asks for them
// (`metrics.process`), which a sidecar never does by default. Only the image bundle uses this file
// (build.mjs maps `prom-client` to it).
export { default as Registry } from 'prom-client/lib/registry.js';
export { default as Counter } from 'prom-client/lib/counter.js';
export { default as Gauge } from 'prom-client/lib/gauge.js';

// esbuild bundles this require() and runs the module it names at the first call.
export function collectDefaultMetrics(config) {
  return require('prom-client/lib/defaultMetrics.js')(config);
}
