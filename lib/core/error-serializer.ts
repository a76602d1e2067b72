/**
 * The one error serializer: an allow-list (name, message, code, status, type, cause, an
 * AggregateError's errors, and the stack where the caller allows it). Never an error's other own
 * fields: body-parser errors carry the raw request `body`, HTTP clients `config`, `headers` and
 * `response`. It takes whatever was thrown (a Proxy, a revoked Proxy, throwing getters, a cycle, a
 * 10 MB message) and always returns a small plain object.
 */
import { capLength, safeGet, safeInstanceOf, safeIsArray, safeKeys } from './safe-access.js';
import { maskKeyedValues } from './secret-text.js';
import type { SecretPolicy } from './secret-policy.js';

/** An error as logs and Development bodies show it. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly status?: number;
  readonly type?: string;
  readonly stack?: string;
  readonly cause?: SerializedError;
  /** An AggregateError's errors (at most 10). */
  readonly errors?: readonly SerializedError[];
  /** How many more errors the AggregateError had. */
  readonly errorsOmitted?: number;
  /** True when a cause or errors were left out because the chain is deeper than allowed. */
  readonly truncated?: true;
}

/** Options for {@link serializeError}. */
export interface SerializeErrorOptions {
  /** Masks every string taken from the error. Defaults to the key rules alone (`Password=…` etc.). */
  readonly policy?: Pick<SecretPolicy, 'maskBounded'>;
  /** Include stacks (logs: yes; client bodies: only Development with IncludeDetails). Defaults to false. */
  readonly stack?: boolean;
  /** Levels of errors, the top one included (cause → cause → …). Defaults to 4. */
  readonly depth?: number;
}

const MAX_NAME = 200;
const MAX_MESSAGE = 8000;
const MAX_STACK = 16000;
const MAX_CODE = 100;
const MAX_ERRORS = 10;
const MAX_NODES = 60;

const keyRulesOnly: Pick<SecretPolicy, 'maskBounded'> = {
  maskBounded: (text, max) =>
    text.length <= max ? maskKeyedValues(text) : `${maskKeyedValues(text.slice(0, max + 256)).slice(0, max)}… (${text.length - max} more characters)`,
};

type Mutable = { -readonly [K in keyof SerializedError]: SerializedError[K] };

function stringField(value: unknown, key: string): string | undefined {
  const field = safeGet(value, key);
  return typeof field === 'string' ? field : undefined;
}

function constructorName(value: unknown): string | undefined {
  const name = safeGet(safeGet(value, 'constructor'), 'name');
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function statusOf(value: unknown): number | undefined {
  for (const key of ['status', 'statusCode']) {
    const status = safeGet(value, key);
    if (typeof status === 'number' && Number.isInteger(status)) return status;
  }
  return undefined;
}

/**
 * A small, plain, masked description of any thrown value. Never throws, never reads fields outside
 * the allow-list, never calls the value's own toString/toJSON.
 */
export function serializeError(value: unknown, options: SerializeErrorOptions = {}): SerializedError {
  const policy = options.policy ?? keyRulesOnly;
  const withStack = options.stack === true;
  const maxDepth = Math.max(1, Math.floor(options.depth ?? 4));
  const ancestors: unknown[] = [];
  let nodes = 0;
  const text = (s: string, max: number): string => policy.maskBounded(s, max);

  const primitive = (v: unknown): SerializedError => {
    switch (typeof v) {
      case 'string':
        return { name: 'string', message: text(v, MAX_MESSAGE) };
      case 'symbol':
        return { name: 'symbol', message: text(v.toString(), MAX_MESSAGE) };
      case 'number':
      case 'bigint':
      case 'boolean':
        return { name: typeof v, message: String(v) };
      default:
        return { name: v === null ? 'null' : 'undefined', message: String(v) };
    }
  };

  const fields = (v: object): Mutable => {
    const isError = safeInstanceOf(v, Error);
    const name = stringField(v, 'name') ?? constructorName(v) ?? (typeof v === 'function' ? 'function' : 'Object');
    const message = stringField(v, 'message');
    const out: Mutable = { name: text(name, MAX_NAME), message: '' };
    if (message !== undefined) out.message = text(message, MAX_MESSAGE);
    else if (isError) out.message = '(no readable message)';
    else {
      // Key names, never values: enough to recognise the thing without copying its contents.
      const keys = safeKeys(v, 11);
      const listed = keys.slice(0, 10).map((key) => capLength(key, 40));
      out.message = text(`a thrown ${name} that is not an Error${listed.length ? ` (keys: ${listed.join(', ')}${keys.length > 10 ? ', …' : ''})` : ''}`, MAX_MESSAGE);
    }
    const code = safeGet(v, 'code');
    if (typeof code === 'string' || (typeof code === 'number' && Number.isFinite(code))) out.code = text(String(code), MAX_CODE);
    const status = statusOf(v);
    if (status !== undefined) out.status = status;
    const type = stringField(v, 'type');
    if (type !== undefined) out.type = text(type, MAX_CODE);
    if (withStack) {
      const stack = stringField(v, 'stack');
      if (stack !== undefined) out.stack = text(stack, MAX_STACK);
    }
    return out;
  };

  const one = (v: unknown, depth: number): SerializedError => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return primitive(v);
    const seenAt = ancestors.indexOf(v);
    if (seenAt !== -1) return { name: 'Cycle', message: `the same error as ${ancestors.length - seenAt} level(s) above` };
    nodes++;
    const out = fields(v);
    const cause = safeGet(v, 'cause');
    const errors = safeInstanceOf(v, Error) ? safeGet(v, 'errors') : undefined;
    const hasErrors = safeIsArray(errors);
    if (cause === undefined && !hasErrors) return out;
    if (depth + 1 >= maxDepth || nodes >= MAX_NODES) {
      out.truncated = true;
      return out;
    }
    ancestors.push(v);
    try {
      if (cause !== undefined) out.cause = one(cause, depth + 1);
      if (hasErrors) {
        const length = safeGet(errors, 'length');
        const count = typeof length === 'number' && Number.isInteger(length) && length > 0 ? length : 0;
        const list: SerializedError[] = [];
        for (let i = 0; i < Math.min(count, MAX_ERRORS) && nodes < MAX_NODES; i++) list.push(one(safeGet(errors, i), depth + 1));
        out.errors = list;
        if (count > list.length) out.errorsOmitted = count - list.length;
      }
    } finally {
      ancestors.pop();
    }
    return out;
  };

  try {
    return one(value, 0);
  } catch {
    // Unreachable by construction (every read is guarded); kept so a log call can never throw.
    return { name: 'Unreadable', message: 'the thrown value could not be described' };
  }
}

/** The stack frames (`at …` lines, at most `max`) of a serialized error, for Development bodies. */
export function stackFrames(error: SerializedError, max = 20): string[] {
  return (error.stack ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, max);
}
