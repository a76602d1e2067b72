import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, UsageError } from '../../lib/cli/args.js';
import { createSecretPolicy, escapeForTerminal, KEY_RULES_ONLY } from '../../lib/core/index.js';
import { entryFromPlainLine, entryFromRecord } from '../../lib/cli/trace/log-entry.js';
import { formatTraceEntry } from '../../lib/cli/trace/format.js';
import { parseSince } from '../../lib/cli/trace/since.js';
import { isValidTraceId } from '../../lib/cli/trace/trace-id.js';

const SPEC = { logs: 'string', json: 'boolean' } as const;

test('parseArgs: values inline and separate, booleans, positionals, --', () => {
  assert.deepEqual(parseArgs(['x', '--logs=a', '--json', '--', '--y'], SPEC), { flags: { logs: 'a', json: true }, positionals: ['x', '--y'] });
  assert.deepEqual(parseArgs(['--logs', '-'], SPEC).flags, { logs: '-' });
});

test('parseArgs: every mistake is a UsageError', () => {
  for (const argv of [['--nope'], ['--logs'], ['--json=1'], ['--logs', 'a', '--logs', 'b'], ['-x'], ['--logs=']]) {
    assert.throws(() => parseArgs(argv, SPEC), UsageError, argv.join(' '));
  }
});

test('parseArgs: a flag named like an Object.prototype member is unknown, not "given twice"', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.throws(() => parseArgs([`--${name}=x`], SPEC), { name: 'UsageError', message: `unknown option --${name}` });
  }
});

test('parseSince: ages and ISO dates', () => {
  const now = Date.parse('2026-11-27T12:00:00Z');
  assert.equal(parseSince('2d', now), now - 2 * 86_400_000);
  assert.equal(parseSince('90s', now), now - 90_000);
  assert.equal(parseSince('2026-11-01', now), Date.parse('2026-11-01'));
  assert.equal(parseSince('yesterday', now), undefined);
  assert.equal(parseSince('2026-13-45', now), undefined);
});

test('trace IDs: both formats pass, anything odd does not', () => {
  for (const ok of ['0HMGDP8E63BDF:00000004', '4bf92f3577b34da6a3ce929d0e0e4736', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']) {
    assert.ok(isValidTraceId(ok), ok);
  }
  for (const bad of ['', ':x', 'a b', 'a\u001b[31m', 'x'.repeat(129), '$(id)', '*']) assert.ok(!isValidTraceId(bad), bad);
});

test('formatTraceEntry: level names mapped, extra fields as JSON, control characters escaped', () => {
  const entry = entryFromRecord(
    { time: '2026-11-27T22:41:53.123Z', level: 'error', category: 'Errors', msg: 'boom\u001b[2J', traceId: 'x', status: 500 },
    'api.log',
    1,
  );
  assert.equal(formatTraceEntry(entry), '2026-11-27T22:41:53.123Z  Error        Errors  boom\\u001b[2J  {"status":500}');
  assert.equal(formatTraceEntry(entryFromPlainLine('no time here x', 'a', 1)), '(no time)                 no time here x');
});

test('the policy hides known values and any Password=; the terminal sanitizer escapes bidi and C1 but keeps tabs', () => {
  const policy = createSecretPolicy(['s3cret-key']);
  assert.equal(policy.mask('k=s3cret-key; Server=a;Password=hunter22;Database=b'), 'k=***; Server=a;Password=***;Database=b');
  assert.equal(KEY_RULES_ONLY.mask('pwd = "x;y"'), 'pwd = ***');
  assert.equal(escapeForTerminal('a\u202eb\tc\u009b2J'), 'a\\u202eb\tc\\u009b2J');
});
