import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { statuses, startApp, type TestApp } from './helpers.js';

describe('HEAD requests', () => {
  const apps: TestApp[] = [];
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  // Express answers HEAD with the GET handler, so a "get:" rule that ignored HEAD could be bypassed.
  it('count against a rule limited to GET', async () => {
    const app = await startApp({ rules: [{ name: 'reads', endpoint: 'get:/api/v2/tickets', period: '1m', limit: 2 }] });
    apps.push(app);
    assert.deepEqual(await statuses(app.url, 3, { method: 'HEAD', ip: '203.0.113.7' }), [200, 200, 429]);
    assert.deepEqual(await statuses(app.url, 1, { method: 'GET', ip: '203.0.113.7' }), [429]);
  });

  it('do not count against a rule limited to POST', async () => {
    const app = await startApp({ rules: [{ name: 'writes', endpoint: 'post:*', period: '1m', limit: 1 }] });
    apps.push(app);
    assert.deepEqual(await statuses(app.url, 3, { method: 'HEAD', ip: '203.0.113.8' }), [200, 200, 200]);
  });
});
