/**
 * `npm run bench`: every benchmark app against its baseline, in one run on this machine, written to
 * docs/benchmarks.md. Ratios (app / baseline measured in the same run, interleaved rounds, median)
 * are what to compare; absolute req/s depend on the machine.
 *
 *   npm run bench -- [--duration 5] [--rounds 3] [--connections 50] [--suite rate-limit,logging,stack,exactness,weight]
 *                    [--load-runs 9] [--no-write]
 *
 * The `weight` suite (test/bench/weight.ts) measures install weight, module counts and load time
 * instead of throughput. A run that leaves out the throughput suites, or `weight`, keeps the
 * previous run's part of docs/benchmarks.md for what it left out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { connect } from 'node:net';
import { weightSection } from './weight.js';
import { runExactness } from '../fixtures/exactness/run.js';

interface Entry {
  app: string;
  label: string;
  redis?: boolean;
}
interface Suite {
  name: string;
  title: string;
  baseline: string;
  entries: Entry[];
  target: string;
}

const SUITES: Suite[] = [
  {
    name: 'rate-limit',
    title: 'Rate limiting: six rules, limits too high to trip',
    baseline: 'rl-bare',
    target: 'memory store >= 0.97 of bare Express; Redis store >= 0.90 and exactly 1 Redis command per request',
    entries: [
      { app: 'rl-bare-headers', label: 'bare Express + static rate-limit headers of the same size (no limiting)' },
      { app: 'rl-guard-memory', label: 'express-api-guard rateLimit, MemoryStore' },
      { app: 'rl-guard-redis', label: 'express-api-guard rateLimit, RedisStore', redis: true },
      { app: 'rl-erl-memory', label: 'express-rate-limit x6, MemoryStore' },
      { app: 'rl-erl-redis', label: 'express-rate-limit x6, rate-limit-redis (ioredis)', redis: true },
      { app: 'rl-flexible-memory', label: 'rate-limiter-flexible RateLimiterUnion, memory' },
      { app: 'rl-flexible-redis', label: 'rate-limiter-flexible RateLimiterUnion, Redis', redis: true },
    ],
  },
  {
    name: 'logging',
    title: 'Trace ID + one request log line per request, to a file',
    baseline: 'log-bare',
    target: '>= 0.90 of bare Express',
    entries: [
      { app: 'log-guard', label: 'express-api-guard traceId + requestLogger (file)' },
      { app: 'log-express-winston', label: 'express-winston (file) + cls-rtracer' },
      { app: 'log-pino-http', label: 'pino-http (file)' },
    ],
  },
  {
    name: 'stack',
    title: 'The whole guard (before + after) around a trivial JSON route',
    baseline: 'rl-bare',
    target: '>= 0.85 of bare Express with metrics off, >= 0.83 with metrics on (the default); a 429 costs no more than an admitted request',
    entries: [
      { app: 'stack-bare-headers', label: 'bare Express + static trace and rate-limit headers of the same size (no guard)' },
      { app: 'stack-guard', label: 'express-api-guard before + after (memory store, file log, metrics on: the default)' },
      { app: 'stack-guard-metrics-off', label: 'express-api-guard before + after, Metrics.Enabled false' },
      { app: 'stack-guard-429', label: 'express-api-guard, every request answered 429' },
      { app: 'stack-anchors', label: 'cls-rtracer + express-winston + express-rate-limit x6 + JSON error handler' },
    ],
  },
];

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    suite: { type: 'string', default: [...SUITES.map((s) => s.name), 'exactness', 'weight'].join(',') },
    'load-runs': { type: 'string', default: '9' },
    'no-write': { type: 'boolean', default: false },
  },
});
const duration = Number(opts.duration);
const rounds = Number(opts.rounds);
const connections = Number(opts.connections);
const chosen = SUITES.filter((s) => opts.suite.split(',').includes(s.name));
const weight = opts.suite.split(',').includes('weight');
const loadRuns = Number(opts['load-runs']);
const here = import.meta.dirname;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Sample {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
  commandsPerRequest?: number;
}

async function startApp(app: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(here, 'serve.ts'), app], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok, fail) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) ok((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => fail(new Error(`${app} exited with ${code} before listening`)));
  });
  return { url, child };
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((ok) => setTimeout(ok, 3000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * Commands the app sends to Redis per request, counted with MONITOR over a short sequential burst
 * after the timed run (MONITOR would slow the timed run). Commands a Lua script runs are reported by
 * MONITOR with source "lua" and are not round trips, so they are not counted; INFO commandstats
 * cannot tell them apart.
 */
