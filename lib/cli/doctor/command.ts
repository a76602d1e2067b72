/**
 * `express-api-guard doctor [--config-dir DIR] [--environment NAME] [--json] [--sql-timeout MS]`
 */
import { resolve } from 'node:path';
import { millisecondsFlag, parseArgs, stringFlag, UsageError } from '../args.js';
import { type CliIo } from '../io.js';
import { formatDoctorReport } from './report.js';
import { runDoctor } from './run-doctor.js';

export const DOCTOR_USAGE = `Usage: express-api-guard doctor [--config-dir DIR] [--environment NAME] [--json] [--sql-timeout MS]

Runs the troubleshooting checklist: appsettings.json, the environment file (optional), the keys listed
in Doctor.RequiredKeys, SQL Server (when a connection string is configured), log folders, the
rate-limit store and rules, HTTPS. Secrets are never printed.

  --config-dir DIR    folder holding appsettings.json. Defaults to the current directory.
  --environment NAME  environment to check. Defaults to ASPNETCORE_ENVIRONMENT, DOTNET_ENVIRONMENT,
                      NODE_ENV, then Production (as the app resolves it).
  --json              print the machine-readable report ({ version: 1, ... }).
  --sql-timeout MS    bound on the SQL Server check. Defaults to 5000.

Exit codes: 0 nothing failed (information and warnings allowed), 1 a check failed, 2 usage error.`;

const FLAGS = { 'config-dir': 'string', environment: 'string', json: 'boolean', 'sql-timeout': 'string' } as const;

/** Runs the doctor command; returns the exit code. */
export async function doctorCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.help) {
    io.stdout(DOCTOR_USAGE);
    return 0;
  }
  if (args.positionals.length > 0) {
    throw new UsageError('doctor takes no arguments (use --config-dir DIR for the folder)');
  }
  const sqlTimeoutMs = millisecondsFlag(args, 'sql-timeout', 5000);
  const environment = stringFlag(args, 'environment');
  const report = await runDoctor({
    configDir: resolve(io.cwd, stringFlag(args, 'config-dir') ?? '.'),
    env: io.env,
    sqlTimeoutMs,
    ...(environment === undefined ? {} : { environment }),
  });
  if (args.flags.json) io.stdout(JSON.stringify(report, null, 2));
  else for (const line of formatDoctorReport(report)) io.stdout(line);
  return report.ok ? 0 : 1;
}
