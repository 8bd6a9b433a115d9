// Builds the image's entry: `shortline` as a few files with every dependency inside, so that a start
// reads a handful of files instead of some 450 modules, resolving each (packages/cli/dist/bundle;
// figures in bench/RESULTS.md, "Footprint"). Run after `tsc -b`: node packages/cli/bundle/build.mjs
//
// Each mode and command stays in a chunk of its own (serving-modes.ts and main.ts load them with
// import()), so a sidecar never reads the gateway's Kubernetes client. For the proxy's own path,
// three dependencies are replaced by the part of them it uses (see each file); the gateway's chunk
// keeps the whole of undici for its WebSocket.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Importers that keep the whole of undici, in chunks a sidecar never loads: the gateway's autoscaler
 * connection (WebSocket) and the `load` command's client (Agent).
 */
const WHOLE_UNDICI = /[\\/](knative[\\/]dist[\\/]gateway|load[\\/]dist)[\\/]/;

const SHIMS = {
  undici: here('./lean-undici.mjs'),
  'prom-client': here('./lean-prom-client.mjs'),
  yaml: here('./lazy-yaml.mjs'),
};
const shimFiles = new Set(Object.values(SHIMS));

const leanDependencies = {
  name: 'lean-dependencies',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(undici|prom-client|yaml)$/ }, (args) => {
      // A shim itself reaches the real package; so do WHOLE_UNDICI's importers for undici.
      if (shimFiles.has(args.importer) || (args.path === 'undici' && WHOLE_UNDICI.test(args.importer))) return undefined;
      return { path: SHIMS[args.path] };
    });
  },
};

const BUNDLE_DIRECTORY = here('../dist/bundle');

await rm(BUNDLE_DIRECTORY, { recursive: true, force: true });
await build({
  entryPoints: [here('../bin/shortline.js')],
  outdir: BUNDLE_DIRECTORY,
  bundle: true,
  splitting: true,
  format: 'esm',
  // .mjs: Node knows each file's format without looking for a package.json above it.
  outExtension: { '.js': '.mjs' },
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies call require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __shortlineRequire } from 'node:module'; const require = __shortlineRequire(import.meta.url);" },
  plugins: [leanDependencies],
  logLevel: 'warning',
});
