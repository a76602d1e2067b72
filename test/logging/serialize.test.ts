import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSerializer } from '../../lib/logging/serialize.js';
import { createSecretPolicy } from '../../lib/core/index.js';

const parts = { timestamp: '2026-01-01T00:00:00.000Z', level: 'Information', category: 'Test', message: 'm', traceId: undefined };

test('a number or boolean under a sensitive key is redacted like a string', () => {
  const { line } = createSerializer(createSecretPolicy()).line(parts, { password: 123456789, token: true, Pwd: 4242, status: 200 });
  assert.doesNotMatch(line, /123456789|4242/);
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.equal(parsed.password, '***');
  assert.equal(parsed.token, '***');
  assert.equal(parsed.Pwd, '***');
  assert.equal(parsed.status, 200);
});
