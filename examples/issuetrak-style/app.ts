/**
 * Builds the Issuetrak-style example: the guard in front of the API v2 handlers, and a server that
 * speaks TLS when `Https.Certificate` is configured. server.ts is the `npm start` entry; tests call
 * createApp()/startServer() directly so they can use a temp config dir and port 0.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Router } from 'express';
import { createApiGuard, type ApiGuard } from '../../lib/index.js';
import { resolveEnvironment } from '../../lib/config/index.js';
import { startupLog } from '../../lib/logging/index.js';
import { apiKeyAuth, keyTable, type AuthenticationSection } from './auth.js';
import { IssueStore } from './data.js';
import { docsRoute, findSwaggerUiDist, tryItApiKey, type DocsSection } from './docs-route.js';
import { healthRoute } from './health-route.js';
import { listen, loopbackMetrics, METRICS_PATH, startMetricsServer, type MetricsServer } from './metrics-route.js';
import { openApiDocument } from './openapi.js';
import { issueRoutes } from './routes.js';

/** The example's own folder, holding its appsettings*.json. */
export const EXAMPLE_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface CreateAppOptions {
  /** Folder with appsettings*.json. Defaults to CONFIG_DIR, then the example's own folder. */
  readonly configDir?: string;
  /** Defaults to the usual variables, and to `Development` when none is set (see exampleEnvironment). */
  readonly environment?: string;
  readonly overrides?: unknown;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Apply config file edits live. Defaults to true. */
  readonly watch?: boolean;
  readonly debounceMs?: number;
  /** Extra routes mounted under /api/v2 before authentication (tests add failing handlers here). */
  readonly testRoutes?: (router: Router) => void;
}

export interface ExampleApp {
  readonly app: Express;
  readonly guard: ApiGuard;
  readonly store: IssueStore;
}

/**
 * The example defaults to Development when no environment variable names one, so `npm start`
 * works on a fresh machine over plain HTTP on loopback. Set ASPNETCORE_ENVIRONMENT=Production
 * (and configure a certificate or a TLS-terminating proxy) for anything else.
 */
export function exampleEnvironment(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return resolveEnvironment({ env }).source === 'default' ? 'Development' : undefined;
}

interface HostingSection {
  readonly TrustProxy?: boolean | number | string | readonly string[];
}

