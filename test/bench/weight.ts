/**
 * Install weight and load cost, the `weight` suite of `npm run bench`:
 * `npm pack` this repository, install the tarball next to express@5 in an empty project (production
 * dependencies only, as a consumer gets it: no optional peers such as tedious), and compare with
 * express alone and with the usual alternatives. Then load each entry point in fresh node processes:
 * module counts (see test/fixtures/module-probe.mjs for how CommonJS and ES modules are counted),
 * where the modules come from, and the load time (median of N processes).
 *
 * The same bounds on module counts are asserted by test/package/module-count.test.ts; load times are
 * only reported here.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  countByPackage,
  importChain,
  loadedPackages,
  loadTime,
  probeModules,
  type LoadMode,
  type ModuleProbe,
} from '../fixtures/module-count.js';
import { installInto, packTarball } from '../fixtures/packed-install.js';

const TARGETS = { packages: 60, megabytes: 20, rootModules: 450, rateLimitModules: 200 } as const;
const SUBPATHS = ['rate-limit', 'trace', 'logging', 'config', 'errors', 'https', 'health', 'cli'];
const MODES: readonly LoadMode[] = ['require', 'import'];

interface Scenario {
  readonly key: string;
  readonly label: string;
  /** Installed next to express@5; `guard` stands for the packed tarball. */
  readonly packages: readonly string[];
  /** Entry points to load from this install, as references. */
  readonly references: readonly string[];
}

const SCENARIOS: readonly Scenario[] = [
  { key: 'express', label: 'express@5 alone (baseline)', packages: [], references: ['express'] },
  { key: 'guard', label: '**express-api-guard** (packed from this repository)', packages: ['guard'], references: [] },
  { key: 'erl', label: 'express-rate-limit@8', packages: ['express-rate-limit@8'], references: ['express-rate-limit'] },
  { key: 'helmet-pino', label: 'helmet@8 + pino-http@11', packages: ['helmet@8', 'pino-http@11'], references: ['helmet', 'pino-http'] },
  {
    key: 'anchors',
    label: 'express-rate-limit@8 + helmet@8 + pino-http@11',
    packages: ['express-rate-limit@8', 'helmet@8', 'pino-http@11'],
    references: [],
  },
];

interface Installed {
  readonly dir: string;
  readonly packages: number;
  readonly size: Size;
  /** Disk bytes per package name (all installed versions), nested packages excluded. */
  readonly sizes: Map<string, number>;
  /** For each installed package name, the shortest dependency chain from the project to it. */
  readonly via: Map<string, string[]>;
}

interface LockEntry {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly link?: boolean;
}

interface Size {
  /** Sum of file sizes. */
  files: number;
  /** Space taken on disk, as `du` counts it: allocated blocks of files, directories and links. */
  disk: number;
}

function sizeOf(path: string, skipNodeModules: boolean, into: Size = { files: 0, disk: 0 }): Size {
  into.disk += lstatSync(path).blocks * 512;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (skipNodeModules && entry.name === 'node_modules') continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) sizeOf(full, false, into);
    else {
      const stat = lstatSync(full);
      into.disk += stat.blocks * 512;
      if (!entry.isSymbolicLink()) into.files += stat.size;
    }
  }
  return into;
}

const nameOf = (key: string): string => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** Node's lookup: the nearest node_modules/<name> from `from` upwards. */
function resolveKey(entries: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (entries[key]) return key;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

function measureInstall(dir: string): Installed {
  const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const entries = lock.packages;
  const keys = Object.keys(entries).filter((k) => k.startsWith('node_modules/') && !entries[k]?.link);
  const sizes = new Map<string, number>();
  for (const key of keys) sizes.set(nameOf(key), (sizes.get(nameOf(key)) ?? 0) + sizeOf(join(dir, key), true).disk);
  // Breadth-first from the project's own dependencies: the first chain found is a shortest one.
  const via = new Map<string, string[]>();
  const queue: Array<[string, string[]]> = [];
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const key = resolveKey(entries, '', name);
    if (key) queue.push([key, [name]]);
  }
  const seen = new Set<string>();
  while (queue.length > 0) {
    const [key, chain] = queue.shift()!;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!via.has(nameOf(key))) via.set(nameOf(key), chain);
    const entry = entries[key] ?? {};
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const child = resolveKey(entries, key, dep);
      if (child && !seen.has(child)) queue.push([child, [...chain, dep]]);
    }
  }
  return { dir, packages: keys.length, size: sizeOf(join(dir, 'node_modules'), false), sizes, via };
}

