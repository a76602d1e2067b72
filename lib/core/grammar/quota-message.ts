/**
 * The message of a rate-limit refusal (`RateLimiting.QuotaExceededMessage`, option `message`), shown
 * to the client inside the error envelope. Placeholders: `{limit}`, `{period}`, `{rule}`,
 * `{retryAfter}`, and AspNetCoreRateLimit's `{0}` (limit), `{1}` (period), `{2}` (retry after), so a
 * message written for it keeps working. Checked once, at startup, against the rule the error mapper
 * applies to every client message (short, one line, nothing that looks like a file path), so a
 * configured message is never silently replaced by a generic one.
 */
import { closest } from '../closest.js';
import { isSafeClientMessage } from '../safe-text.js';
import { ok, problem, type Parsed } from './parsed.js';

/** What a refusal message can say. */
export interface QuotaDetails {
  readonly limit: number;
  readonly period: string;
  readonly rule: string;
  readonly retryAfter: number;
}

/** A checked message template. */
export interface QuotaMessage {
  /** The template as written. */
  readonly template: string;
  format(details: QuotaDetails): string;
}

type Field = keyof QuotaDetails;
const FIELDS: Readonly<Record<string, Field>> = { limit: 'limit', period: 'period', rule: 'rule', retryAfter: 'retryAfter', 0: 'limit', 1: 'period', 2: 'retryAfter' };
const NAMES = ['{limit}', '{period}', '{rule}', '{retryAfter}', '{0}', '{1}', '{2}'];
const PLACEHOLDER = /\{([A-Za-z0-9_]*)\}/g;

/** AspNetCoreRateLimit's default, which is also ours. */
export const DEFAULT_QUOTA_MESSAGE = 'API calls quota exceeded! maximum admitted {limit} per {period}.';

export const QUOTA_MESSAGE_HINT = `write one short line; it may use ${NAMES.join(', ')}`;

// The longest each value can be: limits and seconds are safe integers, periods up to 15 digits and a unit, rule names 64 characters.
const LONGEST: QuotaDetails = { limit: Number.MAX_SAFE_INTEGER, period: `${'9'.repeat(15)}d`, rule: 'r'.repeat(64), retryAfter: Number.MAX_SAFE_INTEGER };
const TYPICAL: QuotaDetails = { limit: 100, period: '1m', rule: 'per-minute', retryAfter: 60 };

function compile(template: string): QuotaMessage {
  const parts = template.split(PLACEHOLDER);
  // split() with one capture group alternates text and placeholder names.
  const format = (details: QuotaDetails): string => {
    let out = '';
    for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? (parts[i] as string) : String(details[FIELDS[parts[i] as string] as Field]);
    return out;
  };
  return { template, format };
}

/** {@link DEFAULT_QUOTA_MESSAGE}, compiled. */
export const DEFAULT_MESSAGE: QuotaMessage = compile(DEFAULT_QUOTA_MESSAGE);

export function parseQuotaMessage(text: unknown): Parsed<QuotaMessage> {
  if (typeof text !== 'string' || text.trim() === '') return problem(`is not a message; ${QUOTA_MESSAGE_HINT}`);
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (Object.hasOwn(FIELDS, name)) continue;
    const guess = closest(`{${name}}`, NAMES);
    return problem(`has the unknown placeholder {${name}}${guess === undefined ? '' : ` (did you mean ${guess}?)`}; ${QUOTA_MESSAGE_HINT}`);
  }
  const message = compile(text);
  const longest = message.format(LONGEST).length;
  if (longest > 300) return problem(`is too long: with the longest values it reaches ${longest} characters, and the error envelope shows at most 300; shorten it`);
  if (!isSafeClientMessage(message.format(TYPICAL))) {
    return problem('would not be shown to clients: the error envelope hides a message with a line break, a control character, or anything that looks like a file path (e.g. "/docs/limits"); write one line without such a path');
  }
  return ok(message);
}
