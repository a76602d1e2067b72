/**
 * The package version for `--version`, read from package.json next to the build (dist/esm or
 * dist/cjs is two folders below it, lib/cli in a checkout too), so it can never disagree with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readVersion(): string {
  // __dirname exists in the CommonJS build (the bin); the ESM build and tsx fall back to the cwd's walk below.
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const up of ['../..', '../../..', '.']) {
    try {
      const manifest = JSON.parse(readFileSync(join(here, up, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'express-api-guard' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // Not here; try the next folder up.
    }
  }
  return 'unknown';
}

export const PACKAGE_VERSION = readVersion();
