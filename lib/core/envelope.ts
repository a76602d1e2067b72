/**
 * The two error body formats. `issuetrak` is the API v2 ApiResponse with exactly two keys; `problem`
 * is RFC 9457 with `type: "about:blank"`, so `title` is the HTTP status phrase and clients need no
 * documentation URL to interpret it (RFC 9457 §4.2.1).
 */
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';

/** Error body format. */
export type ErrorFormat = 'issuetrak' | 'problem';

export const ISSUETRAK_CONTENT_TYPE = 'application/json; charset=utf-8';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** One entry of the issuetrak `information` array. */
export interface InformationEntry {
  readonly type: string;
  readonly message: string;
}

/** The API v2 error envelope: `{ traceId, information }` and nothing else. */
export interface IssuetrakErrorBody {
  readonly traceId: string;
  readonly information: readonly InformationEntry[];
}

/** Development-only description of the underlying exception. */
export interface ExceptionDetails {
  readonly name: string;
  readonly message: string;
  readonly stack: readonly string[];
}

/** An RFC 9457 problem details object with the guard's `traceId` extension member. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly traceId: string;
  /** Only with IncludeDetails in Development. */
  readonly exception?: ExceptionDetails;
}

/** What a body is built from. */
export interface EnvelopeInput {
  readonly status: number;
  readonly type: string;
  readonly message: string;
  readonly traceId: string;
  /** Request path without the query. */
  readonly instance: string;
  readonly exception?: ExceptionDetails;
}

/** The HTTP reason phrase for `status` (`Too Many Requests`), or `Error`. */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** Builds the issuetrak body; development details become extra `Exception`/`StackTrace` entries. */
export function issuetrakBody(input: EnvelopeInput): IssuetrakErrorBody {
  const information: InformationEntry[] = [{ type: input.type, message: input.message }];
  if (input.exception) {
    information.push({ type: 'Exception', message: `${input.exception.name}: ${input.exception.message}` });
    if (input.exception.stack.length > 0) {
      information.push({ type: 'StackTrace', message: input.exception.stack.join('\n') });
    }
  }
  return { traceId: input.traceId, information };
}

/** Builds the RFC 9457 body; development details become an `exception` extension member. */
export function problemBody(input: EnvelopeInput): ProblemBody {
  const body: ProblemBody = {
    type: 'about:blank',
    title: statusText(input.status),
    status: input.status,
    detail: input.message,
    instance: input.instance,
    traceId: input.traceId,
  };
  return input.exception ? { ...body, exception: input.exception } : body;
}

/**
 * JSON with `<`, `>`, `&` and the JS line separators escaped, so an echoed hostile path stays inert
 * even if a client renders the body as HTML. The JSON value is unchanged.
 */
export function toSafeJson(body: unknown): string {
  return JSON.stringify(body).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * True when the Accept header names `application/problem+json` itself with q > 0. Wildcards do not
 * count: `*\/*` would otherwise switch every curl request to problem format.
 */
export function acceptsProblemExplicitly(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const range of accept.split(',')) {
    const [mediaType = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (mediaType !== 'application/problem+json') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

// Headers describing the body the failed handler meant to send; they would lie about ours.
const STALE_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-range', 'content-disposition', 'etag', 'last-modified'];

/**
 * Answers with the envelope: `problem` when `format` says so or the client's Accept header names
 * application/problem+json, else `issuetrak`. Extra headers never replace one already set. Extra headers that Node refuses (a hostile value in
 * an error's `headers`) are skipped and returned, so the caller can log them; the answer still goes out.
 */
export function sendEnvelope(
  req: Request,
  res: Response,
  input: EnvelopeInput,
  format: ErrorFormat,
  headers: Readonly<Record<string, string>> = {},
): string[] {
  const problem = format === 'problem' || acceptsProblemExplicitly(req.headers?.accept);
  const body = toSafeJson(problem ? problemBody(input) : issuetrakBody(input));
  const skipped: string[] = [];
  for (const name of STALE_HEADERS) res.removeHeader(name);
  res.statusCode = input.status;
  for (const [name, value] of Object.entries(headers)) {
    // Headers already on the response (the trace ID, RateLimit-*, CORS) are the middleware's; an
    // error's `headers` add to them and never replace them.
    if (res.hasHeader(name)) continue;
    try {
      res.setHeader(name, value);
    } catch {
      skipped.push(name.slice(0, 60));
    }
  }
  res.setHeader('Content-Type', problem ? PROBLEM_CONTENT_TYPE : ISSUETRAK_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(body);
  return skipped;
}
