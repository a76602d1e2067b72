/** MemoryStore: one entry per client, sweeping, the maxClients bound and its memory cost. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MemoryStore, type RateLimitWindow } from '../../lib/rate-limit/index.js';
import { type LogSink, silentSink } from '../../lib/core/index.js';

const windows: RateLimitWindow[] = [
  { name: 'burst', limit: 2, period: '1s', periodMs: 1000, slot: 0 },
  { name: 'hour', limit: 3, period: '1h', periodMs: 3_600_000, slot: 1 },
];

function store(maxClients = 100, logger: LogSink = silentSink) {
  let now = 1_000_000;
  const s = new MemoryStore({ maxClients, sweepIntervalMs: 0 });
  s.attach({ clock: () => now, logger });
  return { s, advance: (ms: number) => void (now += ms), now: () => now };
}

describe('MemoryStore', () => {
  it('checks and counts every window in one call', () => {
    const { s, now, advance } = store();
    assert.deepEqual(s.hit('a', windows, now(), false), { blocked: -1, counts: [1, 1], resetsInMs: [1000, 3_600_000] });
    s.hit('a', windows, now(), false);
    assert.deepEqual(s.hit('a', windows, now(), false), { blocked: 0, counts: [2, 2], resetsInMs: [1000, 3_600_000] });
    advance(1000);
    assert.equal(s.hit('a', windows, now(), false).blocked, -1);
    advance(1000);
    const refused = s.hit('a', windows, now(), false);
    assert.equal(refused.blocked, 1);
    assert.equal(refused.resetsInMs[1], 3_600_000 - 2000);
  });

  it('sweeps clients whose windows have all ended', () => {
    const { s, now, advance } = store();
    s.hit('short', windows.slice(0, 1), now(), false);
    s.hit('long', windows, now(), false);
    advance(1000);
    assert.equal(s.sweep(now()), 1);
    assert.equal(s.size, 1);
    advance(3_600_000);
    assert.equal(s.sweep(now()), 1);
    assert.equal(s.size, 0);
  });

  it('evicts least recently seen clients beyond maxClients, warning at most once a minute', () => {
    const warnings: string[] = [];
    const { s, now, advance } = store(1000, { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} });
    s.hit('regular', windows, now(), false);
    for (let i = 0; i < 5000; i++) {
      s.hit(`flood-${i}`, windows, now(), false);
      if (i % 100 === 0) s.hit('regular', windows.slice(0, 0), now(), false); // seen again, counts nothing
      assert.ok(s.size <= 1000);
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] as string, /maxClients 1000.*Raise MaxClients or use the Redis store/);
    assert.deepEqual(s.hit('regular', windows, now(), false).counts, [2, 2], 'a client seen recently kept its counts');
    advance(60_000);
    for (let i = 0; i < 10; i++) s.hit(`late-${i}`, windows, now(), false);
    assert.equal(warnings.length, 2, 'a minute later, one more warning');
  });

  it('never evicts the client being added, even when every other client was seen recently', () => {
    const { s, now } = store(3);
    const one = windows.slice(0, 1);
    for (const key of ['a', 'b', 'c']) {
      s.hit(key, one, now(), false);
      s.hit(key, one, now(), false); // seen again
    }
    assert.equal(s.hit('d', one, now(), false).blocked, -1);
    assert.equal(s.hit('d', one, now(), false).blocked, -1);
    assert.equal(s.hit('d', one, now(), false).blocked, 0, 'the newcomer\'s first request was counted');
    assert.ok(s.size <= 3);
  });

  it('1 000 000 distinct IPs with maxClients 100 000 stay bounded', (t) => {
    const script = fileURLToPath(new URL('./fixtures/memory-flood.ts', import.meta.url));
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, '1000000', '100000'], {
      encoding: 'utf8',
      timeout: 50_000,
    });
    const result = JSON.parse(output) as { size: number; peakSize: number; warnings: number; bytesPerClient: number };
    assert.ok(result.peakSize <= 100_000, `peak ${result.peakSize}`);
    assert.ok(result.size >= 99_000 && result.size <= 100_000);
    assert.equal(result.warnings, 1, 'one warning for the whole flood (within a minute)');
    t.diagnostic(`MemoryStore: ${result.bytesPerClient} bytes per client (5 windows, IPv4 keys, heap delta / clients)`);
    assert.ok(result.bytesPerClient < 1000, `${result.bytesPerClient} bytes per client`);
  });
});
