/**
 * Refuses plain-HTTP API calls and sends HSTS on secure ones. An API gets a 403, not a redirect:
 * a redirected client has already sent its API key in clear text, and most clients would not
 * repeat a POST body after a redirect anyway.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isDevelopment } from '../core/index.js';
import { answerRefusal, ApiError, OptionKit, requestIsSecure, withoutStack, type KeysEnum, type RefusalHandler } from '../core/index.js';
import { isDirectLoopbackRequest } from './loopback.js';


/** Options for {@link requireHttps}. */
export type RequireHttpsOptions = Readonly<{
  /** Refuse plain-HTTP requests with 403 `Security`. Defaults to true. */
  required?: boolean;
  /** Send `Strict-Transport-Security` on HTTPS responses. Defaults to true. */
  hsts?: boolean;
  /** HSTS `max-age` in whole seconds (0 tells browsers to forget the policy). Defaults to 31536000 (one year). */
  hstsMaxAge?: number;
  /** Add `includeSubDomains` to the HSTS header. Defaults to true. */
  hstsIncludeSubDomains?: boolean;
  /**
   * Let plain-HTTP requests from this machine (loopback socket, no forwarding headers) through.
   * Meant for Development only; see `environment`. Defaults to false.
   */
  allowLoopback?: boolean;
  /**
   * When given, `allowLoopback` is honoured only if this is `Development` (any case), so a config
   * copied to production cannot open plain HTTP. Defaults to undefined (no such check).
   */
  environment?: string;
  /**
   * Answers a refused (plain-HTTP) request. Defaults to answering the 403 envelope itself
   * (issuetrak, or RFC 9457 when the client's Accept asks for it), so the middleware works alone.
   * Pass `(req, res, next, error) => next(error)` to hand it to your error handler instead.
   */
  handler?: RefusalHandler;
}>;

const KEYS: KeysEnum<RequireHttpsOptions> = {
  required: true,
  hsts: true,
  hstsMaxAge: true,
  hstsIncludeSubDomains: true,
  allowLoopback: true,
  environment: true,
  handler: true,
};
const kit: OptionKit = new OptionKit({
  name: 'requireHttps',
  code: 'HTTPS',
  docs: 'https.md',
  // helmet spells these `maxAge` and `includeSubDomains`.
  traps: {
    maxAge: (o) => `helmet's name; write hstsMaxAge: ${JSON.stringify(o.maxAge)}.`,
    includeSubDomains: (o) => `helmet's name; write hstsIncludeSubDomains: ${JSON.stringify(o.includeSubDomains)}.`,
  },
});

/** The 403 message a plain-HTTP caller sees. */
export const HTTPS_REQUIRED_MESSAGE = 'HTTPS is required. Use https:// to call this API.';

/**
 * Express middleware enforcing HTTPS: plain-HTTP requests are refused with 403 `Security` (see `handler`); HTTPS responses get `Strict-Transport-Security`. Throws
 * OptionsError at construction for unknown or mistyped options.
 */
export function requireHttps(options?: RequireHttpsOptions): RequestHandler {
  const given = kit.object(options, KEYS);
  const required = kit.boolean(given.required, true, 'required');
  const hsts = kit.boolean(given.hsts, true, 'hsts');
  const environment = given.environment;
  if (environment !== undefined && typeof environment !== 'string') {
    kit.fail('INVALID_OPTION', 'environment', 'expected an environment name such as "Development" or "Production".');
  }
  const allowLoopback = kit.boolean(given.allowLoopback, false, 'allowLoopback') && (environment === undefined || isDevelopment(environment as string));
  const maxAge = given.hstsMaxAge ?? 31_536_000;
  if (typeof maxAge !== 'number' || !Number.isSafeInteger(maxAge) || maxAge < 0) {
    kit.fail('INVALID_OPTION', 'hstsMaxAge', `expected a whole number of seconds (31536000 is one year; 0 tells browsers to forget the policy), got ${JSON.stringify(maxAge)}.`);
  }
  const hstsValue = `max-age=${maxAge}${kit.boolean(given.hstsIncludeSubDomains, true, 'hstsIncludeSubDomains') ? '; includeSubDomains' : ''}`;
  const handler = kit.func<RefusalHandler>(given.handler, 'handler') ?? answerRefusal;

  return function requireHttpsMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (requestIsSecure(req)) {
      if (hsts) res.setHeader('Strict-Transport-Security', hstsValue);
      next();
      return;
    }
    if (!required || (allowLoopback && isDirectLoopbackRequest(req))) {
      next();
      return;
    }
    handler(req, res, next, withoutStack(() => new ApiError(HTTPS_REQUIRED_MESSAGE, { status: 403, type: 'Security' })));
  };
}
