/**
 * Turns anything thrown or passed to `next(err)` into what the client may see. Only ApiError and
 * well-known 4xx library errors keep their message; everything else is a 500 with a fixed message,
 * because an arbitrary exception message can carry SQL, file paths or secrets.
 */
import { ApiError, isSafeClientMessage, statusText, type ApiErrorType } from '../core/index.js';

/** The message every unexpected error gets. */
export const PROCESSING_MESSAGE = 'An error occurred while processing your request.';

/** What the mapper decided to answer for an error. */
export interface MappedError {
  readonly status: number;
  readonly type: ApiErrorType;
  /** Safe to send to the client. */
  readonly message: string;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;
  /** True when the error was not one the guard or a library meant for the client (logged at Error). */
  readonly unexpected: boolean;
}

// body-parser / raw-body error `type`s with a fixed client message; the library's own messages
// (e.g. `Unexpected token } in JSON at position 12`) echo the body back.
const BODY_PARSER: Readonly<Record<string, { status: number; message: string }>> = {
  'entity.parse.failed': { status: 400, message: 'The request body is not valid JSON' },
  'entity.too.large': { status: 413, message: 'The request body is too large' },
  'charset.unsupported': { status: 415, message: 'The request body charset is not supported; send UTF-8' },
  'encoding.unsupported': {
    status: 415,
    message: 'The request body Content-Encoding is not supported; send it uncompressed or gzip/deflate',
  },
  'request.aborted': { status: 400, message: 'The request body was not received completely' },
  'request.size.invalid': { status: 400, message: 'The request body length does not match Content-Length' },
  'parameters.too.many': { status: 413, message: 'The request body has too many parameters' },
};

/** The envelope type a bare 4xx status implies. */
export function typeForStatus(status: number): ApiErrorType {
  switch (status) {
    case 401:
      return 'Authentication';
    case 403:
      return 'Authorization';
    case 404:
      return 'NotFound';
    case 429:
      return 'RateLimit';
    default:
      return status >= 500 ? (status === 503 ? 'Unavailable' : 'Processing') : 'Validation';
  }
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function statusOf(err: unknown): number | undefined {
  const status = field(err, 'status') ?? field(err, 'statusCode');
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
}

function stringHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') out[name] = String(v);
  }
  return out;
}

/** Maps an error to the status, envelope type, client message and headers to answer with. */
export function mapError(err: unknown): MappedError {
  if (err instanceof ApiError) {
    return { status: err.status, type: err.type, message: err.message, headers: err.headers, unexpected: false };
  }
  const status = statusOf(err);
  const libraryType = field(err, 'type');
  const known = typeof libraryType === 'string' ? BODY_PARSER[libraryType] : undefined;
  if (known && (status === undefined || status < 500)) {
    return { status: known.status, type: 'Validation', message: known.message, headers: {}, unexpected: false };
  }
  if (status !== undefined && status < 500) {
    // An ApiError from another copy of this package (ESM and CJS both loaded) still carries its type.
    const type = typeof libraryType === 'string' && /^[A-Z][A-Za-z]{0,39}$/.test(libraryType) ? libraryType : typeForStatus(status);
    const message = field(err, 'message');
    const exposed = field(err, 'expose') !== false && isSafeClientMessage(message);
    const headers = stringHeaders(field(err, 'headers'));
    const retryAfter = field(err, 'retryAfter');
    if (status === 429 && headers['Retry-After'] === undefined && typeof retryAfter === 'number') {
      headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfter)));
    }
    return { status, type, message: exposed ? message : statusText(status), headers, unexpected: false };
  }
  // A 5xx status the thrower chose (502, 503, 504) is kept, but never its message.
  const serverStatus = status ?? 500;
  return { status: serverStatus, type: typeForStatus(serverStatus), message: PROCESSING_MESSAGE, headers: {}, unexpected: true };
}
