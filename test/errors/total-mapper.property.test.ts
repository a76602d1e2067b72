// Property: whatever is thrown or passed to next() — 10,000 generated hostile values, each through a
// real Express 4 and a real Express 5 app over HTTP — the client gets the JSON envelope with the
// trace ID (or a closed connection once headers were sent): never HTML, a stack, a 5xx message
// outside Development, a configured secret, or Retry-After NaN. Then the same through guard.before's
// own chain with no mapper mounted, and with NODE_ENV=production.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import express5, { type Express, type NextFunction, type Request, type Response } from 'express';
import express4 from 'express4';
import { errorMapper, notFound, PROCESSING_MESSAGE } from '../../lib/errors/index.js';
import { createApiGuard, type ApiGuard } from '../../lib/guard/index.js';
import { createLogger } from '../../lib/logging/index.js';
import { traceId } from '../../lib/trace/index.js';
import { build, caseArbitrary, mayShowMessage, SECRET, SECRET_FORMS, type Mode, type Spec } from './hostile-values.js';
import { listen, recordingSink, type Running } from './http-helpers.js';

const RUNS = Number(process.env.EAG_PROPERTY_RUNS ?? 10_000);
const SEED = Number(process.env.EAG_PROPERTY_SEED ?? 20261127);
const CASES = fc.sample(caseArbitrary, { numRuns: RUNS, seed: SEED });
const VALUES = CASES.map(({ spec }) => build(spec));
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  aborted: boolean;
}

function get(url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), aborted: aborted || !res.complete }),
      );
    });
    // A connection closed before any response (headers were sent by the route, then destroyed).
    req.on('error', (err) => (/socket hang up|ECONNRESET/.test(err.message) ? resolve({ status: 0, headers: {}, text: '', aborted: true }) : reject(err)));
    req.setTimeout(10_000, () => req.destroy(new Error(`no response from ${url}`)));
  });
}

/** Mounts the route that delivers VALUES[i] in each mode; Express 4 needs rejections forwarded. */
function mountThrower(app: Express, version: 4 | 5): void {
  app.get('/v/:mode/:i', (req: Request, res: Response, next: NextFunction) => {
    const value = VALUES[Number(req.params.i)];
    const mode = req.params.mode as Mode;
    if (mode === 'next') return next(value);
    if (mode === 'sent') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      throw value;
    }
    if (mode === 'reject') {
      const rejected = Promise.reject(value);
      if (version === 4) return void rejected.catch(next);
      return rejected as unknown as void; // Express 5 forwards a rejected promise itself.
    }
    throw value;
  });
}

function describeCase(i: number): string {
  return `case ${i}: ${fc.stringify(CASES[i] as { spec: Spec; mode: Mode }).slice(0, 600)}`;
}

/** Fails with the generated case shown; the description is built only then (it is costly). */
function expect(condition: boolean, i: number, what: () => string): void {
  if (!condition) assert.fail(`${what()}\n${describeCase(i)}`);
}

const RETRY_AFTER = /^([1-9]\d*|[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT)$/;
const LEAK = /<html|<!doctype|\bat \S+ \([^)]*:\d+:\d+\)|node:internal/i;

/** The invariants every reply must hold. */
function check(i: number, reply: Reply, development = false): void {
  const { spec, mode } = CASES[i] as { spec: Spec; mode: Mode };
  if (mode === 'sent') {
    expect(reply.aborted, i, () => 'headers were sent: the connection must be closed');
    return;
  }
  const contentType = String(reply.headers['content-type']);
  expect(reply.status >= 400 && reply.status <= 599, i, () => `status ${reply.status}`);
  expect(/^application\/(problem\+)?json; charset=utf-8$/.test(contentType), i, () => `${contentType}: ${reply.text.slice(0, 200)}`);
  let body: { traceId?: unknown; information?: { type: string; message: string }[] } = {};
  try {
    body = JSON.parse(reply.text) as typeof body;
  } catch {
    expect(false, i, () => `not JSON: ${reply.text.slice(0, 200)}`);
  }
  expect(typeof body.traceId === 'string' && body.traceId === reply.headers['x-trace-id'], i, () => `trace ID ${String(body.traceId)} vs header ${String(reply.headers['x-trace-id'])}`);
  expect(!LEAK.test(reply.text), i, () => `HTML or a stack in the body: ${reply.text.slice(0, 300)}`);
  for (const form of SECRET_FORMS) expect(!reply.text.includes(form), i, () => `secret in the body: ${reply.text.slice(0, 300)}`);
  if (reply.status >= 500 && !development && !mayShowMessage(spec)) {
    expect(body.information?.length === 1 && body.information[0]?.message === PROCESSING_MESSAGE, i, () => `5xx message: ${reply.text.slice(0, 300)}`);
  }
  const retryAfter = reply.headers['retry-after'];
  expect(retryAfter === undefined || RETRY_AFTER.test(String(retryAfter)), i, () => `Retry-After: ${String(retryAfter)}`);
  // The envelope's own headers are never overridden by the error's `headers`.
  expect(reply.headers['cache-control'] === 'no-store', i, () => `Cache-Control: ${String(reply.headers['cache-control'])}`);
  expect(Number(reply.headers['content-length']) === Buffer.byteLength(reply.text), i, () => `Content-Length: ${String(reply.headers['content-length'])}`);
}

