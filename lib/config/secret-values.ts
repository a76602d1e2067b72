/**
 * Which values in a config tree are secrets: every value under a secret key or section (the host
 * app's sections too: `MyApp.Smtp.Password`, `Stripe.ApiKey`), the password inside any connection
 * string, and the password of any URL (`redis://:pass@host`). The secret policy masks these.
 */
import { isSecretPath, MIN_MASKED_LENGTH } from '../core/index.js';
import { connectionStringPassword } from './connection-string.js';

/** One secret value and where it was found (`MyApp.ApiKey`), for warnings that name the key. */
export interface FoundSecret {
  readonly path: string;
  readonly value: string;
}

/** The password of a URL, as written and percent-decoded; none when `text` is not a URL with one. */
export function urlPasswords(text: string): string[] {
  if (!text.includes('://')) return [];
  try {
    const { password } = new URL(text);
    if (!password) return [];
    let decoded = password;
    try {
      decoded = decodeURIComponent(password);
    } catch {
      // A malformed escape: the raw form is what appears in messages.
    }
    return [...new Set([password, decoded])];
  } catch {
    return [];
  }
}

/** Every secret value in `tree` (a parsed appsettings file, a section, or the merged config). */
export function findSecretValues(tree: unknown, prefix: readonly string[] = []): FoundSecret[] {
  const out: FoundSecret[] = [];
  const visit = (value: unknown, segments: readonly string[], depth: number): void => {
    if (depth > 64) return;
    const path = segments.join('.');
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
      const text = String(value);
      if (text !== '' && isSecretPath(segments)) out.push({ path, value: text });
      if (typeof value !== 'string') return;
      const password = value.includes('=') ? connectionStringPassword(value) : undefined;
      if (password) out.push({ path, value: password });
      for (const urlPassword of urlPasswords(value)) out.push({ path, value: urlPassword });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
    for (const [key, child] of entries) visit(child, [...segments, key], depth + 1);
  };
  visit(tree, prefix, 0);
  return out;
}

/** Warnings for secrets too short to be searched for inside messages (they stay masked under their keys). */
export function shortSecretWarnings(found: readonly FoundSecret[]): string[] {
  const paths = [...new Set(found.filter((s) => s.value.length < MIN_MASKED_LENGTH).map((s) => s.path))];
  return paths.map(
    (path) =>
      `${path} is shorter than ${MIN_MASKED_LENGTH} characters: it is hidden under its own key but too short to be masked inside log lines and error messages; use a longer secret`,
  );
}
