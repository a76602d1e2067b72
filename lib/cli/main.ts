/**
 * The CLI's entry: picks the command, turns usage mistakes into exit code 2 with the usage text, and
 * makes sure an unexpected failure still ends with a message and exit code 1 rather than a stack.
 */
import { closest, escapeForTerminal, KEY_RULES_ONLY, serializeError } from '../core/index.js';
import { UsageError } from './args.js';
import { type CliIo, processIo } from './io.js';
import { PACKAGE_VERSION } from './version.js';

export const USAGE = `Usage: express-api-guard <command> [options]

Commands:
  doctor   check configuration, secrets, SQL Server, log folders and the rate-limit store
  trace    find every log line of one request by its trace ID
  limits   show or reset one client's rate-limit counters (Redis store)

Options:
  --version  print the version and exit
  --help     print this help and exit

Run "express-api-guard <command> --help" for a command's options.`;

interface Command {
  run(argv: readonly string[], io: CliIo): Promise<number>;
  readonly usage: string;
}

// Loaded on demand: doctor and limits pull in ioredis (doctor also tedious for its SQL check), which
// trace and usage errors do not need.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  doctor: async () => {
    const m = await import('./doctor/command.js');
    return { run: m.doctorCommand, usage: m.DOCTOR_USAGE };
  },
  trace: async () => {
    const m = await import('./trace/command.js');
    return { run: m.traceCommand, usage: m.TRACE_USAGE };
  },
  limits: async () => {
    const m = await import('./limits/command.js');
    return { run: m.limitsCommand, usage: m.LIMITS_USAGE };
  },
};

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code:
 * 0 success, 1 a check failed / nothing found, 2 usage error.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(PACKAGE_VERSION);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const guess = name.startsWith('-') ? undefined : closest(name, Object.keys(COMMANDS));
    const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
    io.stderr(`error: unknown command ${escapeForTerminal(name).slice(0, 40)}${hint}\n\n${USAGE}`);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`error: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    // No config is at hand here: the key rules alone (`Password=…`, URL passwords) mask the message.
    const message = serializeError(err, { policy: KEY_RULES_ONLY }).message;
    io.stderr(`express-api-guard ${name}: unexpected failure: ${escapeForTerminal(message)}`);
    return 1;
  }
}
