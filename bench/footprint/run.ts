import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startChildTarget } from '../lib/child-target.js';
import { repositoryRoot, SHORTLINE_BIN } from '../lib/repository-root.js';
import { median, roundOrder } from '../overhead/rounds.js';
import { startFakeCluster, type FakeCluster } from './fake-cluster.js';
import { imageBuild } from './image-build.js';
import { launch, type ShortlineBuild } from './launch.js';
import { formatReport, type BuildFootprint, type ModeReport } from './report.js';
import { CONCURRENCY, FOOTPRINT_MODES, serveSetup, type FootprintMode, type SetupContext } from './serve-setups.js';
import { idleUsage, overload, rssAfterRequests } from './traffic-phases.js';

// npm run bench:footprint [-- --compare DIR --starts 5 --modes sidecar,gateway,standalone --idle-ms 10000
//                            --overload-ms 10000 --requests 200 --build 'LABEL:[NAME=VALUE...] ENTRY [NODE FLAGS]' --json]
//
// What one Shortline process costs, per mode, as `shortline serve` runs (a real child process, a tiny
// backend in a process of its own, the gateway's cluster an in-process fake Kubernetes API):
//   start        exec → first answered (200) request, the median of --starts starts, and the CPU the
//                process used by then (robust to a busy machine where the wall time is not)
//   after        RSS after --requests requests (4 at a time), a second later: the median over the starts
//   idle         CPU over --idle-ms without a request (from 10 s after the last), and how often the
//                process was woken
//   overload     peak RSS under 3× capacity open loop for --overload-ms (CONCURRENCY 4 slots, 50 ms
//                per request, queue 40: Knative's queue-proxy under the test)
// Builds, side by side in one run, starts rotated round by round: this checkout's launcher, the
// image's bundle (packages/cli/dist/bundle) under the Node flags of the Dockerfile's ENTRYPOINT and its
// ENV, and with --compare DIR another checkout's launcher (e.g. a `git worktree` of main, built), and
// each --build: an entry script of any build, with the environment and Node flags to run it under.

const { values: flags } = parseArgs({
  options: {
    compare: { type: 'string' },
    'compare-label': { type: 'string', default: 'before' },
    starts: { type: 'string', default: '5' },
    modes: { type: 'string', default: FOOTPRINT_MODES.join(',') },
    'idle-ms': { type: 'string', default: '10000' },
    'overload-ms': { type: 'string', default: '10000' },
    requests: { type: 'string', default: '200' },
    build: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
  },
});

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!(value > 0 && Number.isInteger(value))) throw new Error(`--${name} must be a positive integer, got ${String(text)}`);
  return value;
}

const starts = positive('starts', flags.starts);
const idleMs = positive('idle-ms', flags['idle-ms']);
const overloadMs = positive('overload-ms', flags['overload-ms']);
const requests = positive('requests', flags.requests);
const modes = (flags.modes ?? '').split(',').map((mode) => {
  if (!(FOOTPRINT_MODES as readonly string[]).includes(mode)) throw new Error(`--modes: unknown mode ${mode}; modes: ${FOOTPRINT_MODES.join(', ')}`);
  return mode as FootprintMode;
});
const progress = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * `LABEL:[NAME=VALUE...] ENTRY [NODE FLAGS...]`, e.g. `semi-1:packages/cli/bin/shortline.js --max-semi-space-size=1`
 * or `glibc defaults:NODE_ENV=production packages/cli/dist/bundle/shortline.mjs`.
 */
function parseBuild(spec: string): ShortlineBuild {
  const colon = spec.indexOf(':');
  const words = spec.slice(colon + 1).trim().split(/\s+/);
  const firstOther = words.findIndex((word) => !/^[A-Za-z_]\w*=/.test(word));
  const assignments = words.slice(0, firstOther < 0 ? words.length : firstOther);
  const [entry, ...nodeFlags] = words.slice(assignments.length);
  if (colon <= 0 || entry === undefined || entry === '') throw new Error(`--build: expected LABEL:[NAME=VALUE...] ENTRY [NODE FLAGS], got ${spec}`);
  const path = resolve(entry);
  if (!existsSync(path)) throw new Error(`--build: no ${path}`);
  const env = Object.fromEntries(assignments.map((assignment) => [assignment.slice(0, assignment.indexOf('=')), assignment.slice(assignment.indexOf('=') + 1)]));
  return { label: spec.slice(0, colon), entry: path, nodeFlags, env };
}

