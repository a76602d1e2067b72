/**
 * Which key names mark a secret. One list for every section (ours and the host app's), every log
 * meta object, every header and every `key=value` found inside a message: the secret policy
 * (secret-policy.ts) builds on these rules and nothing else decides them.
 */

export const REDACTED = '***';

/**
 * Secret values shorter than this are masked under their keys but not searched for inside text:
 * a three-character password would turn every third word of a log into `***`. The config warns
 * about them (see ApiGuardConfig.warnings).
 */
export const MIN_MASKED_LENGTH = 4;

// A key is secret when its normalised name (lower-case, without `-`, `_`, `.` and spaces) ends with
// one of these: `Password`, `DbPassword`, `X-Api-Key`, `StripeApiKey`, `csrf_token`, `Set-Cookie`.
const SECRET_SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'signingkey',
  'privatekey',
  'accesskey',
  'encryptionkey',
  'authorization',
  'credential',
  'credentials',
  'cookie',
  'connectionstring',
] as const;

// Sections whose every child value is secret.
const SECRET_SECTIONS = new Set(['connectionstrings', 'securestoragekeys', 'secrets']);

const MAX_CACHE = 4096;
const keyCache = new Map<string, boolean>();

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '');
}

/**
 * True for a key whose value must never be shown, in any section and at any depth: `Password`,
 * `Pwd`, `Authorization`, `Cookie`, `X-Api-Key`, `ApiKey`, `SessionSigningKey`, `ClientSecret`,
 * `AccessToken`, `SmtpPassword`, … (the name, ignoring case, `-`, `_` and `.`, ends with password,
 * passwd, passphrase, pwd, secret, token, apikey, signingkey, privatekey, accesskey, encryptionkey,
 * authorization, credential(s), cookie or connectionstring).
 */
export function isSensitiveKey(key: string): boolean {
  let hit = keyCache.get(key);
  if (hit === undefined) {
    const normalized = normalizeKey(key);
    hit = normalized !== '' && SECRET_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
    if (keyCache.size < MAX_CACHE) keyCache.set(key, hit);
  }
  return hit;
}

/** True for a section whose children are all secret (`ConnectionStrings`, `SecureStorageKeys`, `Secrets`). */
export function isSecretSection(key: string): boolean {
  return SECRET_SECTIONS.has(normalizeKey(key));
}

/**
 * True for a config path (`['MyApp', 'Smtp', 'Password']`, `ConnectionStrings:X` split) whose value
 * is secret: its last key is sensitive, or it lies under a secret section or a sensitive key.
 */
export function isSecretPath(segments: readonly string[]): boolean {
  return segments.some((segment, i) => isSensitiveKey(segment) || (i < segments.length - 1 && isSecretSection(segment)));
}
