/**
 * What a limiter does without its store: during an outage (or when closed). Open mode counts in an
 * in-process MemoryStore whose limits are divided by `instances`, so the processes sharing the store
 * together stay near each limit; closed mode (and a closed limiter) answers 503 with Retry-After.
 */
import type { Response } from 'express';
import { ApiError, withoutStack } from '../core/index.js';
import { type CompiledRule, type MatchedRules, matchedRules } from './rule-set.js';

/** The fallback's view of a rule set: each limit ceil(limit / instances). */
export class ScaledRules {
  private readonly cache = new WeakMap<MatchedRules, MatchedRules>();

  constructor(readonly instances: number) {}

  of(set: MatchedRules): MatchedRules {
    if (this.instances === 1) return set;
    let scaled = this.cache.get(set);
    if (scaled === undefined) {
      const n = this.instances;
      scaled = matchedRules(
        set.windows.map((rule): CompiledRule => ({ ...rule, limit: Math.ceil(rule.limit / n) })),
        set.monitoredInHeaders,
      );
      this.cache.set(set, scaled);
    }
    return scaled;
  }
}

/** The 503 a request gets without its store (closed mode, a closed limiter); sets Retry-After on `res`. */
export function unavailable(res: Response, message: string, retryAfterSeconds: number, cause?: unknown): ApiError {
  const retryAfter = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  res.setHeader('Retry-After', retryAfter);
  return withoutStack(
    () =>
      new ApiError(message, {
        status: 503,
        type: 'Unavailable',
        headers: { 'Retry-After': retryAfter },
        ...(cause === undefined ? {} : { cause }),
      }),
  );
}
