/**
 * loadConfig: defaults → appsettings.json → appsettings.{Environment}.json → environment variables
 * → overrides, merged leaf by leaf (arrays by index, as ASP.NET Core does), then validated. Every
 * problem found in one pass is reported together, each with its file, line and column.
 */
import { basename, isAbsolute, resolve } from 'node:path';
import { setAsideAspNetLogging } from './aspnet-logging.js';
import { createConfigObject } from './config-object.js';
import { connectionStringPassword } from './connection-string.js';
import { DEFAULTS, DEFAULT_RULES } from './defaults.js';
import { environmentEntries } from './env-vars.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { translateIpRateLimiting } from './ip-rate-limiting.js';
import { POLICY_SECTIONS, translatePolicies } from './rate-limit-policies.js';
import { Locator, isSecretPath, showValue, zodIssues } from './issues.js';
import { type ConfigFolder, readConfigFolder } from './folder.js';
import { type Entry, FlatConfig, type Origin, applyObject, formatPath } from './layers.js';
import { closest, secretMasker } from '../core/index.js';
import { MAX_CONFIG_DEPTH, TOO_DEEP_PROBLEM } from './nesting.js';
import { configSchema } from './schema.js';
import { canonicalSegments, isSection, schemaAt } from './schema-keys.js';
import { buildTree } from './tree.js';
import type { ApiGuardConfig, ConfigSource } from './types.js';

/** Options for loadConfig (and watchConfig). */
export type LoadConfigOptions = Readonly<{
  /** Folder holding appsettings.json and appsettings.{Environment}.json. */
  dir: string;
  /** Environment name. Defaults to ASPNETCORE_ENVIRONMENT, DOTNET_ENVIRONMENT, NODE_ENV, then `Production`. */
  environment?: string;
  /** Variables read for the environment name and `Section__Key` overrides. Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** PascalCase partial config applied last; its arrays replace whole arrays. Defaults to none. */
  overrides?: unknown;
}>;

/** Options for {@link configFromFolder}: the layers above the files. */
export type ConfigFromFolderOptions = Pick<LoadConfigOptions, 'env' | 'overrides'>;

/** Our top-level keys (canonical spelling). */
export const CONFIG_SECTIONS = [
  'RateLimiting',
  'Logging',
  'Tracing',
  'Errors',
  'Https',
  'Metrics',
  'Doctor',
  'ConnectionStrings',
  'SecureStorageKeys',
  'SessionSigningKey',
  'IpRateLimiting',
  'IpRateLimitPolicies',
  'ClientRateLimitPolicies',
] as const;

const UNTRANSLATED = ['ClientRateLimiting'];

