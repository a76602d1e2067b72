/**
 * The canonical request path (lib/core/request-path.ts): what Express routes on, when a target is
 * regular, and the readings endpoint rules and the whitelist are matched against. The differential
 * test (test/rate-limit/request-path-differential.test.ts) checks the same against real routers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Request } from 'express';
import { pathReadings, requestPath, requestPathOf, type RequestPath } from '../../lib/core/index.js';

const req = (url: string): Request => ({ originalUrl: url, url }) as Request;
const of = (url: string): RequestPath => requestPathOf(req(url));
const readings = (url: string): readonly string[] | null => pathReadings(of(url)).paths;

describe('requestPathOf', () => {
  it('is the origin path of an absolute-form target, without query or fragment, escapes kept', () => {
    assert.deepEqual(of('/api/v2/Issues/Create?x=1'), { path: '/api/v2/Issues/Create', search: '?x=1', regular: true });
    assert.deepEqual(of('http://127.0.0.1:8080/api/v2/Issues/Create'), { path: '/api/v2/Issues/Create', search: '', regular: true });
    assert.deepEqual(of('HTTPS://user@example.com/a?b=1'), { path: '/a', search: '?b=1', regular: true });
    assert.equal(of('/api/v2/Issues/Create#x').path, '/api/v2/Issues/Create');
    assert.equal(of('/api/v2/issues/x%2Fhealth').path, '/api/v2/issues/x%2Fhealth');
    assert.equal(of('/a?b#c').search, '?b');
  });

  it('reads what parseurl reads, quirks included (Express routes on exactly that)', () => {
    assert.equal(of('/a\\b').path, '/a\\b', 'no fragment: cut at "?" only');
    assert.equal(of('/a\\b#c').path, '/a/b', 'a fragment sends it through url.parse, which turns \\ into /');
    assert.equal(of('//a@b/admin#').path, '/admin', 'and reads "//user@host" as an authority');
    assert.equal(of('http://h:port/x').path, '/:port/x');
    assert.equal(of('*').path, '*');
  });

  it('is regular only when every router below a mount reads the rest of the target as the rest of the path', () => {
    for (const url of ['/a/b', '/a//b?c', 'http://h/a?x', 'foo://a@h:1/a/b', '/a%2Fb;c']) assert.equal(of(url).regular, true, url);
    for (const url of ['/a#b', '/a?b#c', '*', 'http://h', 'http://h?x/y', 'http://h;x/y', 'http://h:port/x', 'http://h/x\\y', '//a@b/x#', 'a://b']) {
      assert.equal(of(url).regular, false, url);
    }
  });

  it('is computed once per request, and again when the URL changes', () => {
    const request = req('/a?x=1');
    const first = requestPathOf(request);
    assert.equal(requestPathOf(request), first);
    request.originalUrl = '/b';
    assert.equal(requestPathOf(request).path, '/b');
  });

  it('falls back to the target up to "?" or "#" when parseurl finds no path', () => {
    assert.deepEqual(of('a://b?c'), { path: 'a://b', search: '', regular: false });
    assert.equal(requestPathOf({ url: undefined } as unknown as Request).path, '/');
  });

  it('is what error messages show: capped and without control characters', () => {
    assert.equal(requestPath(req('http://h/api/v2/x?apiKey=abc#f')), '/api/v2/x');
    assert.equal(requestPath(req(`/${'a'.repeat(300)}`)).length, 201);
  });
});

describe('pathReadings', () => {
  it('lists the path as sent, Express 4 slash trims, decoded and resolved readings', () => {
    assert.deepEqual(readings('/api/v2/issues'), ['/api/v2/issues']);
    assert.deepEqual(new Set(readings('/api/v2//issues')), new Set(['/api/v2//issues', '/api/v2/issues']));
    assert.deepEqual(new Set(readings('/a/%62')), new Set(['/a/%62', '/a/b']));
    assert.ok(readings('/static/public/..%2Fsecret.txt')?.includes('/static/secret.txt'));
    assert.ok(readings('/static/public\\..\\secret.txt')?.includes('/static/secret.txt'), '\\ is a separator on Windows');
    assert.ok(readings('/a/x%zz/%62')?.includes('/a/x%zz/b'), 'a malformed segment stays, the others decode');
    // Three runs: Express 4 may trim any subset of them.
    assert.ok(readings('/x//a//b//c')?.includes('/x/a//b/c'));
  });

  it('lists nothing for an irregular target or more than three runs of slashes', () => {
    assert.equal(readings('/api/v2/Issues/Create#x'), null);
    assert.equal(readings('/a//b//c//d//e'), null);
  });

  it('is plain only when every reading names one resource', () => {
    const plain = (url: string): boolean => pathReadings(of(url)).plain;
    for (const url of ['/health', '/health/', '/files/a%20b', 'http://h/health?x']) assert.equal(plain(url), true, url);
    for (const url of ['/a//health', '/x/../health', '/x/%2e%2e/health', '/a%2F%2Fb', '/a%zz', '/a\\b', '/health#x', '/x/.']) assert.equal(plain(url), false, url);
  });
});