// MB as `du -sh` shows it (2^20 bytes), the unit the install-weight target is stated in.
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const yes = (ok: boolean): string => (ok ? 'yes' : '**no**');

function medianLoadMs(dir: string, mode: LoadMode, specifier: string, runs: number): number {
  loadTime(dir, mode, specifier); // warm-up: the first process also fills the OS file cache
  return median(Array.from({ length: runs }, () => loadTime(dir, mode, specifier)));
}

function ownFolders(probe: ModuleProbe): string {
  const counts = new Map<string, number>();
  for (const { path } of probe.modules) {
    const match = /node_modules\/express-api-guard\/dist\/(?:esm|cjs)\/(?:([^/]+)\/)?/.exec(path);
    if (!match || path.includes('node_modules/express-api-guard/node_modules/')) continue;
    const folder = match[1] ?? '(root files)';
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([folder, n]) => `${folder} ${n}`).join(', ');
}

function breakdown(probe: ModuleProbe, limit: number): string[] {
  const rows = countByPackage(probe).slice(0, limit).map(([pkg, n]) => {
    const chain = pkg === 'express-api-guard' ? `our own files: ${ownFolders(probe)}` : (importChain(probe, pkg) ?? '–');
    return `| ${pkg} | ${n} | ${chain} |`;
  });
  return ['| package | modules | first reached through (shortest import chain) |', '|---|---:|---|', ...rows];
}

export interface WeightOptions {
  /** Fresh processes per load-time median. */
  readonly runs: number;
}

