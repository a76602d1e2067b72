/**
 * Masking secrets inside free text (messages, stacks, paths, doctor lines). Two kinds of rule:
 * known values, found in every form a message tends to carry them (as written, URL-encoded,
 * JSON-escaped), and values that follow a secret key (`Password=…`, `"token":"…"`,
 * `Authorization: …`, `scheme://user:…@`), which catch secrets nobody configured.
 */
import { isSecretPath, isSensitiveKey, MIN_MASKED_LENGTH, REDACTED } from './secrets.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const hexClass = (c: string): string => (/[a-f]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c);

/** The forms a value takes inside text: raw, JSON-escaped (once, twice, ASCII-only), URL-encoded. */
function variants(value: string): string[] {
  const out = new Set<string>([value]);
  const json = JSON.stringify(value).slice(1, -1);
  out.add(json);
  const unicode = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  out.add(json.replace(/[^\x20-\x7e]/g, unicode)); // ASCII-only JSON encoders
  out.add(json.replace(/[<>&\u2028\u2029]/g, unicode)); // HTML-safe JSON (our own bodies)
  out.add(json.replace(/[^\x20-\x7e]|[<>&]/g, unicode)); // both
  out.add(JSON.stringify(json).slice(1, -1));
  try {
    const component = encodeURIComponent(value);
    out.add(component);
    out.add(component.replace(/%20/g, '+'));
    out.add(encodeURI(value));
  } catch {
    // A lone surrogate cannot be URL-encoded, so it cannot appear URL-encoded either.
  }
  return [...out];
}

/** A regex source for one variant: hex digits of `%XX` and `\uXXXX` in either case; digit runs whole. */
function sourceOf(variant: string): string {
  let source = escapeRegExp(variant)
    .replace(/%([0-9A-Fa-f])([0-9A-Fa-f])/g, (_m, a: string, b: string) => `%${hexClass(a)}${hexClass(b)}`)
    .replace(/\\\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => `\\\\u${[...hex].map(hexClass).join('')}`);
  // A numeric secret inside a longer number is not that secret (and masking it would eat timestamps).
  if (/^\d+$/.test(variant)) source = `(?<!\\d)${source}(?!\\d)`;
  return source;
}

/** Compiled known values. */
export interface KnownValues {
  /** Distinct values long enough to be searched for in text. */
  readonly count: number;
  /** Length of the longest form searched for (bounds how far a cut can reach into a secret). */
  readonly longest: number;
  mask(text: string): string;
  /** True when some secret is all digits (so numbers need checking at all). */
  readonly hasNumeric: boolean;
  /** True when the decimal text of a number holds a numeric secret. */
  numberIsSecret(text: string): boolean;
}

