// The one secret policy, the allow-list error serializer and the terminal sanitizer, as units.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSecretPolicy, escapeForTerminal, KEY_RULES_ONLY, redact, serializeError } from '../../lib/core/index.js';

const SECRET = 'Sup3r/Secr3t&Key é"x';

test('key rules: every section, any depth, suffixes, ignoring case, -, _ and .', () => {
  const policy = KEY_RULES_ONLY;
  for (const key of ['Password', 'pwd', 'X-Api-Key', 'ApiKey', 'SmtpPassword', 'client_secret', 'AccessToken', 'csrf-token', 'Authorization', 'Proxy-Authorization', 'Set-Cookie', 'SessionSigningKey', 'PrivateKey', 'Db.ConnectionString']) {
    assert.ok(policy.isSecretKey(key), key);
  }
  for (const key of ['KeyPrefix', 'ClientKey', 'Name', 'TokenEndpoint', 'status', 'path', 'type']) assert.ok(!policy.isSecretKey(key), key);
  assert.ok(policy.isSecretSection('ConnectionStrings') && policy.isSecretSection('secure_storage_keys'));
});

test('known values are masked raw, URL-encoded (either hex case, + for space) and JSON-escaped (once, twice, ASCII-only)', () => {
  const policy = createSecretPolicy([SECRET]);
  const forms = [
    SECRET,
    encodeURIComponent(SECRET),
    encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    encodeURIComponent(SECRET).replace(/%20/g, '+'),
    JSON.stringify(SECRET).slice(1, -1),
    JSON.stringify(JSON.stringify(SECRET).slice(1, -1)).slice(1, -1),
    JSON.stringify(SECRET).slice(1, -1).replace('é', '\\u00e9'),
  ];
  for (const form of forms) {
    const masked = policy.mask(`before ${form} after`);
    assert.equal(masked, 'before *** after', form);
  }
  assert.equal(policy.valueCount, 1);
});

test('short secrets are not searched for in text (too noisy); numbers are matched as whole numbers', () => {
  const policy = createSecretPolicy(['abc', '', '98765']);
  assert.equal(policy.mask('abc abcdef'), 'abc abcdef');
  assert.equal(policy.mask('pin 98765, not 1987654 nor 987650'), 'pin ***, not 1987654 nor 987650');
  assert.equal(policy.maskNumber(98765), '***');
  assert.equal(policy.maskNumber(198765), 198765);
  assert.deepEqual(policy.redact({ count: 98765, big: 98765n, other: 5 }), { count: '***', big: '***', other: 5 });
});

test('values after secret keys are masked even when nobody configured them', () => {
  const mask = KEY_RULES_ONLY.mask;
  assert.equal(mask('Server=db;User Id=app;Password=hunter2;Database=x'), 'Server=db;User Id=app;Password=***;Database=x');
  assert.equal(mask('GET /x?apikey=abc123&page=2'), 'GET /x?apikey=***&page=2');
  assert.equal(mask('ConnectionStrings__Main=Server=db;Pwd={a;b}'), 'ConnectionStrings__Main=***;Pwd=***');
  assert.equal(mask('redis://default:r3dis@127.0.0.1:6379'), 'redis://default:***@127.0.0.1:6379');
  assert.equal(mask('Unexpected token, "{"password":"hun\\"ter2","name":"x"}" is not valid JSON'), 'Unexpected token, "{"password":"***","name":"x"}" is not valid JSON');
  assert.equal(mask('{\\"token\\":\\"abc\\",\\"n\\":1}'), '{\\"token\\":\\"***\\",\\"n\\":1}');
  assert.equal(mask("{ password: 'abc', other: 'x' }"), "{ password: '***', other: 'x' }");
  assert.equal(mask('Authorization: Bearer abc.def\nnext line'), 'Authorization: ***\nnext line');
  // A client-facing sentence that merely mentions a secret key keeps its words.
  assert.equal(mask('password: must be at least 12 characters'), 'password: must be at least 12 characters');
});

test('maskBounded masks a secret that straddles the cut', () => {
  const policy = createSecretPolicy([SECRET]);
  const text = `${'x'.repeat(95)}${SECRET}${'y'.repeat(1000)}`;
  const cut = policy.maskBounded(text, 100);
  assert.ok(!cut.includes(SECRET.slice(0, 5)), cut);
  assert.match(cut, /more characters\)$/);
});

