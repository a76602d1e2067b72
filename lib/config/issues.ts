/**
 * Turns a problem at a config path into a located message: finds which layer last set the path
 * (the file and its line and column, the environment variable, or the overrides), shows the line,
 * and keeps secrets out (a secret value is shown as *** in the message and in the shown line).
 */
import type { z } from 'zod';
import { type ConfigErrorCode, type ConfigIssue, fileIssue } from './errors.js';
import { type Entry, type FlatConfig, type Loc, type Origin, formatPath, keyOf } from './layers.js';
import { closest, isSecretPath } from '../core/index.js';
import { knownKeys, schemaAt } from './schema-keys.js';
import { type Tree, originalSegments } from './tree.js';

// The secret rule is core's (one policy for every output); re-exported for the loader's files.
export { isSecretPath };

/** How a value is quoted in a message. */
export function showValue(value: unknown, secret: boolean): string {
  if (secret) return '***';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'a section';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}

export interface LocateOptions {
  readonly code: ConfigErrorCode;
  /** Path as the layers spell it (array keys as written), used to find the origin. */
  readonly segments: readonly string[];
  /** Path shown in the message, canonical spelling. */
  readonly displayPath: string;
  readonly problem: string;
  /** Point at the key rather than the value (unknown keys, duplicates). */
  readonly atKey?: boolean;
  /** The entry at fault when it is not the one the merged leaves keep (a value shadowed by a section). */
  readonly exactEntry?: Entry;
}

export class Locator {
  constructor(
    private readonly flat: FlatConfig,
    private readonly rank: (origin: Origin) => number,
    private readonly mask: (text: string) => string,
  ) {}

  /**
   * The entry that decided this path. Where a layer has keys below the path, the merged value there is
   * a section (a section wins over a value at the same path), so the highest layer with keys below
   * decided it, even when a lower layer (often the defaults) has a value at the path itself. Else the
   * leaf itself; else the highest-ranked leaf under the nearest parent.
   */
  private decidingEntry(segments: readonly string[]): { entry: Entry; exact: boolean } | undefined {
    const below = this.flat.under(segments).filter((entry) => entry.segments.length > segments.length);
    if (below.length > 0) return { entry: this.highest(below), exact: false };
    const exact = this.flat.get(segments);
    if (exact) return { entry: exact, exact: true };
    for (let length = segments.length - 1; length >= 1; length--) {
      const under = this.flat.under(segments.slice(0, length));
      if (under.length > 0) return { entry: this.highest(under), exact: false };
    }
    return undefined;
  }

  private highest(entries: readonly Entry[]): Entry {
    return entries.reduce((a, b) => (this.rank(b.origin) >= this.rank(a.origin) ? b : a));
  }

  issue(options: LocateOptions): ConfigIssue {
    const { code, segments, displayPath, problem } = options;
    const found = options.exactEntry ? { entry: options.exactEntry, exact: true } : this.decidingEntry(segments);
    const origin = found?.entry.origin ?? { kind: 'defaults' as const };
    if (origin.kind === 'file' && found) {
      const translated = found.entry.sourceSegments;
      const wanted = translated && found.exact ? translated : segments;
      const { loc, exact } = nearestLoc(origin.file.locs, translated && !found.exact ? translated : wanted);
      const offset = options.atKey && exact ? (loc?.keyOffset ?? loc?.offset ?? 0) : (loc?.offset ?? 0);
      const maskLength = exact && !options.atKey && isSecretPath(segments) ? loc?.length : undefined;
      const base = fileIssue(code, origin.file.name, displayPath, problem, {
        text: origin.file.text,
        offset,
        mask: this.mask,
        ...(maskLength === undefined ? {} : { maskLength }),
      });
      return { ...base, message: this.mask(base.message) };
    }
    if (origin.kind === 'env') {
      const message = this.mask(`environment variable ${origin.variable}: ${displayPath}: ${problem}`);
      return { code, message, path: displayPath, variable: origin.variable };
    }
    return { code, message: this.mask(`${origin.kind}: ${displayPath}: ${problem}`), path: displayPath };
  }
}

function nearestLoc(locs: ReadonlyMap<string, Loc>, segments: readonly string[]): { loc: Loc | undefined; exact: boolean } {
  for (let length = segments.length; length >= 0; length--) {
    const loc = locs.get(keyOf(segments.slice(0, length)));
    if (loc) return { loc, exact: length === segments.length };
  }
  return { loc: undefined, exact: false };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function hintOf(message: string): string {
  const at = message.indexOf('; ');
  return at === -1 ? message : message.slice(at + 2);
}

/** Located issues for a failed zod parse of `tree.value` (mounted at `prefix`, e.g. ['IpRateLimiting']). */
export function zodIssues(
  error: z.ZodError,
  schema: z.ZodType,
  tree: Tree,
  locator: Locator,
  prefix: readonly string[] = [],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path;
    // Canonical keys (the tree is built from canonicalized leaves) with array keys as written.
    const original = [...prefix, ...originalSegments(tree, path)];
    const display = original;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schemaAt(schema, path) ?? schema) ?? [];
      for (const key of issue.keys) {
        const suggestion = closest(key, known);
        const problem = suggestion
          ? `unknown key; did you mean "${suggestion}"?`
          : `unknown key; ${formatPath(display) || 'this section'} takes ${known.join(', ')}`;
        out.push(
          locator.issue({ code: 'CONFIG_UNKNOWN_KEY', segments: [...original, key], displayPath: formatPath([...display, key]), problem, atKey: true }),
        );
      }
      continue;
    }
    const value = valueAt(tree.value, path);
    const secret = isSecretPath(original);
    const problem = value === undefined ? `is missing; ${hintOf(issue.message)}` : `${showValue(value, secret)} ${issue.message}`;
    out.push(locator.issue({ code: 'CONFIG_INVALID', segments: original, displayPath: formatPath(display), problem }));
  }
  return out;
}
