/**
 * readConfigFolder: the folder read once, shared by the loader and doctor; and the Doctor section,
 * validated like our other sections.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { configFromFolder, loadConfig, readConfigFolder } from '../../lib/config/index.js';
import { runDoctor } from '../../lib/cli/index.js';
import { assertLocated, configDir, configError } from './helpers.js';

/** Runs `fn` counting fs.readFileSync calls per path (the ESM bindings see the spy too). */
async function countReads(fn: () => unknown): Promise<Map<string, number>> {
  const original = fs.readFileSync;
  const reads = new Map<string, number>();
  fs.readFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    reads.set(String(path), (reads.get(String(path)) ?? 0) + 1);
    return (original as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  syncBuiltinESMExports();
  try {
    await fn();
  } finally {
    fs.readFileSync = original;
    syncBuiltinESMExports();
  }
  return reads;
}

test('the loader and doctor each read each config file exactly once', async () => {
  const dir = configDir({
    'appsettings.json': { Tracing: { Format: 'w3c' }, Doctor: { RequiredKeys: ['SessionSigningKey'] } },
    'appsettings.Release.json': { SessionSigningKey: 'signing-key-1234' },
  });
  const files = [join(dir, 'appsettings.json'), join(dir, 'appsettings.Release.json')];

  const loaded = await countReads(() => loadConfig({ dir, environment: 'Release', env: {} }));
  assert.deepEqual(files.map((f) => loaded.get(f)), [1, 1]);

  const doctored = await countReads(() => runDoctor({ configDir: dir, environment: 'Release', env: {} }));
  assert.deepEqual(files.map((f) => doctored.get(f)), [1, 1]);

  // A broken file too (doctor used to parse it a second time to word the syntax error).
  fs.writeFileSync(files[0] as string, '{ "Tracing": { "Format": "w3c" ');
  const broken = await countReads(() => runDoctor({ configDir: dir, environment: 'Release', env: {} }));
  assert.deepEqual(files.map((f) => broken.get(f)), [1, 1]);
});

test('readConfigFolder never throws: the folder problem and each file are results; configFromFolder throws them', () => {
  const dir = configDir({ 'appsettings.json': '{ "Tracing": { "Format": "w3c" ', 'appsettings.Staging.json': { Tracing: { Format: 'w3c' } } });
  const folder = readConfigFolder({ dir, environment: 'staging', env: {} });
  assert.equal(folder.problem, undefined);
  assert.deepEqual(folder.environment, { name: 'staging', source: 'option' });
  const [base, env] = folder.files;
  assert.equal(base?.role, 'base');
  assert.equal(base?.error?.code, 'CONFIG_SYNTAX');
  assert.deepEqual(JSON.parse(JSON.stringify(base?.value)), { Tracing: { Format: 'w3c' } }, 'a best-effort value of the broken file');
  assert.equal(env?.role, 'environment');
  assert.equal(env?.path, join(dir, 'appsettings.Staging.json'), 'found ignoring case');
  assert.deepEqual(JSON.parse(JSON.stringify(env?.value)), { Tracing: { Format: 'w3c' } });
  assert.throws(() => configFromFolder(folder, { env: {} }), (err: Error & { code?: string }) => err.code === 'CONFIG_SYNTAX');

  const missing = readConfigFolder({ dir: join(dir, 'nope'), env: {} });
  assert.equal(missing.problem?.reason, 'missing');
  assert.equal(missing.problem?.error.code, 'CONFIG_DIR_MISSING');
  assert.deepEqual(missing.files, []);
});

test('Doctor.RequiredKeys: config paths, empty by default, from files or variables', () => {
  assert.deepEqual(loadConfig({ dir: configDir(), env: {} }).Doctor.RequiredKeys, []);
  const keys = ['ConnectionStrings:Issuetrak-Databse', 'SecureStorageKeys:KeyForEncrypter-1', 'SessionSigningKey'];
  const config = loadConfig({ dir: configDir({ 'appsettings.json': { doctor: { requiredkeys: keys } } }), env: { Doctor__RequiredKeys__3: 'MyApp:ApiUrl' } });
  assert.deepEqual([...config.Doctor.RequiredKeys], [...keys, 'MyApp:ApiUrl']);
});

test('the Doctor section is validated like ours: did-you-mean for the section and its key, located bad paths', () => {
  const section = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': { Doctr: { RequiredKeys: [] } } }), env: {} }));
  assert.equal(section.code, 'CONFIG_UNKNOWN_SECTION');
  assert.match(section.message, /Doctr: unknown section; did you mean Doctor\?/);

  const key = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': '{\n  "Doctor": { "RequiredKey": [] }\n}\n' }), env: {} }));
  assertLocated(key, { file: 'appsettings.json', line: 2, column: 15, path: 'Doctor.RequiredKey', hint: 'unknown key; did you mean "RequiredKeys"?' });

  const path = configError(() =>
    loadConfig({ dir: configDir({ 'appsettings.json': '{\n  "Doctor": {\n    "RequiredKeys": [ "SessionSigningKey", "ConnectionStrings::Db" ]\n  }\n}\n' }), env: {} }),
  );
  assertLocated(path, {
    file: 'appsettings.json',
    line: 3,
    column: 44,
    path: 'Doctor.RequiredKeys[1]',
    hint: '"ConnectionStrings::Db" is not a config path; use a config path with ":" between sections',
  });

  const notList = configError(() => loadConfig({ dir: configDir(), env: { Doctor__RequiredKeys: 'SessionSigningKey' } }));
  assert.match(notList.message, /^environment variable Doctor__RequiredKeys: Doctor\.RequiredKeys: "SessionSigningKey" is not an array; RequiredKeys is a list of strings/);
});
