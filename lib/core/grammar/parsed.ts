/**
 * What every grammar function answers: the parsed value, or a problem phrased to follow the value
 * ("is not a period; use …"). The config loader puts the value (or *** for a secret) in front and
 * adds file:line:column; a middleware factory puts its option path and the value in front. One
 * sentence serves both, so config and code can never describe the same mistake differently.
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function problem<T = never>(text: string): Parsed<T> {
  return { ok: false, problem: text };
}
