/**
 * Turns one log call into its JSON line in a single pass: the fixed fields, then the meta with the
 * secret policy applied on the way (values under secret keys become `***`, known secret values are
 * masked inside every string, errors go through the allow-list error serializer). Doing it here,
 * instead of in a chain of winston formats, is what keeps a log line cheap enough to write one per
 * request.
 */
import { REDACTED, safeGet, safeInstanceOf, type SecretPolicy } from '../core/index.js';

/** Fields every line has; meta keys with these names are ignored (except a string `traceId` or `spanId`). */
const RESERVED = new Set(['timestamp', 'level', 'category', 'message', 'traceId', 'spanId']);
const MAX_KEY_CACHE = 2048;
const MAX_META_KEYS = 200;

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

/** A serializer bound to one secret policy. */
export interface LineSerializer {
  readonly policy: SecretPolicy;
  readonly mask: (text: string) => string;
  line(parts: Omit<LineParts, 'metaJson'>, meta: Readonly<Record<string, unknown>> | undefined): { line: string; metaJson: string };
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

/** The meta object a call meant: `log.error('failed', err)` and bare values are common slips. */
function metaOf(given: unknown): Readonly<Record<string, unknown>> | undefined {
  if (given === undefined || given === null) return undefined;
  if (typeof given !== 'object') return { meta: given };
  if (safeInstanceOf(given, Error)) return { error: given };
  return given as Readonly<Record<string, unknown>>;
}

/** Builds a serializer that applies `policy` to every line. */
export function createSerializer(policy: SecretPolicy): LineSerializer {
  const value = (key: string, v: unknown): string | undefined => {
    // A secret key is masked whatever its type (a numeric PIN or password is still a secret).
    if (policy.isSecretKey(key)) return `"${REDACTED}"`;
    // Fast path for the flat meta of request lines: no copy, no walk.
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'null';
      const shown = policy.maskNumber(v);
      return typeof shown === 'number' ? String(shown) : `"${REDACTED}"`;
    }
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'string') return JSON.stringify(policy.mask(v));
    const safe = policy.redactUnder(key, v);
    return safe === undefined ? undefined : JSON.stringify(safe);
  };

  const members = (meta: Readonly<Record<string, unknown>>): string => {
    let metaJson = '';
    let count = 0;
    for (const key in meta) {
      if (RESERVED.has(key) || !Object.prototype.hasOwnProperty.call(meta, key)) continue;
      if (++count > MAX_META_KEYS) return metaJson + keyPrefix('metaTruncated') + 'true';
      const v = safeGet(meta, key);
      if (v === undefined) continue;
      const json = value(key, v);
      if (json !== undefined) metaJson += keyPrefix(key) + json;
    }
    return metaJson;
  };

  return {
    policy,
    mask: policy.mask,
    line(parts, given) {
      const meta = metaOf(given);
      let metaJson = '';
      if (meta !== undefined) {
        try {
          metaJson = members(meta);
        } catch {
          // A meta object whose keys cannot even be listed (a revoked Proxy): the line still goes out.
          metaJson = keyPrefix('meta') + '"[Unreadable]"';
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
