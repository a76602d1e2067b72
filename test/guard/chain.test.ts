/** swappableChain: order, errors, async rejections, 'route', and swapping between requests. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { swappableChain } from '../../lib/guard/chain.js';

const req = {} as Request;
const res = {} as Response;

function run(handler: RequestHandler): Promise<unknown> {
  return new Promise((resolve) => handler(req, res, ((err?: unknown) => resolve(err ?? 'done')) as NextFunction));
}

const mark =
  (log: string[], name: string): RequestHandler =>
  (_req, _res, next) => {
    log.push(name);
    next();
  };

test('runs the handlers in order, then calls the outer next', async () => {
  const log: string[] = [];
  const chain = swappableChain('c', [mark(log, 'a'), mark(log, 'b')]);
  assert.equal(await run(chain.handler), 'done');
  assert.deepEqual(log, ['a', 'b']);
  assert.equal(chain.handler.name, 'c');
});

test('an error skips the rest: next(err), a throw, and a rejected promise (also a falsy reason)', async () => {
  const log: string[] = [];
  const boom = new Error('boom');
  const cases: RequestHandler[] = [
    (_q, _s, next) => next(boom),
    () => {
      throw boom;
    },
    async () => {
      throw boom;
    },
  ];
  for (const failing of cases) {
    assert.equal(await run(swappableChain('c', [failing, mark(log, 'never')]).handler), boom);
  }
  const falsy = await run(swappableChain('c', [(() => Promise.reject(undefined)) as unknown as RequestHandler]).handler);
  assert.match(String(falsy), /Rejected promise/);
  assert.deepEqual(log, []);
});

test("next('route') leaves the chain without an error", async () => {
  const log: string[] = [];
  const chain = swappableChain('c', [(_q, _s, next) => next('route'), mark(log, 'never')]);
  assert.equal(await run(chain.handler), 'done');
  assert.deepEqual(log, []);
});

test('replace() applies to the next request; a request in flight keeps its list', async () => {
  const log: string[] = [];
  let release: () => void = () => {};
  const slow: RequestHandler = (_q, _s, next) => {
    log.push('slow');
    release = next;
  };
  const chain = swappableChain('c', [slow, mark(log, 'old-tail')]);
  const inFlight = run(chain.handler);
  chain.replace([mark(log, 'new')]);
  assert.equal(await run(chain.handler), 'done');
  release();
  assert.equal(await inFlight, 'done');
  assert.deepEqual(log, ['slow', 'new', 'old-tail']);
});

test('onError answers errors raised inside the chain; the outer next is not called with them', async () => {
  const boom = new Error('boom');
  const seen: unknown[] = [];
  const chain = swappableChain('c', [(_q, _s, next) => next(boom)], (err, _req, _res, next) => {
    seen.push(err);
    next();
  });
  assert.equal(await run(chain.handler), 'done');
  assert.deepEqual(seen, [boom]);
});
