/**
 * Shared by the metrics tests: a parser for the Prometheus text exposition format (what a scraper
 * reads, so the tests read the same), an Express app listening on 127.0.0.1:0, and a guard config dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { Express } from 'express';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Scrape {
  readonly contentType: string | null;
  readonly text: string;
  readonly samples: readonly Sample[];
  readonly types: ReadonlyMap<string, string>;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text format; throws on a line that is not a comment, blank, or `name{labels} value`. */
export function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name ?? '', type ?? '');
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (match === null) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key ?? ''] = (value ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const raw = match[3] ?? '';
    samples.push({ name: match[1] ?? '', labels, value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw) });
  }
  return { samples, types };
}

/** GETs `url` and parses it; asserts nothing (the tests do). */
export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`scrape of ${url} answered ${response.status}: ${text}`);
  return { contentType: response.headers.get('content-type'), text, ...parsePrometheus(text) };
}

/** The value of the sample `name` whose labels include `labels` (exactly one must match; 0 when none). */
export function value(scraped: Pick<Scrape, 'samples'>, name: string, labels: Record<string, string> = {}): number {
  const matches = scraped.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matches.length > 1) throw new Error(`${matches.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matches[0]?.value ?? 0;
}

/** Sum of every sample `name` whose labels include `labels`. */
export function sum(scraped: Pick<Scrape, 'samples'>, name: string, labels: Record<string, string> = {}): number {
  return scraped.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

/** Listens on 127.0.0.1:0; closed after the test. Returns the origin, e.g. `http://127.0.0.1:1234`. */
export async function listen(t: TestContext, app: Express): Promise<{ origin: string; server: Server }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A temp folder holding appsettings.json with `config`; removed after the test. */
export function configDir(t: TestContext, config: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-metrics-'));
  writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify(config, null, 2));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Calls `check` until it returns true (after each of the events a test causes), at most `ms`. */
export async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
