import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { IncomingMessage, type IncomingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import { createClassifier, NEEDS_BODY } from '../src/classify/index.js';
import { defaultConfig } from '../src/config/index.js';

function request(url: string, headers: IncomingHttpHeaders): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.url = url;
  message.headers = headers;
  return message;
}

const config = defaultConfig({
  pools: [{ name: 'p', backends: ['http://127.0.0.1:9101'] }],
  functions: [
    { name: 'by-host', pool: 'p', match: { host: 'a.example' } },
    { name: 'by-path', pool: 'p', match: { pathPrefix: '/x' } },
    { name: 'by-header', pool: 'p', match: { header: { name: 'x-t', value: 'v' } } },
    { name: 'by-type', pool: 'p', match: { ceType: 't' } },
  ],
  defaultFunction: 'by-path',
});
const classifier = createClassifier(config.functions, undefined, { maxCloudEventBytes: 64 });
const names = new Set<unknown>([...config.functions.map((fn) => fn.name), undefined, NEEDS_BODY]);

const text = fc.oneof(fc.string(), fc.constantFrom('a.example', 'A.EXAMPLE:1', '/x', '/x?', 't', 'v', 'application/cloudevents+json'));
const headerValue = fc.oneof(text, fc.array(text, { maxLength: 3 }));
const headers = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom('host', 'k-original-host', 'x-t', 'ce-type', 'content-type')),
  headerValue,
  { maxKeys: 6 },
);

describe('classify never throws', () => {
  test('on arbitrary targets and header values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.webPath()), headers, (url, given) => {
        expect(names.has(classifier.classify(request(url, given as IncomingHttpHeaders)))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('classify agrees with a plain reference', () => {
  const pathOnly = createClassifier(
    defaultConfig({ pools: [{ name: 'p', backends: ['http://127.0.0.1:1'] }], functions: [{ name: 'f', pool: 'p', match: { pathPrefix: '/x' } }] })
      .functions,
    undefined,
    { maxCloudEventBytes: 64 },
  );
  const hostOnly = createClassifier(
    defaultConfig({ pools: [{ name: 'p', backends: ['http://127.0.0.1:1'] }], functions: [{ name: 'f', pool: 'p', match: { host: 'a.example' } }] })
      .functions,
    undefined,
    { maxCloudEventBytes: 64 },
  );

  test('path prefix: the path up to ? or # is /x or starts with /x/', () => {
    const pathPart = fc.stringMatching(/^[/x?#a-]{0,8}$/).map((rest) => `/${rest}`);
    fc.assert(
      fc.property(pathPart, (url) => {
        const path = url.split(/[?#]/)[0] as string;
        const expected = path === '/x' || path.startsWith('/x/');
        expect(pathOnly.classify(request(url, {})) === 'f').toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  test('host: equal ignoring case and any :port', () => {
    const host = fc.stringMatching(/^[aA.exmplEXMPL:0-9]{0,14}$/);
    fc.assert(
      fc.property(host, (value) => {
        const expected = value.toLowerCase().split(':')[0] === 'a.example';
        expect(hostOnly.classify(request('/', { host: value })) === 'f').toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
