import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { humanLine } from '../../lib/logging/console-format.js';
import { createLogger } from '../../lib/logging/index.js';
import { OptionsError, runWithContext } from '../../lib/core/index.js';
import { capture, readLogLines, readLogText, tempDir } from './helpers.js';

test('lines are JSON with timestamp, ASP.NET level, category, message, traceId and meta', async (t) => {
  const dir = tempDir(t);
  const logger = createLogger({ Directory: dir, Console: false });
  logger.info('outside a request', { n: 1 });
  runWithContext({ traceId: '0HMGDP8E63BDF:00000004' }, () => logger.forCategory('RateLimiting').warn('inside', { rule: 'burst' }));
  logger.error('failed', { err: new Error('disk on fire'), nested: { list: [1, 'a'] } });
  await logger.close();
  const lines = readLogLines(dir);
  assert.equal(lines.length, 3);
  assert.match(String(lines[0]!.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual({ ...lines[0], timestamp: 0 }, { timestamp: 0, level: 'Information', category: 'App', message: 'outside a request', n: 1 });
  assert.deepEqual({ ...lines[1], timestamp: 0 }, {
    timestamp: 0,
    level: 'Warning',
    category: 'RateLimiting',
    message: 'inside',
    traceId: '0HMGDP8E63BDF:00000004',
    rule: 'burst',
  });
  assert.equal(lines[2]!.level, 'Error');
  assert.equal((lines[2]!.err as { message: string }).message, 'disk on fire');
  assert.deepEqual(lines[2]!.nested, { list: [1, 'a'] });
  const files = readdirSync(dir).filter((f) => f.startsWith('api-'));
  assert.deepEqual(files, [`api-${new Date().toISOString().slice(0, 10)}.log`]);
});

test('category levels: most specific prefix wins, Default for the rest, None silences, DetailedTrace enables Trace', async (t) => {
  const dir = tempDir(t);
  const logger = createLogger({
    Directory: dir,
    Console: false,
    LogLevel: { Default: 'Warning', RateLimiting: 'Debug', 'RateLimiting.Redis': 'Error', Http: 'None' },
  });
  const rl = logger.forCategory('RateLimiting');
  const redis = logger.forCategory('RateLimiting.Redis');
  const store = logger.forCategory('RateLimiting.Memory');
  const http = logger.forCategory('Http');
  assert.equal(rl.isEnabled('Debug'), true);
  assert.equal(rl.isEnabled('Trace'), false);
  assert.equal(store.isEnabled('Debug'), true, 'RateLimiting applies to RateLimiting.Memory');
  assert.equal(redis.isEnabled('Warning'), false);
  assert.equal(redis.isEnabled('Error'), true);
  assert.equal(http.isEnabled('Critical'), false);
  assert.equal(http.isEnabled('None'), false);
  assert.equal(logger.isEnabled('Information'), false);
  assert.equal(logger.forCategory('ratelimiting.other').isEnabled('Debug'), true, 'matching ignores case');
  store.debug('kept');
  redis.warn('dropped');
  http.critical('dropped');
  logger.info('dropped');
  logger.critical('kept');
  await logger.close();
  assert.deepEqual(readLogLines(dir).map((l) => [l.category, l.level]), [['RateLimiting.Memory', 'Debug'], ['App', 'Critical']]);

  const dir2 = tempDir(t);
  const detailed = createLogger({ Directory: dir2, Console: false, DetailedTrace: true, LogLevel: { Default: 'Error', Http: 'None' } });
  assert.equal(detailed.forCategory('Http').isEnabled('Trace'), true);
  detailed.trace('traced');
  await detailed.close();
  assert.equal(readLogLines(dir2)[0]!.level, 'Trace');
});

test('bad settings throw at construction, saying what to write instead', async (t) => {
  const dir = tempDir(t);
  assert.throws(() => createLogger({ Directory: dir, LogLevel: { Default: 'Verbose' as 'Trace' } }), /Logging\.LogLevel\.Default: "Verbose" is not a log level; use one of Trace, Debug/);
  assert.throws(() => createLogger({ Directory: dir, File: { MaxSize: '10 MB', MaxFiles: '14d' } }), /File\.MaxSize: "10 MB" is not a size/);
  assert.throws(() => createLogger({ Directory: dir, File: { MaxSize: '1m', MaxFiles: 'forever' } }), /File\.MaxFiles/);
  // The library's OptionsError (still a TypeError), with the codes and messages it always had.
  assert.throws(
    () => createLogger({ Directory: dir, LogLevel: { Default: 'Verbose' as 'Trace' } }),
    (err: unknown) =>
      err instanceof OptionsError &&
      err instanceof TypeError &&
      err.code === 'ERR_LOG_LEVEL' &&
      err.path === 'Logging.LogLevel.Default' &&
      err.message === 'Logging.LogLevel.Default: "Verbose" is not a log level; use one of Trace, Debug, Information, Warning, Error, Critical, None.',
  );
  assert.throws(
    () => createLogger({ Directory: dir, Console: 'yes' as unknown as boolean }),
    (err: unknown) => err instanceof OptionsError && err.code === 'ERR_LOGGING_OPTIONS' && err.message === 'Logging.Console: must be true or false.',
  );
  // Level names are case-insensitive, as in ASP.NET Core.
  const lenient = createLogger({ Directory: dir, Console: false, LogLevel: { Default: 'warning' as 'Warning' } });
  assert.equal(lenient.isEnabled('Warning'), true);
  assert.equal(lenient.isEnabled('Information'), false);
  await lenient.close();
});

test('reconfigure() changes levels of existing category loggers at once and logs the change', async (t) => {
  const dir = tempDir(t);
  const logger = createLogger({ Directory: dir, Console: false, LogLevel: { Default: 'Warning' } });
  const rl = logger.forCategory('RateLimiting');
  rl.info('before: dropped');
  logger.reconfigure({ Directory: dir, Console: false, LogLevel: { Default: 'Warning', RateLimiting: 'Debug' } });
  assert.equal(rl.isEnabled('Debug'), true);
  rl.debug('after: kept');
  logger.info('root still at Warning: dropped');
  logger.reconfigure({ Directory: dir, Console: false, LogLevel: { Default: 'Warning', RateLimiting: 'Debug' } });
  logger.reconfigure({ Directory: dir, Console: false, DetailedTrace: true, LogLevel: { Default: 'Warning' } });
  logger.trace('detailed: kept');
  await logger.close();
  const lines = readLogLines(dir);
  assert.deepEqual(lines.map((l) => l.message), [
    'Log levels changed: RateLimiting (unset) → Debug',
    'after: kept',
    'Log levels changed: RateLimiting Debug → (unset); DetailedTrace false → true',
    'detailed: kept',
  ]);
  assert.equal(lines[0]!.category, 'Logging');
  assert.deepEqual((lines[0]!.current as { LogLevel: unknown }).LogLevel, { Default: 'Warning', RateLimiting: 'Debug' });
});

test('redaction: sensitive keys at any depth and known secrets inside any string, in files and on the console', async (t) => {
  const dir = tempDir(t);
  const secrets = ['Sup3rS3cretPassw0rd', 'KeyForEncrypterValue123'];
  const out = capture(process.stdout);
  let logger;
  try {
    logger = createLogger({ Directory: dir, Console: true }, { secrets });
    const headers = {
      host: 'api.example',
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-token',
      cookie: 'session=cookie-value-abc',
      'x-api-key': 'api-key-value-xyz',
    };
    logger.info('handler logged the headers by mistake', { headers });
    logger.warn('connection failed: Server=db;Password=Sup3rS3cretPassw0rd;', {
      deep: { deeper: [{ 'Set-Cookie': ['a=set-cookie-value'], Password: 'pw-value-1', note: 'key KeyForEncrypterValue123 used' }] },
      rawHeaders: ['Authorization', 'Basic raw-header-value', 'Accept', '*/*'],
      ConnectionStrings: { 'Issuetrak-Databse': 'Server=x;Password=whatever' },
      err: new Error('login failed for Sup3rS3cretPassw0rd'),
    });
    await logger.close();
  } finally {
    out.stop();
  }
  const forbidden = [
    'Sup3rS3cretPassw0rd',
    'KeyForEncrypterValue123',
    'secret-token',
    'cookie-value-abc',
    'api-key-value-xyz',
    'set-cookie-value',
    'pw-value-1',
    'raw-header-value',
    'Password=whatever',
  ];
  const text = readLogText(dir);
  const consoleText = out.text();
  assert.match(text, /handler logged the headers by mistake/);
  assert.match(consoleText, /handler logged the headers by mistake/);
  for (const value of forbidden) {
    assert.equal(text.includes(value), false, `file contains ${value}`);
    assert.equal(consoleText.includes(value), false, `console contains ${value}`);
  }
  const [first] = readLogLines(dir);
  assert.deepEqual(first!.headers, { host: 'api.example', authorization: '***', cookie: '***', 'x-api-key': '***' });
});

test('rotation: MaxSize starts numbered files (.1, .2, …) in the same day', async (t) => {
  const dir = tempDir(t);
  const logger = createLogger({ Directory: dir, Console: false, File: { MaxSize: '1k', MaxFiles: '14d' } });
  // Lines reach the file in small batches; pause between bursts so several writes happen.
  for (let i = 0; i < 40; i++) {
    logger.info(`line ${i} ${'x'.repeat(100)}`);
    if (i % 4 === 3) await new Promise((r) => setTimeout(r, 15));
  }
  await logger.close();
  const day = new Date().toISOString().slice(0, 10);
  const files = readdirSync(dir).filter((f) => f.startsWith('api-'));
  assert.ok(files.includes(`api-${day}.log`), files.join());
  assert.ok(files.includes(`api-${day}.log.1`), files.join());
  assert.ok(files.includes(`api-${day}.log.2`), files.join());
  const lines = readLogLines(dir);
  assert.equal(lines.length, 40, 'no line lost across files');
  assert.equal(new Set(lines.map((l) => l.message)).size, 40);
});

test('an unwritable log directory never throws nor crashes; it is reported once on stderr', async (t) => {
  const dir = tempDir(t);
  // A path under a regular file cannot be created, even by root.
  writeFileSync(join(dir, 'file.txt'), 'not a directory');
  const target = join(dir, 'file.txt', 'logs');
  const err = capture(process.stderr);
  try {
    const logger = createLogger({ Directory: target, Console: false });
    for (let i = 0; i < 5; i++) logger.error('nowhere to go');
    logger.reconfigure({ Directory: target, Console: false, LogLevel: { Default: 'Debug' } });
    logger.error('still nowhere');
    await logger.close();
  } finally {
    err.stop();
  }
  assert.equal(existsSync(target), false);
  const reports = err.text().split('\n').filter((l) => l.includes('cannot write log files'));
  assert.equal(reports.length, 1, err.text());
  assert.match(reports[0]!, /Logging\.Directory/);
});

test('close() resolves once the lines are in the file; later calls are ignored', async (t) => {
  const dir = tempDir(t);
  const logger = createLogger({ Directory: dir, Console: false });
  for (let i = 0; i < 500; i++) logger.info(`n${i}`);
  await logger.close();
  assert.equal(readLogLines(dir).length, 500);
  logger.info('after close');
  await logger.close();
  assert.equal(readLogLines(dir).length, 500);
});

test('the winston instance is exposed and its own calls get the same line format', async (t) => {
  const dir = tempDir(t);
  const logger = createLogger({ Directory: dir, Console: false }, { secrets: ['TopSecretValue'] });
  logger.winston.log('warning', 'direct TopSecretValue', { authorization: 'Bearer zzz' });
  await logger.close();
  const [line] = readLogLines(dir);
  assert.deepEqual({ ...line, timestamp: 0 }, { timestamp: 0, level: 'Warning', category: 'App', message: 'direct ***', authorization: '***' });
});

test('reconfigure() retries a log folder that could not be written before', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'logs'), 'a file where the folder should be');
  const target = join(dir, 'logs');
  const err = capture(process.stderr);
  let logger;
  try {
    logger = createLogger({ Directory: target, Console: false });
    logger.warn('lost');
    // The open fails asynchronously; wait until it has been reported.
    for (let i = 0; i < 100 && !err.text().includes('cannot write log files'); i++) await new Promise((r) => setTimeout(r, 10));
    rmSync(target);
    logger.reconfigure({ Directory: target, Console: false, LogLevel: { Default: 'Debug' } });
    logger.debug('kept');
    await logger.close();
  } finally {
    err.stop();
  }
  assert.deepEqual(readLogLines(target).map((l) => l.message), ['Log levels changed: Default Information → Debug', 'kept']);
});

