import type { LoadInvocation } from './invocation.js';
import { compileTemplate, TemplateError, type Template } from './template.js';

/** One HTTP request, ready for the client. */
export interface HttpCall {
  /** e.g. `http://127.0.0.1:8080` */
  readonly origin: string;
  /** Path and query, e.g. `/sleep?ms=20`. */
  readonly path: string;
  /** The path without its query: the records' route column. */
  readonly route: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly body: Buffer | undefined;
}

export type RequestBuilder = (invocation: LoadInvocation) => HttpCall;

/** The placeholders every target knows. */
export const INVOCATION_PLACEHOLDERS = ['function', 'ms', 'id'] as const;

export interface RequestBuilderOptions {
  /** A URL template, e.g. `http://127.0.0.1:8080/{function}?ms={ms}`. */
  readonly target: string;
  /** `Name: value` templates, e.g. `X-Request-Id: {id}`. */
  readonly headers?: readonly string[] | undefined;
  /** Default GET, or POST when the invocation has a body. */
  readonly method?: string | undefined;
  /** More placeholders: the grid parameters of dataset mode, filled from each invocation's point. */
  readonly parameters?: readonly string[] | undefined;
}

/** `{ms}`: milliseconds to three decimals, without trailing zeros; empty when unknown. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? String(Math.round(ms * 1000) / 1000) : '';
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function placeholderValue(invocation: LoadInvocation, name: string): string {
  switch (name) {
    case 'function':
      return invocation.functionName;
    case 'ms':
      return formatMs(invocation.durationMs);
    case 'id':
      return String(invocation.id);
    default:
      return invocation.sweep?.params[name] ?? '';
  }
}

/** Where the path starts in an absolute http(s) URL: the first `/` or `?` after the authority. */
function pathStart(url: string): number {
  const authority = url.indexOf('//') + 2;
  for (let i = authority; i < url.length; i++) {
    const char = url[i];
    if (char === '/' || char === '?') return i;
  }
  return url.length;
}

function checkTarget(template: Template): void {
  const sample = template.render((name) => (name === 'ms' ? '1' : name === 'id' ? '0' : 'f'));
  let url: URL;
  try {
    url = new URL(sample);
  } catch {
    throw new TemplateError('--target', template.text, 'is not an absolute URL (e.g. http://127.0.0.1:8080/{function}?ms={ms})');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TemplateError('--target', template.text, `must be http or https, not ${url.protocol}`);
}

interface HeaderTemplate {
  readonly name: string;
  readonly value: Template;
}

function compileHeader(text: string, known: readonly string[]): HeaderTemplate {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(0, colon).trim();
  if (!TOKEN.test(name)) throw new TemplateError('--header', text, 'must be "Name: value" with a valid header name');
  return { name: name.toLowerCase(), value: compileTemplate('--header', text.slice(colon + 1).trim(), known) };
}

/**
 * Compiles the target and headers into a function from invocation to request. Every template is
 * checked here, so a bad one is refused before anything is sent. URL placeholders are
 * percent-encoded; header values go in as they are. Bodies are `bodyBytes` bytes of `x`, one buffer
 * per size, reused.
 */
export function createRequestBuilder(options: RequestBuilderOptions): RequestBuilder {
  const known = [...INVOCATION_PLACEHOLDERS, ...(options.parameters ?? [])];
  const target = compileTemplate('--target', options.target, known);
  checkTarget(target);
  const headers = (options.headers ?? []).map((text) => compileHeader(text, known));
  const method = options.method?.toUpperCase();
  if (method !== undefined && !TOKEN.test(method)) throw new TemplateError('--method', options.method as string, 'is not an HTTP method');
  const staticHeaders = headers.every((header) => header.value.placeholders.length === 0)
    ? Object.freeze(Object.fromEntries(headers.map((header) => [header.name, header.value.render(() => '')])))
    : undefined;
  const bodies = new Map<number, Buffer>();
  const bodyOf = (bytes: number): Buffer => {
    let body = bodies.get(bytes);
    if (body === undefined) {
      body = Buffer.alloc(bytes, 'x');
      bodies.set(bytes, body);
    }
    return body;
  };
  return (invocation) => {
    const url = target.render((name) => encodeURIComponent(placeholderValue(invocation, name)));
    const start = pathStart(url);
    const path = start === url.length ? '/' : url[start] === '?' ? `/${url.slice(start)}` : url.slice(start);
    const query = path.indexOf('?');
    const body = Number.isFinite(invocation.bodyBytes) ? bodyOf(invocation.bodyBytes) : undefined;
    return {
      origin: url.slice(0, start),
      path,
      route: query < 0 ? path : path.slice(0, query),
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers:
        headers.length === 0
          ? undefined
          : (staticHeaders ?? Object.fromEntries(headers.map((header) => [header.name, header.value.render((name) => placeholderValue(invocation, name))]))),
      body,
    };
  };
}
