/**
 * Rule names: they appear in response headers (as RFC 9651 strings), log lines and store keys, so
 * they are short and need no escaping anywhere.
 */
import { ok, problem, type Parsed } from './parsed.js';

const RULE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const RULE_NAME_HINT = 'give each rule a short unique name of 1 to 64 letters, digits, ".", "_" or "-" (e.g. "per-minute"); it appears in response headers';

export function parseRuleName(text: unknown): Parsed<string> {
  return typeof text === 'string' && RULE_NAME.test(text) ? ok(text) : problem(`is not a rule name; ${RULE_NAME_HINT}`);
}
