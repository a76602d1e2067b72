/**
 * Lookups in a config file's raw value (as written, best-effort even when the file is broken), for
 * the checks that still run when the configuration does not load.
 */

/** Looks `segments` up in `value` ignoring key case, as ASP.NET Core configuration does. */
export function lookup(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const wanted = segment.toLowerCase();
    const key = Object.keys(current).find((k) => k.toLowerCase() === wanted);
    if (key === undefined) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
