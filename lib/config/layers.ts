/**
 * The flat model ASP.NET Core configuration uses: every layer becomes leaves keyed by their path
 * (compared case-insensitively), and a later layer replaces leaves one by one. That is what makes
 * arrays merge by index (`Rules:0:Limit` from an environment variable changes one field of one rule).
 */
import { ConfigError } from './errors.js';
import { MAX_CONFIG_DEPTH, TOO_DEEP_PROBLEM } from './nesting.js';

export type Scalar = string | number | boolean;

/** Markers for `[]` and `{}`, so an explicitly empty array or section still exists as a key. */
export const EMPTY_ARRAY: unique symbol = Symbol('empty array');
export const EMPTY_OBJECT: unique symbol = Symbol('empty object');
export type LeafValue = Scalar | typeof EMPTY_ARRAY | typeof EMPTY_OBJECT;

/** Where a node sits in a file: value offset/length and, for a property, the key's offset. */
export interface Loc {
  readonly offset: number;
  readonly length: number;
  readonly keyOffset?: number;
}

/** A file as read: its text (BOM removed) and the location of every node by path key. */
export interface FileLayer {
  /** Absolute path. */
  readonly path: string;
  /** Base name, used in messages. */
  readonly name: string;
  readonly text: string;
  readonly locs: ReadonlyMap<string, Loc>;
}

export type Origin =
  | { readonly kind: 'defaults' }
  | { readonly kind: 'file'; readonly file: FileLayer }
  | { readonly kind: 'env'; readonly variable: string }
  | { readonly kind: 'overrides' };

export interface Entry {
  readonly segments: readonly string[];
  readonly value: LeafValue;
  readonly origin: Origin;
  /** Where the value really came from when a translation moved it (IpRateLimiting → RateLimiting). */
  readonly sourceSegments?: readonly string[];
}

/** Case-insensitive key of a path. */
export function keyOf(segments: readonly string[]): string {
  return segments.map((s) => s.toLowerCase()).join('\u0000');
}

function isUnder(key: string, prefixKey: string): boolean {
  return prefixKey === '' || key === prefixKey || key.startsWith(`${prefixKey}\u0000`);
}

/** `RateLimiting.Rules[1].Period` */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    const text = String(segment);
    if (/^\d+$/.test(text)) out += `[${text}]`;
    else out += out === '' ? text : `.${text}`;
  }
  return out;
}

export class FlatConfig {
  readonly #entries = new Map<string, Entry>();

  set(entry: Entry): void {
    this.#entries.set(keyOf(entry.segments), entry);
  }

  get(segments: readonly string[]): Entry | undefined {
    return this.#entries.get(keyOf(segments));
  }

  /** Removes the leaf at `segments` and everything below it. */
  deleteUnder(segments: readonly string[]): void {
    const prefix = keyOf(segments);
    for (const key of [...this.#entries.keys()]) if (isUnder(key, prefix)) this.#entries.delete(key);
  }

  /** Leaves at or below `segments`, in insertion order. */
  under(segments: readonly string[]): Entry[] {
    const prefix = keyOf(segments);
    return [...this.#entries].filter(([key]) => isUnder(key, prefix)).map(([, entry]) => entry);
  }

  entries(): Entry[] {
    return [...this.#entries.values()];
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Leaves of a plain value (defaults, `overrides`). `replaceArrays` makes an array replace the whole
 * lower-layer array instead of merging by index: that is what a programmatic override means.
 */
export function applyObject(
  target: FlatConfig,
  value: unknown,
  origin: Origin,
  options: { replaceArrays: boolean },
  prefix: readonly string[] = [],
): void {
  if (value === null || value === undefined) return;
  // Also ends a cycle (an object that contains itself) instead of overflowing the stack.
  if (prefix.length > MAX_CONFIG_DEPTH) {
    throw new ConfigError(`${origin.kind}: ${formatPath(prefix.slice(0, 2))}…: ${TOO_DEEP_PROBLEM}`, { code: 'CONFIG_TOO_DEEP' });
  }
  if (Array.isArray(value)) {
    if (options.replaceArrays) target.deleteUnder(prefix);
    if (value.length === 0) target.set({ segments: prefix, value: EMPTY_ARRAY, origin });
    value.forEach((item, index) => applyObject(target, item, origin, options, [...prefix, String(index)]));
    return;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix.length > 0) target.set({ segments: prefix, value: EMPTY_OBJECT, origin });
    for (const key of keys) applyObject(target, value[key], origin, options, [...prefix, key]);
    return;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    target.set({ segments: prefix, value, origin });
  }
}
