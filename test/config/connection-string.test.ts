import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig, parseConnectionString } from '../../lib/config/index.js';
import { configDir, configError } from './helpers.js';

const auth = (userName: string, password: string) => ({ type: 'default', options: { userName, password } });

test('server keyword aliases, tcp: prefix, host,port and host\\instance', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['Server=db.example.com', 'db.example.com', {}],
    ['Data Source=db', 'db', {}],
    ['Addr=db', 'db', {}],
    ['Address=db', 'db', {}],
    ['Network Address=db', 'db', {}],
    ['Server=tcp:db.example.com,1444', 'db.example.com', { port: 1444 }],
    ['Server=db\\SQLEXPRESS', 'db', { instanceName: 'SQLEXPRESS' }],
    ['Server=tcp:db\\SQLEXPRESS,1500', 'db', { port: 1500 }],
    ['Server=.', 'localhost', {}],
    ['Server=(local)', 'localhost', {}],
    ['Server=localhost,1433', 'localhost', { port: 1433 }],
    ['Server=.\\SQLEXPRESS', 'localhost', { instanceName: 'SQLEXPRESS' }],
  ];
  for (const [text, server, options] of cases) {
    assert.deepEqual(parseConnectionString(text), { server, options }, text);
  }
});

test('database, credentials, encrypt variants, trust and timeout', () => {
  const config = parseConnectionString(
    'Server=db;Initial Catalog=Issuetrak;User Id=app;Password="p;w""d";TrustServerCertificate=True;Connect Timeout=30;Encrypt=Strict',
  );
  assert.deepEqual(config, {
    server: 'db',
    options: { database: 'Issuetrak', encrypt: 'strict', trustServerCertificate: true, connectTimeout: 30_000 },
    authentication: auth('app', 'p;w"d'),
  });
  assert.deepEqual(parseConnectionString('Server=db;Database=x;UID=u;PWD=p').authentication, auth('u', 'p'));
  assert.deepEqual(parseConnectionString('Server=db;User=u;Password=p').authentication, auth('u', 'p'));
  assert.equal(parseConnectionString('Server=db;Database=x').options?.database, 'x');
  assert.equal(parseConnectionString('Server=db;Connection Timeout=5').options?.connectTimeout, 5000);
  assert.equal(parseConnectionString('Server=db;Trust Server Certificate=no').options?.trustServerCertificate, false);
  const encrypt: Array<[string, boolean | 'strict']> = [
    ['true', true], ['True', true], ['yes', true], ['Mandatory', true],
    ['false', false], ['no', false], ['Optional', false], ['strict', 'strict'],
  ];
  for (const [value, expected] of encrypt) {
    assert.equal(parseConnectionString(`Server=db;Encrypt=${value}`).options?.encrypt, expected, value);
  }
  assert.equal(parseConnectionString('Server=db').authentication, undefined);
});

test('Integrated Security is refused with a clear message', () => {
  for (const text of ['Server=db;Integrated Security=true', 'Server=db;Integrated Security=SSPI', 'Server=db;Trusted_Connection=yes']) {
    const error = configError(() => parseConnectionString(text));
    assert.equal(error.code, 'CONNECTION_STRING_INTEGRATED_SECURITY');
    assert.equal(error.message, 'Integrated Security is not supported by tedious on this platform; use SQL authentication (User Id and Password)');
  }
  assert.equal(parseConnectionString('Server=db;Integrated Security=false').server, 'db');
});

test('malformed strings are ConfigErrors that never include the password', () => {
  const bad = [
    ['Database=x;Password=Pa55word!', /has no Server/],
    ['Server=db,notaport;Password=Pa55word!', /is not a port/],
    ['Server=db;Encrypt=maybe;Password=Pa55word!', /Encrypt="maybe" is not understood; use true, false, Optional, Mandatory or Strict/],
    ['Server=db;Connect Timeout=soon;Password=Pa55word!', /is not a number of seconds/],
    ['Server=np:db;Password=Pa55word!', /TCP only/],
    ['', /is empty/],
    ['Server=db;TrustServerCertificate=Pa55word!;Password=Pa55word!', /TrustServerCertificate="\*\*\*" is not a boolean/],
  ] as const;
  for (const [text, message] of bad) {
    const error = configError(() => parseConnectionString(text));
    assert.match(error.message, message);
    assert.ok(!error.message.includes('Pa55word!'), error.message);
  }
});

test('config.connectionString looks up Issuetrak-Databse then Issuetrak-Database, case-insensitively', () => {
  const misspelt = loadConfig({
    dir: configDir({ 'appsettings.json': { ConnectionStrings: { 'issuetrak-databse': 'Server=a;User Id=u;Password=secret-1' } } }),
    env: {},
  });
  assert.equal(misspelt.connectionString().server, 'a');
  const corrected = loadConfig({ dir: configDir(), env: { 'ConnectionStrings__Issuetrak-Database': 'Server=b' } });
  assert.equal(corrected.connectionString().server, 'b');
  assert.equal(corrected.connectionString('ISSUETRAK-DATABASE').server, 'b');

  const none = loadConfig({ dir: configDir(), env: {} });
  const missing = configError(() => none.connectionString());
  assert.equal(missing.code, 'CONNECTION_STRING_MISSING');
  assert.match(missing.message, /ConnectionStrings\.Issuetrak-Databse is not set; .*ConnectionStrings__Issuetrak-Databse/);

  const integrated = loadConfig({ dir: configDir(), env: { 'ConnectionStrings__Reports': 'Server=r;Integrated Security=SSPI;Password=do-not-show' } });
  const error = configError(() => integrated.connectionString('Reports'));
  assert.ok(error instanceof ConfigError);
  assert.equal(error.path, 'ConnectionStrings.Reports');
  assert.match(error.message, /^ConnectionStrings\.Reports: Integrated Security is not supported/);
  assert.ok(!error.message.includes('do-not-show'));
});
