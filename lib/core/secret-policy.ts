/**
 * The one secret policy every output goes through: log lines, response bodies, the startup log,
 * doctor and trace. A config load builds it once (`config.secretPolicy()`) from the key rules in
 * secrets.ts and the config's secret values; code without a config uses the key rules alone.
 */
import { safeEntries, safeGet, safeInstanceOf, safeIsArray } from './safe-access.js';
import { compileKnownValues, maskKeyedValues } from './secret-text.js';
import { isSecretSection, isSensitiveKey, REDACTED } from './secrets.js';
import { serializeError } from './error-serializer.js';

/** What is secret, and how it is masked. Immutable; a config reload builds a new one. */
export interface SecretPolicy {
  /** True for a key whose value is secret wherever it appears (`Password`, `X-Api-Key`, `SmtpPassword`, …). */
  isSecretKey(key: string): boolean;
  /** True for a section whose every child is secret (`ConnectionStrings`, `SecureStorageKeys`, `Secrets`). */
  isSecretSection(key: string): boolean;
  /**
   * `text` with every known secret value (as written, URL-encoded or JSON-escaped) and every value
   * written after a secret key (`Password=…`, `"token":"…"`, `Authorization: …`, `://user:…@`)
   * replaced by `***`.
   */
  mask(text: string): string;
  /** {@link mask}, then cut to `max` characters; a secret straddling the cut is still masked. */
  maskBounded(text: string, max: number): string;
  /** `'***'` for a number holding a numeric secret, else the number unchanged. */
  maskNumber(value: number): number | string;
  /**
   * A JSON-safe copy of `value` with secrets masked: values under secret keys become `***`, strings
   * are masked, errors go through the allow-list error serializer. Never throws.
   */
  redact(value: unknown): unknown;
  /** {@link redact} for a value found under `key` (so the key's own rule applies). */
  redactUnder(key: string, value: unknown): unknown;
  /** How many distinct secret values are searched for in text. */
  readonly valueCount: number;
}

const MAX_DEPTH = 8;
const MAX_NODES = 5000;

/**
 * Builds a policy from the secret values a config holds (`config.secretPolicy()` does this once per
 * load). With no values it applies the key rules and the `key=value` rules only.
 */
