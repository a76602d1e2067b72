/**
 * Turns one log call into its JSON line in a single pass: the fixed fields, then the meta with
 * redaction applied on the way (values under sensitive keys become `***`, known secret values are
 * masked inside every string). Doing it here, instead of in a chain of winston formats, is what
 * keeps a log line cheap enough to write one per request.
 */
import { isSecretSection, isSensitiveKey, REDACTED, secretMasker } from '../core/index.js';

/** Fields every line has; meta keys with these names are ignored (except a string `traceId` or `spanId`). */
const RESERVED = new Set(['timestamp', 'level', 'category', 'message', 'traceId', 'spanId']);
const MAX_DEPTH = 8;
const MAX_KEY_CACHE = 2048;

/** The parts of a line, kept for the human-readable console format. */
export interface LineParts {
  readonly timestamp: string;
  readonly level: string;
  readonly category: string;
  readonly message: string;
  readonly traceId: string | undefined;
  /** The active OpenTelemetry span's id, when the trace ID came from one. */
  readonly spanId?: string | undefined;
  /** `,"key":value...` — the meta members, already redacted. */
  readonly metaJson: string;
}

/** A serializer bound to one set of secrets. */
export interface LineSerializer {
  readonly mask: (text: string) => string;
  line(parts: Omit<LineParts, 'metaJson'>, meta: Readonly<Record<string, unknown>> | undefined): { line: string; metaJson: string };
}

// Key checks normalise the key on every call; headers repeat the same few names, so remember them.
const sensitiveCache = new Map<string, boolean>();
function sensitive(key: string): boolean {
  let hit = sensitiveCache.get(key);
  if (hit === undefined) {
    hit = isSensitiveKey(key);
    if (sensitiveCache.size < MAX_KEY_CACHE) sensitiveCache.set(key, hit);
  }
  return hit;
}

// `,"key":` for the meta keys seen so far; request lines repeat the same few on every line.
const keyPrefixCache = new Map<string, string>();
function keyPrefix(key: string): string {
  let prefix = keyPrefixCache.get(key);
  if (prefix === undefined) {
    prefix = ',' + JSON.stringify(key) + ':';
    if (keyPrefixCache.size < MAX_KEY_CACHE) keyPrefixCache.set(key, prefix);
  }
  return prefix;
}

/** Builds a serializer that masks `secrets` wherever they appear. */
export function createSerializer(secrets: readonly string[]): LineSerializer {
  const mask = secretMasker(secrets);

  // A JSON-safe, redacted copy of `value`; cycles and excessive depth are cut rather than thrown.
  const walk = (value: unknown, depth: number, seen: Set<object>): unknown => {
    if (typeof value === 'string') return mask(value);
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Object]';
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
    seen.add(value);
    try {
      if (value instanceof Error) return errorFields(value, depth, seen);
      if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen) ?? null);
      if (value instanceof Map) return walkEntries(value.entries(), depth, seen);
      if (value instanceof Set) return [...value].map((item) => walk(item, depth + 1, seen) ?? null);
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return walk(toJSON.call(value), depth + 1, seen);
      return walkEntries(Object.entries(value), depth, seen);
    } finally {
      seen.delete(value);
    }
  };

  const walkEntries = (entries: Iterable<[unknown, unknown]>, depth: number, seen: Set<object>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [rawKey, child] of entries) {
      const key = String(rawKey);
      out[key] = member(key, child, depth + 1, seen);
    }
    return out;
  };

  const member = (key: string, child: unknown, depth: number, seen: Set<object>): unknown => {
    if (child === undefined) return undefined;
    if (sensitive(key)) return REDACTED;
    if (isSecretSection(key) && child !== null && typeof child === 'object') {
      return Object.fromEntries(Object.keys(child).map((name) => [name, REDACTED]));
    }
    // Node's rawHeaders is [name, value, name, value, ...]: mask the values of sensitive names.
    if (key === 'rawHeaders' && Array.isArray(child)) {
      return child.map((item, i) =>
        i % 2 === 1 && typeof child[i - 1] === 'string' && sensitive(child[i - 1] as string) ? REDACTED : walk(item, depth, seen),
      );
    }
    return walk(child, depth, seen);
  };

  const errorFields = (error: Error, depth: number, seen: Set<object>): Record<string, unknown> => {
    const out: Record<string, unknown> = { name: error.name, message: mask(error.message) };
    for (const [key, child] of Object.entries(error)) {
      if (key !== 'name' && key !== 'message' && key !== 'stack') out[key] = member(key, child, depth + 1, seen);
    }
    if (error.cause !== undefined) out.cause = walk(error.cause, depth + 1, seen);
    if (error.stack !== undefined) out.stack = mask(error.stack);
    return out;
  };

  const value = (key: string, v: unknown): string | undefined => {
    // A sensitive key is masked whatever its type (a numeric PIN or password is still a secret).
    if (sensitive(key)) return '"***"';
    // Fast path for the flat meta of request lines: no copy, no walk.
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'string') return JSON.stringify(mask(v));
    const safe = member(key, v, 0, new Set());
    return safe === undefined ? undefined : JSON.stringify(safe);
  };

  return {
    mask,
    line(parts, given) {
      // Common slips: `log.error('failed', err)` or a bare value instead of a meta object.
      const meta: Readonly<Record<string, unknown>> | undefined =
        given instanceof Error ? { error: given } : given !== null && given !== undefined && typeof given !== 'object' ? { meta: given } : given;
      let metaJson = '';
      if (meta !== undefined && meta !== null) {
        for (const key in meta) {
          if (RESERVED.has(key) || !Object.prototype.hasOwnProperty.call(meta, key)) continue;
          const v = meta[key];
          if (v === undefined) continue;
          const json = value(key, v);
          if (json !== undefined) metaJson += keyPrefix(key) + json;
        }
      }
      let line =
        '{"timestamp":"' + parts.timestamp + '","level":"' + parts.level + '","category":' + JSON.stringify(parts.category) +
        ',"message":' + JSON.stringify(parts.message);
      if (parts.traceId !== undefined) line += ',"traceId":' + JSON.stringify(parts.traceId);
      if (parts.spanId !== undefined) line += ',"spanId":' + JSON.stringify(parts.spanId);
      return { line: line + metaJson + '}', metaJson };
    },
  };
}