/** Loads, merges and validates configuration. Synchronous; throws ConfigError. */
export function loadConfig(options: LoadConfigOptions): ApiGuardConfig {
  if (options === null || typeof options !== 'object' || typeof options.dir !== 'string' || options.dir === '') {
    throw new ConfigError('loadConfig needs { dir }: the folder holding appsettings.json', { code: 'CONFIG_INVALID_OPTIONS' });
  }
  const folder = readConfigFolder({
    dir: options.dir,
    ...(options.environment === undefined ? {} : { environment: options.environment }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  return configFromFolder(folder, options);
}

/**
 * Merges and validates a folder read once by readConfigFolder: defaults, its files, then environment
 * variables and overrides. Throws ConfigError (the folder's problem, the first broken file, or every
 * validation finding together).
 */
export function configFromFolder(folder: ConfigFolder, options: ConfigFromFolderOptions = {}): ApiGuardConfig {
  if (folder.problem) throw folder.problem.error;
  const { dir, environment } = folder;
  const env = options.env ?? process.env;

  const flat = new FlatConfig();
  const sources: ConfigSource[] = [{ kind: 'defaults', name: 'defaults', found: true }];
  const ranks = new Map<Origin, number>();
  const secrets: string[] = [];
  const defaultsOrigin: Origin = { kind: 'defaults' };
  const setAll = (entries: readonly Entry[]) => {
    for (const entry of entries) {
      flat.set(entry);
      if (isSecretPath(entry.segments) && (typeof entry.value === 'string' || typeof entry.value === 'number')) {
        secrets.push(String(entry.value));
        const password = typeof entry.value === 'string' ? connectionStringPassword(entry.value) : undefined;
        if (password) secrets.push(password);
      }
    }
  };
  applyObject(flat, DEFAULTS, defaultsOrigin, { replaceArrays: false });
  ranks.set(defaultsOrigin, 0);

  const ours = new Set(CONFIG_SECTIONS.map((s) => s.toLowerCase()));
  const hostSections = new Set<string>();
  for (const read of folder.files) {
    sources.push({ kind: 'file', name: read.path, found: read.found });
    if (read.error) throw read.error;
    if (!read.layer) continue;
    const origin: Origin = { kind: 'file', file: read.layer.file };
    ranks.set(origin, ranks.size);
    setAll(read.layer.entries.map((entry) => ({ ...entry, origin })));
    for (const entry of read.layer.entries) {
      const first = entry.segments[0]?.toLowerCase();
      if (first !== undefined && !ours.has(first)) hostSections.add(first);
    }
  }

  const warnings: string[] = [];
  const fromEnv = environmentEntries(env, { ours: CONFIG_SECTIONS, oursScalar: ['SessionSigningKey'], host: hostSections });
  for (const miss of fromEnv.nearMisses) {
    warnings.push(
      `environment variable ${miss.variable} is ignored: ${miss.section} is not a config section; if it is meant for ${miss.suggestion}, name it ${miss.suggestion}__…`,
    );
  }
  const tooDeep = fromEnv.entries.filter((entry) => entry.segments.length > MAX_CONFIG_DEPTH);
  if (tooDeep.length > 0) {
    throw ConfigError.fromIssues(
      tooDeep.map((entry) => {
        const variable = entry.origin.kind === 'env' ? entry.origin.variable : '';
        const message = `environment variable ${variable.slice(0, 80)}${variable.length > 80 ? '…' : ''}: ${entry.segments.length} sections separated by __; ${TOO_DEEP_PROBLEM}`;
        return { code: 'CONFIG_TOO_DEEP', message, variable };
      }),
    );
  }
  if (fromEnv.entries.length > 0) {
    setAll(fromEnv.entries);
    sources.push({
      kind: 'env',
      name: 'environment variables',
      found: true,
      variables: fromEnv.entries.map((e) => (e.origin.kind === 'env' ? e.origin.variable : '')),
    });
  }
  if (options.overrides !== undefined && options.overrides !== null) {
    const overrides = new FlatConfig();
    const origin: Origin = { kind: 'overrides' };
    applyObject(overrides, options.overrides, origin, { replaceArrays: true });
    // An array in overrides replaces the whole array below it.
    applyArrayReplacement(flat, options.overrides);
    setAll(overrides.entries());
    sources.push({ kind: 'overrides', name: 'overrides', found: true });
  }
  warnings.push(...setAsideAspNetLogging(flat, { value: DEFAULTS.Logging.Console, origin: defaultsOrigin }));

  const rank = (origin: Origin): number =>
    origin.kind === 'env' ? 1000 : origin.kind === 'overrides' ? 1001 : (ranks.get(origin) ?? 0);
  const locator = new Locator(flat, rank, secretMasker(secrets));
  const issues: ConfigIssue[] = [...sectionTypos(flat, locator)];
  if (flat.under(['IpRateLimiting']).length > 0) {
    const translation = translateIpRateLimiting(flat, locator);
    issues.push(...translation.issues);
    warnings.push(...translation.warnings);
    for (const entry of translation.entries) flat.set(entry);
  }
  if (POLICY_SECTIONS.some((section) => flat.under([section]).length > 0)) {
    const translation = translatePolicies(flat, locator);
    issues.push(...translation.issues);
    warnings.push(...translation.warnings);
    for (const entry of translation.entries) flat.set(entry);
  }
  for (const name of UNTRANSLATED) {
    if (flat.under([name]).length > 0) {
      warnings.push(`${name} (AspNetCoreRateLimit) is not translated and has no effect; express it with RateLimiting:Rules, ClientKey and whitelists`);
    }
  }
  if (flat.under(['RateLimiting', 'Rules']).length === 0) {
    applyObject(flat, { RateLimiting: { Rules: DEFAULT_RULES } }, defaultsOrigin, { replaceArrays: false });
  }
  if (issues.length > 0) throw ConfigError.fromIssues(ordered(issues, sources));

  const entries = flat.entries().map((entry) => ({ ...entry, segments: canonicalSegments(configSchema, entry.segments) }));
  const tree = buildTree(entries, (path) => ours.has((path[0] ?? '').toLowerCase()));
  const parsed = configSchema.safeParse(tree.value);
  const found = [...sectionConflicts(tree.conflicts, locator), ...(parsed.success ? [] : zodIssues(parsed.error, configSchema, tree, locator))];
  if (found.length > 0 || !parsed.success) throw ConfigError.fromIssues(ordered(found, sources));

  const data = parsed.data;
  const sections = new Map<string, { key: string; value: unknown }>();
  for (const [key, value] of Object.entries(tree.value)) {
    if (!ours.has(key.toLowerCase())) sections.set(key.toLowerCase(), { key, value });
  }
  const resolved = {
    ...data,
    Logging: { ...data.Logging, Directory: absolute(dir, data.Logging.Directory) },
    Https: data.Https.Certificate
      ? { ...data.Https, Certificate: { Path: absolute(dir, data.Https.Certificate.Path), KeyPath: absolute(dir, data.Https.Certificate.KeyPath) } }
      : data.Https,
  };
  return createConfigObject(resolved, {
    configDir: dir,
    environment: environment.name,
    environmentSource: environment.source,
    sources,
    warnings,
    sections,
  });
}

/** Typos first (they usually explain the rest), then in file order, line, column; variables last. */
function ordered(issues: readonly ConfigIssue[], sources: readonly ConfigSource[]): ConfigIssue[] {
  const files = sources.filter((s) => s.kind === 'file').map((s) => basename(s.name));
  const key = (issue: ConfigIssue): number[] => [
    issue.code === 'CONFIG_UNKNOWN_KEY' || issue.code === 'CONFIG_UNKNOWN_SECTION' ? 0 : 1,
    issue.file === undefined ? files.length : files.indexOf(issue.file),
    issue.line ?? 0,
    issue.column ?? 0,
  ];
  return [...issues].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if ((ka[i] ?? 0) !== (kb[i] ?? 0)) return (ka[i] ?? 0) - (kb[i] ?? 0);
    return 0;
  });
}

/** A plain value given where our schema has a section (`"Https": true`, `Logging=x`). */
function sectionConflicts(conflicts: readonly Entry[], locator: Locator): ConfigIssue[] {
  const ours = new Set(CONFIG_SECTIONS.map((s) => s.toLowerCase()));
  // Only where our schema has a section: a value shadowed where a value belongs (`Hsts: true` below an
  // `Https__Hsts__X` variable) is reported by validation, at the layer that made the section.
  const sectionHere = (segments: readonly string[]): boolean => {
    const schema = schemaAt(configSchema, segments);
    return schema !== undefined && isSection(schema);
  };
  return conflicts
    .filter((entry) => entry.origin.kind !== 'defaults' && ours.has((entry.segments[0] ?? '').toLowerCase()) && sectionHere(entry.segments))
    .map((entry) => {
      const path = formatPath(entry.segments);
      const shown = showValue(entry.value, isSecretPath(entry.segments));
      return locator.issue({
        code: 'CONFIG_INVALID',
        segments: entry.segments,
        displayPath: path,
        problem: `${shown} is not a section; ${path} must be an object of settings`,
        exactEntry: entry,
      });
    });
}

function absolute(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

function applyArrayReplacement(flat: FlatConfig, value: unknown, prefix: string[] = []): void {
  if (Array.isArray(value)) {
    flat.deleteUnder(prefix);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) applyArrayReplacement(flat, child, [...prefix, key]);
  }
}

/** A top-level key that is not ours but close to one of ours is a typo, not a host section. */
function sectionTypos(flat: FlatConfig, locator: Locator): ConfigIssue[] {
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  const ours = CONFIG_SECTIONS.map((s) => s.toLowerCase());
  for (const entry of flat.entries()) {
    const first = entry.segments[0];
    if (first === undefined || seen.has(first.toLowerCase()) || ours.includes(first.toLowerCase())) continue;
    seen.add(first.toLowerCase());
    const suggestion = closest(first, CONFIG_SECTIONS);
    if (suggestion === undefined) continue;
    issues.push(
      locator.issue({
        code: 'CONFIG_UNKNOWN_SECTION',
        segments: [first],
        displayPath: formatPath([first]),
        problem: `unknown section; did you mean ${suggestion}?`,
        atKey: true,
      }),
    );
  }
  return issues;
}