export function createSecretPolicy(values: Iterable<unknown> = []): SecretPolicy {
  const known = compileKnownValues(values);
  const mask = (text: string): string => {
    try {
      return maskKeyedValues(known.mask(text));
    } catch {
      return REDACTED; // Never the unmasked text: a regex cannot fail on a string, but be certain.
    }
  };
  const margin = Math.max(known.longest, 256);

  const policy: SecretPolicy = {
    isSecretKey: isSensitiveKey,
    isSecretSection,
    mask,
    maskBounded(text, max) {
      if (text.length <= max) return mask(text);
      const masked = mask(text.slice(0, max + margin));
      return `${masked.slice(0, max)}… (${text.length - max} more characters)`;
    },
    // Most configs hold no all-digit secret: then a number is returned without being turned into text.
    maskNumber: known.hasNumeric ? (value) => (known.numberIsSecret(String(value)) ? REDACTED : value) : (value) => value,
    redact: (value) => walk(value, false, 0, { nodes: 0, ancestors: new Set() }),
    redactUnder: (key, value) => member(key, value, 0, { nodes: 0, ancestors: new Set() }),
    valueCount: known.count,
  };

  interface Walk {
    nodes: number;
    readonly ancestors: Set<object>;
  }

  const member = (key: string, child: unknown, depth: number, state: Walk): unknown => {
    if (child === undefined) return undefined;
    if (isSensitiveKey(key)) return REDACTED;
    if (isSecretSection(key) && child !== null && typeof child === 'object') {
      const entries = safeEntries(child);
      return entries === undefined ? REDACTED : Object.fromEntries(entries.map(([name]) => [name, REDACTED]));
    }
    // Node's rawHeaders is [name, value, name, value, ...]: mask the values of secret names.
    if (key === 'rawHeaders' && safeIsArray(child)) {
      return child.map((item, i) => {
        const name = child[i - 1];
        return i % 2 === 1 && typeof name === 'string' && isSensitiveKey(name) ? REDACTED : walk(item, false, depth, state);
      });
    }
    return walk(child, false, depth, state);
  };

  // A JSON-safe, masked copy. Only true cycles are cut ("[Circular]"); an object reached twice by
  // different paths is copied twice, within a node budget that keeps shared graphs bounded.
  const walk = (value: unknown, secretHere: boolean, depth: number, state: Walk): unknown => {
    if (secretHere) return value === undefined ? undefined : REDACTED;
    switch (typeof value) {
      case 'string':
        return mask(value);
      case 'number':
        return Number.isFinite(value) ? policy.maskNumber(value) : null;
      case 'bigint':
        return known.numberIsSecret(value.toString()) ? REDACTED : value.toString();
      case 'boolean':
        return value;
      case 'function':
      case 'symbol':
      case 'undefined':
        return undefined;
    }
    if (value === null) return null;
    const object = value as object;
    if (state.ancestors.has(object)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Object]';
    if (++state.nodes > MAX_NODES) return '[Truncated]';
    try {
      if (safeInstanceOf(object, Error)) return serializeError(object, { policy, stack: true });
      if (safeInstanceOf(object, Date)) {
        const time = (object as Date).getTime();
        return Number.isNaN(time) ? null : (object as Date).toISOString();
      }
      if (Buffer.isBuffer(object)) return `[Buffer ${object.length} bytes]`;
      state.ancestors.add(object);
      try {
        if (safeIsArray(object)) return object.map((item) => walk(item, false, depth + 1, state) ?? null);
        if (safeInstanceOf(object, Map)) return entriesOf((object as Map<unknown, unknown>).entries(), depth, state);
        if (safeInstanceOf(object, Set)) return [...(object as Set<unknown>)].map((item) => walk(item, false, depth + 1, state) ?? null);
        const toJSON = safeGet(object, 'toJSON');
        if (typeof toJSON === 'function') return walk(toJSON.call(object), false, depth + 1, state);
        const entries = safeEntries(object);
        return entries === undefined ? '[Unreadable]' : entriesOf(entries, depth, state);
      } finally {
        state.ancestors.delete(object);
      }
    } catch {
      // A getter, toJSON or iterator that throws, or a revoked Proxy.
      return '[Unreadable]';
    }
  };

  const entriesOf = (entries: Iterable<[unknown, unknown]>, depth: number, state: Walk): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [rawKey, child] of entries) {
      const key = typeof rawKey === 'string' ? rawKey : String(rawKey);
      const safe = member(key, child, depth + 1, state);
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  };

  return Object.freeze(policy);
}

/** The key rules alone: for code that runs without a loaded config (the CLI's last resort, standalone middleware). */
export const KEY_RULES_ONLY: SecretPolicy = createSecretPolicy();

/** A policy given as one, or built from a list of secret values; the key rules alone when absent. */
export function toSecretPolicy(secrets: SecretPolicy | readonly unknown[] | undefined): SecretPolicy {
  if (secrets === undefined) return KEY_RULES_ONLY;
  if (safeIsArray(secrets)) return secrets.length === 0 ? KEY_RULES_ONLY : createSecretPolicy(secrets);
  return secrets as SecretPolicy;
}

/** Masks `secrets` (and values after secret keys) inside a string: `createSecretPolicy(secrets).mask`. */
export function secretMasker(secrets: readonly unknown[]): (text: string) => string {
  return createSecretPolicy(secrets).mask;
}

/** A JSON-safe copy of `value` with secrets masked by `secrets` (a policy or a list of values). */
export function redact(value: unknown, secrets?: SecretPolicy | readonly unknown[]): unknown {
  return toSecretPolicy(secrets).redact(value);
}
