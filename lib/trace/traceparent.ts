/**
 * W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header):
 * `<version>-<trace-id>-<parent-id>-<flags>`, lowercase hex only. A header that breaks any rule is
 * ignored and a new trace started, as the spec requires, so no client string reaches our output
 * unless it matched this exact shape.
 */
import { randomHex } from '../core/index.js';

/** The parts of a valid incoming traceparent. */
export interface TraceParent {
  readonly version: string;
  readonly traceId: string;
  readonly parentId: string;
  readonly flags: string;
}

const SHAPE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO_TRACE = '0'.repeat(32);
const ALL_ZERO_PARENT = '0'.repeat(16);
// Far longer than any version we understand could need; checked before the regex runs.
const MAX_LENGTH = 512;

/** Parses a traceparent header value; undefined when absent or invalid in any way. */
export function parseTraceparent(value: string | string[] | undefined): TraceParent | undefined {
  // Node joins repeated headers only for some names; an array or a comma means several values,
  // which the spec says to treat as invalid.
  if (typeof value !== 'string' || value.length < 55 || value.length > MAX_LENGTH) return undefined;
  const match = SHAPE.exec(value);
  if (match === null) return undefined;
  const [, version = '', traceId = '', parentId = '', flags = '', rest] = match;
  if (version === 'ff') return undefined;
  // Version 00 has exactly four fields; later versions may append fields after a dash.
  if (version === '00' && rest !== undefined) return undefined;
  if (traceId === ALL_ZERO_TRACE || parentId === ALL_ZERO_PARENT) return undefined;
  return { version, traceId, parentId, flags };
}

/** A new random 16-hex span (parent) id (never all zero). */
export function newSpanId(): string {
  let id = randomHex(8);
  while (id === ALL_ZERO_PARENT) id = randomHex(8);
  return id;
}

/** Formats a version-00 traceparent. */
export function formatTraceparent(traceId: string, spanId: string, flags: string): string {
  return `00-${traceId}-${spanId}-${flags}`;
}

/** True for a string in the w3c trace-id format. */
export function isW3cTraceId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value) && value !== ALL_ZERO_TRACE;
}
