/**
 * Runs the checks, in DoctorCheckId order (HTTPS last). Each is independent: one that throws becomes a failed line, not a crash,
 * and the slow network checks (SQL Server, Redis) run at the same time.
 */
import { checkConfigFile } from './check-config-file.js';
import { checkEnvironment } from './check-environment.js';
import { checkHttps } from './check-https.js';
import { checkLogDirectories } from './check-log-directories.js';
import { checkRateLimitRules } from './check-rate-limit-rules.js';
import { checkRateLimitStore } from './check-rate-limit-store.js';
import { checkRequiredKeys } from './check-required-keys.js';
import { checkSqlServer } from './check-sql-server.js';
import { serializeError } from '../../core/index.js';
import { createDoctorContext, type DoctorContext } from './context.js';
import { type DoctorCheck, type DoctorCheckId, type DoctorOptions, type DoctorReport } from './types.js';

type CheckFn = (context: DoctorContext) => DoctorCheck | Promise<DoctorCheck>;

const CHECKS: readonly (readonly [DoctorCheckId, string, CheckFn])[] = [
  ['config-file', 'appsettings.json', checkConfigFile],
  ['environment', 'environment', checkEnvironment],
  ['required-keys', 'required keys', checkRequiredKeys],
  ['sql-server', 'SQL Server', checkSqlServer],
  ['log-directories', 'log folders', checkLogDirectories],
  ['rate-limit-store', 'rate-limit store', checkRateLimitStore],
  ['rate-limit-rules', 'rate-limit rules', checkRateLimitRules],
  ['https', 'HTTPS', checkHttps],
];

async function safely(id: DoctorCheckId, title: string, fn: CheckFn, context: DoctorContext): Promise<DoctorCheck> {
  try {
    return await fn(context);
  } catch (err) {
    return {
      id,
      title,
      status: 'fail',
      detail: `the check itself failed: ${serializeError(err).message}`,
      fix: 'report this as a bug in express-api-guard, with this output',
    };
  }
}

function maskCheck(check: DoctorCheck, mask: (text: string) => string, maskValues: (text: string) => string): DoctorCheck {
  return {
    ...check,
    title: mask(check.title),
    detail: mask(check.detail),
    ...(check.fix === undefined ? {} : { fix: maskValues(check.fix) }),
    ...(check.notes === undefined ? {} : { notes: check.notes.map(mask) }),
  };
}

/**
 * Runs the operator's checklist against a config folder. Never throws for a problem in the
 * configuration or the environment; every string in the report has been through the secret masker.
 */
export async function runDoctor(options: Readonly<DoctorOptions> = {}): Promise<DoctorReport> {
  const context = createDoctorContext(options);
  const checks = await Promise.all(CHECKS.map(([id, title, fn]) => safely(id, title, fn, context)));
  const masked = checks.map((check) => maskCheck(check, context.mask, context.maskValues));
  return {
    version: 1,
    configDir: context.mask(context.configDir),
    environment: { name: context.mask(context.environment.name), source: context.environment.source },
    checks: masked,
    ok: masked.every((check) => check.status !== 'fail'),
  };
}
