import { readFile } from 'node:fs/promises';

/**
 * Where Knative mounts the pod's annotations into the queue-proxy container, when the revision asks
 * for it (`features.knative.dev/queueproxy-podinfo: enabled`, allowed by `queueproxy.mount-podinfo` in
 * config-features): the downward API file its QPOptions extensions read.
 */
export const POD_ANNOTATIONS_FILE = '/etc/podinfo/annotations';

/**
 * The annotations of the downward API file (`key="value"` per line, the value quoted as Go's %q,
 * which JSON reads for what annotations hold); empty when the file is not mounted.
 */
export async function readPodAnnotations(path: string): Promise<ReadonlyMap<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return new Map();
  }
  const annotations = new Map<string, string>();
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const quoted = line.slice(equals + 1).trim();
    try {
      annotations.set(line.slice(0, equals).trim(), JSON.parse(quoted) as string);
    } catch {
      annotations.set(line.slice(0, equals).trim(), quoted);
    }
  }
  return annotations;
}
