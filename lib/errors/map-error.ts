/**
 * Turns anything thrown or passed to `next(err)` into what the client may see. Total: every value
 * (a revoked Proxy, throwing getters, `status: 'abc'`, a symbol) maps to a status, a type and a
 * message, and reading the value never throws. Only ApiError and safe 4xx messages are shown;
 * library errors get fixed neutral sentences; everything else is a 500 with a fixed message,
 * because an arbitrary exception message can carry SQL, file paths or secrets.
 */
import {
  ApiError,
  isSafeClientMessage,
  KEY_RULES_ONLY,
  safeGet,
  safeInstanceOf,
  statusText,
  type ApiErrorType,
  type SecretPolicy,
} from '../core/index.js';
import { responseHeaders } from './response-headers.js';

/** The message every unexpected error gets. */
export const PROCESSING_MESSAGE = 'An error occurred while processing your request.';

/** What the mapper decided to answer for an error. */
export interface MappedError {
  readonly status: number;
  readonly type: ApiErrorType;
  /** Safe to send to the client (secrets masked). */
  readonly message: string;
  /** Extra response headers (e.g. `Retry-After`), checked and masked. */
  readonly headers: Readonly<Record<string, string>>;
  /** True when the error was not one the guard or a library meant for the client (logged at Error). */
  readonly unexpected: boolean;
  /** True when a library's own message was replaced by a neutral one (its detail goes to the log). */
  readonly replaced: boolean;
}

interface Fixed {
  readonly status: number;
  readonly message: string;
}

// body-parser / raw-body error `type`s with a fixed client message; the libraries' own messages
// echo the body back (`Unexpected token 'p', "{"password"…" is not valid JSON`).
const LIBRARY_TYPES: Readonly<Record<string, Fixed>> = {
  'entity.parse.failed': { status: 400, message: 'The request body is not valid JSON' },
  'entity.too.large': { status: 413, message: 'The request body is too large' },
  'entity.verify.failed': { status: 403, message: 'The request body was rejected' },
  'charset.unsupported': { status: 415, message: 'The request body charset is not supported; send UTF-8' },
  'encoding.unsupported': {
    status: 415,
    message: 'The request body Content-Encoding is not supported; send it uncompressed or gzip/deflate',
  },
  'request.aborted': { status: 400, message: 'The request body was not received completely' },
  'request.size.invalid': { status: 400, message: 'The request body length does not match Content-Length' },
  'parameters.too.many': { status: 413, message: 'The request body has too many parameters' },
  'querystring.parse.rangeError': { status: 400, message: 'The request body nests its parameters too deeply' },
};

/** zlib/brotli errors body-parser wraps in a 400 ("incorrect header check", "Decompression failed"). */
export const DECOMPRESSION_MESSAGE = 'The request body could not be decompressed; check that it matches its Content-Encoding';
/** Express's "Failed to decode param '%zz'" (a URIError with status 400). */
export const BAD_PARAMETER_MESSAGE = 'The request path contains a parameter that is not valid percent-encoding';

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

function statusOf(err: unknown): number | undefined {
  for (const key of ['status', 'statusCode']) {
    const status = safeGet(err, key);
    if (typeof status === 'number') return Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
  }
  return undefined;
}

function isDecompressionError(err: unknown): boolean {
  const code = safeGet(err, 'code');
  return (
    typeof safeGet(err, 'errno') === 'number' &&
    typeof code === 'string' &&
    (/^Z_[A-Z_]+$/.test(code) || code.startsWith('ERR__ERROR_') || /^ERR_(ZLIB|BROTLI|ZSTD)_/.test(code))
  );
}

/** A library error the client gets a fixed sentence for, or undefined. */
function libraryError(err: unknown, status: number | undefined): Fixed | undefined {
  if (status !== undefined && status >= 500) return undefined;
  const type = safeGet(err, 'type');
  const known = typeof type === 'string' && Object.hasOwn(LIBRARY_TYPES, type) ? LIBRARY_TYPES[type] : undefined;
  if (known !== undefined) return known;
  if (status === undefined) return undefined;
  if (status === 400 && safeInstanceOf(err, URIError)) return { status, message: BAD_PARAMETER_MESSAGE };
  if (isDecompressionError(err)) return { status, message: DECOMPRESSION_MESSAGE };
  // Any other Node system error (errno, syscall) wrapped in a 4xx: its message names files and hosts.
  if (typeof safeGet(err, 'errno') === 'number' || typeof safeGet(err, 'syscall') === 'string') return { status, message: statusText(status) };
  return undefined;
}

// A stack frame (`at fn (file:1:2)`, `at file:1:2`) or Node's internals: never in a body, even in an ApiError's message.
const STACK_FRAME = /\bat (?:\S+ \()?[^\s()]+:\d+:\d+\)?|node:internal/;

/** An envelope `type` a thrower chose, when it is one a client may see. */
function chosenType(value: unknown, strict: boolean): string | undefined {
  if (typeof value !== 'string') return undefined;
  // An ApiError's type is the host's choice; a look-alike's must look like one of ours.
  return strict ? (/^[A-Z][A-Za-z]{0,39}$/.test(value) ? value : undefined) : /^[\x21-\x7e][\x20-\x7e]{0,59}$/.test(value) ? value : undefined;
}

/** Maps an error to the status, envelope type, client message and headers to answer with. Never throws. */
export function mapError(err: unknown, policy: SecretPolicy = KEY_RULES_ONLY): MappedError {
  const status = statusOf(err);
  const message = safeGet(err, 'message');
  if (safeInstanceOf(err, ApiError) && status !== undefined) {
    const type = chosenType(safeGet(err, 'type'), false) ?? typeForStatus(status);
    const shown = typeof message === 'string' && message.trim() !== '' && !STACK_FRAME.test(message);
    const text = shown ? policy.maskBounded(message, 1000) : statusText(status);
    const headers = responseHeaders(safeGet(err, 'headers'), status, undefined, policy);
    return { status, type: policy.mask(type), message: text, headers, unexpected: false, replaced: false };
  }
  const library = libraryError(err, status);
  if (library !== undefined) {
    return { status: library.status, type: 'Validation', message: library.message, headers: {}, unexpected: false, replaced: true };
  }
  if (status !== undefined && status < 500) {
    // An ApiError from another copy of this package (ESM and CJS both loaded) still carries its type.
    const type = chosenType(safeGet(err, 'type'), true) ?? typeForStatus(status);
    const exposed = safeGet(err, 'expose') !== false && isSafeClientMessage(message);
    const headers = responseHeaders(safeGet(err, 'headers'), status, safeGet(err, 'retryAfter'), policy);
    return { status, type, message: exposed ? policy.mask(message) : statusText(status), headers, unexpected: false, replaced: !exposed };
  }
  // A 5xx status the thrower chose (502, 503, 504) is kept, but never its message.
  const serverStatus = status ?? 500;
  return { status: serverStatus, type: typeForStatus(serverStatus), message: PROCESSING_MESSAGE, headers: {}, unexpected: true, replaced: false };
}
