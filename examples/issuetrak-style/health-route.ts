/**
 * GET /api/v2/health: lib/health's readiness report (config, rate-limit store, database), without
 * secrets, reusing a result for 5 s so the endpoint cannot be used to hammer Redis or SQL Server.
 * The example keeps its issues in memory, so the database check is informational (not required):
 * an unreachable SQL Server shows as Degraded with 200, not 503. A host whose handlers
 * need the database would use health({ config }) as is, making SQL required.
 */
import type { ApiGuardConfig } from '../../lib/index.js';
import { health, sqlCheck, type HealthCheckResult, type HealthMiddleware } from '../../lib/health/index.js';
import { redisHealthCheck } from '../../lib/rate-limit/index.js';

/** Memory is always there; Redis gets a PING plus one run of the limiter script (a throwaway key). */
function storeCheck(currentConfig: () => ApiGuardConfig): () => Promise<HealthCheckResult> | HealthCheckResult {
  return async () => {
    const { Store, Redis } = currentConfig().RateLimiting;
    if (Store !== 'redis') return { ok: true };
    // A fresh connection each time: connect, INFO, the clock, the script (loaded on first use), so
    // four round trips on a host that may be busy; 4 s stays inside the report's own 5 s bound.
    const result = await redisHealthCheck(Redis.Url, { keyPrefix: Redis.KeyPrefix, timeoutMs: 4000 });
    return { ok: result.ok, latencyMs: result.latencyMs, ...(result.error !== undefined ? { error: result.error } : {}) };
  };
}

export function healthRoute(currentConfig: () => ApiGuardConfig): HealthMiddleware {
  return health({
    config: currentConfig,
    sql: false,
    store: storeCheck(currentConfig),
    // Host names and ports stay out of an unauthenticated endpoint; `express-api-guard doctor` shows them.
    details: false,
    checks: {
      database: {
        required: false,
        check: async () => {
          const config = currentConfig();
          if (Object.keys(config.ConnectionStrings).length === 0) return { ok: true, configured: false };
          const result = await sqlCheck(config, { timeoutMs: 3000 });
          return result.ok
            ? { ok: true, latencyMs: result.latencyMs }
            : { ok: false, latencyMs: result.latencyMs, error: { kind: result.error.kind, message: result.error.message } };
        },
      },
    },
  });
}
