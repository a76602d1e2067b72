/**
 * Check 1: the config folder exists and appsettings.json is valid.
 */
import { BASE_FILE, type DoctorContext, errorIsAboutBase } from './context.js';
import { type DoctorCheck } from './types.js';

const TITLE = BASE_FILE;

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
  if (!file) {
    return {
      ...base,
      status: 'warn',
      detail: `no ${BASE_FILE} in ${context.configDir}; the built-in defaults apply`,
      fix: `if this is the app's folder, create ${BASE_FILE} (the defaults give the standard rate limits and logs in ./logs); otherwise pass --config-dir DIR`,
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
  if (file.readError !== undefined) {
    return { ...base, status: 'fail', detail: `${file.path} cannot be read (${file.readError})`, fix: "give the app's user read access to the file" };
  }
  if (file.syntaxError !== undefined) {
    return { ...base, status: 'fail', detail: file.syntaxError, fix: `correct ${file.name} at the line and column shown` };
  }
  return { ...base, status: 'ok', detail: `${file.path} is valid` };
}
