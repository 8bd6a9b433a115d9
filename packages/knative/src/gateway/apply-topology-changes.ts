import type { Shortline } from '@shortline/proxy';
import type { TopologyChange } from './gateway-topology.js';

/**
 * Brings the proxy in line with discovery: a revision is a pool and a function of the same name
 * (its key), with the revision's timeout, priority and deadline; each healthy pod is a backend with this replica's share of
 * its slots. Pods that leave stop getting work and finish what they run, while requests waiting for
 * them stay queued for the others; a revision that goes away answers its waiting requests 503.
 * The proxy starts whatever may start after each change.
 */
export function applyTopologyChanges(shortline: Shortline, changes: readonly TopologyChange[]): void {
  const logger = shortline.logger;
  for (const change of changes) {
    switch (change.type) {
      case 'revision-upserted': {
        const revision = change.revision;
        const { priority, deadlineMs, ignoredAnnotations } = revision.scheduling;
        shortline.upsertPool(revision.key, revision.loadBalancing);
        shortline.upsertFunction({ name: revision.key, pool: revision.key, timeoutMs: revision.timeoutMs, priority, deadlineMs });
        for (const ignored of ignoredAnnotations) {
          logger.warn({ revision: revision.key, ...ignored }, 'revision annotation ignored (its value is not valid): the default applies');
        }
        logger.info(
          {
            revision: revision.key,
            containerConcurrency: revision.containerConcurrency,
            timeoutMs: revision.timeoutMs,
            loadBalancing: revision.loadBalancing,
            priority,
            deadlineMs,
          },
          'revision known',
        );
        break;
      }
      case 'revision-removed':
        shortline.removeFunction(change.key);
        shortline.removePool(change.key);
        logger.info({ revision: change.key }, 'revision gone');
        break;
      case 'backend-added':
        shortline.backends.add(change.revision, change.backend);
        logger.info({ revision: change.revision, pod: change.backend.url, capacity: change.backend.capacity }, 'pod ready: sending it work');
        break;
      case 'backend-capacity':
        shortline.backends.setCapacity(change.backend.id, change.backend.capacity);
        logger.info({ revision: change.revision, pod: change.backend.url, capacity: change.backend.capacity }, 'pod share changed');
        break;
      case 'backend-removed':
        void shortline.backends.remove(change.id).catch((error: unknown) => {
          logger.error({ err: error, backend: change.id }, 'closing the connections of a pod that left failed');
        });
        logger.info({ revision: change.revision, backend: change.id }, 'pod left: no new work for it');
        break;
    }
  }
}
