import { describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { useCleanups } from './support/cleanups.js';
import { startConfigDeploymentApi } from './support/config-deployment-api.js';

/**
 * The sidecar's install and rollback steps, as the docs write them, run by bash with the real kubectl
 * against an API server of the test's own that has a stock Knative `config-deployment`. Every command
 * that would change the cluster goes to that server as a server dry run (kubectl refuses
 * `--dry-run=client` with server-side apply), which records it; nothing else is added to what a user
 * types.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const KNATIVE_IMAGE = 'gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:8f2d1a6c0b6e4e1f7b3a9c2d5e8f1a4b7c0d3e6f9a2b5c8d1e4f7a0b3c6d9e2f';

function realKubectl(): string | undefined {
  try {
    return execFileSync('bash', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The ```sh blocks of a Markdown file, in order, with a list item's indentation taken off. */
function shellBlocks(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/^( *)```sh\n([\s\S]*?)^\1```$/gm)].map((match) => {
    const indent = (match[1] as string).length;
    return (match[2] as string)
      .split('\n')
      .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
      .join('\n');
  });
}

/** The blocks of the install and the rollback: those that save the rollback, apply the overlay, or roll back. */
function installAndRollback(file: string): string[] {
  return shellBlocks(file).filter((block) => /rollback-queue-proxy\.sh|overlays\/queue-proxy/.test(block) && !block.includes('<'));
}

const kubectl = realKubectl();
if (kubectl === undefined) console.warn("kubectl is not on PATH: skipping the install guide's dry run (CI installs Debian's kubernetes-client)");
const describeWithKubectl = kubectl === undefined ? describe.skip : describe;

const defer = useCleanups();

/** Runs `blocks` one after the other, as a user would paste them, in a fresh directory beside k8s/. */
async function runAsUser(blocks: readonly string[]): Promise<{ dir: string; requests: Awaited<ReturnType<typeof startConfigDeploymentApi>>['requests'] }> {
  const api = await startConfigDeploymentApi(KNATIVE_IMAGE);
  defer(() => api.close());
  const dir = mkdtempSync(path.join(tmpdir(), 'shortline-install-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync(path.join(ROOT, 'k8s'), path.join(dir, 'k8s'));
  const bin = path.join(dir, 'bin');
  execFileSync('mkdir', [bin]);
  writeFileSync(
    path.join(bin, 'kubectl'),
    [
      '#!/usr/bin/env bash',
      '# What would change the cluster goes as a server dry run; everything else as typed.',
      'for arg in "$@"; do',
      `  case "$arg" in apply) exec ${kubectl} "$@" --dry-run=server --validate=false ;; patch) exec ${kubectl} "$@" --dry-run=server ;; esac`,
      'done',
      `exec ${kubectl} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(path.join(bin, 'kubectl'), 0o755);
  writeFileSync(
    path.join(dir, 'kubeconfig'),
    `apiVersion: v1\nkind: Config\nclusters: [{ name: test, cluster: { server: "${api.url}" } }]\nusers: [{ name: admin, user: { token: test } }]\ncontexts: [{ name: test, context: { cluster: test, user: admin } }]\ncurrent-context: test\n`,
  );
  const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: dir, KUBECONFIG: path.join(dir, 'kubeconfig') };
  // Asynchronously: the API server answering kubectl runs in this process.
  for (const block of blocks) await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', block], { cwd: dir, env, timeout: 60_000 });
  return { dir, requests: api.requests };
}

describeWithKubectl('the sidecar install guide, as written, in a dry run', () => {
  it.each(['k8s/overlays/queue-proxy/README.md', 'docs/knative.md'])('%s: saves the rollback, applies with --force-conflicts, and rolls back to the saved image', async (file) => {
    const blocks = installAndRollback(file);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const { dir, requests } = await runAsUser(blocks);

    // The saved rollback is one command naming Knative's own image, digest and all.
    const saved = readFileSync(path.join(dir, 'rollback-queue-proxy.sh'), 'utf8');
    expect(saved).toBe(`kubectl -n knative-serving patch configmap config-deployment --type merge -p '{"data":{"queue-sidecar-image":"${KNATIVE_IMAGE}"}}'\n`);

    const patches = requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => [r.path, r.contentType])).toEqual([
      ['/api/v1/namespaces/knative-serving/configmaps/config-deployment', 'application/apply-patch+yaml'],
      ['/api/v1/namespaces/knative-serving/configmaps/config-deployment', 'application/merge-patch+json'],
    ]);
    const [apply, rollback] = patches as [(typeof patches)[number], (typeof patches)[number]];
    // Server-side apply that takes over queue-sidecar-image from Knative's own field manager.
    expect(apply.query.get('fieldManager')).toBe('shortline');
    expect(apply.query.get('force')).toBe('true');
    const applied = parseAllDocuments(apply.body)[0]?.toJS() as { data: Record<string, string> };
    const overlay = readFileSync(path.join(ROOT, 'k8s/overlays/queue-proxy/config-deployment.yaml'), 'utf8');
    // The overlay's keys: the image, and the queue-proxy's memory request and limit.
    expect(applied.data).toEqual((parseAllDocuments(overlay)[0]?.toJS() as { data: Record<string, string> }).data);
    // The rollback puts back exactly what was there.
    expect(JSON.parse(rollback.body)).toEqual({ data: { 'queue-sidecar-image': KNATIVE_IMAGE } });
  });

  it('the overlay and the docs agree on the apply command', () => {
    const apply = (file: string): string[] => shellBlocks(file).flatMap((block) => block.split('\n').filter((line) => line.startsWith('kubectl apply --server-side')));
    expect(apply('docs/knative.md')).toEqual(['kubectl apply --server-side --field-manager=shortline --force-conflicts -k k8s/overlays/queue-proxy']);
    expect(apply('k8s/overlays/queue-proxy/README.md')).toEqual(apply('docs/knative.md'));
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(apply('docs/knative.md')[0]);
  });
});
