/** Readiness checks: the SQL Server check over tedious and the health() middleware. */
export { sqlCheck, type SqlCheckOptions, type SqlCheckResult } from './sql-check.js';
export { classifySqlError, describeTarget, type SqlCheckError, type SqlErrorKind, type SqlTarget } from './sql-errors.js';
export {
  hasConnectionString,
  type CheckReport,
  type CheckStatus,
  type HealthCheck,
  type HealthCheckResult,
} from './checks.js';
export { health, type HealthMiddleware, type HealthOptions, type HealthReport, type HealthStatus } from './health.js';
