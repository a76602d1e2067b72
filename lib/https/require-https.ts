/**
 * Refuses plain-HTTP API calls and sends HSTS on secure ones. An API gets a 403, not a redirect:
 * a redirected client has already sent its API key in clear text, and most clients would not
 * repeat a POST body after a redirect anyway.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError, withoutStack } from '../errors/api-error.js';
import { requestIsSecure } from './trust-proxy.js';
import { checkBoolean, checkOptionKeys, MiddlewareOptionsError } from '../errors/check-options.js';
import { isDevelopment } from '../config/environment.js';
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
}>;

const KNOWN_OPTIONS = ['required', 'hsts', 'hstsMaxAge', 'hstsIncludeSubDomains', 'allowLoopback', 'environment'] as const;

/** The 403 message a plain-HTTP caller sees. */
export const HTTPS_REQUIRED_MESSAGE = 'HTTPS is required. Use https:// to call this API.';

function validate(options: RequireHttpsOptions | undefined): void {
  checkOptionKeys('requireHttps', options, KNOWN_OPTIONS);
  if (options === undefined) return;
  for (const name of ['required', 'hsts', 'hstsIncludeSubDomains', 'allowLoopback'] as const) {
    checkBoolean('requireHttps', name, options[name]);
  }
  const maxAge = options.hstsMaxAge;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isSafeInteger(maxAge) || maxAge < 0)) {
    throw new MiddlewareOptionsError(
      `requireHttps(options): "hstsMaxAge" must be a whole number of seconds >= 0 (31536000 is one year), got ${JSON.stringify(maxAge)}.`,
    );
  }
  if (options.environment !== undefined && typeof options.environment !== 'string') {
    throw new MiddlewareOptionsError('requireHttps(options): "environment" must be a string such as "Development" or "Production".');
  }
}

/**
 * Express middleware enforcing HTTPS: plain-HTTP requests go to `next(ApiError 403 Security)` for the
 * error mapper to render; HTTPS responses get `Strict-Transport-Security`. Throws
 * MiddlewareOptionsError at construction for unknown or mistyped options.
 */
export function requireHttps(options?: RequireHttpsOptions): RequestHandler {
  validate(options);
  const required = options?.required ?? true;
  const hsts = options?.hsts ?? true;
  const allowLoopback =
    (options?.allowLoopback ?? false) && (options?.environment === undefined || isDevelopment(options.environment));
  const hstsValue = `max-age=${options?.hstsMaxAge ?? 31_536_000}${(options?.hstsIncludeSubDomains ?? true) ? '; includeSubDomains' : ''}`;

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
    next(withoutStack(() => new ApiError(HTTPS_REQUIRED_MESSAGE, { status: 403, type: 'Security' })));
  };
}
