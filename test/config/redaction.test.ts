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

test('secretValues lists connection strings, their passwords, storage keys, the signing key and the host app\'s secrets', () => {
  const config = loadConfig({ dir: configDir({ 'appsettings.json': secrets }), env: {} });
  assert.deepEqual([...config.secretValues()].sort(), [
    'Corr3ct-Horse',
    'Server=db;Database=x;User Id=app;Password=Corr3ct-Horse',
    'enc-key-one-value',
    'enc-key-two-value',
    'host-api-key-value',
    'session-signing-value',
  ]);
});

test('the secret policy covers host sections at any depth, URL passwords, and API keys whitelisted under a secret header', () => {
  const config = loadConfig({
    dir: configDir({
      'appsettings.json': {
        RateLimiting: { ClientKey: 'header:X-Api-Key', ClientWhitelist: ['whitelisted-api-key'], Redis: { Url: 'redis://:r%40dis-pass@127.0.0.1:6379' } },
        MyApp: { Smtp: { Host: 'mail.example', SmtpPassword: 'smtp-pass-value' }, Webhooks: [{ Url: 'https://hook:hook-pass@example.com/x', Token: 987654321 }] },
      },
    }),
    env: {},
  });
  const values = config.secretValues();
  for (const value of ['whitelisted-api-key', 'r%40dis-pass', 'r@dis-pass', 'smtp-pass-value', 'hook-pass', '987654321']) {
    assert.ok(values.includes(value), `${value} missing from ${JSON.stringify(values)}`);
  }
  assert.ok(!values.includes('mail.example'));
  const policy = config.secretPolicy();
  assert.equal(config.secretPolicy(), policy, 'computed once per load');
  assert.equal(policy.mask('login smtp-pass-value failed for r%40dis-pass'), 'login *** failed for ***');
  assert.equal(policy.maskNumber(987654321), '***');
  const json = JSON.stringify(config);
  assert.ok(!json.includes('smtp-pass-value') && !json.includes('hook-pass') && !json.includes('987654321'), json);
});

test('a secret too short to be masked inside messages is named in a warning, never shown', () => {
  const config = loadConfig({ dir: configDir({ 'appsettings.json': { MyApp: { Pin: 'x', ApiKey: 'abc' } } }), env: {} });
  const warning = config.warnings.find((w) => w.includes('MyApp.ApiKey'));
  assert.match(warning ?? '', /shorter than 4 characters/);
  assert.ok(!config.warnings.some((w) => w.includes('MyApp.Pin')), 'Pin is not a secret key');
  assert.ok(!config.warnings.join('\n').includes('abc'));
});
