/**
 * Secret masking shared by config output, error messages and the log format. Two rules: a value
 * under a sensitive key is replaced whole, and a known secret value is replaced wherever it appears
 * inside a string (so a connection string pasted into a message is still masked).
 */

export const REDACTED = '***';

// Keys whose values are secret wherever they appear (compared lower-case, ignoring `-` and `_`).
const SENSITIVE_KEYS = new Set([
  'password',
  'pwd',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xapikey',
  'apikey',
  'sessionsigningkey',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
]);

// Sections whose every child value is secret.
const SECRET_SECTIONS = new Set(['connectionstrings', 'securestoragekeys']);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** True for a key whose value must never be shown (`Authorization`, `Password`, `X-Api-Key`, …). */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(normalizeKey(key));
}

/** True for a section whose children are all secret (`ConnectionStrings`, `SecureStorageKeys`). */
export function isSecretSection(key: string): boolean {
  return SECRET_SECTIONS.has(normalizeKey(key));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds a function replacing each known secret inside a string; short values are skipped as too noisy. */
export function secretMasker(secrets: readonly string[]): (text: string) => string {
  const usable = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  if (usable.length === 0) return (text) => text;
  const pattern = new RegExp(usable.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

/**
 * A deep copy of `value` with sensitive keys' values, children of secret sections and every
 * occurrence of a known secret replaced by `***`. Cycles are cut; non-plain objects are kept
 * as they are except Errors, which become `{ name, message, stack }` with the same masking.
 */
export function redact<T>(value: T, secrets: readonly string[] = []): T {
  const mask = secretMasker(secrets);
  const seen = new WeakSet<object>();

  const walk = (input: unknown, secretHere: boolean): unknown => {
    if (typeof input === 'string') return secretHere ? REDACTED : mask(input);
    if (input === null || typeof input !== 'object') {
      return secretHere && input !== undefined ? REDACTED : input;
    }
    if (secretHere) return REDACTED;
    if (seen.has(input)) return '[Circular]';
    seen.add(input);
    if (Array.isArray(input)) return input.map((item) => walk(item, false));
    if (input instanceof Error) {
      return { name: input.name, message: mask(input.message), stack: input.stack && mask(input.stack) };
    }
    const proto = Object.getPrototypeOf(input) as unknown;
    if (proto !== Object.prototype && proto !== null) return input;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(input)) {
      if (isSecretSection(key) && child !== null && typeof child === 'object') {
        out[key] = Object.fromEntries(Object.keys(child).map((k) => [k, REDACTED]));
      } else {
        out[key] = walk(child, isSensitiveKey(key));
      }
    }
    return out;
  };

  return walk(value, false) as T;
}
