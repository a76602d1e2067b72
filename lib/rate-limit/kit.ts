/**
 * The rate limiter's option kit. People arrive from express-rate-limit, so its option names are
 * trapped with the equivalent spelled out ("windowMs and max are … write rules: [ … ]") instead of
 * a bare "unknown option".
 */
import { OptionKit, type OptionTrap } from '../core/index.js';

/** `60000` → `1m`; undefined when not a whole number of seconds. */
function periodOf(windowMs: unknown): string | undefined {
  if (typeof windowMs !== 'number' || !Number.isInteger(windowMs) || windowMs < 1000 || windowMs % 1000 !== 0) return undefined;
  for (const [unit, ms] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) {
    if (windowMs % ms === 0) return `${windowMs / ms}${unit}`;
  }
  return `${windowMs / 1000}s`;
}

const asRule: OptionTrap = (options) => {
  const limit = options.limit ?? options.max;
  const period = periodOf(options.windowMs ?? 60_000) ?? '<whole seconds, e.g. "1m">';
  const count = typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? limit : 5;
  return (
    'windowMs, max and limit are express-rate-limit options; rateLimit() takes a list of named rules, each with its own window. ' +
    `Write rules: [{ name: 'per-window', endpoint: '*', period: '${period}', limit: ${count} }].`
  );
};

const rename =
  (instead: string, note = ''): OptionTrap =>
  () =>
    `an express-rate-limit option; write ${instead} instead.${note}`;

export const kit: OptionKit = new OptionKit({
  name: 'rateLimit',
  code: 'RATE_LIMIT',
  docs: 'rate-limiting.md',
  traps: {
    windowMs: asRule,
    max: asRule,
    limit: asRule,
    keyGenerator: rename('clientKey: (req) => string', ' A string spec also works: "ip" or "header:X-Api-Key".'),
    standardHeaders: rename('headers: "draft-10"', ' ("legacy" for X-Rate-Limit-*, "both", or "none").'),
    legacyHeaders: rename('headers: "legacy" (or "both")'),
    passOnStoreError: rename('onError: "open" (admit when the store fails) or "closed" (answer 503)'),
    requestPropertyName: () => 'an express-rate-limit option; the blocking rule of a refusal is in res.locals.rateLimitRule.',
    skipSuccessfulRequests: () => 'an express-rate-limit option with no equivalent: every admitted request counts, because admission is decided before the handler runs.',
    skipFailedRequests: () => 'an express-rate-limit option with no equivalent: every admitted request counts, because admission is decided before the handler runs.',
    requestWasSuccessful: () => 'an express-rate-limit option with no equivalent: every admitted request counts.',
    validate: () => 'an express-rate-limit option; rateLimit() validates every option at construction and cannot be told not to.',
  },
});
