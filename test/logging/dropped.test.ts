/**
 * createLogger's onDropped hook (behind api_guard_log_lines_dropped_total): every line that misses
 * a destination it was meant for is reported, and a line that arrives is not.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../../lib/logging/index.js';
import { readLogLines, tempDir } from './helpers.js';

test('lines written to a folder that cannot exist, and after close(), are reported dropped', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'a-file'), 'x');
  let dropped = 0;
  // A folder below a file: it cannot be created, so there is no log file at all.
  const logger = createLogger({ Directory: join(dir, 'a-file', 'logs'), Console: false }, { onDropped: (n) => void (dropped += n) });
  logger.info('one');
  logger.warn('two');
  assert.equal(dropped, 2);
  await logger.close();
  logger.info('after close');
  assert.equal(dropped, 3);
});

test('lines that reach the file are not reported; a throwing hook never breaks logging', async (t) => {
  const dir = tempDir(t);
  let dropped = 0;
  const logger = createLogger({ Directory: dir, Console: false }, { onDropped: (n) => void (dropped += n) });
  logger.info('kept');
  await logger.close();
  assert.equal(dropped, 0);
  assert.equal(readLogLines(dir).length, 1);

  const throwing = createLogger({ Directory: join(dir, 'x', '\0bad'), Console: false }, { onDropped: () => { throw new Error('counter broke'); } });
  assert.doesNotThrow(() => throwing.info('still fine'));
  await throwing.close();
});