/** Runs the measurements and returns the markdown section for docs/benchmarks.md. */
export async function weightSection({ runs }: WeightOptions): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'eag-weight-'));
  try {
    const tarball = await packTarball(work);
    const installs = new Map<string, Installed>();
    for (const scenario of SCENARIOS) {
      const dir = join(work, scenario.key);
      mkdirSync(dir);
      await installInto(dir, [...scenario.packages.map((p) => (p === 'guard' ? tarball : p)), 'express@5']);
      installs.set(scenario.key, measureInstall(dir));
      const installed = installs.get(scenario.key)!;
      console.log(`weight: installed ${scenario.key}: ${installed.packages} packages, ${mb(installed.size.disk)} MB on disk, ${mb(installed.size.files)} MB of files`);
    }
    const base = installs.get('express')!;
    const guard = installs.get('guard')!;
    const addedPackages = guard.packages - base.packages;
    const addedDisk = guard.size.disk - base.size.disk;
    const addedFiles = guard.size.files - base.size.files;

    const installRows = SCENARIOS.map((s) => {
      const i = installs.get(s.key)!;
      const added = s.key === 'express'
        ? '– | – | –'
        : `${i.packages - base.packages} | ${mb(i.size.disk - base.size.disk)} | ${mb(i.size.files - base.size.files)}`;
      return `| ${s.label} | ${i.packages} | ${mb(i.size.disk)} | ${mb(i.size.files)} | ${added} |`;
    });
    const largest = [...guard.sizes]
      .filter(([name]) => !base.sizes.has(name) || name === 'express-api-guard')
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([name, bytes]) => `| ${name} | ${mb(bytes)} | ${(guard.via.get(name) ?? []).join(' → ')} |`);

    // Module counts: every entry point of ours, both ways; references from their own installs.
    const specifiers = ['express-api-guard', ...SUBPATHS.map((s) => `express-api-guard/${s}`)];
    const probes = new Map<string, ModuleProbe>();
    const loadRows: string[] = [];
    const timed = new Set(['express-api-guard', 'express-api-guard/rate-limit']);
    const row = (dir: string, specifier: string, label: string, time: boolean): void => {
      const cells: string[] = [];
      let packages = new Set<string>();
      for (const mode of MODES) {
        const probe = probeModules(dir, mode, specifier);
        probes.set(`${mode} ${specifier}`, probe);
        packages = new Set([...packages, ...loadedPackages(probe)]);
        cells.push(String(probe.modules.length), time ? medianLoadMs(dir, mode, specifier, runs).toFixed(0) : '–');
      }
      loadRows.push(`| ${label} | ${cells.join(' | ')} | ${packages.has('tedious') ? 'yes' : 'no'} | ${packages.has('winston') ? 'yes' : 'no'} |`);
      console.log(`weight: loaded ${specifier}: ${cells.join(' ')}`);
    };
    for (const specifier of specifiers) row(guard.dir, specifier, `\`${specifier}\``, timed.has(specifier));
    for (const scenario of SCENARIOS) {
      for (const reference of scenario.references) row(installs.get(scenario.key)!.dir, reference, `\`${reference}\` (reference)`, true);
    }

    const count = (mode: LoadMode, specifier: string): number => probes.get(`${mode} ${specifier}`)!.modules.length;
    const loads = (mode: LoadMode, specifier: string, pkg: string): boolean => loadedPackages(probes.get(`${mode} ${specifier}`)!).has(pkg);
    const rootCount = Math.max(...MODES.map((m) => count(m, 'express-api-guard')));
    const rlCount = Math.max(...MODES.map((m) => count(m, 'express-api-guard/rate-limit')));
    const rootTedious = MODES.some((m) => loads(m, 'express-api-guard', 'tedious'));
    const rlHeavy = MODES.some((m) => loads(m, 'express-api-guard/rate-limit', 'tedious') || loads(m, 'express-api-guard/rate-limit', 'winston'));

    return [
      '<!-- weight -->',
      '## Install weight and load cost',
      '',
      `Run on ${new Date().toISOString().slice(0, 10)}, Node.js ${process.version}, with:`,
      '',
      '```',
      `npm run bench -- --suite weight --load-runs ${runs}`,
      '```',
      '',
      '| target | measured | met? |',
      '|---|---|---|',
      `| installing next to express adds <= ${TARGETS.packages} packages | +${addedPackages} | ${yes(addedPackages <= TARGETS.packages)} |`,
      `| ... and <= ${TARGETS.megabytes} MB | +${mb(addedDisk)} MB on disk (+${mb(addedFiles)} MB of files) | ${yes(addedDisk <= TARGETS.megabytes * 2 ** 20)} |`,
      `| \`express-api-guard\` loads <= ${TARGETS.rootModules} modules, no tedious | ${rootCount}, tedious ${rootTedious ? 'loaded' : 'not loaded'} | ${yes(rootCount <= TARGETS.rootModules && !rootTedious)} |`,
      `| \`express-api-guard/rate-limit\` loads <= ${TARGETS.rateLimitModules}, neither winston nor tedious | ${rlCount}, ${rlHeavy ? 'winston or tedious loaded' : 'neither loaded'} | ${yes(rlCount <= TARGETS.rateLimitModules && !rlHeavy)} |`,
      '',
      '### Install weight',
      '',
      'Each row is `npm install --omit=dev` into an empty project, next to `express@5`. Packages are counted',
      'from `node_modules/.package-lock.json`. "On disk" is what `du -sh node_modules` reports (allocated',
      'blocks, so many small files weigh more than their bytes; the target is checked against it); "files"',
      'is the sum of file sizes. MB = 2^20 bytes. Optional peer dependencies (tedious) are not installed,',
      'as npm does not install them.',
      '',
      '| installed | packages | MB on disk | MB of files | added to express alone: packages | added MB on disk | added MB of files |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...installRows,
      '',
      'Largest packages express-api-guard adds, with the dependency chain that brings each in:',
      '',
      '| package | MB on disk | installed because of |',
      '|---|---:|---|',
      ...largest,
      '',
      '### Modules loaded',
      '',
      'A fresh `node` process in that project loads the entry point once. Modules are files: CommonJS ones',
      "are read from `require.cache` (Node puts every CommonJS module there, also those an `import` pulls",
      'in); ES modules never appear there, so module hooks registered before the load log every URL the',
      'ES loader loads (`test/fixtures/module-probe.mjs`); Node builtins are not counted. Load time is',
      `measured inside the process around the \`require()\` / \`import()\` call, without the hooks, median of ${runs}`,
      'fresh processes after one warm-up; it moves with the machine and its load, the counts do not.',
      '',
      '| entry point | require: modules | require: ms | import: modules | import: ms | tedious loaded | winston loaded |',
      '|---|---:|---:|---:|---:|---|---|',
      ...loadRows,
      '',
      "Where the modules of `require('express-api-guard')` come from:",
      '',
      ...breakdown(probes.get('require express-api-guard')!, 16),
      '',
      "Where the modules of `require('express-api-guard/rate-limit')` come from:",
      '',
      ...breakdown(probes.get('require express-api-guard/rate-limit')!, 16),
      '',
    ].join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
