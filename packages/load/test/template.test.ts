import { describe, expect, test } from '@jest/globals';
import { compileTemplate, createRequestBuilder, TemplateError, type LoadInvocation } from '../src/index.js';

const invocation = (overrides: Partial<LoadInvocation> = {}): LoadInvocation => ({
  id: 7,
  functionName: 'resize',
  scheduledMs: 0,
  durationMs: 12.3456,
  bodyBytes: NaN,
  ...overrides,
});

describe('templates', () => {
  test('fill every placeholder, keep literal braces', () => {
    const template = compileTemplate('--target', 'a{x}b{{c}}{y}{x}', ['x', 'y']);
    expect(template.placeholders).toEqual(['x', 'y', 'x']);
    expect(template.render((name) => name.toUpperCase())).toBe('aXb{c}YX');
  });

  test.each([
    ['http://h/{fn}', 'unknown placeholder {fn}; known: {function}, {ms}, {id}'],
    ['http://h/{}', 'unknown placeholder {}'],
    ['http://h/{function', '"{" at position 10 is never closed'],
    ['http://h/}', 'a lone "}" at position 10'],
  ])('%s is refused, naming what is wrong', (target, reason) => {
    const error = (() => {
      try {
        createRequestBuilder({ target });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).option).toBe('--target');
    expect((error as Error).message).toContain(reason);
  });

  test('a header template is checked the same way, and a grid parameter is a placeholder', () => {
    expect(() => createRequestBuilder({ target: 'http://h/', headers: ['X-Size: {size}'] })).toThrow('--header "{size}": unknown placeholder {size}');
    expect(() => createRequestBuilder({ target: 'http://h/', headers: ['X-Size: {size}'], parameters: ['size'] })).not.toThrow();
    expect(() => createRequestBuilder({ target: 'http://h/', headers: ['no colon here'] })).toThrow('must be "Name: value"');
  });

  test('a target that is no http URL is refused', () => {
    expect(() => createRequestBuilder({ target: 'ftp://h/{function}' })).toThrow('must be http or https');
    expect(() => createRequestBuilder({ target: '/{function}' })).toThrow('is not an absolute URL');
  });
});

describe('requests from a target', () => {
  test('origin, path and route; placeholders percent-encoded in the URL, as they are in headers', () => {
    const build = createRequestBuilder({ target: 'http://127.0.0.1:8080/f/{function}?ms={ms}&id={id}', headers: ['X-Function: {function}', 'X-Fixed: 1'] });
    const call = build(invocation({ functionName: 'a b/c' }));
    expect(call).toMatchObject({ origin: 'http://127.0.0.1:8080', path: '/f/a%20b%2Fc?ms=12.346&id=7', route: '/f/a%20b%2Fc', method: 'GET', body: undefined });
    expect(call.headers).toEqual({ 'x-function': 'a b/c', 'x-fixed': '1' });
  });

  test('the function in the host, as a Knative service URL has it', () => {
    const call = createRequestBuilder({ target: 'http://{function}.default.example.com?ms={ms}' })(invocation({ durationMs: NaN }));
    expect(call).toMatchObject({ origin: 'http://resize.default.example.com', path: '/?ms=', route: '/' });
  });

  test('static headers are one object for every request', () => {
    const build = createRequestBuilder({ target: 'http://h/', headers: ['Authorization: Bearer {{t}}'] });
    expect(build(invocation()).headers).toBe(build(invocation({ id: 8 })).headers);
    expect(build(invocation()).headers).toEqual({ authorization: 'Bearer {t}' });
  });

  test('a body size makes a POST with that many bytes, one buffer per size', () => {
    const build = createRequestBuilder({ target: 'http://h/{function}' });
    const first = build(invocation({ bodyBytes: 1024 }));
    expect(first.method).toBe('POST');
    expect(first.body?.length).toBe(1024);
    expect(build(invocation({ bodyBytes: 1024 })).body).toBe(first.body);
    expect(createRequestBuilder({ target: 'http://h/', method: 'put' })(invocation({ bodyBytes: 0 })).method).toBe('PUT');
  });
});
