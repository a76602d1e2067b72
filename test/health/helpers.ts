/**
 * Shared test helpers: a minimal ApiGuardConfig whose connectionString() points at a stand-in, and
 * a free-then-closed port. The config is hand-built so these tests do not depend on the loader.
 */
import * as net from 'node:net';
import type { ConnectionConfiguration } from 'tedious';
import type { ApiGuardConfig } from '../../lib/config/types.js';

export const PASSWORD = 'Sup3r-Secret-Pa55';
export const USER = 'app_user';

export function tediousConfig(port: number, overrides: { user?: string; password?: string; server?: string; encrypt?: boolean; trust?: boolean } = {}): ConnectionConfiguration {
  return {
    server: overrides.server ?? '127.0.0.1',
    authentication: { type: 'default', options: { userName: overrides.user ?? USER, password: overrides.password ?? PASSWORD } },
    options: { port, database: 'Issuetrak', encrypt: overrides.encrypt ?? false, trustServerCertificate: overrides.trust ?? false },
  };
}

/** A config with a connection string (text kept only to prove it never leaks) that maps to `connection`. */
export function fakeConfig(connection: ConnectionConfiguration | Error | undefined, store: 'memory' | 'redis' = 'memory'): ApiGuardConfig {
  const password = (connection as { authentication?: { options?: { password?: string } } } | undefined)?.authentication?.options?.password ?? PASSWORD;
  const text = `Server=127.0.0.1,1433;Database=Issuetrak;User Id=${USER};Password=${password}`;
  const fake = {
    configDir: '/nonexistent',
    environment: 'release',
    environmentSource: 'option',
    RateLimiting: { Store: store },
    ConnectionStrings: connection === undefined ? {} : { 'Issuetrak-Databse': text },
    SecureStorageKeys: { 'KeyForEncrypter-1': 'storage-key-secret-value' },
    SessionSigningKey: 'session-signing-secret-value',
    sources: [],
    warnings: [],
    section: () => undefined,
    connectionString(): ConnectionConfiguration {
      if (connection === undefined) throw new Error('No connection string: set ConnectionStrings.Issuetrak-Databse');
      if (connection instanceof Error) throw connection;
      return connection;
    },
    secretValues: () => [text, password, 'storage-key-secret-value', 'session-signing-secret-value'],
    toJSON: () => ({}),
  };
  return fake as unknown as ApiGuardConfig;
}

/** A port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
