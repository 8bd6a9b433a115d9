import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { defaultConfig, parseConfig } from '@shortline/proxy';

/**
 * Renders every kustomize folder under k8s/ with the real kubectl and checks what a platform
 * engineer relies on: it renders, the gateway runs locked down, and RBAC grants exactly what the
 * gateway's informers do (list and watch) on exactly the resources they read.
 */

const K8S = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../k8s');

function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function kustomizeFolders(dir: string): string[] {
  const found = existsSync(path.join(dir, 'kustomization.yaml')) ? [dir] : [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...kustomizeFolders(path.join(dir, entry.name)));
  }
  return found;
}

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered manifests are free-form YAML

function render(folder: string): Doc[] {
  const out = execFileSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS() as Doc);
}

function only(docs: Doc[], kind: string): Doc {
  const found = docs.filter((d) => d['kind'] === kind);
  expect(found).toHaveLength(1);
  return found[0] as Doc;
}

const hasKubectl = kubectlAvailable();
if (!hasKubectl) {
  console.warn('kubectl is not on PATH: skipping the k8s/ rendering tests (CI installs Debian\'s kubernetes-client)');
}
const describeWithKubectl = hasKubectl ? describe : describe.skip;

describeWithKubectl('k8s/ renders with kubectl kustomize', () => {
  const folders = kustomizeFolders(K8S).map((f) => path.relative(path.dirname(K8S), f));

  it('has the base, the queue-proxy and sidecar-config overlays, the examples and the Grafana dashboard', () => {
    expect(folders.sort()).toEqual(['k8s/base', 'k8s/examples', 'k8s/grafana', 'k8s/overlays/queue-proxy', 'k8s/overlays/sidecar-config']);
  });

  it.each(folders)('renders %s', (folder) => {
    expect(render(path.join(path.dirname(K8S), folder)).length).toBeGreaterThan(0);
  });

  describe('k8s/base: the gateway', () => {
    const docs = hasKubectl ? render(path.join(K8S, 'base')) : [];

    it('runs as a numeric non-root user on a read-only root filesystem, with requests and probes', () => {
      const deployment = only(docs, 'Deployment');
      const pod = deployment['spec']['template']['spec'];
      expect(pod['securityContext']).toMatchObject({ runAsNonRoot: true });
      expect(pod['securityContext']['runAsUser']).toBeGreaterThan(0);
      const container = pod['containers'][0];
      expect(container['securityContext']).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(container['resources']['requests']).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container['readinessProbe']['httpGet']['path']).toBe('/readyz');
      expect(container['livenessProbe']['httpGet']['path']).toBe('/healthz');
      expect(pod['serviceAccountName']).toBe(only(docs, 'ServiceAccount')['metadata']['name']);
    });

    it('has a Service and a PodDisruptionBudget that select the gateway pods', () => {
      const podLabels = only(docs, 'Deployment')['spec']['template']['metadata']['labels'];
      for (const selector of [only(docs, 'Service')['spec']['selector'], only(docs, 'PodDisruptionBudget')['spec']['selector']['matchLabels']]) {
        expect(podLabels).toMatchObject(selector);
      }
      const env = only(docs, 'Deployment')['spec']['template']['spec']['containers'][0]['env'] as Doc[];
      expect(env.find((e) => e['name'] === 'SHORTLINE_GATEWAY_SERVICE')?.['value']).toBe(only(docs, 'Service')['metadata']['name']);
    });

    it('grants only list and watch, only on what the gateway reads', () => {
      const rules = docs.filter((d) => d['kind'] === 'ClusterRole' || d['kind'] === 'Role').flatMap((d) => d['rules'] as Doc[]);
      const verbs = new Set(rules.flatMap((r) => r['verbs'] as string[]));
      expect([...verbs].sort()).toEqual(['list', 'watch']);
      const resources = rules.flatMap((r) => (r['apiGroups'] as string[]).flatMap((g) => (r['resources'] as string[]).map((res) => `${g}/${res}`)));
      expect(resources.sort()).toEqual([
        '/configmaps',
        '/endpoints',
        'discovery.k8s.io/endpointslices',
        'serving.knative.dev/revisions',
        'serving.knative.dev/routes',
      ]);
      const configMapRule = rules.find((r) => (r['resources'] as string[]).includes('configmaps'));
      expect(configMapRule?.['resourceNames']).toEqual(['config-shortline']);
    });

    it('ships a valid config-shortline whose _example documents the defaults', () => {
      const data = only(docs, 'ConfigMap')['data'];
      expect(parseConfig(data['config.yaml'], 'config.yaml')).toMatchObject({ mode: 'gateway', listen: { host: '0.0.0.0' } });
      expect(parseConfig(data['_example'], '_example')).toEqual(defaultConfig());
    });
  });

  it('k8s/overlays/queue-proxy sets only the queue-proxy image, to the base image, and its memory in knative-serving/config-deployment', () => {
    const [configDeployment] = render(path.join(K8S, 'overlays/queue-proxy'));
    expect(configDeployment).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'config-deployment', namespace: 'knative-serving' } });
    expect(Object.keys(configDeployment?.['data'] ?? {}).sort()).toEqual(['queue-sidecar-image', 'queue-sidecar-memory-limit', 'queue-sidecar-memory-request']);
    const gatewayImage = only(render(path.join(K8S, 'base')), 'Deployment')['spec']['template']['spec']['containers'][0]['image'];
    expect(configDeployment?.['data']['queue-sidecar-image']).toBe(gatewayImage);
  });

  it('k8s/overlays/sidecar-config lets the namespace\'s service accounts list and watch config-shortline there, and nothing else', () => {
    const docs = render(path.join(K8S, 'overlays/sidecar-config'));
    const role = only(docs, 'Role');
    expect(role['rules']).toEqual([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['config-shortline'], verbs: ['list', 'watch'] }]);
    const binding = only(docs, 'RoleBinding');
    const namespace = role['metadata']['namespace'];
    expect(binding['metadata']['namespace']).toBe(namespace);
    expect(binding['roleRef']).toMatchObject({ kind: 'Role', name: role['metadata']['name'] });
    expect(binding['subjects']).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `system:serviceaccounts:${namespace}` }]);
    const configMap = only(docs, 'ConfigMap');
    expect(configMap['metadata']).toMatchObject({ name: 'config-shortline', namespace });
    for (const [key, text] of Object.entries(configMap['data'] as Record<string, string>)) expect(() => parseConfig(text, key)).not.toThrow();
  });

  it('k8s/grafana is the dashboard as a ConfigMap that Grafana\'s dashboard sidecar picks up', () => {
    const dashboard = only(render(path.join(K8S, 'grafana')), 'ConfigMap');
    expect(dashboard['metadata']).toMatchObject({ name: 'shortline-dashboard', labels: { grafana_dashboard: '1' } });
    expect(JSON.parse(dashboard['data']['shortline-dashboard.json'])).toMatchObject({ uid: 'shortline', title: 'Shortline' });
  });

  it('k8s/examples is a Knative Service with a concurrency limit and timeouts', () => {
    const service = only(render(path.join(K8S, 'examples')), 'Service');
    expect(service['apiVersion']).toBe('serving.knative.dev/v1');
    expect(service['spec']['template']['spec']).toMatchObject({ containerConcurrency: 4, timeoutSeconds: 120 });
  });
});
