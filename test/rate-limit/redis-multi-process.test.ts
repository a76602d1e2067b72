/**
 * A slow answer is not an outage: 4 real processes behind one Redis, 2000 concurrent HTTP requests
 * for one client, limit 100, default options (timeoutMs included) → exactly 100 admitted. Each
 * request costs the app 1 ms of CPU before the limiter, so Redis replies wait behind hundreds of
 * requests as on a loaded machine (with the former 200 ms timeout this admitted ~650).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runExactness } from '../fixtures/exactness/run.js';
import { REDIS_URL } from './helpers.js';

it('4 processes x 500 concurrent HTTP requests for one client, limit 100: exactly 100 admitted', async (t) => {
  const result = await runExactness({ redisUrl: REDIS_URL, processes: 4, requests: 2000, limit: 100, busyMs: 1 });
  t.diagnostic(`statuses ${JSON.stringify(result.statuses)}, burst took ${Math.round(result.elapsedMs)} ms`);
  assert.equal(result.admitted, 100);
  assert.deepEqual(result.statuses, { 200: 100, 429: 1900 }, 'every other request refused, none failed');
  assert.equal(result.redisCount, 100, 'refused requests counted nowhere');
});
