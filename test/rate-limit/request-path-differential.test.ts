/**
 * Differential test of the canonical request path (issue 9): real Express 4 and Express 5 apps with
 * a realistic route table, more than 10,000 generated request targets plus hand-picked hostile ones (absolute form, fragments, doubled slashes),
 * all written over raw sockets so nothing normalizes them. For every answer a handler gave:
 * - counted: the handler's own rule is in `RateLimit-Policy` (one rule per handler, named after it);
 * - or exempted: then an endpoint-whitelist glob names the path the handler really served.
 * The seed is fixed (PATH_CORPUS_SEED overrides it) and printed with any failure.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import express4 from 'express4';
import { rateLimit } from '../../lib/rate-limit/index.js';
import { generatedTargets, NASTY } from './fixtures/path-corpus.js';
import { sendRaw, type RawRequest, type RawResponse } from './fixtures/raw-http.js';
import { HANDLERS, routedApp, staticFolder, WHITELIST, type Handler } from './fixtures/route-table.js';

const SEED = Number(process.env.PATH_CORPUS_SEED ?? 20_240_909);
const GENERATED = 10_000;
const HUGE = 1_000_000_000;

/** An independent reading of a whitelist glob: `*` any run, `?` one character, one trailing slash optional. */
function globTest(glob: string, path: string, caseSensitive: boolean): boolean {
  const source = [...glob.replace(/\/$/, '')].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}/?$`, caseSensitive ? '' : 'i').test(path);
}

/** True when some whitelist entry covers this method and the path the handler actually served. */
function whitelistNames(method: string, handler: Handler, served: string): boolean {
  return WHITELIST.some((entry) => {
    const colon = entry.indexOf(':');
    const methods = entry.slice(0, colon).toUpperCase().split(',');
    const methodOk = methods.includes('*') || methods.includes(method) || (method === 'HEAD' && methods.includes('GET'));
    return methodOk && globTest(entry.slice(colon + 1), served, handler.caseSensitive === true);
  });
}

interface Outcome {
  findings: string[];
  reached: Map<string, number>;
  exempted: number;
  byTarget: Map<string, string | undefined>;
}

function judge(version: number, requests: readonly RawRequest[], responses: readonly RawResponse[]): Outcome {
  const handlers = new Map(HANDLERS.map((h) => [h.name, h]));
  const outcome: Outcome = { findings: [], reached: new Map(), exempted: 0, byTarget: new Map() };
  responses.forEach((response, i) => {
    const { method, target } = requests[i] as RawRequest;
    const name = response.headers.get('x-handler');
    outcome.byTarget.set(`${method} ${target}`, name);
    if (name === undefined) return;
    const handler = handlers.get(name);
    assert.ok(handler, `unknown handler ${name}`);
    outcome.reached.set(name, (outcome.reached.get(name) ?? 0) + 1);
    const policy = response.headers.get('ratelimit-policy');
    const served = decodeURIComponent(response.headers.get('x-observed') ?? '');
    const where = `Express ${version}: ${JSON.stringify(`${method} ${target}`)} reached ${name} (served ${JSON.stringify(served)})`;
    if (policy !== undefined) {
      const counted = [...policy.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      if (!counted.includes(name)) outcome.findings.push(`${where} but its rule did not count it (counted: ${counted.join(', ') || 'none'})`);
    } else {
      outcome.exempted++;
      if (!whitelistNames(method, handler, served)) outcome.findings.push(`${where} and was exempted, though no whitelist entry names that path`);
    }
  });
  return outcome;
}

async function runAgainst(version: 4 | 5, factory: typeof express, dir: string, requests: readonly RawRequest[]): Promise<Outcome> {
  const limiter = rateLimit({
    // `every` counts whatever is not exempt, so a missing RateLimit-Policy means "exempted".
    rules: [...HANDLERS.map((h) => ({ name: h.name, endpoint: h.endpoint, period: '1h', limit: HUGE })), { name: 'every', endpoint: '*', period: '1h', limit: HUGE }],
    endpointWhitelist: [...WHITELIST],
  });
  const server = routedApp(factory, version, limiter, dir).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  try {
    const responses = await sendRaw((server.address() as AddressInfo).port, requests, { connections: 16, pipeline: 8 });
    return judge(version, requests, responses);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await limiter.close();
  }
}

describe('the canonical request path against real Express routers', () => {
  const folder = staticFolder();
  let requests: RawRequest[] = [];
  before(() => {
    requests = [...NASTY, ...generatedTargets(SEED, GENERATED)];
  });
  after(() => folder.remove());

  for (const [version, factory] of [
    [4, express4],
    [5, express],
  ] as const) {
    it(`Express ${version}: every routed target is counted by its handler's rule; exemptions reach only what the whitelist names`, { timeout: 120_000 }, async (t) => {
      const started = performance.now();
      const outcome = await runAgainst(version, factory, folder.dir, requests);
      const ms = Math.round(performance.now() - started);
      const routed = [...outcome.reached.values()].reduce((a, b) => a + b, 0);
      t.diagnostic(`seed ${SEED}: ${requests.length} targets, ${routed} reached a handler, ${outcome.exempted} exempted, ${ms} ms`);
      if (outcome.findings.length > 0) {
        assert.fail(
          `seed ${SEED} (PATH_CORPUS_SEED=${SEED} reproduces): ${outcome.findings.length} of ${requests.length} targets broke the promise:\n` +
            outcome.findings.slice(0, 30).join('\n'),
        );
      }
      // The corpus must really exercise every handler and the whitelist, or the checks above prove little.
      for (const handler of HANDLERS) assert.ok((outcome.reached.get(handler.name) ?? 0) > 0, `no target reached ${handler.name}`);
      assert.ok(outcome.exempted > 0, 'no request was exempted');
      assert.equal(outcome.byTarget.get('POST http://127.0.0.1:80/api/v2/Issues/Create'), 'issuesCreate', 'absolute form');
      assert.equal(outcome.byTarget.get('POST /api/v2/Issues/Create#x'), 'issuesCreate', 'fragment');
      assert.equal(outcome.byTarget.get('GET /api/v2//issues'), version === 4 ? 'issuesList' : undefined, 'Express 4 trims one slash below a mount');
      assert.equal(outcome.byTarget.get('GET /static/public/..%2Fsecret.txt'), 'staticSecret', 'express.static decodes and resolves');
      assert.equal(outcome.byTarget.get('POST /api/v2//a@b/Issues/Create#'), version === 5 ? 'issuesCreate' : undefined, 'Express 5 re-reads "//a@b" as an authority');
    });
  }
});
