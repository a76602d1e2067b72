/**
 * ADO.NET SQL Server connection strings → tedious options. The keyword parsing (quoting, `;;`,
 * case) is @tediousjs/connection-string's; the mapping is ours because its MSSQL schema turns
 * `Encrypt=Strict` into `true`, and tedious 19 treats `'strict'` (TDS 8) differently.
 */
import { parse } from '@tediousjs/connection-string';
import { ConfigError } from './errors.js';
import { secretMasker } from '../core/index.js';
import type { SqlConnectionConfig, SqlConnectionOptions } from './types.js';

const ALIASES: Readonly<Record<string, readonly string[]>> = {
  server: ['server', 'data source', 'addr', 'address', 'network address'],
  database: ['database', 'initial catalog'],
  user: ['user id', 'uid', 'user', 'userid', 'user name', 'username'],
  password: ['password', 'pwd'],
  encrypt: ['encrypt'],
  trust: ['trustservercertificate', 'trust server certificate'],
  timeout: ['connect timeout', 'connection timeout', 'timeout'],
  integrated: ['integrated security', 'trusted_connection'],
  application: ['application name', 'app'],
};

function pick(map: ReadonlyMap<string, string>, name: keyof typeof ALIASES): string | undefined {
  for (const alias of ALIASES[name] ?? []) {
    const value = map.get(alias);
    if (value !== undefined) return value;
  }
  return undefined;
}

function fail(message: string, code: 'CONNECTION_STRING_INVALID' | 'CONNECTION_STRING_INTEGRATED_SECURITY' = 'CONNECTION_STRING_INVALID'): never {
  throw new ConfigError(message, { code });
}

function yesNo(value: string, key: string): boolean {
  const lower = value.trim().toLowerCase();
  if (lower === 'true' || lower === 'yes') return true;
  if (lower === 'false' || lower === 'no') return false;
  return fail(`${key}=${JSON.stringify(value)} is not a boolean; use true or false`);
}

/** `Encrypt`: true/yes/Mandatory → true, false/no/Optional → false, Strict → 'strict' (TDS 8). */
function encryptValue(value: string): boolean | 'strict' {
  const lower = value.trim().toLowerCase();
  if (lower === 'strict') return 'strict';
  if (lower === 'mandatory') return true;
  if (lower === 'optional') return false;
  const known = ['true', 'yes', 'false', 'no'];
  if (!known.includes(lower)) fail(`Encrypt=${JSON.stringify(value)} is not understood; use true, false, Optional, Mandatory or Strict`);
  return yesNo(value, 'Encrypt');
}

/** Splits `tcp:host\instance,port` into its parts; `.`/`(local)`/`localhost` become `localhost`. */
function parseServer(text: string): { server: string; port?: number; instanceName?: string } {
  let rest = text.trim();
  const protocol = /^(tcp|np|lpc|admin):/i.exec(rest);
  if (protocol) {
    if (protocol[1]?.toLowerCase() !== 'tcp') fail(`Server uses the ${protocol[1] ?? ''}: protocol; tedious connects over TCP only, write tcp:host,port or host`);
    rest = rest.slice(protocol[0].length);
  }
  let port: number | undefined;
  const comma = rest.lastIndexOf(',');
  if (comma !== -1) {
    const portText = rest.slice(comma + 1).trim();
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      fail(`Server port ${JSON.stringify(portText)} is not a port; write host,1433`);
    }
    port = Number(portText);
    rest = rest.slice(0, comma).trim();
  }
  let instanceName: string | undefined;
  const slash = rest.indexOf('\\');
  if (slash !== -1) {
    instanceName = rest.slice(slash + 1).trim();
    rest = rest.slice(0, slash).trim();
    if (instanceName === '') fail('Server has a "\\" but no instance name; write host\\INSTANCE');
  }
  if (rest === '') fail('Server is empty; write Server=host or Server=host,1433');
  const server = ['.', '(local)', '(localdb)', 'localhost'].includes(rest.toLowerCase()) ? 'localhost' : rest;
  return { server, ...(port === undefined ? {} : { port }), ...(instanceName === undefined ? {} : { instanceName }) };
}

/**
 * Parses an ADO.NET SQL Server connection string into connection settings tedious takes as they are.
 * Throws ConfigError (never echoing the password) when it is malformed, has no server, or asks
 * for Integrated Security, which tedious cannot do here.
 */
export function parseConnectionString(text: string): SqlConnectionConfig {
  if (typeof text !== 'string' || text.trim() === '') fail('the connection string is empty; write Server=host;Database=db;User Id=user;Password=…');
  let map: ReadonlyMap<string, string>;
  try {
    map = parse(text);
  } catch {
    return fail('the connection string cannot be parsed; write Key=Value pairs separated by ";" and quote values containing ";"');
  }
  const password = pick(map, 'password');
  const mask = secretMasker(password ? [password] : []);
  try {
    return build(map, password);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(mask(error.message), { code: error.code });
    throw error;
  }
}

function build(map: ReadonlyMap<string, string>, password: string | undefined): SqlConnectionConfig {
  const integrated = pick(map, 'integrated');
  if (integrated !== undefined && ['true', 'yes', 'sspi'].includes(integrated.trim().toLowerCase())) {
    fail(
      'Integrated Security is not supported by tedious on this platform; use SQL authentication (User Id and Password)',
      'CONNECTION_STRING_INTEGRATED_SECURITY',
    );
  }
  const serverText = pick(map, 'server');
  if (serverText === undefined) fail('the connection string has no Server (or Data Source); add Server=host or Server=host,1433');
  const { server, port, instanceName } = parseServer(serverText);
  const options: SqlConnectionOptions = {};
  if (port !== undefined) options.port = port;
  else if (instanceName !== undefined) options.instanceName = instanceName;
  const database = pick(map, 'database');
  if (database !== undefined && database !== '') options.database = database;
  const encrypt = pick(map, 'encrypt');
  if (encrypt !== undefined) options.encrypt = encryptValue(encrypt);
  const trust = pick(map, 'trust');
  if (trust !== undefined) options.trustServerCertificate = yesNo(trust, 'TrustServerCertificate');
  const timeout = pick(map, 'timeout');
  if (timeout !== undefined) {
    if (!/^\s*\d+\s*$/.test(timeout)) fail(`Connect Timeout=${JSON.stringify(timeout)} is not a number of seconds; write e.g. Connect Timeout=30`);
    // ADO.NET's 0 means "wait forever"; tedious needs a number, so use a day.
    options.connectTimeout = Number(timeout) === 0 ? 86_400_000 : Number(timeout) * 1000;
  }
  const application = pick(map, 'application');
  if (application !== undefined) options.appName = application;
  const userName = pick(map, 'user');
  const config: SqlConnectionConfig = { server, options };
  if (userName !== undefined || password !== undefined) {
    config.authentication = { type: 'default', options: { userName: userName ?? '', password: password ?? '' } };
  }
  return config;
}

/** The password inside a connection string, for redaction; undefined when none or unparsable. */
export function connectionStringPassword(text: string): string | undefined {
  try {
    return pick(parse(text), 'password');
  } catch {
    return undefined;
  }
}
