/**
 * zod schemas for config values, built on lib/core's grammar so a file accepts exactly what the
 * middleware accepts (and describes a mistake in the same words). Values from environment variables
 * are strings, so numbers and booleans are coerced from strings, as ASP.NET Core's binder does.
 * Messages read "is not X; do Y": the loader puts the offending value in front.
 */
import { z } from 'zod';
import {
  parseClientKey,
  parseEndpoint,
  parseHeaderName,
  parseHostPort,
  parseIpRange,
  parseKeyPrefix,
  parseLogLevel,
  parsePeriod,
  parsePolicyClient,
  parseQuotaMessage,
  parseRuleMode,
  parseRuleName,
  parseSha256Hex,
  type Parsed,
} from '../core/index.js';

const toNumber = (v: unknown): unknown => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v);
const toBoolean = (v: unknown): unknown =>
  typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v) ? v.trim().toLowerCase() === 'true' : v;
const lower = (v: unknown): unknown => (typeof v === 'string' ? v.trim().toLowerCase() : v);

/** A value checked (and canonicalized) by a core grammar function. */
function grammar<T, O>(parse: (value: unknown) => Parsed<T>, canonical: (value: T, input: unknown) => O) {
  return z.unknown().transform((value, ctx): O => {
    const result = parse(value);
    if (result.ok) return canonical(result.value, value);
    ctx.addIssue({ code: 'custom', message: result.problem });
    return z.NEVER;
  });
}

export const period = grammar(parsePeriod, (p) => p.text);
export const endpoint = grammar(parseEndpoint, (e) => e.source);
export const ruleName = grammar(parseRuleName, (name) => name);
export const headerName = grammar(parseHeaderName, (name) => name);
export const clientKey = grammar(parseClientKey, (spec) => spec.text);
export const logLevel = grammar(parseLogLevel, (level) => level);
/** `host:port`, kept as written (trimmed). */
export const hostPort = grammar(parseHostPort, (_node, input) => String(input).trim());
export const keyPrefix = grammar(parseKeyPrefix, (prefix) => prefix);
export const ruleMode = grammar(parseRuleMode, (mode) => mode);
export const sha256Hex = grammar(parseSha256Hex, (hex) => hex);
/** A message template, kept as written. */
export const quotaMessage = grammar(parseQuotaMessage, (message) => message.template);
/**
 * A policy's Client, kept as written (trimmed). Read here as a header key would read it (an address,
 * a range or a value); with ClientKey "ip" the section's own check refuses a value.
 */
export const policyClient = grammar(
  (value: unknown) => parsePolicyClient(value, true),
  (_client, input) => String(input).trim(),
);

/** An IP or CIDR, kept as written (trimmed). */
export const ipOrCidr = grammar(parseIpRange, (range) => (range.single ? range.address : `${range.address}/${range.prefix}`));

export function integer(min: number, max: number, hint: string) {
  return z.preprocess(
    toNumber,
    z
      .number({ error: `is not a number; ${hint}` })
      .int({ error: `is not a whole number; ${hint}` })
      .min(min, { error: `is out of range; ${hint}` })
      .max(max, { error: `is out of range; ${hint}` }),
  );
}

export const boolean = z.preprocess(toBoolean, z.boolean({ error: 'is not a boolean; use true or false' }));

/** One of `values`, matched ignoring case and surrounding spaces. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const list = values.map((v) => `"${v}"`).join(', ');
  return z.preprocess(lower, z.enum(values, { error: `is not allowed; use one of ${list}` }));
}

export function text(hint: string) {
  return z.string({ error: `is not a string; ${hint}` }).min(1, { error: `is empty; ${hint}` });
}

/** Options for an object schema: the message when a section is given a plain value. */
export function section(name: string) {
  return {
    error: (issue: { code: string }) => (issue.code === 'invalid_type' ? `is not a section; ${name} must be an object of settings` : undefined),
  };
}

export const LIMIT_HINT = 'use a positive whole number of requests (e.g. 100)';
export const STATUS_HINT = 'use an HTTP error status between 400 and 599 (e.g. 429)';
