/**
 * Client key specs as config writes them: `ip`, or `header:<Name>` (the header's value, hashed,
 * identifies the client). Matched ignoring case (`IP`, `Header:X-Api-Key`).
 */
import { parseHeaderName } from './header-name.js';
import { ok, problem, type Parsed } from './parsed.js';

export type ClientKeySpec = { readonly kind: 'ip'; readonly text: 'ip' } | { readonly kind: 'header'; readonly header: string; readonly text: `header:${string}` };

export const CLIENT_KEY_HINT = 'use "ip" or "header:<Header-Name>" (e.g. "header:X-Api-Key")';

export function parseClientKey(text: unknown): Parsed<ClientKeySpec> {
  if (typeof text !== 'string') return problem(`is not a client key; ${CLIENT_KEY_HINT}`);
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'ip') return ok({ kind: 'ip', text: 'ip' });
  const match = /^header:(.*)$/i.exec(trimmed);
  if (match === null) return problem(`is not a client key; ${CLIENT_KEY_HINT}`);
  const header = parseHeaderName(match[1]);
  if (!header.ok) return problem(`is not a client key: the part after "header:" ${header.problem}`);
  return ok({ kind: 'header', header: header.value, text: `header:${header.value}` });
}
