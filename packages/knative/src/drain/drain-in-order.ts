import type { Shortline } from '@shortline/proxy';
import type { DataListener } from '../listener/listen-dual-protocol.js';
import type { Drainer } from './drainer.js';

/**
 * Knative's shutdown order: serve until the quiet period passes with no request (probes answer 503
 * from the start, so traffic moves away meanwhile), then stop accepting connections, then let the
 * proxy finish every request it holds, queued or running.
 */
export async function drainInOrder(drainer: Drainer, data: DataListener | undefined, shortline: Shortline): Promise<void> {
  await drainer.drain();
  const stopped = data?.close();
  await shortline.drain();
  await stopped;
}
