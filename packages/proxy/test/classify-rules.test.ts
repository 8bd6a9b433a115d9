import { describe, expect, test } from '@jest/globals';
import { IncomingMessage, type IncomingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import { createClassifier, NEEDS_BODY } from '../src/classify/index.js';
import { defaultConfig, type FunctionInput } from '../src/config/index.js';

/** A real IncomingMessage with the given target and headers (names in lowercase, as Node gives them). */
function request(url: string, headers: IncomingHttpHeaders = {}): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.url = url;
  message.headers = headers;
  return message;
}

function classifierFor(functions: FunctionInput[], defaultFunction?: string) {
  const config = defaultConfig({
    pools: [{ name: 'p', backends: ['http://127.0.0.1:9101'] }],
    functions: functions.map((fn) => ({ pool: 'p', ...fn })),
    defaultFunction,
  });
  return createClassifier(config.functions, config.defaultFunction, { maxCloudEventBytes: 1024 });
}

describe('path prefix', () => {
  const classifier = classifierFor([
    { name: 'resize', match: { pathPrefix: '/resize' } },
    { name: 'api', match: { pathPrefix: '/api/' } },
  ]);

  test.each([
    ['/resize', 'resize'],
    ['/resize/big', 'resize'],
    ['/resize?w=10', 'resize'],
    ['/resize#top', 'resize'],
    ['/resizer', undefined],
    ['/Resize', undefined],
    ['/other?next=/resize', undefined],
    ['/api/users', 'api'],
    ['/api/', 'api'],
    ['/api', undefined],
    ['http://example.com/resize?x=1', 'resize'],
    ['http://example.com?q=/resize', undefined],
    ['*', undefined],
    ['', undefined],
  ])('%s -> %s', (url, expected) => {
    expect(classifier.classify(request(url))).toBe(expected);
  });
});

describe('host', () => {
  const classifier = classifierFor([{ name: 'shop', match: { host: 'Shop.Example.com' } }]);

  test.each([
    [{ host: 'shop.example.com' }, 'shop'],
    [{ host: 'SHOP.example.COM:8080' }, 'shop'],
    [{ host: 'shop.example.com.evil' }, undefined],
    [{ host: 'shop.example.co' }, undefined],
    [{}, undefined],
    [{ host: 'other.example.com', 'k-original-host': 'shop.example.com' }, 'shop'],
    [{ host: 'shop.example.com', 'k-original-host': 'other.example.com' }, undefined],
    [{ host: 'shop.example.com', 'k-original-host': '' }, 'shop'],
  ] as [IncomingHttpHeaders, string | undefined][])('%j -> %s', (headers, expected) => {
    expect(classifier.classify(request('/', headers))).toBe(expected);
  });
});

describe('header value', () => {
  const classifier = classifierFor([{ name: 'acme', match: { header: { name: 'X-Tenant', value: 'acme' } } }]);

  test('the named header must have exactly the value (name in any case)', () => {
    expect(classifier.classify(request('/', { 'x-tenant': 'acme' }))).toBe('acme');
    expect(classifier.classify(request('/', { 'x-tenant': 'Acme' }))).toBeUndefined();
    expect(classifier.classify(request('/', { 'x-tenant': 'acme, other' }))).toBeUndefined();
    expect(classifier.classify(request('/', {}))).toBeUndefined();
  });
});

describe('CloudEvents type', () => {
  const classifier = classifierFor(
    [
      { name: 'health', match: { pathPrefix: '/healthz' } },
      { name: 'orders', match: { ceType: 'com.example.order.created' } },
      { name: 'rest', match: { pathPrefix: '/' } },
    ],
    undefined,
  );

  test('binary mode: the ce-type header', () => {
    expect(classifier.classify(request('/', { 'ce-type': 'com.example.order.created' }))).toBe('orders');
    expect(classifier.classify(request('/', { 'ce-type': 'com.example.other' }))).toBe('rest');
  });

  test('structured mode: the body must be read once a ceType rule is reached', () => {
    const structured = { 'content-type': 'application/cloudevents+json; charset=utf-8' };
    expect(classifier.classify(request('/', structured))).toBe(NEEDS_BODY);
    expect(classifier.classify(request('/', { 'content-type': 'Application/CloudEvents+JSON' }))).toBe(NEEDS_BODY);
  });

  test('structured mode: a rule before the ceType rule decides without the body', () => {
    expect(classifier.classify(request('/healthz', { 'content-type': 'application/cloudevents+json' }))).toBe('health');
  });

  test('a batch or another content type is not a structured event', () => {
    expect(classifier.classify(request('/', { 'content-type': 'application/cloudevents-batch+json' }))).toBe('rest');
    expect(classifier.classify(request('/', { 'content-type': 'application/cloudevents+jsonx' }))).toBe('rest');
  });

  test('without ceType rules, structured requests never need their body read', () => {
    const noCe = classifierFor([{ name: 'all', match: { pathPrefix: '/' } }]);
    expect(noCe.classify(request('/', { 'content-type': 'application/cloudevents+json' }))).toBe('all');
  });
});

describe('rules', () => {
  test('all conditions of a rule must hold', () => {
    const classifier = classifierFor([
      { name: 'both', match: { host: 'a.example', pathPrefix: '/x', header: { name: 'x-v', value: '2' } } },
    ]);
    expect(classifier.classify(request('/x', { host: 'a.example', 'x-v': '2' }))).toBe('both');
    expect(classifier.classify(request('/y', { host: 'a.example', 'x-v': '2' }))).toBeUndefined();
    expect(classifier.classify(request('/x', { host: 'b.example', 'x-v': '2' }))).toBeUndefined();
    expect(classifier.classify(request('/x', { host: 'a.example', 'x-v': '1' }))).toBeUndefined();
  });

  test('the first matching rule wins', () => {
    const classifier = classifierFor([
      { name: 'specific', match: { pathPrefix: '/a/b' } },
      { name: 'general', match: { pathPrefix: '/a' } },
      { name: 'everything', match: {} },
    ]);
    expect(classifier.classify(request('/a/b/c'))).toBe('specific');
    expect(classifier.classify(request('/a/c'))).toBe('general');
    expect(classifier.classify(request('/z'))).toBe('everything');
  });

  test('unmatched requests go to the default function, or nowhere', () => {
    expect(classifierFor([{ name: 'a', match: { pathPrefix: '/a' } }, { name: 'b', match: { pathPrefix: '/b' } }], 'b').classify(request('/z'))).toBe('b');
    expect(classifierFor([{ name: 'a', match: { pathPrefix: '/a' } }]).classify(request('/z'))).toBeUndefined();
  });

  test('a missing url is classified as /', () => {
    const message = request('/');
    delete (message as { url?: string }).url;
    expect(classifierFor([{ name: 'root', match: { pathPrefix: '/' } }]).classify(message)).toBe('root');
  });
});
