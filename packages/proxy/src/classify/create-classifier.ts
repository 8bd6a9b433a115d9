import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FunctionConfig } from '../config/shortline-config.js';
import { cloudEventType } from './cloud-event-type.js';
import { NEEDS_BODY } from './needs-body.js';
import { readBodyUpTo } from './read-body-up-to.js';
import { hasPathPrefix, hostMatches, isStructuredCloudEvent, requestHost } from './request-matchers.js';

export interface ClassifierOptions {
  /** Largest structured CloudEvent body read to learn its type (limits.maxCloudEventBytes). */
  readonly maxCloudEventBytes: number;
}

export type StructuredClassification =
  | { readonly functionName: string | undefined; readonly body: Buffer; readonly eventType: string }
  | { readonly error: 'too-large' | 'invalid-cloudevent'; readonly message: string };

export interface Classifier {
  /**
   * The function a request belongs to: the first whose rule matches, else the default function;
   * undefined when neither (answer 404); NEEDS_BODY when the request is a structured CloudEvent and a
   * `ceType` rule has to see its type (then call classifyStructured).
   */
  classify(request: IncomingMessage): string | undefined | typeof NEEDS_BODY;
  /**
   * Reads a structured CloudEvent's body (up to maxCloudEventBytes), parses it with the CloudEvents
   * SDK and classifies the request by its type. The body read is returned to be forwarded in place of
   * the consumed stream. `too-large` comes as soon as the limit is passed and leaves the rest unread
   * (answer 413 with `Connection: close`); `invalid-cloudevent` means 400. Rejects only when the
   * request itself fails (the client went away).
   */
  classifyStructured(request: IncomingMessage): Promise<StructuredClassification>;
}

/** A rule flattened for the hot path: one object shape for every rule, header name in lowercase. */
interface CompiledRule {
  readonly functionName: string;
  readonly host: string | undefined;
  readonly pathPrefix: string | undefined;
  readonly headerName: string | undefined;
  readonly headerValue: string | undefined;
  readonly ceType: string | undefined;
}

function compile(fn: FunctionConfig): CompiledRule {
  return {
    functionName: fn.name,
    host: fn.match.host?.toLowerCase(),
    pathPrefix: fn.match.pathPrefix,
    headerName: fn.match.header?.name.toLowerCase(),
    headerValue: fn.match.header?.value,
    ceType: fn.match.ceType,
  };
}

class RuleClassifier implements Classifier {
  readonly #rules: readonly CompiledRule[];
  readonly #defaultFunction: string | undefined;
  readonly #maxCloudEventBytes: number;

  constructor(functions: readonly FunctionConfig[], defaultFunction: string | undefined, options: ClassifierOptions) {
    this.#rules = functions.map(compile);
    this.#defaultFunction = defaultFunction;
    this.#maxCloudEventBytes = options.maxCloudEventBytes;
  }

  classify(request: IncomingMessage): string | undefined | typeof NEEDS_BODY {
    return this.#match(request.headers, request.url ?? '/', undefined);
  }

  async classifyStructured(request: IncomingMessage): Promise<StructuredClassification> {
    const body = await readBodyUpTo(request, this.#maxCloudEventBytes);
    if (body === undefined) {
      return {
        error: 'too-large',
        message: `a structured CloudEvent may have at most ${this.#maxCloudEventBytes} bytes (limits.maxCloudEventBytes)`,
      };
    }
    const parsed = await cloudEventType(request.headers, body);
    if ('problem' in parsed) return { error: 'invalid-cloudevent', message: `not a valid structured CloudEvent: ${parsed.problem}` };
    return { functionName: this.#match(request.headers, request.url ?? '/', parsed.type) as string | undefined, body, eventType: parsed.type };
  }

  /**
   * First match wins. `eventType` is the type read from a structured body; while it is unknown, a
   * structured request that reaches a ceType rule cannot be decided here, whatever rules follow.
   */
  #match(headers: IncomingHttpHeaders, url: string, eventType: string | undefined): string | undefined | typeof NEEDS_BODY {
    for (const rule of this.#rules) {
      if (rule.host !== undefined && !hostMatches(requestHost(headers), rule.host)) continue;
      if (rule.pathPrefix !== undefined && !hasPathPrefix(url, rule.pathPrefix)) continue;
      if (rule.headerName !== undefined && headers[rule.headerName] !== rule.headerValue) continue;
      if (rule.ceType !== undefined) {
        if (eventType !== undefined) {
          if (eventType !== rule.ceType) continue;
        } else if (isStructuredCloudEvent(headers['content-type'])) {
          return NEEDS_BODY;
        } else if (headers['ce-type'] !== rule.ceType) {
          continue;
        }
      }
      return rule.functionName;
    }
    return this.#defaultFunction;
  }
}

/** A classifier for these functions' match rules, in order; build a new one when the configuration changes. */
export function createClassifier(
  functions: readonly FunctionConfig[],
  defaultFunction: string | undefined,
  options: ClassifierOptions,
): Classifier {
  return new RuleClassifier(functions, defaultFunction, options);
}
