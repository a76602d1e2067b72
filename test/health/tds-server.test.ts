// The stand-in run as a child process, the way CLI tests use it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { sqlCheck } from '../../lib/health/index.js';
import { tediousConfig } from './helpers.js';

async function startChild(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/tds-server.ts', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code} before listening: ${output}`)));
  });
  return { child, port };
}

describe('tds-server.ts as a child process', () => {
  it('prints `listening <port>`, accepts --user, stops on SIGTERM', async () => {
    const { child, port } = await startChild(['--user', 'cli=pw=with=equals', '--version', '15.0.2000.5']);
    try {
      const good = await sqlCheck(tediousConfig(port, { user: 'cli', password: 'pw=with=equals' }));
      assert.equal(good.ok, true, JSON.stringify(good));
      assert.ok(good.ok && good.serverVersion.includes('15.0.2000.5'));
      const bad = await sqlCheck(tediousConfig(port, { user: 'cli', password: 'nope' }));
      assert.equal(bad.ok === false && bad.error.kind, 'login');
    } finally {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    }
  });

  it('--silent accepts and never answers', async () => {
    const { child, port } = await startChild(['--silent']);
    try {
      const result = await sqlCheck(tediousConfig(port), { timeoutMs: 500 });
      assert.equal(result.ok === false && result.error.kind, 'timeout');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
