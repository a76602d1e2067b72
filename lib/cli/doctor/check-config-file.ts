/**
 * Check 1: the config folder exists and appsettings.json is valid. Also says which of the guard's
 * sections no file or variable sets, with the built-in defaults in effect for them.
 */
import { BASE_FILE, type DoctorContext, errorIsAboutBase } from './context.js';
import { type DoctorCheck } from './types.js';

const TITLE = BASE_FILE;
const SECTIONS = ['RateLimiting', 'Logging', 'Tracing', 'Errors', 'Https', 'Metrics', 'Doctor'] as const;

/** `Key=value` pairs of a section, nested keys dotted; a rule list is counted (the rules check prints it). */
function summary(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    if (prefix === 'Rules') return [`Rules=${value.length} rule(s), listed under rate-limit rules`];
    return [`${prefix}=[${value.map(String).join(', ')}]`];
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => summary(child, prefix ? `${prefix}.${key}` : key));
  }
  return [`${prefix}=${String(value)}`];
}

/** Sections no file and no variable sets, with their (default) values. */
function defaultsInEffect(context: DoctorContext): string[] {
  const config = context.config;
  if (!config) return [];
  const set = new Set<string>();
  for (const file of context.folder.files) for (const entry of file.layer?.entries ?? []) set.add((entry.segments[0] ?? '').toLowerCase());
  for (const source of config.sources) for (const variable of source.variables ?? []) set.add((variable.split('__')[0] ?? '').toLowerCase());
  if (set.has('ipratelimiting')) set.add('ratelimiting');
  const untouched = SECTIONS.filter((name) => !set.has(name.toLowerCase()));
  if (untouched.length === 0) return [];
  return [
    `built-in defaults in effect for ${untouched.join(', ')} (set in no file or variable):`,
    ...untouched.map((name) => `  ${name}: ${summary(config[name]).join(', ')}`),
  ];
}

export function checkConfigFile(context: DoctorContext): DoctorCheck {
  const base = { id: 'config-file', title: TITLE } as const;
  if (context.dirProblem !== undefined) {
    return {
      ...base,
      status: 'fail',
      detail: `the config folder ${context.configDir} ${context.dirProblem}`,
      fix: 'pass --config-dir DIR, the folder that holds appsettings.json (run doctor there, or use the path the app is started with)',
    };
  }
  const file = context.baseFile;
  const defaults = defaultsInEffect(context);
  const notes = defaults.length > 0 ? { notes: defaults } : {};
  if (!file) {
    return {
      ...base,
      status: 'warn',
      detail: `no ${BASE_FILE} in ${context.configDir}; the built-in defaults apply`,
      fix: `if this is the app's folder, create ${BASE_FILE} (the defaults give the standard rate limits and logs in ./logs); otherwise pass --config-dir DIR`,
      ...notes,
    };
  }
  if (errorIsAboutBase(context)) {
    return {
      ...base,
      status: 'fail',
      detail: (context.configError as Error).message,
      fix: `correct ${file.name} at the line and column shown; the app will not start until it loads`,
    };
  }
  if (file.error) {
    return { ...base, status: 'fail', detail: file.error.message, fix: `correct ${file.name} as the message says` };
  }
  return { ...base, status: 'ok', detail: `${file.path} is valid`, ...notes };
}
