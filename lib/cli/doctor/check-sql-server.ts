/**
 * Check 4, only when a connection string is configured (`Issuetrak-Databse` or `Issuetrak-Database`):
 * it parses, the SQL Server answers and the login works. Each way of failing gets its own advice,
 * because "cannot connect" has very different fixes.
 */
import { CONNECTION_STRING_NAMES, parseConnectionString, type SqlConnectionConfig } from '../../config/index.js';
import { sqlCheck } from '../../health/index.js';
import { type DoctorContext } from './context.js';
import { type DoctorCheck } from './types.js';

const TITLE = 'SQL Server';
type Base = { readonly id: 'sql-server'; readonly title: string };

function target(connection: SqlConnectionConfig): string {
  const port = connection.options?.port;
  const instance = connection.options?.instanceName;
  const where = `${connection.server}${instance ? `\\${instance}` : ''}${port ? `:${port}` : ''}`;
  const database = connection.options?.database ? `, database ${connection.options.database}` : '';
  const auth = connection.authentication?.options as { userName?: unknown } | undefined;
  const user = typeof auth?.userName === 'string' ? ` as ${auth.userName}` : '';
  return `${where}${database}${user}`;
}

type Resolved = { connection: SqlConnectionConfig } | { check: DoctorCheck };

function resolveConnection(context: DoctorContext, base: Base): Resolved {
  try {
    if (context.config) return { connection: context.config.connectionString() };
    const raw = CONNECTION_STRING_NAMES.map((n) => context.setting(['ConnectionStrings', n])).find(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
    if (raw === undefined) throw Object.assign(new Error('no connection string'), { code: 'CONNECTION_STRING_MISSING' });
    return { connection: parseConnectionString(raw) };
  } catch (err) {
    if ((err as { code?: string }).code === 'CONNECTION_STRING_MISSING') {
      // Not every app has a database: with no connection string under these names there is nothing to check.
      const others = Object.keys(context.config?.ConnectionStrings ?? {});
      const also = others.length > 0 ? ` (ConnectionStrings has ${others.join(', ')}, which doctor does not check)` : '';
      return {
        check: {
          ...base,
          status: 'info',
          detail: `not checked: no ConnectionStrings.${CONNECTION_STRING_NAMES.join(' or ')} is configured${also}`,
          fix: `set ConnectionStrings.${CONNECTION_STRING_NAMES[0]} to have doctor log in to SQL Server`,
        },
      };
    }
    return {
      check: {
        ...base,
        status: 'fail',
        detail: `the connection string does not parse: ${(err as Error).message}`,
        fix: 'write it as Server=host,port;Database=name;User Id=user;Password=...; (SQL authentication; Integrated Security is not supported)',
      },
    };
  }
}

const FIXES: Readonly<Record<string, string>> = {
  dns: 'the server name does not resolve: check Server= in the connection string and DNS on this machine',
  refused:
    'nothing accepts connections there: check the host and port in Server=, that SQL Server is running with TCP/IP enabled (SQL Server Configuration Manager), and the firewall',
  timeout:
    'no answer in time: a firewall dropping packets, the wrong port, or an overloaded server; try the connection from this machine with sqlcmd',
  tls: 'the TLS handshake failed: install a certificate the client trusts on the SQL Server, or set Encrypt=false / TrustServerCertificate=true only on a trusted network',
  login:
    'the server refused the login: check User Id and Password, that SQL Server authentication (mixed mode) is on, and that the login may open the database',
  config: 'correct the connection string',
  driver: 'npm install tedious@19 (the SQL Server driver, an optional peer dependency of express-api-guard), then run doctor again',
  other: 'see the message; run doctor again after fixing it',
};

export async function checkSqlServer(context: DoctorContext): Promise<DoctorCheck> {
  const base: Base = { id: 'sql-server', title: TITLE };
  const resolved = resolveConnection(context, base);
  if ('check' in resolved) return resolved.check;
  const timeoutMs = context.options.sqlTimeoutMs ?? 5000;
  const where = target(resolved.connection);
  const result = await sqlCheck(resolved.connection, { timeoutMs });
  if (result.ok) {
    return { ...base, status: 'ok', detail: `${where}: logged in and ran SELECT @@VERSION in ${Math.round(result.latencyMs)} ms; ${result.serverVersion}` };
  }
  const { kind, message } = result.error;
  // Not a fault of the server or the config: the check could not run. A warning, like a missing
  // connection string, so doctor still passes for an app that does not install the optional tedious.
  if (kind === 'driver') return { ...base, status: 'warn', detail: `${where}: not checked: ${message}`, fix: FIXES.driver };
  const what = kind === 'timeout' ? `no answer within ${timeoutMs} ms: ` : kind === 'login' ? 'login failed: ' : kind === 'other' ? '' : `${kind}: `;
  return {
    ...base,
    status: 'fail',
    detail: `${where}: ${what}${message}`,
    fix: FIXES[kind] ?? FIXES.other,
  };
}