async function builds(): Promise<ShortlineBuild[]> {
  const root = repositoryRoot();
  const list: ShortlineBuild[] = [];
  if (flags.compare !== undefined) {
    const entry = join(resolve(flags.compare), SHORTLINE_BIN);
    if (!existsSync(entry)) throw new Error(`--compare: no ${SHORTLINE_BIN} in ${flags.compare}`);
    list.push({ label: flags['compare-label'] ?? 'before', entry, nodeFlags: [], env: {} });
  }
  list.push({ label: 'this checkout', entry: join(root, SHORTLINE_BIN), nodeFlags: [], env: {} });
  const image = await imageBuild(root);
  if (!existsSync(image.entry)) progress(`no ${image.entry} (node packages/cli/bundle/build.mjs builds it): measuring without the bundle`);
  else list.push(image);
  for (const spec of flags.build ?? []) list.push(parseBuild(spec));
  return list;
}

/** What the starts of one build measured, one entry per start. */
interface StartRecord {
  readonly ms: number[];
  readonly cpuMs: number[];
  readonly rssBytes: number[];
  failed: number;
}

async function measureMode(mode: FootprintMode, list: readonly ShortlineBuild[], context: SetupContext): Promise<ModeReport> {
  const startsOf = new Map<ShortlineBuild, StartRecord>(list.map((build) => [build, { ms: [], cpuMs: [], rssBytes: [], failed: 0 }]));
  for (let round = 0; round < starts; round++) {
    for (const build of roundOrder(list, round)) {
      const setup = await serveSetup(mode, context);
      const started = await launch(build, setup);
      try {
        const after = await rssAfterRequests(started, setup, requests);
        const record = startsOf.get(build) as StartRecord;
        record.ms.push(started.startMs);
        record.cpuMs.push(started.startCpuMs);
        record.rssBytes.push(after.rssBytes);
        record.failed += after.failed;
      } finally {
        await started.stop();
      }
      progress(`${mode} ${build.label}: start ${round + 1}/${starts} answered after ${started.startMs.toFixed(0)} ms (${started.startCpuMs.toFixed(0)} ms CPU)`);
    }
  }
  const footprints: BuildFootprint[] = [];
  for (const build of list) {
    const setup = await serveSetup(mode, context);
    const target = await launch(build, setup);
    try {
      await rssAfterRequests(target, setup, requests);
      const idle = await idleUsage(target, idleMs);
      const overloaded = await overload(target, setup, overloadMs);
      const record = startsOf.get(build) as StartRecord;
      footprints.push({
        label: build.label,
        entry: build.entry,
        nodeFlags: build.nodeFlags,
        env: build.env,
        startMs: { median: median(record.ms), min: Math.min(...record.ms), max: Math.max(...record.ms), all: record.ms },
        startCpuMs: median(record.cpuMs),
        rssAfterRequestsBytes: median(record.rssBytes),
        failedRequests: record.failed,
        idle,
        overload: overloaded,
      });
      progress(`${mode} ${build.label}: measured`);
    } finally {
      await target.stop();
    }
  }
  return { mode, footprints };
}

const directory = await mkdtemp(join(tmpdir(), 'shortline-footprint-'));
const backend = await startChildTarget<{ port: number }>(new URL('./revision-pod.js', import.meta.url).pathname, []);
let cluster: FakeCluster | undefined;
try {
  if (modes.includes('gateway')) cluster = await startFakeCluster(directory, backend.info.port, CONCURRENCY);
  const context: SetupContext = { directory, backendPort: backend.info.port, kubeconfig: cluster?.kubeconfig };
  const list = await builds();
  const reports: ModeReport[] = [];
  for (const mode of modes) reports.push(await measureMode(mode, list, context));
  const settings = { starts, requests, idleMs, overloadMs };
  process.stdout.write(flags.json ? `${JSON.stringify({ settings, reports }, null, 2)}\n` : formatReport(reports, settings));
} finally {
  await cluster?.stop();
  await backend.stop();
  await rm(directory, { recursive: true, force: true });
}
