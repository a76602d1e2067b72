/**
 * Rate-limit response headers: IETF draft-ietf-httpapi-ratelimit-headers-10 (RFC 9651 structured
 * fields) and the legacy X-Rate-Limit-* trio of AspNetCoreRateLimit.
 */
import type { Response } from 'express';
import type { RateLimitHeaders } from './options.js';
import type { MatchedRules } from './rule-set.js';
import type { HitResult } from './store.js';

/**
 * The window closest to exhaustion: fewest requests left, and among equals the one resetting last
 * (the longest wait is the most useful thing to tell a client). A refusal names its blocking window.
 * Windows the headers leave out (monitor rules) are not candidates; -1 when none is left.
 */
export function closestWindow(set: MatchedRules, result: HitResult): number {
  if (result.blocked !== -1) return result.blocked;
  const hidden = set.hidden;
  let best = -1;
  let bestRemaining = Infinity;
  let bestReset = -1;
  const windows = set.windows;
  for (let i = 0; i < windows.length; i++) {
    if (hidden !== null && hidden[i] === true) continue;
    const remaining = (windows[i] as { limit: number }).limit - (result.counts[i] as number);
    const reset = result.resetsInMs[i] as number;
    if (remaining < bestRemaining || (remaining === bestRemaining && reset > bestReset)) {
      best = i;
      bestRemaining = remaining;
      bestReset = reset;
    }
  }
  return best;
}

/** Whole seconds until a reset; draft-10 `t` and X-Rate-Limit-Reset. */
export function secondsUntil(ms: number): number {
  return ms <= 0 ? 0 : Math.ceil(ms / 1000);
}

export function writeRateLimitHeaders(res: Response, mode: RateLimitHeaders, set: MatchedRules, result: HitResult): void {
  const i = closestWindow(set, result);
  if (i === -1) return;
  const left = (set.windows[i] as { limit: number }).limit - (result.counts[i] as number);
  const remaining = left > 0 ? left : 0;
  const reset = secondsUntil(result.resetsInMs[i] as number);
  if (mode === 'draft-10' || mode === 'both') {
    res.setHeader('RateLimit-Policy', set.policy);
    res.setHeader('RateLimit', (set.itemPrefix[i] as string) + remaining + ';t=' + reset);
  }
  if (mode === 'legacy' || mode === 'both') {
    res.setHeader('X-Rate-Limit-Limit', set.limitText[i] as string);
    res.setHeader('X-Rate-Limit-Remaining', String(remaining));
    res.setHeader('X-Rate-Limit-Reset', String(reset));
  }
}
