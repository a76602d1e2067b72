import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { configDir } from './helpers.js';

const secrets = {
  ConnectionStrings: { 'Issuetrak-Databse': 'Server=db;Database=x;User Id=app;Password=Corr3ct-Horse' },
  SecureStorageKeys: { 'KeyForEncrypter-1': 'enc-key-one-value', 'KeyForEncrypter-2': 'enc-key-two-value' },
  SessionSigningKey: 'session-signing-value',
  MyApp: { ApiKey: 'host-api-key-value', Name: 'visible' },
};

test('toJSON and inspect show every secret as *** and keep the rest', () => {
  const config = loadConfig({ dir: configDir({ 'appsettings.json': secrets }), env: {} });
  const json = JSON.stringify(config);
  const shown = inspect(config, { depth: 10 });
  for (const text of [json, shown]) {
    for (const secret of ['Corr3ct-Horse', 'Server=db', 'enc-key-one-value', 'enc-key-two-value', 'session-signing-value', 'host-api-key-value']) {
      assert.ok(!text.includes(secret), `${secret} leaked:\n${text}`);
    }
    assert.ok(text.includes('visible'));
    assert.ok(text.includes('KeyForEncrypter-1'));
  }
  const parsed = JSON.parse(json);
  assert.equal(parsed.ConnectionStrings['Issuetrak-Databse'], '***');
  assert.equal(parsed.SessionSigningKey, '***');
  assert.equal(parsed.MyApp.ApiKey, '***');
  assert.equal(parsed.RateLimiting.Rules.length, 6);
  // The real values stay readable in code.
  assert.equal(config.SessionSigningKey, 'session-signing-value');
});

test('secretValues lists connection strings, their passwords, storage keys and the signing key', () => {
  const config = loadConfig({ dir: configDir({ 'appsettings.json': secrets }), env: {} });
  assert.deepEqual([...config.secretValues()].sort(), [
    'Corr3ct-Horse',
    'Server=db;Database=x;User Id=app;Password=Corr3ct-Horse',
    'enc-key-one-value',
    'enc-key-two-value',
    'session-signing-value',
  ]);
});
