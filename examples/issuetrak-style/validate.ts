/**
 * Request-body checks for the example's handlers. Each failure is an ApiError (400, type
 * `Validation`) whose message tells the client which field to fix. Field names are matched
 * case-insensitively, as ASP.NET Core model binding does.
 */
import type { Request } from 'express';
import { ApiError } from '../../lib/index.js';

export function invalid(message: string): ApiError {
  return new ApiError(message, { status: 400, type: 'Validation' });
}

/** The JSON body, or a 415/400 that says what to send instead. */
export function jsonBody(req: Request): unknown {
  const kind = req.is('application/json');
  if (kind === false) {
    throw new ApiError('Send the request body as application/json.', { status: 415, type: 'Validation' });
  }
  if (kind === null || req.body === undefined) throw invalid('A JSON request body is required.');
  return req.body as unknown;
}

export function jsonObject(req: Request): Record<string, unknown> {
  const body = jsonBody(req);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** Reads `name` from `body` ignoring case. */
export function field(body: Record<string, unknown>, name: string): unknown {
  if (name in body) return body[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(body)) if (key.toLowerCase() === lower) return body[key];
  return undefined;
}

export function optionalString(body: Record<string, unknown>, name: string, maxLength: number): string | undefined {
  const value = field(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be a string.`);
  if (value.length > maxLength) throw invalid(`${name} must be at most ${maxLength} characters.`);
  return value;
}

export function requiredString(body: Record<string, unknown>, name: string, maxLength: number): string {
  const value = optionalString(body, name, maxLength);
  if (value === undefined || value.trim() === '') throw invalid(`${name} is required.`);
  return value;
}

/** An integer in [min, max], or `fallback` when absent. */
export function integerIn(body: Record<string, unknown>, name: string, min: number, max: number, fallback: number): number {
  const value = field(body, name);
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

/** The `{iid}` route parameter as a positive issue number. */
export function issueNumber(text: string | undefined): number {
  if (text === undefined || !/^[1-9][0-9]{0,8}$/.test(text)) throw invalid('The issue number (iid) must be a positive integer.');
  return Number(text);
}
