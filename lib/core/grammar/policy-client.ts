/**
 * Who a per-client rate-limit policy is for. `Client` is the client ID as a request carries it: an
 * IP address or CIDR range (a client counted by its address), or, with a header (or function) client
 * key, the header's value. `ClientSha256` is the SHA-256 of that value in hex, so a secret such as an
 * API key never has to be written into config.
 */
import { parseIpRange, type IpRange } from './ip.js';
import { ok, problem, type Parsed } from './parsed.js';

export type PolicyClient = { readonly kind: 'ip'; readonly range: IpRange } | { readonly kind: 'value'; readonly value: string };

/** Longest client value accepted (header values longer than this are not API keys). */
export const MAX_POLICY_CLIENT_LENGTH = 1024;

export const SHA256_HINT = 'use the 64 hexadecimal characters of the value\'s SHA-256 (e.g. printf %s "$API_KEY" | sha256sum)';

// An attempt at an address: an IPv4 dotted quad (valid or not), or anything with a "/" whose part
// before it is an address. Such a value is read as an address and must be a valid one: a typo in a
// CIDR range must not silently become a header value that no request carries.
const ADDRESS_LIKE = /^(?:\d{1,3}(?:\.\d{1,3}){3}(?:\/.*)?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:\/.*)?)$/;

/**
 * Parses a `Client` value. `values` says whether the limiter keys clients by a value (a header or a
 * function); with `ip` keys a client is only ever an address.
 */
export function parsePolicyClient(text: unknown, values: boolean): Parsed<PolicyClient> {
  if (typeof text !== 'string' || text.trim() === '') {
    return problem(
      values
        ? 'is not a client; use an IP address or CIDR range (e.g. "203.0.113.0/24"), or the client key header\'s value (for a secret, write its ClientSha256 instead)'
        : 'is not a client; use an IP address or CIDR range (e.g. "203.0.113.0/24")',
    );
  }
  const trimmed = text.trim();
  const range = parseIpRange(trimmed);
  if (range.ok) return ok({ kind: 'ip', range: range.value });
  if (!values || ADDRESS_LIKE.test(trimmed)) {
    const keyed = values ? '' : ' (with ClientKey "ip" a client is its address; to match a header value set ClientKey to "header:<Name>")';
    return problem(`${range.problem}${keyed}`);
  }
  if (trimmed.length > MAX_POLICY_CLIENT_LENGTH) return problem(`is longer than ${MAX_POLICY_CLIENT_LENGTH} characters; no header value that long identifies a client`);
  return ok({ kind: 'value', value: trimmed });
}

/** A SHA-256 digest in hex (64 characters, any case); the value is the lower-case digest. */
export function parseSha256Hex(text: unknown): Parsed<string> {
  if (typeof text !== 'string') return problem(`is not a SHA-256 digest; ${SHA256_HINT}`);
  const trimmed = text.trim();
  if (!/^[0-9A-Fa-f]*$/.test(trimmed)) return problem(`is not a SHA-256 digest: it has characters other than 0-9 and a-f; ${SHA256_HINT}`);
  if (trimmed.length !== 64) return problem(`is not a SHA-256 digest: it has ${trimmed.length} characters, not 64; ${SHA256_HINT}`);
  return ok(trimmed.toLowerCase());
}