test('a full disk (writes failing with ENOSPC) is reported once and never throws', async (t) => {
  const dir = tempDir(t);
  // /dev/full fails every write with ENOSPC: today's log file pointed at it is a disk that is full.
  symlinkSync('/dev/full', join(dir, `api-${new Date().toISOString().slice(0, 10)}.log`));
  const err = capture(process.stderr);
  try {
    const logger = createLogger({ Directory: dir, Console: false });
    for (let i = 0; i < 20; i++) {
      logger.error(`line ${i}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    await logger.close();
  } finally {
    err.stop();
  }
  const reports = err.text().split('\n').filter((l) => l.includes('cannot write log files'));
  assert.equal(reports.length, 1, err.text());
  assert.match(reports[0]!, /ENOSPC/);
});

test('the terminal format is one line with short level names and escaped control characters', () => {
  const line = humanLine({
    timestamp: '2026-11-27T22:45:13.123Z',
    level: 'Error',
    category: 'Http',
    message: 'GET /x\r\nFAKE: injected',
    traceId: '0HMGDP8E63BDF:00000004',
    metaJson: ',"status":500',
  });
  assert.equal(line, '2026-11-27T22:45:13.123Z fail: Http[0HMGDP8E63BDF:00000004] GET /x\\r\\nFAKE: injected {"status":500}');
});

test('an Error or a bare value passed as meta is still logged usefully', async (t) => {
  const dir = tempDir(t);
  const logger = createLogger({ Directory: dir, Console: false }, { category: 'Tickets' });
  logger.error('failed', new Error('db down') as never);
  logger.info('count', 42 as never);
  await logger.close();
  const [first, second] = readLogLines(dir);
  assert.equal((first!.error as { message: string }).message, 'db down');
  assert.equal(first!.category, 'Tickets');
  assert.equal(second!.meta, 42);
});
