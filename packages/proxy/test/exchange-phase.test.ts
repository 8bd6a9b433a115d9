import { describe, expect, test } from '@jest/globals';
import { IllegalTransitionError } from '../src/index.js';
import { nextPhase, TRANSITIONS, type ExchangeEvent, type ExchangePhase } from '../src/exchange/exchange-phase.js';

const PHASES = Object.keys(TRANSITIONS) as ExchangePhase[];
const EVENTS: ExchangeEvent[] = ['queue', 'start', 'connect', 'resend', 'respond', 'finish', 'relay', 'reply', 'refuse', 'leave'];

describe('the exchange phase table', () => {
  test('the happy path, a retry after a refused connection, a resend after a closed one, and the endings', () => {
    const path = (events: ExchangeEvent[]): ExchangePhase[] => {
      let phase: ExchangePhase = 'received';
      return events.map((event) => (phase = nextPhase(phase, event)));
    };
    expect(path(['queue', 'start', 'connect', 'respond', 'finish'])).toEqual(['queued', 'sending', 'sent', 'responding', 'done']);
    expect(path(['queue', 'start', 'queue', 'start', 'connect'])).toEqual(['queued', 'sending', 'queued', 'sending', 'sent']);
    expect(path(['queue', 'start', 'connect', 'resend', 'connect', 'respond'])).toEqual(['queued', 'sending', 'sent', 'sending', 'sent', 'responding']);
    expect(path(['reply'])).toEqual(['done']);
    expect(path(['relay'])).toEqual(['done']);
  });

  test.each(PHASES.filter((phase) => phase !== 'done'))('%s can always be refused or left', (phase) => {
    expect(nextPhase(phase, 'refuse')).toBe('done');
    expect(nextPhase(phase, 'leave')).toBe('done');
  });

  test('an event its phase does not allow throws, naming the phase and the event', () => {
    const illegal = PHASES.flatMap((phase) => EVENTS.filter((event) => TRANSITIONS[phase][event] === undefined).map((event) => [phase, event] as const));
    expect(illegal).toContainEqual(['done', 'refuse']);
    expect(illegal).toContainEqual(['queued', 'respond']);
    expect(illegal).toContainEqual(['responding', 'resend']);
    for (const [phase, event] of illegal) {
      expect(() => nextPhase(phase, event)).toThrow(new IllegalTransitionError(phase, event));
    }
    expect(() => nextPhase('done', 'finish')).toThrow('exchange in phase done cannot take event finish');
  });
});
