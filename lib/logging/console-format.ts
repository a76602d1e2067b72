/**
 * Console output: the JSON line when stdout is not a terminal (so a process manager can ship it),
 * otherwise one human-readable line with ASP.NET Core's short level names. The whole line goes
 * through the terminal sanitizer, so a client-supplied string (C0/C1 controls, bidi overrides,
 * line separators) cannot forge a line or recolour the terminal either.
 */
import winston from 'winston';
import { escapeForTerminal } from '../core/index.js';
import type { LineParts } from './serialize.js';

// triple-beam's keys (Symbol.for, so no import of winston's internal dependency is needed).
export const MESSAGE: unique symbol = Symbol.for('message') as typeof MESSAGE;
export const LEVEL: unique symbol = Symbol.for('level') as typeof LEVEL;

/** Where the line builder leaves the parts for this format. */
export const PARTS: unique symbol = Symbol('express-api-guard.lineParts');

const SHORT: Readonly<Record<string, string>> = {
  Trace: 'trce',
  Debug: 'dbug',
  Information: 'info',
  Warning: 'warn',
  Error: 'fail',
  Critical: 'crit',
};

/** `2026-11-27T22:45:13.123Z info: Http[0HM…:00000001] message {"meta":1}` */
export function humanLine(parts: LineParts): string {
  const meta = parts.metaJson === '' ? '' : ' {' + parts.metaJson.slice(1) + '}';
  const trace = parts.traceId === undefined ? '' : `[${parts.traceId}]`;
  return escapeForTerminal(`${parts.timestamp} ${SHORT[parts.level] ?? parts.level}: ${parts.category}${trace} ${parts.message}${meta}`);
}

/** A winston format writing {@link humanLine} when the line builder left its parts. */
export const humanFormat = winston.format((info) => {
  const parts = (info as unknown as Record<symbol, LineParts | undefined>)[PARTS];
  if (parts !== undefined) (info as unknown as Record<symbol, string>)[MESSAGE] = humanLine(parts);
  return info;
});
