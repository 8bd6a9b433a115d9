import { describe, expect, it } from '@jest/globals';
import { RouteTemplates } from '../src/predictor/route-templates.js';
import { identifierShape } from '../src/predictor/segment-shape.js';

describe('identifierShape', () => {
  it.each([
    ['42', '{n}'],
    ['20261201', '{n}'],
    ['123e4567-e89b-12d3-a456-426614174000', '{uuid}'],
    ['9f86d081884c7d65', '{hex}'],
    ['5d41402abc4b2a76b9719d911017c592', '{hex}'],
    ['dGhpcyBpcyBhIHRva2VuMTIz', '{token}'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9', '{token}'],
    ['x'.repeat(65), '{long}'],
  ])('collapses %s to %s', (segment, shape) => {
    expect(identifierShape(segment)).toBe(shape);
  });

  it.each(['users', 'v2', 'health', 'deadbeefcafebabe', 'item-list', 'report.pdf', 'a:b', '', 'user-profile-settings-page'])(
    'leaves %j to counting: it may be a route name',
    (segment) => {
      expect(identifierShape(segment)).toBeUndefined();
    },
  );
});

describe('RouteTemplates', () => {
  it('gives paths that differ only in identifiers one template', () => {
    const templates = new RouteTemplates();
    const a = templates.templateOf('/users/42/orders');
    expect(a.template).toBe('/users/{n}/orders');
    expect(templates.templateOf('/users/7/orders')).toBe(a);
    expect(templates.templateOf('/files/123e4567-e89b-12d3-a456-426614174000').template).toBe('/files/{uuid}');
    expect(templates.templateOf('/').template).toBe('/');
    expect(templates.templateOf('').template).toBe('/');
    expect(templates.templateOf('/health').template).toBe('/health');
  });

  it('reads the path of a whole request target in place, up to its query, whatever the query holds', () => {
    const templates = new RouteTemplates();
    const orders = templates.templateOf('/users/42/orders');
    const target = '/users/7/orders?next=/users/8/orders/9';
    expect(templates.templateOf(target, target.indexOf('?'))).toBe(orders);
    expect(templates.templateOf('/health?x=/a', 7)).toBe(templates.templateOf('/health'));
    expect(templates.templateOf('/?x=/a/b', 1).template).toBe('/');
    expect(templates.templateOf('?x=/a/b', 0).template).toBe('/');
  });

  it('learns that a position holds names once it has taken more than valuesPerPosition of them, and drops what it held', () => {
    const templates = new RouteTemplates({ valuesPerPosition: 4 });
    for (const name of ['alice', 'bob', 'carol', 'dave']) {
      expect(templates.templateOf(`/users/${name}/profile`).template).toBe(`/users/${name}/profile`);
    }
    const nodesBefore = templates.nodes;
    // The fifth distinct name: the position is a variable from now on, for every name, old or new.
    expect(templates.templateOf('/users/erin/profile').template).toBe('/users/{*}/profile');
    expect(templates.templateOf('/users/alice/profile').template).toBe('/users/{*}/profile');
    expect(templates.nodes).toBeLessThan(nodesBefore);
    // Other positions keep their names.
    expect(templates.templateOf('/orders').template).toBe('/orders');
  });

  it('follows at most maxSegments segments, and does not even slice a segment too long to be a name', () => {
    const templates = new RouteTemplates({ maxSegments: 3 });
    expect(templates.templateOf('/a/b/c/d/e').template).toBe('/a/b/c/{...}');
    expect(templates.templateOf(`/a/${'z'.repeat(4096)}`).template).toBe('/a/{long}');
    expect(new RouteTemplates().templateOf('/x'.repeat(2048)).template).toBe(`${'/x'.repeat(12)}/{...}`);
  });

  it('stays within its node budget whatever the paths, ending new branches in {...}', () => {
    const templates = new RouteTemplates({ maxNodes: 50, valuesPerPosition: 8 });
    // Seven names at each of three levels: never enough to collapse a position, far too many nodes.
    for (let a = 0; a < 7; a++) {
      for (let b = 0; b < 7; b++) {
        for (let c = 0; c < 7; c++) templates.templateOf(`/a${String.fromCharCode(97 + a)}/b${String.fromCharCode(97 + b)}/c${String.fromCharCode(97 + c)}`);
      }
    }
    expect(templates.nodes).toBeLessThanOrEqual(50);
    expect(templates.templateOf('/ag/bg/cg').template).toMatch(/\{\.\.\.\}$/);
  });

  it('keeps a flood of random paths in a few dozen nodes: every flooded position collapses', () => {
    const templates = new RouteTemplates();
    let seed = 1;
    const token = (): string => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return `p${(seed >>> 8).toString(36)}`;
    };
    for (let i = 0; i < 100_000; i++) templates.templateOf(`/${token()}/${token()}/${token()}`);
    expect(templates.nodes).toBeLessThan(100);
    expect(templates.templateOf(`/${token()}/${token()}/${token()}`).template).toBe('/{*}/{*}/{*}');
  });
});
