/**
 * `express-api-guard trace <traceId> [--logs DIR] [--since 2d] [--config-dir DIR] [--json]`
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { escapeForTerminal, type SecretPolicy } from '../../core/index.js';
import { parseArgs, stringFlag, UsageError } from '../args.js';
import { type CliIo } from '../io.js';
import { readConfigForCli } from '../secret-policy.js';
import { formatTraceEntry, maskTraceEntry } from './format.js';
import { findTraceEntries } from './search.js';
import { parseSince } from './since.js';
import { isValidTraceId } from './trace-id.js';

export const TRACE_USAGE = `Usage: express-api-guard trace <traceId> [--logs DIR] [--since AGE|DATE] [--config-dir DIR] [--environment NAME] [--json]

Finds every log line of one request (the trace ID from the response's X-Trace-Id header or error
body) across the log files, rotated .gz files included, and prints them in time order.

  --logs DIR          the logs folder. Defaults to Logging.Directory from the config in --config-dir,
                      or ./logs when there is no loadable config.
  --since AGE|DATE    only lines newer than an age (90s, 30m, 12h, 2d, 1w) or an ISO date.
  --config-dir DIR    where appsettings.json is. Defaults to the current directory.
  --environment NAME  the environment whose Logging.Directory applies. Defaults as the app resolves it.
  --json              print a JSON report instead of text.

Exit codes: 0 lines found, 1 none found (or the logs folder is missing), 2 usage error.`;

const FLAGS = { logs: 'string', since: 'string', 'config-dir': 'string', environment: 'string', json: 'boolean' } as const;

/** Logging.Directory of the config in `configDir` (or `<configDir>/logs`), and the policy for what is shown. */
function configFor(configDir: string, environment: string | undefined, io: CliIo): { logsDir: string; policy: SecretPolicy } {
  const { config, policy } = readConfigForCli(configDir, io.env, environment);
  return { logsDir: config?.Logging.Directory ?? join(configDir, 'logs'), policy };
}

/** Runs the trace command; returns the exit code. */
export async function traceCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.help) {
    io.stdout(TRACE_USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) {
    throw new UsageError(args.positionals.length === 0 ? 'trace needs a trace ID' : 'trace takes exactly one trace ID');
  }
  const traceId = args.positionals[0] as string;
  // Never echo a rejected ID: it is exactly the input we do not trust.
  if (!isValidTraceId(traceId)) {
    throw new UsageError("the trace ID must be 1-128 letters, digits, ':', '.', '_' or '-' (copy it from the X-Trace-Id header)");
  }
  const sinceText = stringFlag(args, 'since');
  let since: number | undefined;
  if (sinceText !== undefined) {
    since = parseSince(sinceText, io.now());
    if (since === undefined) throw new UsageError('--since takes an age like 30m, 12h, 2d or an ISO date like 2026-11-27');
  }
  const configDir = resolve(io.cwd, stringFlag(args, 'config-dir') ?? '.');
  const logsFlag = stringFlag(args, 'logs');
  const found = configFor(configDir, stringFlag(args, 'environment'), io);
  const { policy } = found;
  const logsDir = logsFlag ? resolve(io.cwd, logsFlag) : found.logsDir;
  const shownDir = escapeForTerminal(policy.mask(logsDir));

  if (!existsSync(logsDir) || !statSync(logsDir).isDirectory()) {
    io.stderr(`no logs folder at ${shownDir}; pass --logs DIR (the app's Logging.Directory)`);
    return 1;
  }
  const result = await findTraceEntries({ logsDir, traceId, ...(since === undefined ? {} : { since }) });
  for (const warning of result.warnings) io.stderr(`warning: ${escapeForTerminal(policy.mask(warning))}`);

  if (args.flags.json) {
    io.stdout(
      JSON.stringify(
        {
          version: 1,
          traceId,
          logsDirectory: policy.mask(logsDir),
          filesSearched: result.filesSearched,
          ...(since === undefined ? {} : { since: new Date(since).toISOString() }),
          entries: result.entries.map((entry) => {
            const { time: _time, ...shown } = maskTraceEntry(entry, policy);
            return shown;
          }),
          warnings: result.warnings,
        },
        null,
        2,
      ),
    );
  } else {
    for (const entry of result.entries) io.stdout(formatTraceEntry(entry, policy));
  }
  const files = `${result.filesSearched} file${result.filesSearched === 1 ? '' : 's'}`;
  if (result.entries.length === 0) {
    io.stderr(`no lines for trace ${traceId} in ${files} under ${shownDir}${since === undefined ? '' : ' (--since applied)'}`);
    return 1;
  }
  io.stderr(`${result.entries.length} line${result.entries.length === 1 ? '' : 's'} for trace ${traceId} in ${files} under ${shownDir}`);
  return 0;
}