export async function createApp(options: CreateAppOptions = {}): Promise<ExampleApp> {
  const env = options.env ?? process.env;
  const environment = options.environment ?? exampleEnvironment(env);
  const guard = await createApiGuard({
    configDir: options.configDir ?? env.CONFIG_DIR ?? EXAMPLE_DIR,
    ...(environment !== undefined ? { environment } : {}),
    ...(options.overrides !== undefined ? { overrides: options.overrides } : {}),
    env,
    watch: options.watch ?? true,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
  });

  const app = express();
  app.disable('x-powered-by');
  const trustProxy = guard.config.section<HostingSection>('Hosting')?.TrustProxy;
  if (trustProxy !== undefined && trustProxy !== false) app.set('trust proxy', trustProxy);
  const keys = keyTable(guard.config.section<AuthenticationSection>('Authentication'));
  for (const problem of keys.problems) guard.logger.warn(problem);
  if (keys.table.size === 0) {
    guard.logger.warn('Authentication.ApiKeys lists no key, so every API call will get 401; add { "Name", "Sha256" } entries to the environment file.');
  }

  const swaggerUi = findSwaggerUiDist();
  if (swaggerUi instanceof Error) guard.logger.warn(swaggerUi.message);
  if (guard.config.section<DocsSection>('Docs')?.TryItOut?.ApiKey && tryItApiKey(guard.config) === undefined) {
    guard.logger.warn(`Docs.TryItOut.ApiKey is ignored in the ${guard.config.environment} environment (Development only): the docs page would hand the key to every visitor. Remove it from this environment's file.`);
  }

  const store = new IssueStore();
  const api = express.Router();
  api.get('/openapi.json', (req, res) => {
    const { Enabled, Rules } = guard.config.RateLimiting;
    res.json(openApiDocument(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`, Enabled ? Rules : []));
  });
  api.use('/docs', docsRoute(() => guard.config, swaggerUi));
  api.get('/health', healthRoute(() => guard.config));
  if (options.testRoutes) {
    const extra = express.Router();
    options.testRoutes(extra);
    api.use(extra);
  }
  api.use(apiKeyAuth(() => guard.config.section<AuthenticationSection>('Authentication')));
  api.use(express.json({ limit: '100kb' }));
  api.use(issueRoutes(store));

  // Before the guard: a scrape every few seconds is neither an API call to count against a limit nor
  // a request worth a log line. With Metrics.Port set, startServer() serves metrics on that port instead.
  if (guard.config.Metrics.Port === undefined) app.get(METRICS_PATH, loopbackMetrics(guard));
  app.use(guard.before);
  app.use('/api/v2', api);
  app.use(guard.after);
  return { app, guard, store };
}

export interface StartServerOptions extends CreateAppOptions {
  /** Defaults to PORT, then 5000; 0 picks a free port. */
  readonly port?: number;
  /** Defaults to HOST, then 127.0.0.1 (put a proxy in front, or set HOST=0.0.0.0, to serve other machines). */
  readonly host?: string;
  /** Port of the separate metrics server. Defaults to `Metrics.Port` (none: /metrics on the app, loopback only); 0 picks a free port. */
  readonly metricsPort?: number;
}

export interface RunningServer extends ExampleApp {
  readonly server: http.Server | https.Server;
  /** Base URL of the API, e.g. `http://127.0.0.1:5000/api/v2`. */
  readonly url: string;
  /** The separate metrics server's URL when `Metrics.Port` is set (and metrics are on). */
  readonly metricsUrl?: string;
  /** Stops accepting connections, ends idle ones, then closes the guard. */
  close(): Promise<void>;
}

function portFrom(text: string | undefined): number {
  if (text === undefined || text === '') return 5000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer from 0 to 65535, got "${text}".`);
  return port;
}

/** Creates the app and listens; TLS when Https.Certificate is configured, else plain HTTP. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const port = options.port ?? portFrom(env.PORT);
  const host = options.host ?? env.HOST ?? '127.0.0.1';
  const example = await createApp(options);
  const { guard } = example;
  let metrics: MetricsServer | undefined;
  try {
    const metricsPort = options.metricsPort ?? guard.config.Metrics.Port;
    if (metricsPort !== undefined && guard.config.Metrics.Enabled) metrics = await startMetricsServer(guard, metricsPort, host);
    const certificate = guard.config.Https.Certificate;
    const configDir = guard.config.configDir;
    const server = certificate
      ? https.createServer(
          { cert: readFileSync(path.resolve(configDir, certificate.Path)), key: readFileSync(path.resolve(configDir, certificate.KeyPath)) },
          example.app,
        )
      : http.createServer(example.app);
    const url = `${certificate ? 'https' : 'http'}://${await listen(server, port, host)}/api/v2`;
    let closing: Promise<void> | undefined;
    return {
      ...example,
      server,
      url,
      ...(metrics === undefined ? {} : { metricsUrl: metrics.url }),
      close() {
        closing ??= new Promise<void>((resolve) => {
          metrics?.server.close();
          metrics?.server.closeAllConnections();
          server.close(() => resolve());
          server.closeIdleConnections();
          // Requests still running after 10 s are cut so shutdown never hangs.
          setTimeout(() => server.closeAllConnections(), 10_000).unref();
        }).then(() => guard.close());
        return closing;
      },
    };
  } catch (err) {
    // createApiGuard logs its own failures; this one (port taken, unreadable certificate) is ours to log.
    startupLog(err, { directory: guard.config.Logging.Directory, secrets: guard.config.secretValues() });
    metrics?.server.close();
    await guard.close();
    throw err;
  }
}
