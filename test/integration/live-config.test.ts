/**
 * Live config: editing appsettings.json in the running example's config dir changes the rate limit
 * (counters kept), the log level, and the accepted API keys; an invalid edit is logged with the
 * loader's precise message and the running config keeps working.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../../examples/issuetrak-style/app.js';
import { baseConfig, makeConfigDir, readLogs, removeDir, request, startExample, waitFor } from './helpers.js';

function rules(limit: number, period = '1m'): object[] {
  return [
    { Name: 'burst', Endpoint: '*', Period: '1s', Limit: 10_000 },
    { Name: 'minute', Endpoint: 'get:/api/v2/Issues/*', Period: period, Limit: limit },
  ];
}

describe('config edits while running', () => {
  let dir: string;
  let server: RunningServer;
  const write = (config: object | string) =>
    writeFileSync(path.join(dir, 'appsettings.json'), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  const limitNow = () => server.guard.config.RateLimiting.Rules.find((r) => r.Name === 'minute')?.Limit;
  const logs = () => readLogs(path.join(dir, 'logs'));
  const logLines = (): Array<Record<string, unknown>> =>
    logs()
      .split('\n')
      .filter((line) => line.startsWith('{"timestamp"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  before(async () => {
    dir = makeConfigDir({ base: baseConfig(rules(2)) });
    server = await startExample(dir);
  });
  after(async () => {
    await server?.close();
    removeDir(dir);
  });

  test('a higher limit applies without a restart, and the change is logged', async () => {
    const get = () => request(`${server.url}/Issues/1`);
    assert.equal((await get()).status, 200);
    assert.equal((await get()).status, 200);
    const blocked = await get();
    assert.equal(blocked.status, 429);
    assert.equal(blocked.json().information[0].message, 'API calls quota exceeded! maximum admitted 2 per 1m.');

    write(baseConfig(rules(5)));
    await waitFor('the reload', () => limitNow() === 5);
    await waitFor('the reload log line', () => /Configuration reloaded; applied changes to RateLimiting/.test(logs()));

    // The rule kept its name, so its count (2) carries over: three more are admitted, then 429.
    for (let i = 0; i < 3; i++) {
      const reply = await get();
      assert.equal(reply.status, 200, `request ${i + 3}`);
      assert.match(String(reply.headers['ratelimit-policy']), /"minute";q=5;w=60/);
    }
    const again = await get();
    assert.equal(again.status, 429);
    assert.equal(again.json().information[0].message, 'API calls quota exceeded! maximum admitted 5 per 1m.');
  });

  test('an invalid edit is logged at Error with the precise message and the running config is kept', async () => {
    write(baseConfig([{ Name: 'minute', Endpoint: '*', Period: '10 min', Limit: 1 }]));
    await waitFor('the rejection in the log', () =>
      logLines().some(
        (line) =>
          line.level === 'Error' &&
          /^appsettings\.json:\d+:\d+ RateLimiting\.Rules\[0\]\.Period: "10 min" is not a period/.test(String(line.message)),
      ),
    );
    assert.equal(limitNow(), 5);
    const reply = await request(`${server.url}/Issues/1`);
    assert.equal(reply.status, 429);
    assert.equal(reply.json().information[0].message, 'API calls quota exceeded! maximum admitted 5 per 1m.');

    write('{ "RateLimiting": { "Rules": [ ');
    await waitFor('the JSON syntax error in the log', () => /appsettings\.json:1:\d+/.test(logs()));
    assert.equal(limitNow(), 5);
  });

  test('log levels and API keys change live too', async () => {
    const http = server.guard.logger.forCategory('Http');
    assert.equal(http.isEnabled('Information'), true);
    // A category level: the Development file sets Default, which would win over a Default here.
    write({ ...baseConfig(rules(5)), Logging: { LogLevel: { Default: 'Information', Http: 'Warning' }, Directory: 'logs', Console: false } });
    await waitFor('the level change', () => !http.isEnabled('Information'));

    writeFileSync(
      path.join(dir, 'appsettings.Development.json'),
      JSON.stringify({ Authentication: { ApiKeys: [{ Name: 'rotated', Sha256: 'a'.repeat(64) }] } }),
    );
    await waitFor('the key change', async () => (await request(`${server.url}/Authenticate/test`)).status === 401);
  });
});
