// Generators for the total-mapper property test: plain-data specs drawn by fast-check, and a builder
// turning a spec into the hostile value itself (Error subclasses, Proxies, revoked Proxies, throwing
// getters, frozen objects, cycles, hostile headers). Specs are data, so a failure prints readably.
import fc from 'fast-check';
import { ApiError } from '../../lib/errors/index.js';

/** A configured secret the generated messages, headers and paths keep trying to leak. */
export const SECRET = 'Pr0p/Secret&Value 7731';
/** Forms of SECRET that must not reach a body either. */
export const SECRET_FORMS = [SECRET, encodeURIComponent(SECRET), JSON.stringify(SECRET).slice(1, -1)];

const HUGE = 'm'.repeat(200_000);

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '',
      SECRET,
      `token=${SECRET}`,
      encodeURIComponent(SECRET),
      JSON.stringify({ password: SECRET }),
      `login failed: ${SECRET}`,
      'x\r\nSet-Cookie: a=b',
      '<script>alert(1)</script>',
      'ENOENT: open /srv/app/lib/db.ts:42',
      'Error: x\n    at handler (/srv/app/routes.ts:1:1)',
      'Password=hunter2',
      '\u009b2J\u202eevil\u2028',
      'NaN',
      HUGE,
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((s) => `${s}${SECRET}${s}`) },
);

const oddValue = fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -5, 0, 1e20, 2.5, null, undefined, true, {}, [], '7', 'abc', 999, 200);
const statusLike = fc.oneof(fc.integer({ min: 400, max: 599 }), fc.constantFrom(400, 401, 404, 413, 429, 500, 503), oddValue, fc.integer(), fc.double(), text);
const retryLike = fc.oneof(fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -5, 0, 1e20, 2.5, '7', 'abc', null, 'Wed, 21 Oct 2015 07:28:00 GMT'), fc.double(), fc.integer());
const headerName = fc.oneof(
  fc.constantFrom('Retry-After', 'retry-after', 'Content-Length', 'Transfer-Encoding', 'Content-Type', 'Content-Encoding', 'Set-Cookie', 'Connection', 'X-Trace-Id', 'WWW-Authenticate', 'X-Ok', '', 'Bad Name', 'x\r\ny', 'constructor', 'é'),
  fc.string({ maxLength: 12 }),
);
const headerValue = fc.oneof(text, retryLike, fc.constantFrom<unknown>('a\r\nInjected: 1', 'NaN', {}, ['a', 'b'], Symbol.for('h')), fc.integer());
const headersLike = fc.oneof(fc.dictionary(headerName, headerValue, { maxKeys: 5 }), fc.constantFrom<unknown>(null, 'x', 5, []));
const typeLike = fc.oneof(
  text,
  fc.constantFrom('entity.parse.failed', 'entity.too.large', 'charset.unsupported', 'encoding.unsupported', 'stream.not.readable', 'Validation', 'RateLimit', 'NotFound', '<b>x</b>', 'toString', '__proto__'),
);

const PROP_KEYS = ['status', 'statusCode', 'message', 'headers', 'expose', 'type', 'retryAfter', 'name', 'stack', 'code', 'errno', 'body'] as const;
const props = fc.record(
  {
    status: statusLike,
    statusCode: statusLike,
    message: fc.oneof(text, oddValue),
    headers: headersLike,
    expose: fc.constantFrom<unknown>(true, false, 'yes', undefined, 0),
    type: typeLike,
    retryAfter: retryLike,
    name: fc.oneof(text, oddValue),
    stack: fc.oneof(text, oddValue),
    code: fc.oneof(text, fc.integer(), fc.constantFrom('Z_DATA_ERROR', 'ERR__ERROR_FORMAT_PADDING_2')),
    errno: fc.constantFrom<unknown>(undefined, -3, 'x'),
    body: text,
  },
  { requiredKeys: [] },
);

const KINDS = ['Error', 'TypeError', 'RangeError', 'URIError', 'SyntaxError', 'AggregateError', 'Custom', 'Plain', 'NullProto', 'Array', 'Function', 'Date', 'ApiError4', 'ApiError5'] as const;
const GETTERS = [...PROP_KEYS, 'cause', 'errors', 'constructor', 'toJSON', 'then', 'toString'] as const;
const WRAPS = ['none', 'none', 'none', 'none', 'freeze', 'proxy', 'throwingProxy', 'revoked'] as const;

