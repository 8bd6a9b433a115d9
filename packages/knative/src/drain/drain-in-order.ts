import type { Drainer, Shortline } from '@shortline/proxy';
import type { DataListener } from '../listener/data-listener.js';

/**
 * Knative's shutdown order: serve until the quiet period passes with no request (probes answer 503
 * from the start, so traffic moves away meanwhile), then stop accepting connections, then let the
 * proxy finish every request it holds, queued or running.
 */
export async function drainInOrder(drainer: Drainer, listeners: readonly DataListener[], shortline: Shortline): Promise<void> {
  await drainer.drain();
  const stopped = Promise.all(listeners.map((listener) => listener.close()));
  await shortline.drain();
  await stopped;
}
