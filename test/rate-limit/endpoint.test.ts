/** Endpoint globs against hostile request paths: no way around a rule, and no catastrophic backtracking. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Request } from 'express';
import { parseEndpoint, pathReadings, requestPathOf, type PathReadings } from '../../lib/core/index.js';
import { compileEndpoint, ruleCounts, whitelistExempts, type EndpointPattern } from '../../lib/rate-limit/endpoint.js';

function pattern(endpoint: string): EndpointPattern {
  const parsed = parseEndpoint(endpoint);
  if (!parsed.ok) throw new Error(parsed.problem);
  return compileEndpoint(parsed.value);
}

function readings(url: string): PathReadings {
  return pathReadings(requestPathOf({ originalUrl: url, url } as Request));
}

/** Does a rule with this endpoint count the request? */
function matches(endpoint: string, method: string, url: string): boolean {
  return ruleCounts(pattern(endpoint), method, readings(url));
}

/** Does a whitelist entry with this endpoint exempt the request? */
function exempts(endpoint: string, method: string, url: string): boolean {
  return whitelistExempts(pattern(endpoint), method, readings(url));
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

describe('rules count any reading of the canonical path; the whitelist exempts only plain, exact paths', () => {
  it('a rule counts the targets issue 9 found routed past it', () => {
    const rule = 'post:/api/v2/Issues/Create';
    for (const url of [
      'http://127.0.0.1:8080/api/v2/Issues/Create',
      '/api/v2/Issues/Create#x',
      '/api/v2//Issues/Create',
      '/API/V2/issues/create/',
      '/api/v2/Issues/%43reate',
      '/api/v2/Issues/Create?x=1',
    ]) {
      assert.equal(matches(rule, 'POST', url), true, url);
    }
    assert.equal(matches(rule, 'POST', '/api/v2/Issues/Created'), false);
    assert.equal(matches(rule, 'POST', '/api/v2/Issues/Create/x'), false);
  });

  it('an irregular target counts for every rule of its method', () => {
    assert.equal(matches('post:/api/v2/Issues/Create', 'POST', '/elsewhere#x'), true);
    assert.equal(matches('post:/api/v2/Issues/Create', 'GET', '/elsewhere#x'), false);
  });

  it('folds case as the routers\' RegExps do (µ and μ upper-case alike)', () => {
    assert.equal(matches('get:/\u03bc', 'GET', '/\u00b5'), true);
    assert.equal(matches('get:/stra\u00dfe', 'GET', '/STRASSE'), false, 'ß does not fold to SS in a RegExp');
  });

  it('a leading-* whitelist glob cannot be borrowed by another route', () => {
    for (const url of ['/health', '/api/v2/health', 'http://h/api/v2/health?x=1']) assert.equal(exempts('get:*/health', 'GET', url), true, url);
    assert.equal(exempts('get:*/health', 'HEAD', '/health'), true);
    for (const url of [
      '/api/v2/Issues/Create#/health',
      '/api/v2/issues/x%2Fhealth',
      '/api/v2/issues/42?/health',
      '/api/v2/x/%2e%2e/health',
      '/api/v2//health',
      '/HEALTH',
      '/health/',
      'http://h;x/health',
    ]) {
      assert.equal(exempts('get:*/health', 'GET', url), false, url);
    }
    assert.equal(exempts('get:/files/*', 'GET', '/files/a%20b'), true, 'decodes alike');
    assert.equal(exempts('get:/files/*', 'GET', '/files/a%2F..%2F..%2Fsecret'), false);
    assert.equal(exempts('get:*', 'GET', '/anything#x'), true, 'a * glob names every path');
  });
});
