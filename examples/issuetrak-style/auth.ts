/**
 * X-Api-Key authentication as Issuetrak API v2 does it: the key is compared with SHA-256 hashes
 * listed in config (never the keys themselves), and a missing or unknown key gets 401 with an
 * empty body. Keys are read from the current config on each request, so edits apply live.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';

/** One accepted key as written in the `Authentication.ApiKeys` section. */
export interface ApiKeyEntry {
  /** Who the key belongs to; logged, never the key. */
  readonly Name: string;
  /** Lower-case hex SHA-256 of the key. */
  readonly Sha256: string;
}

export interface AuthenticationSection {
  readonly ApiKeys?: readonly ApiKeyEntry[];
}

/** `printf %s "$KEY" | sha256sum` computes the same value for the config file. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Builds the lookup (hash → name) for one section; malformed hashes are reported, not accepted. */
export function keyTable(section: AuthenticationSection | undefined): { table: Map<string, string>; problems: string[] } {
  const table = new Map<string, string>();
  const problems: string[] = [];
  for (const [index, entry] of (section?.ApiKeys ?? []).entries()) {
    const hash = typeof entry?.Sha256 === 'string' ? entry.Sha256.trim().toLowerCase() : '';
    if (!HEX64.test(hash)) {
      problems.push(`Authentication.ApiKeys[${index}].Sha256 is not a 64-character hex SHA-256; that key is ignored.`);
      continue;
    }
    table.set(hash, typeof entry.Name === 'string' ? entry.Name : `key ${index}`);
  }
  return { table, problems };
}

/**
 * Rejects requests without a known `X-Api-Key`. `currentSection` is called per request; the table is
 * rebuilt only when the section object changes (config reloads produce a new object).
 */
export function apiKeyAuth(currentSection: () => AuthenticationSection | undefined): RequestHandler {
  let cachedFor: AuthenticationSection | undefined | null = null;
  let table = new Map<string, string>();
  return function apiKeyAuthentication(req, res, next) {
    const section = currentSection();
    if (section !== cachedFor) {
      table = keyTable(section).table;
      cachedFor = section;
    }
    const presented = req.get('x-api-key');
    const name = presented ? table.get(hashApiKey(presented)) : undefined;
    if (name === undefined) {
      res.status(401).end();
      return;
    }
    res.locals.apiKeyName = name;
    next();
  };
}