export type Spec =
  | { readonly prim: unknown }
  | { readonly symbol: string }
  | {
      readonly kind: (typeof KINDS)[number];
      readonly props: Partial<Record<(typeof PROP_KEYS)[number], unknown>>;
      readonly throwing: readonly string[];
      readonly wrap: (typeof WRAPS)[number];
      readonly cause: Spec | null;
      readonly selfCause: boolean;
      readonly errors: readonly Spec[] | null;
    };

const primitive: fc.Arbitrary<Spec> = fc.oneof(
  text.map((prim) => ({ prim })),
  fc.oneof(fc.integer(), fc.double(), fc.bigInt(), fc.boolean(), fc.constantFrom(null, undefined, 0, '', false)).map((prim) => ({ prim })),
  fc.string({ maxLength: 10 }).map((symbol) => ({ symbol })),
);

const { node } = fc.letrec<{ node: Spec }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    { weight: 2, arbitrary: primitive },
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constantFrom(...KINDS),
        props,
        throwing: fc.subarray([...GETTERS], { maxLength: 3 }),
        wrap: fc.constantFrom(...WRAPS),
        cause: fc.option(tie('node'), { nil: null }),
        selfCause: fc.boolean(),
        errors: fc.option(fc.array(tie('node'), { maxLength: 3 }), { nil: null }),
      }),
    },
  ),
}));

/** How a generated value reaches the error handler. */
export const MODES = ['throw', 'next', 'reject', 'sent'] as const;
export type Mode = (typeof MODES)[number];

export const caseArbitrary: fc.Arbitrary<{ spec: Spec; mode: Mode }> = fc.record({
  spec: node,
  mode: fc.constantFrom<Mode>('throw', 'throw', 'next', 'next', 'reject', 'reject', 'sent'),
});

function base(kind: (typeof KINDS)[number], props: Partial<Record<string, unknown>>): object {
  const message = typeof props.message === 'string' ? props.message : 'generated';
  switch (kind) {
    case 'TypeError':
      return new TypeError(message);
    case 'RangeError':
      return new RangeError(message);
    case 'URIError':
      return new URIError(message);
    case 'SyntaxError':
      return new SyntaxError(message);
    case 'AggregateError':
      return new AggregateError([], message);
    case 'Custom':
      return new (class HostileError extends Error {})(message);
    case 'Plain':
      return {};
    case 'NullProto':
      return Object.create(null) as object;
    case 'Array':
      return [];
    case 'Function':
      return function thrownFunction() {};
    case 'Date':
      return new Date(NaN);
    case 'ApiError4':
      return new ApiError(message, { status: 400 + (message.length % 100) });
    case 'ApiError5':
      return new ApiError(message, { status: 500 + (message.length % 100) });
    default:
      return new Error(message);
  }
}

const throwingHandler: ProxyHandler<object> = Object.fromEntries(
  ['get', 'getPrototypeOf', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'apply', 'construct', 'set', 'defineProperty'].map((trap) => [
    trap,
    () => {
      throw new Error(`trap ${trap}`);
    },
  ]),
);

/** Builds the hostile value a spec describes. */
export function build(spec: Spec): unknown {
  if ('prim' in spec) return spec.prim;
  if ('symbol' in spec) return Symbol(spec.symbol);
  const target = base(spec.kind, spec.props) as Record<string, unknown>;
  const define = (key: string, descriptor: PropertyDescriptor): void => {
    try {
      Object.defineProperty(target, key, { configurable: true, enumerable: true, ...descriptor });
    } catch {
      // A non-configurable property (an array's length): keep the original.
    }
  };
  for (const [key, value] of Object.entries(spec.props)) define(key, { value, writable: true });
  if (spec.cause !== null) define('cause', { value: build(spec.cause), writable: true });
  if (spec.selfCause) define('cause', { value: target, writable: true });
  if (spec.errors !== null) define('errors', { value: spec.errors.map(build), writable: true });
  for (const key of spec.throwing) {
    define(key, {
      get() {
        throw key === 'message' ? Proxy.revocable({}, {}).proxy : new Error(`getter ${key}`);
      },
    });
  }
  switch (spec.wrap) {
    case 'freeze':
      return Object.freeze(target);
    case 'proxy':
      return new Proxy(target, {});
    case 'throwingProxy':
      return new Proxy(target, throwingHandler);
    case 'revoked': {
      const { proxy, revoke } = Proxy.revocable(target, {});
      revoke();
      return proxy;
    }
    default:
      return target;
  }
}

/** True when the mapper may show the value's own message on a 5xx: an untouched ApiError. */
export function mayShowMessage(spec: Spec): boolean {
  return 'kind' in spec && spec.kind.startsWith('ApiError');
}
