// The YAML parser, loaded when a configuration file is first parsed: a sidecar as Knative runs it
// reads none. Only the image bundle uses this file (build.mjs maps `yaml` to it).
// esbuild bundles this require() and runs the module it names at the first call.
export function parseDocument(...args) {
  return require('yaml').parseDocument(...args);
}
