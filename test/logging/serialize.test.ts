import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSerializer } from '../../lib/logging/serialize.js';
import { createSecretPolicy } from '../../lib/core/index.js';
import { humanLine } from '../../lib/logging/console-format.js';

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

test("log.error('…', err): the allow-listed error, never its body, headers or config", () => {
  const err = Object.assign(new SyntaxError('Unexpected token x in JSON'), {
    status: 400,
    type: 'entity.parse.failed',
    body: '{"password":"hunter2"x}',
    headers: { cookie: 'sid=1' },
    config: { auth: { username: 'u', password: 'p' } },
  });
  const { line } = createSerializer(createSecretPolicy()).line(parts, err as never);
  const parsed = JSON.parse(line) as { error: Record<string, unknown> };
  assert.deepEqual(Object.keys(parsed.error).sort(), ['message', 'name', 'stack', 'status', 'type']);
  assert.doesNotMatch(line, /hunter2|sid=1/);
});

test('meta that cannot be read (a revoked Proxy, throwing getters) still gives a line', () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const serializer = createSerializer(createSecretPolicy(['known-secret-1']));
  assert.match(serializer.line(parts, proxy as never).line, /"meta":"\[Unreadable\]"/);
  const getter = Object.defineProperty({ ok: 'known-secret-1' }, 'bad', { enumerable: true, get: () => { throw new Error('x'); } });
  const { line } = serializer.line(parts, { nested: getter, shared: [getter, getter] });
  assert.doesNotMatch(line, /known-secret-1/);
  assert.doesNotMatch(line, /Circular/, 'a shared reference is not a cycle');
});

test('the human console line escapes C1 controls, bidi overrides and line separators', () => {
  const text = humanLine({ ...parts, message: 'a\u009b31mb\u202ec\u2028d\u001b[2J', metaJson: ',"m":"\u2066x"' });
  assert.equal(text, '2026-01-01T00:00:00.000Z info: Test a\\u009b31mb\\u202ec\\u2028d\\u001b[2J {"m":"\\u2066x"}');
});
