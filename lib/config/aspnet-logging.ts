/**
 * ASP.NET Core's own keys inside our `Logging` section. An appsettings.json (or an environment) taken
 * from an ASP.NET Core app carries its logging providers' sections: `Logging:Console:*`,
 * `Logging:EventLog:*`, `Logging:Debug:*`, `Logging:EventSource:*`, a third-party provider's, and the
 * old `Logging:IncludeScopes`. They are accepted and set aside before validation, so they never stop
 * the app; they have no effect here (these providers do not exist in Node).
 *
 * `Logging:Console` is both: our `Console` is a boolean (console output on or off), ASP.NET's is the
 * console provider's section. Configuration keys can hold a value and children at once, so both
 * coexist: `Logging:Console` = false is ours, `Logging:Console:LogLevel:Default` etc. is ASP.NET's.
 * Only the provider's `LogLevel` would change what a user sees, so that one gets a warning.
 *
 * A key under Logging that is a near-miss of ours (`LogLevl`, `Directry`) is still an error.
 */
import { EMPTY_OBJECT, type FlatConfig, type Origin } from './layers.js';
import { knownKeys } from './schema-keys.js';
import { loggingSchema } from './schema.js';
import { closest } from '../core/index.js';

const OURS = knownKeys(loggingSchema) ?? [];
/** ASP.NET Core 2.x's scope switch, at Logging level. */
const ASPNET_SCALARS = ['includescopes'];

export const CONSOLE_FILTER_WARNING =
  'Logging.Console.LogLevel is ASP.NET Core\'s filter for its console provider and has no effect here: console lines follow Logging.LogLevel; ' +
  'set "Logging": { "Console": false } to turn console output off';

/** True when the leaf `Logging:<key>:…` (`length` segments) is an ASP.NET provider's, not ours. */
function isAspNetKey(key: string, length: number, value: unknown): boolean {
  const lower = key.toLowerCase();
  const section = length >= 3 || value === EMPTY_OBJECT;
  if (lower === 'console') return section;
  if (OURS.some((k) => k.toLowerCase() === lower)) return false;
  if (ASPNET_SCALARS.includes(lower)) return true;
  // A near-miss of our keys is a typo, reported by validation with "did you mean".
  return section && closest(key, OURS) === undefined;
}

/**
 * Removes ASP.NET's logging keys from `flat`; returns the warnings. `consoleDefault` is put back at
 * `Logging:Console` when a provider section (`"Console": {}`) had replaced our boolean there.
 */
export function setAsideAspNetLogging(flat: FlatConfig, consoleDefault: { value: boolean; origin: Origin }): string[] {
  let consoleFilter = false;
  for (const entry of flat.under(['Logging'])) {
    const key = entry.segments[1];
    if (key === undefined || !isAspNetKey(key, entry.segments.length, entry.value)) continue;
    if (key.toLowerCase() === 'console' && entry.segments[2]?.toLowerCase() === 'loglevel') consoleFilter = true;
    flat.deleteUnder(entry.segments);
  }
  if (!flat.get(['Logging', 'Console'])) flat.set({ segments: ['Logging', 'Console'], ...consoleDefault });
  return consoleFilter ? [CONSOLE_FILTER_WARNING] : [];
}
