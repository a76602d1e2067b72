import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TEST_CERT, TEST_KEY } from '../fixtures/tds/test-cert.js';
import { checkLine, closedPort, healthyBase, healthyEnvFile, RELEASE, runCli, tempDir, writeConfig } from './helpers.js';

async function doctorWithHttps(dir: string, https: Record<string, unknown>): Promise<string> {
  writeConfig(dir, { base: { ...healthyBase(dir), Https: https }, envFile: healthyEnvFile(await closedPort()) });
  const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
  assert.ok(!result.stdout.includes('PRIVATE KEY') && !result.stdout.includes(TEST_KEY.split('\n')[1] as string));
  return checkLine(result.stdout, 'HTTPS');
}

// Each test spawns the CLI and waits on it; running a few at once keeps the folder fast.
describe('doctor-https', { concurrency: 3 }, () => {
  test('HTTPS: a certificate and its key, relative to the config folder, pass', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'cert.pem'), TEST_CERT);
    writeFileSync(join(dir, 'key.pem'), TEST_KEY);
    const line = await doctorWithHttps(dir, { Required: true, Certificate: { Path: 'cert.pem', KeyPath: 'key.pem' } });
    assert.match(line, /^ok .*CN=tds-stand-in\.localhost \(DNS:localhost, IP Address:127\.0\.0\.1\) valid until 2126-\d\d-\d\d, and the key matches; self-signed/);
  });

  test('HTTPS: a key that does not belong to the certificate fails', async (t) => {
    const dir = tempDir(t);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(join(dir, 'cert.pem'), TEST_CERT);
    writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const line = await doctorWithHttps(dir, { Certificate: { Path: 'cert.pem', KeyPath: 'key.pem' } });
    assert.match(line, /^fail .*key\.pem does not belong to the certificate/);
  });

  test('HTTPS: a missing certificate file fails; HTTPS not required warns', async (t) => {
    const dir = tempDir(t);
    assert.match(await doctorWithHttps(dir, { Certificate: { Path: 'nope.pem', KeyPath: 'nope.key' } }), /^fail .*cannot load the certificate .*nope\.pem \(ENOENT\)/);
    assert.match(await doctorWithHttps(dir, { Required: false }), /^warn .*Https\.Required is false/);
  });

  test('HTTPS not required: the fix says what to do and why, in plain words', async (t) => {
    const dir = tempDir(t);
    writeConfig(dir, { base: { ...healthyBase(dir), Https: { Required: false } }, envFile: healthyEnvFile(await closedPort()) });
    const { stdout } = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    const lines = stdout.split('\n');
    const fix = lines[lines.indexOf(checkLine(stdout, 'HTTPS')) + 1] ?? '';
    assert.match(fix, /^\s+fix: set Https\.Required to true and serve the API over TLS; once HTTPS is required, clients reach the API only through a working TLS binding$/);
  });
});
