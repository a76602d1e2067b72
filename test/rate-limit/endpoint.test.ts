/** Endpoint globs against hostile request paths: no way around a rule, and no catastrophic backtracking. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEndpoint } from '../../lib/core/index.js';
import { compileEndpoint, endpointMatches, requestPath } from '../../lib/rate-limit/endpoint.js';

function matches(endpoint: string, method: string, url: string): boolean {
  const parsed = parseEndpoint(endpoint);
  if (!parsed.ok) throw new Error(parsed.problem);
  return endpointMatches(compileEndpoint(parsed.value), method, requestPath(url));
}

describe('endpoint globs', () => {
  it('match * and ? case-insensitively, as before', () => {
    assert.equal(matches('get:/api/v2/tickets/*', 'GET', '/API/v2/Tickets/12?x=1'), true);
    assert.equal(matches('get:/api/v2/tickets/*', 'GET', '/api/v2/tickets'), false);
    assert.equal(matches('*:/api/*/notes', 'POST', '/api/v2/tickets/1/notes/'), true);
    assert.equal(matches('*:/a?c', 'GET', '/abc'), true);
    assert.equal(matches('*:/a?c', 'GET', '/abbc'), false);
    assert.equal(matches('*:/a.c', 'GET', '/abc'), false, '. is a literal');
    assert.equal(matches('*:/x/*/y/*', 'GET', '/x/1/y/2/y/3'), true);
  });

  it('a percent-encoded line break in the path does not slip past a wildcard rule', () => {
    for (const url of ['/api/v2/tickets/a%0Ab', '/api/v2/tickets/%0D%0A', '/api/v2/tickets/a%E2%80%A8b']) {
      assert.equal(matches('get:/api/v2/tickets/*', 'GET', url), true, url);
    }
    assert.equal(matches('*:/a?c', 'GET', '/a%0Ac'), true);
  });

  // A RegExp of `.*` runs backtracks polynomially (about 10 s here on 2 cores); a timeout option
  // cannot interrupt synchronous code, so the bound is checked afterwards (generous: ~1 ms expected).
  it('a long hostile path against a many-wildcard rule is answered at once', () => {
    const path = '/api/' + '/'.repeat(4000);
    const started = performance.now();
    assert.equal(matches('get:/api/*/*/*/x', 'GET', path), false);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 2000, `took ${Math.round(elapsed)} ms`);
  });
});
