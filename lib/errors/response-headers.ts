/**
 * The extra response headers an error may ask for (`Retry-After`, `WWW-Authenticate`, …), checked
 * before they reach the response: a hostile `headers` object must not smuggle framing headers
 * (Content-Length, Transfer-Encoding), override the envelope's own headers, carry CR/LF, or send
 * `Retry-After: NaN`.
 */
import { isHeaderName, safeEntries, type SecretPolicy } from '../core/index.js';

// Headers the envelope owns, hop-by-hop headers, and ones describing a body we do not send.
const FORBIDDEN = new Set([
  'cache-control',
  'connection',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-range',
  'content-type',
  'date',
  'etag',
  'host',
  'keep-alive',
  'last-modified',
  'proxy-connection',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'x-content-type-options',
]);
const VALUE = /^[\t\x20-\x7e\x80-\xff]{0,2000}$/;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const MAX_HEADERS = 20;
const MAX_RETRY_AFTER = 2_147_483_647;

/** A Retry-After value: delta-seconds (at least 1) or an HTTP date; undefined for anything else. */
export function retryAfterValue(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(Math.min(MAX_RETRY_AFTER, Math.max(1, Math.ceil(value)))) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return String(Math.min(MAX_RETRY_AFTER, Math.max(1, Number(text))));
  return HTTP_DATE.test(text) && !Number.isNaN(Date.parse(text)) ? text : undefined;
}

/**
 * The headers of `raw` that may be set on an error response, values masked by `policy`. For a 429
 * without a usable Retry-After, `retryAfter` (seconds) supplies one when it is a finite number.
 */
export function responseHeaders(raw: unknown, status: number, retryAfter: unknown, policy: SecretPolicy): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = raw !== null && typeof raw === 'object' ? (safeEntries(raw) ?? []) : [];
  let retry: string | undefined;
  for (const [name, value] of entries.slice(0, MAX_HEADERS)) {
    const lower = name.toLowerCase();
    if (!isHeaderName(name) || FORBIDDEN.has(lower)) continue;
    if (lower === 'retry-after') {
      retry = retryAfterValue(value);
      continue;
    }
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : undefined;
    if (text === undefined || !VALUE.test(text)) continue;
    out[name] = policy.mask(text);
  }
  if (retry === undefined && status === 429) retry = retryAfterValue(retryAfter);
  if (retry !== undefined) out['Retry-After'] = retry;
  return out;
}
