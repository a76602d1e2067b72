/**
 * Synchronous loading of a dependency that is used only when a feature is switched on (prom-client
 * when metrics are on, @opentelemetry/api when an SDK is registered), so an app that never uses the
 * feature never pays for loading it. Synchronous because the callers are: `rateLimit({ registry })`
 * and the trace middleware must decide at once, not after a promise settles.
 *
 * The published package runs as CommonJS (dist/cjs; the ES module entry points only re-export it),
 * where `require` is this module's own and resolves from the package's install. The TypeScript
 * sources also run as ES modules under tsx (tests, the example, the bench), which have no `require`;
 * there a require rooted at the working directory (the repository) stands in.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const load: NodeJS.Require = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'));

/** `require(name)`: throws as require does when the module is missing or broken. */
export function loadModule<T>(name: string): T {
  return load(name) as T;
}

/**
 * `require(name)`, or undefined when that package itself is not installed (an optional peer). A
 * dependency of it missing, or an error while it loads, is a broken install and still throws.
 */
export function loadOptionalModule<T>(name: string): T | undefined {
  try {
    return load(name) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : '';
    if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && (message.split('\n')[0] ?? '').includes(`'${name}'`)) return undefined;
    throw error;
  }
}
