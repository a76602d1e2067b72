/**
 * Redis key prefixes. The store builds keys as `<prefix>{<client>}:<rule>`; a brace in the prefix
 * would become the Cluster hash tag and put every client on one slot (one node, one shard).
 */
import { ok, problem, type Parsed } from './parsed.js';

export function parseKeyPrefix(text: unknown): Parsed<string> {
  if (typeof text !== 'string') return problem('is not a key prefix; use a short string such as "rl:"');
  if (/[{}]/.test(text)) return problem('contains "{" or "}"; leave them out (the store adds the {client} hash tag itself)');
  if (text.length > 128) return problem('is longer than 128 characters; use a short prefix such as "rl:"');
  return ok(text);
}
