/**
 * `npm start`: runs the Issuetrak-style example. PORT (default 5000), HOST (default 127.0.0.1) and
 * CONFIG_DIR (default this folder) are read from the environment; with no environment variable set
 * the environment is Development, so plain HTTP on loopback is allowed. Exits non-zero, with the cause
 * on stderr and in logs/stdout/, when it cannot start; SIGINT/SIGTERM shut it down gracefully.
 */
import { exampleEnvironment, startServer } from './app.js';

/** One line saying what to do, under the startup log's full account of what went wrong. */
function hintFor(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  const port = process.env.PORT || '5000';
  if (code === 'EADDRINUSE') return `Port ${port} is already in use: stop the other process or set PORT to a free port.`;
  if (code === 'EACCES') return `Not allowed to listen on port ${port}: use a port above 1023 or grant the right to bind low ports.`;
  if (code === 'EADDRNOTAVAIL') return `HOST=${process.env.HOST ?? ''} is not an address of this machine.`;
  // The folder's own line already says what to do (create it or set CONFIG_DIR); nothing to add.
  if (code === 'CONFIG_DIR_MISSING' || code === 'CONFIG_DIR_UNREADABLE') return undefined;
  if ((err as Error | null)?.name === 'ConfigError') {
    return 'Fix the configuration file named above (express-api-guard doctor --config-dir <dir> checks every file).';
  }
  return undefined;
}

async function main(): Promise<void> {
  // `npm start -- --verbose`: a failed start prints its stack on stderr too (it is always in logs/stdout/).
  if (process.argv.includes('--verbose')) process.env.EXPRESS_API_GUARD_VERBOSE = '1';
  let running;
  try {
    running = await startServer();
  } catch (err) {
    // startupLog has already written the cause to stderr and logs/stdout/; add what to do about it.
    const hint = hintFor(err);
    if (hint) console.error(hint);
    process.exitCode = 1;
    return;
  }
  const { guard, url } = running;
  const files = guard.config.sources.filter((s) => s.kind === 'file');
  console.log(`Issuetrak-style example listening on ${url}`);
  const chosenBy = exampleEnvironment(process.env) ? 'the example default; set ASPNETCORE_ENVIRONMENT to change it' : guard.config.environmentSource;
  console.log(`Environment: ${guard.config.environment} (${chosenBy})`);
  for (const file of files) console.log(`Config file: ${file.name}${file.found ? '' : ' (not found, skipped)'}`);
  console.log(`OpenAPI document: ${url}/openapi.json`);
  console.log(`API docs (Swagger UI): ${url}/docs`);
  if (running.metricsUrl !== undefined) console.log(`Prometheus metrics: ${running.metricsUrl}`);
  else if (guard.metrics !== undefined) console.log(`Prometheus metrics: ${new URL(url).origin}/metrics (from this machine only)`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down`);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('Shutdown failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
