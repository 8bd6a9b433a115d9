/**
 * Where an exchange is, from arrival to its end:
 *
 *   received ──queue──▶ queued ──start──▶ sending ──connect──▶ sent ──respond──▶ responding ──finish──▶ done
 *      │                  ▲                  │  ▲                  │
 *      │                  └──────queue───────┘  └──────resend──────┘  (a reused connection closed under it)
 *      │                     (the backend refused the connection: back in line)
 *      ├──relay──▶ done    (an upgrade, handed to the relay)
 *      └──reply──▶ done    (a layer answered it, such as a Knative probe)
 *
 * and from every phase but done: `refuse` (the proxy's own answer, or the connection cut once the
 * response has started) and `leave` (the client went away) end it. Everything that changes an
 * exchange's phase goes through `nextPhase`, so an event in the wrong phase is a bug that shows.
 */
export type ExchangePhase = 'received' | 'queued' | 'sending' | 'sent' | 'responding' | 'done';

export type ExchangeEvent = 'queue' | 'start' | 'connect' | 'resend' | 'respond' | 'finish' | 'relay' | 'reply' | 'refuse' | 'leave';

type Transitions = Readonly<Record<ExchangePhase, Readonly<Partial<Record<ExchangeEvent, ExchangePhase>>>>>;

const ENDINGS = { refuse: 'done', leave: 'done' } as const;

export const TRANSITIONS: Transitions = {
  received: { queue: 'queued', relay: 'done', reply: 'done', ...ENDINGS },
  queued: { start: 'sending', ...ENDINGS },
  sending: { connect: 'sent', queue: 'queued', ...ENDINGS },
  sent: { respond: 'responding', resend: 'sending', ...ENDINGS },
  responding: { finish: 'done', ...ENDINGS },
  done: {},
};

/** An event that its exchange's phase does not allow: a bug in the proxy, not in the request. */
export class IllegalTransitionError extends Error {
  readonly code = 'SHORTLINE_ILLEGAL_TRANSITION';
  constructor(
    readonly phase: ExchangePhase,
    readonly event: ExchangeEvent,
  ) {
    super(`exchange in phase ${phase} cannot take event ${event}`);
    this.name = 'IllegalTransitionError';
  }
}

export function nextPhase(phase: ExchangePhase, event: ExchangeEvent): ExchangePhase {
  const next = TRANSITIONS[phase][event];
  if (next === undefined) throw new IllegalTransitionError(phase, event);
  return next;
}