/** Compiles the known secret values (strings or numbers; shorter than MIN_MASKED_LENGTH are skipped). */
export function compileKnownValues(values: Iterable<unknown>): KnownValues {
  const usable = new Set<string>();
  for (const value of values) {
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
    if (text !== undefined && text.length >= MIN_MASKED_LENGTH && text !== REDACTED) usable.add(text);
  }
  const forms = [...new Set([...usable].flatMap(variants))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return { count: 0, longest: 0, hasNumeric: false, mask: (text) => text, numberIsSecret: () => false };
  const shortest = forms[forms.length - 1]?.length ?? 0;
  const pattern = new RegExp(forms.map(sourceOf).join('|'), 'g');
  const numeric = forms.filter((form) => /^\d+$/.test(form));
  const numberPattern = numeric.length > 0 ? new RegExp(numeric.map(sourceOf).join('|')) : undefined;
  return {
    count: usable.size,
    longest: forms[0]?.length ?? 0,
    hasNumeric: numberPattern !== undefined,
    mask: (text) => (text.length < shortest ? text : text.replace(pattern, REDACTED)),
    numberIsSecret: (text) => numberPattern !== undefined && numberPattern.test(text),
  };
}

// `Password=…`, `apikey=…`, `ConnectionStrings__X=…`: a key, `=`, then a quoted, braced or bare value.
const KEY_EQUALS = /([A-Za-z_][\w.:-]{0,100})([ \t]*=[ \t]*)("[^"]*"?|'[^']*'?|\{[^}]*\}?|[^\s;&,"'<>(){}[\]]+)/g;
// `"token": "…"`, `\"password\":\"…\"` (JSON inside JSON), `{ password: '…' }` (util.inspect),
// `Authorization: Bearer …`: a key and a colon; the value is read by valueEnd().
const KEY_COLON = /(?:(\\*)(["'])([^"'\\\n]{1,100})\1\2|(?<![\w$.-])([A-Za-z_$][\w$.-]{0,100}))[ \t]*:[ \t]*/g;
// `redis://user:pass@host`: the password of a URL's user info.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*:)([^\s@/?#]+)@/gi;
// Header names whose bare value (to the end of the line) is a credential: `Authorization: Bearer x`.
const HEADER_KEYS = new Set(['authorization', 'proxyauthorization', 'cookie', 'setcookie', 'xapikey', 'apikey', 'xauthtoken']);

/** True when a `key` written in text (a path like `A.B`, `A:B`, `A__B` allowed) names a secret. */
function secretKeyInText(key: string): boolean {
  const segments = key.split(/__|[.:]/).filter((s) => s !== '');
  return segments.length > 0 && isSecretPath(segments);
}

/**
 * Where a value starting at `start` ends: a quoted string (its quote escaped by as many backslashes
 * as the key's were), a JSON number after a quoted key, or for header keys the rest of the line.
 * Undefined when there is no value we should mask (a bare word after a bare key: "password: too short").
 */
function valueEnd(text: string, start: number, slashes: number, quotedKey: boolean, header: boolean): { end: number; open: string } | undefined {
  let i = start;
  let bs = 0;
  while (text[i] === '\\') {
    i++;
    bs++;
  }
  const q = text[i];
  if ((q === '"' || q === "'") && bs === slashes) {
    const close = '\\'.repeat(bs) + q;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\n') return { end: j, open: close };
      if (bs === 0 && text[j] === '\\') {
        j++;
        continue;
      }
      if (text.startsWith(close, j) && (bs === 0 || text[j - 1] !== '\\')) return { end: j + close.length, open: close };
    }
    return { end: text.length, open: close };
  }
  if (bs !== 0) return undefined;
  if (quotedKey && q !== undefined && /[-\d]/.test(q)) {
    const number = /-?\d[\d.eE+-]*/y;
    number.lastIndex = i;
    return number.exec(text) ? { end: number.lastIndex, open: '' } : undefined;
  }
  if (header) {
    const stop = text.slice(i).search(/[\r\n"']/);
    return { end: stop === -1 ? text.length : i + stop, open: '' };
  }
  return undefined;
}

function maskAfterColon(text: string): string {
  let out = '';
  let last = 0;
  KEY_COLON.lastIndex = 0;
  for (let match = KEY_COLON.exec(text); match !== null; match = KEY_COLON.exec(text)) {
    const key = match[3] ?? match[4] ?? '';
    if (!isSensitiveKey(key) && !secretKeyInText(key)) continue;
    const quotedKey = match[3] !== undefined;
    const header = !quotedKey && HEADER_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
    const start = match.index + match[0].length;
    const value = valueEnd(text, start, (match[1] ?? '').length, quotedKey, header);
    if (value === undefined || value.end <= start) continue;
    const closed = value.open !== '' && text.endsWith(value.open, value.end) && value.end - start > value.open.length;
    out += text.slice(last, start) + value.open + REDACTED + (closed ? value.open : '');
    last = value.end;
    KEY_COLON.lastIndex = Math.max(value.end, KEY_COLON.lastIndex);
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Masks the values that follow secret keys in `text`, and URL passwords. Never throws. */
export function maskKeyedValues(text: string): string {
  let out = text;
  if (out.includes('=')) {
    out = out.replace(KEY_EQUALS, (whole: string, key: string, eq: string, value: string) =>
      value === REDACTED || value === '' || !secretKeyInText(key) ? whole : `${key}${eq}${REDACTED}`,
    );
  }
  if (out.includes(':')) out = maskAfterColon(out);
  if (out.includes('://')) out = out.replace(URL_PASSWORD, (whole: string, head: string, password: string) => (password === REDACTED ? whole : `${head}${REDACTED}@`));
  return out;
}
