/**
 * tedious, the SQL Server driver, is an optional peer dependency: only the SQL Server check needs
 * it, and it is heavy (with its @azure dependencies about 50 MB on disk and ~290 modules to load).
 * It is loaded on the first check, so an app that never checks SQL Server never installs or loads it.
 */
import type * as Tedious from 'tedious';

/** What an operator reads when tedious is not installed: the check cannot run, and how to fix it. */
export const TEDIOUS_MISSING_MESSAGE =
  'The SQL Server check needs tedious, an optional peer dependency that is not installed; run `npm install tedious@19` in the application.';

/** Thrown by {@link loadTedious}; `code` tells "not installed" apart from "installed but broken". */
export class TediousLoadError extends Error {
  constructor(
    message: string,
    readonly code: 'TEDIOUS_MISSING' | 'TEDIOUS_BROKEN',
  ) {
    super(message);
    this.name = 'TediousLoadError';
  }
}

// Only tedious itself missing counts as "not installed": a dependency of tedious missing is a broken
// install, whose message names that dependency (with tedious only in the require stack).
const MISSING = /^Cannot find (?:package|module) 'tedious'/;

let loading: Promise<typeof Tedious> | undefined;

/** Loads tedious once; a failure is not kept, so the next check tries again (e.g. after an install). */
export function loadTedious(): Promise<typeof Tedious> {
  loading ??= import('tedious').catch((error: unknown) => {
    loading = undefined;
    const message = error instanceof Error ? error.message : String(error);
    throw MISSING.test(message)
      ? new TediousLoadError(TEDIOUS_MISSING_MESSAGE, 'TEDIOUS_MISSING')
      : new TediousLoadError(`tedious is installed but could not be loaded: ${message.split('\n')[0]}`, 'TEDIOUS_BROKEN');
  });
  return loading;
}