test('redact: shared references are copied, only true cycles are cut, hostile objects do not throw', () => {
  const shared = { a: 1 };
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const throwing = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
  const out = redact({ x: shared, y: shared, list: [shared, shared], cyclic, proxy, throwing, frozen: Object.freeze({ token: 'f' }) }) as Record<string, any>;
  assert.deepEqual(out.x, { a: 1 });
  assert.deepEqual(out.y, { a: 1 });
  assert.deepEqual(out.list, [{ a: 1 }, { a: 1 }]);
  assert.equal(out.cyclic.self, '[Circular]');
  assert.equal(out.proxy, '[Unreadable]');
  assert.equal(out.throwing, '[Unreadable]');
  assert.deepEqual(out.frozen, { token: '***' });
  // A graph of shared references doubling at each level stays bounded.
  let node: unknown = { leaf: true };
  for (let i = 0; i < 30; i++) node = { left: node, right: node };
  assert.ok(JSON.stringify(redact(node)).length < 2_000_000);
});

test('serializeError is an allow-list: body, headers, config and response never copied', () => {
  const policy = createSecretPolicy([SECRET]);
  const err = Object.assign(new Error(`bad body ${SECRET}`), {
    status: 400,
    type: 'entity.parse.failed',
    code: 'E_BODY',
    body: '{"password":"hunter2"}',
    headers: { authorization: 'Bearer x' },
    config: { auth: 'x' },
    response: { data: 'x' },
  });
  const out = serializeError(err, { policy });
  assert.deepEqual(out, { name: 'Error', message: 'bad body ***', code: 'E_BODY', status: 400, type: 'entity.parse.failed' });
  assert.match(serializeError(err, { policy, stack: true }).stack ?? '', /^Error: bad body \*\*\*/);
});

test('serializeError: cycles named, shared references kept, depth and AggregateError bounded', () => {
  const a = new Error('a');
  const b = new Error('b', { cause: a });
  a.cause = b;
  const cycle = serializeError(a);
  assert.equal(cycle.cause?.message, 'b');
  assert.equal(cycle.cause?.cause?.name, 'Cycle');

  const shared = new Error('shared');
  const aggregate = new AggregateError([shared, shared, ...Array.from({ length: 20 }, (_, i) => new Error(`e${i}`))], 'many');
  const out = serializeError(aggregate);
  assert.equal(out.errors?.[0]?.message, 'shared');
  assert.equal(out.errors?.[1]?.message, 'shared', 'a shared reference is not a cycle');
  assert.equal(out.errors?.length, 10);
  assert.equal(out.errorsOmitted, 12);

  let deep: Error = new Error('root');
  for (let i = 0; i < 50; i++) deep = new Error(`level ${i}`, { cause: deep });
  const chain = serializeError(deep, { depth: 4 });
  assert.equal(chain.cause?.cause?.cause?.truncated, true);
  assert.equal(chain.cause?.cause?.cause?.cause, undefined);
});

test('serializeError survives Proxies, revoked Proxies, throwing getters, frozen errors and huge strings', () => {
  const { proxy, revoke } = Proxy.revocable(new Error('x'), {});
  revoke();
  const trap = new Proxy(new Error('x'), { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
  const getters = Object.defineProperties(new Error('x'), {
    message: { get: () => { throw new Error('no'); } },
    name: { get: () => { throw new Error('no'); } },
    cause: { get: () => { throw new Error('no'); } },
  });
  for (const value of [proxy, trap, getters, Object.freeze(new TypeError('frozen')), Symbol('s'), 10n, null, undefined, () => 1]) {
    const out = serializeError(value, { stack: true });
    assert.equal(typeof out.name, 'string');
    assert.equal(typeof out.message, 'string');
  }
  assert.equal(serializeError(getters).message, '(no readable message)');
  const huge = serializeError(new Error('m'.repeat(5_000_000)), { stack: true });
  assert.ok(huge.message.length < 9000 && (huge.stack?.length ?? 0) < 17_000);
  assert.match(serializeError({ body: 'secret', weird: 1 }).message, /not an Error \(keys: body, weird\)/);
});

test('escapeForTerminal: C0, C1, bidi controls and line separators escaped; tabs and text kept', () => {
  const hostile = 'a\u001b[2Jb\u009b31mc\u202ed\u2066e\u200ff\u061cg\u2028h\u2029i\r\nj\tk é 😀';
  assert.equal(escapeForTerminal(hostile), 'a\\u001b[2Jb\\u009b31mc\\u202ed\\u2066e\\u200ff\\u061cg\\u2028h\\u2029i\\r\\nj\tk é 😀');
});
