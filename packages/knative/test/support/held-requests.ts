import { Changes } from '../../../proxy/test/support/changes.js';

/**
 * The requests a test server holds until the test releases them. Each hold is one of its
 * `changes`, so a test awaits "two held" rather than polling for it.
 */
export class HeldRequests {
  readonly changes = new Changes();
  #answers: (() => void)[] = [];

  get count(): number {
    return this.#answers.length;
  }

  /** Holds a request: `answer` runs when the test releases it. */
  hold(answer: () => void): void {
    this.#answers.push(answer);
    this.changes.notify();
  }

  /** Answers every request held now. */
  release(): void {
    const answering = this.#answers;
    this.#answers = [];
    for (const answer of answering) answer();
    this.changes.notify();
  }
}

/** A test server that holds requests (a user container, a revision pod). */
export interface Holding {
  readonly held: number;
  release(): void;
  when(condition: () => boolean): Promise<void>;
}

/**
 * Releases what `servers` hold, again each time they hold more (the queue sends the next requests
 * as slots free), until `done` settles.
 */
export async function releaseUntil(servers: readonly Holding[], done: Promise<unknown>): Promise<void> {
  let finished = false;
  const settled = done.finally(() => {
    finished = true;
  });
  while (!finished) {
    for (const server of servers) server.release();
    await Promise.race([settled, ...servers.map((server) => server.when(() => server.held > 0))]);
  }
  await settled;
}

/** Releases what `servers` hold, round after round, until every reply is in. */
export async function releaseUntilAnswered<R>(servers: readonly Holding[], replies: readonly Promise<R>[]): Promise<R[]> {
  const all = Promise.all(replies);
  await releaseUntil(servers, all);
  return all;
}