async function redisCommandsPerRequest(url: string): Promise<number> {
  // A raw MONITOR connection: each line is `+<time> [<db> <source>] "CMD" ...`, source "lua" for
  // commands a script ran. (ioredis' monitor() mode misparses replies racing its disconnect.)
  const target = new URL(redisUrl);
  const socket = connect(Number(target.port || 6379), target.hostname);
  await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
  let count = 0;
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    const lines = pending.split('\r\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (/^\+\d+\.\d+ \[\d+ (?!lua\])/.test(line)) count += 1;
  });
  socket.write('MONITOR\r\n');
  await new Promise((ok) => setTimeout(ok, 100));
  const requests = 500;
  for (let i = 0; i < requests; i++) await (await fetch(url)).arrayBuffer();
  await new Promise((ok) => setTimeout(ok, 200));
  socket.destroy();
  return count / requests;
}

async function measure(entry: Entry, countRedis: boolean): Promise<Sample> {
  const { url, child } = await startApp(entry.app);
  try {
    await autocannon({ url, connections, duration: 1 }); // warm-up: JIT, connection pools, scripts loaded
    const result = await autocannon({ url, connections, duration });
    return {
      rps: result.requests.average,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      commandsPerRequest: countRedis ? await redisCommandsPerRequest(url) : undefined,
    };
  } finally {
    await stopApp(child);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

const sections: string[] = [];
for (const suite of chosen) {
  const entries: Entry[] = [{ app: suite.baseline, label: 'bare Express (baseline)' }, ...suite.entries];
  const samples = new Map<string, Sample[]>(entries.map((e) => [e.app, []]));
  for (let round = 0; round < rounds; round++) {
    // Every other round runs in reverse: on a shared machine the slot an app runs in (right after which
    // other app, how far into the round) biases it, and a fixed order would bias the same app every round.
    for (const entry of round % 2 === 0 ? entries : [...entries].reverse()) {
      if (!existsSync(resolve(here, 'apps', `${entry.app}.ts`))) continue;
      const sample = await measure(entry, entry.redis === true);
      samples.get(entry.app)!.push(sample);
      console.log(`${suite.name} round ${round + 1}/${rounds} ${entry.app}: ${sample.rps.toFixed(0)} req/s, p99 ${sample.p99} ms` +
        (sample.commandsPerRequest === undefined ? '' : `, ${sample.commandsPerRequest.toFixed(3)} Redis commands/request`));
    }
  }
  // Ratios are taken round by round (each app against the baseline measured minutes apart, not
  // against a median from another time), then summarised: on a shared 2-core machine the absolute
  // throughput drifts between rounds far more than the ratio does.
  const base = samples.get(suite.baseline)!;
  const rows = entries
    .filter((e) => samples.get(e.app)!.length > 0)
    .map((e) => {
      const s = samples.get(e.app)!;
      const rpsRatios = s.map((x, round) => x.rps / (base[round]?.rps ?? NaN));
      const p99Ratios = s.map((x, round) => x.p99 / Math.max(base[round]?.p99 ?? NaN, 0.001));
      const range = `${Math.min(...rpsRatios).toFixed(2)}–${Math.max(...rpsRatios).toFixed(2)}`;
      const cmds = s[0]?.commandsPerRequest === undefined ? '–' : median(s.map((x) => x.commandsPerRequest!)).toFixed(2);
      const bad = s.reduce((n, x) => n + x.errors, 0);
      return `| ${e.label} | ${median(s.map((x) => x.rps)).toFixed(0)} | **${median(rpsRatios).toFixed(2)}** | ${range} | ${median(s.map((x) => x.p99)).toFixed(1)} | ${median(p99Ratios).toFixed(2)} | ${cmds} | ${bad} |`;
    });
  sections.push([
    `## ${suite.title}`,
    '',
    `Target: ${suite.target}.`,
    '',
    '| app | req/s (median) | req/s ratio to bare (median of rounds) | ratio range | p99 ms | p99 ratio | Redis commands / request | socket errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'));
}

/**
 * Not a throughput row: 4 processes behind one Redis, 2000 concurrent requests for one client
 * against a limit of 100, default options, 1 ms of app CPU per request (the `npm test` check).
 * What counts is admitted / limit, which must be 1.00 in every round.
 */
if (opts.suite.split(',').includes('exactness')) {
  const ratios: number[] = [];
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const result = await runExactness({ redisUrl, processes: 4, requests: 2000, limit: 100, busyMs: 1 });
    ratios.push(result.admitted / result.limit);
    times.push(result.elapsedMs);
    console.log(`exactness round ${round + 1}/${rounds}: ${result.admitted} admitted of limit ${result.limit}, statuses ${JSON.stringify(result.statuses)}, ${result.elapsedMs.toFixed(0)} ms`);
  }
  sections.push([
    '## Multi-process exactness: 4 processes, one Redis, 2000 concurrent requests for one client, limit 100',
    '',
    'Target: admitted / limit = 1.00 in every round (default options; each request costs the app 1 ms of CPU before the limiter, so Redis replies queue behind hundreds of requests).',
    '',
    '| app | admitted / limit (median) | range over rounds | burst duration ms (median) |',
    '|---|---:|---:|---:|',
    `| express-api-guard rateLimit, RedisStore, 4 processes | **${median(ratios).toFixed(2)}** | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} | ${median(times).toFixed(0)} |`,
    '',
  ].join('\n'));
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const throughput = [
  '# Benchmarks',
  '',
  'Measured with autocannon on 127.0.0.1, every app in its own process, baselines measured in the same',
  `run with rounds interleaved (every other round in reverse order); ratios are computed per round against that round's baseline, then the`,
  `median and the range over rounds are shown. Machine: ${cpus().length} × ${cpu}, Node.js ${process.version}.`,
  `Run on ${new Date().toISOString().slice(0, 10)} with:`,
  '',
  '```',
  `npm run bench -- --duration ${duration} --rounds ${rounds} --connections ${connections} --suite ${opts.suite}`,
  '```',
  '',
  'Compare ratios, not absolute numbers: both sides ran on the same 2-core machine, so the load generator',
  'competes with the server for CPU, and absolute req/s depend on the machine.',
  '',
  ...sections,
].join('\n');

// The file is: throughput part, `<!-- weight -->` part, `<!-- notes -->` (hand-written, always kept).
const path = resolve(here, '..', '..', 'docs', 'benchmarks.md');
const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
const notesAt = previous.includes('<!-- notes -->') ? previous.indexOf('<!-- notes -->') : previous.length;
const weightAt = previous.includes('<!-- weight -->') ? previous.indexOf('<!-- weight -->') : notesAt;
const doc = [
  sections.length > 0 ? `${throughput}\n` : previous.slice(0, weightAt),
  weight ? `${await weightSection({ runs: loadRuns })}\n` : previous.slice(weightAt, notesAt),
  previous.slice(notesAt),
].join('');

if (!opts['no-write']) {
  writeFileSync(path, doc);
  console.log(`written to ${path}`);
} else {
  console.log(doc);
}