async function sweep(url: (i: number) => string, indexes: readonly number[], development = false): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < indexes.length) {
      const i = indexes[next++] as number;
      check(i, await get(url(i)), development);
    }
  };
  await Promise.all(Array.from({ length: 12 }, worker));
}

function withNodeEnv<T>(value: string | undefined, make: () => T): T {
  const saved = process.env.NODE_ENV;
  if (value === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = value;
  try {
    return make();
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
}

const ALL = CASES.map((_, i) => i);
const SUBSET = ALL.filter((i) => i % 20 === 0);

describe(`total error mapper: ${RUNS} generated hostile values (seed ${SEED})`, () => {
  const servers: Running[] = [];
  let dir: string;
  const guards: ApiGuard[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'eag-property-'));
    writeFileSync(join(dir, 'appsettings.json'), JSON.stringify({ SessionSigningKey: SECRET, Logging: { Console: false, Directory: join(dir, 'logs') }, Https: { Required: false } }));
  });
  after(async () => {
    for (const guard of guards) await guard.close();
    for (const server of servers) await server.close();
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [version, express] of [
    [5, express5],
    [4, express4 as unknown as typeof express5],
  ] as const) {
    test(`Express ${version}, NODE_ENV unset, mapper mounted: every value answered with the envelope`, async (t) => {
      // Every line the guard's logger hands on: counted, and searched for the secret as it arrives.
      let lines = 0;
      let leaked = '';
      const receive = (message: string, meta?: Readonly<Record<string, unknown>>): void => {
        lines++;
        const text = message + JSON.stringify(meta);
        if (leaked === '' && SECRET_FORMS.some((form) => text.includes(form))) leaked = text.slice(0, 500);
      };
      const sink = { debug: receive, info: receive, warn: receive, error: receive };
      const logger = createLogger({ LogLevel: { Default: 'Debug' }, Console: false }, { sink, secrets: [SECRET] });
      const app = withNodeEnv(undefined, () => {
        const created = express();
        created.use(traceId());
        mountThrower(created, version);
        created.use(notFound());
        created.use(errorMapper({ logger, secrets: [SECRET] }));
        return created;
      });
      const server = await listen(app);
      servers.push(server);
      const started = performance.now();
      await sweep((i) => `${server.url}/v/${CASES[i]?.mode}/${i}`, ALL);
      t.diagnostic(`${ALL.length} requests in ${Math.round(performance.now() - started)} ms`);
      assert.equal(leaked, '', 'a configured secret reached the log');
      assert.ok(lines >= ALL.length, `every error was logged (${lines} lines)`);
    });

    test(`Express ${version}, NODE_ENV=production: the same, for one value in twenty`, async () => {
      const app = withNodeEnv('production', () => {
        const created = express();
        created.use(traceId());
        mountThrower(created, version);
        created.use(notFound());
        created.use(errorMapper({ logger: recordingSink(), secrets: [SECRET] }));
        return created;
      });
      const server = await listen(app);
      servers.push(server);
      await sweep((i) => `${server.url}/v/${CASES[i]?.mode}/${i}`, SUBSET);
    });

    test(`Express ${version}, guard.before alone (no guard.after): its chain answers what a clientKey throws`, async () => {
      const guard = await createApiGuard({
        configDir: dir,
        environment: 'Production',
        watch: false,
        logger: recordingSink(),
        clientKey: (req) => {
          throw VALUES[Number(req.url.split('/').pop())];
        },
      });
      guards.push(guard);
      const app = express();
      app.use(guard.before);
      app.get('/v/:mode/:i', (_req, res) => res.json({ reached: true }));
      const server = await listen(app);
      servers.push(server);
      // Through the chain every value is delivered by a throw inside guard.before ('sent' cannot happen there).
      const indexes = SUBSET.filter((i) => CASES[i]?.mode !== 'sent');
      await sweep((i) => `${server.url}/v/throw/${i}`, indexes);
    });
  }
});
