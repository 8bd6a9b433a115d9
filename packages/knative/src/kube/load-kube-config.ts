import { KubeConfig } from '@kubernetes/client-node';

/**
 * The cluster's own service-account credentials inside a pod, else ~/.kube/config (or $KUBECONFIG),
 * so the gateway runs the same in the cluster and on a developer's machine.
 */
export function loadKubeConfig(env: Readonly<Record<string, string | undefined>> = process.env): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (env['KUBERNETES_SERVICE_HOST'] !== undefined && env['KUBERNETES_SERVICE_HOST'] !== '') kubeConfig.loadFromCluster();
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}
