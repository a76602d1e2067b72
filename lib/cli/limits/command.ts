/**
 * `express-api-guard limits show|reset --client ID [--rule NAME] [--config-dir DIR] [--environment NAME] [--json]`:
 * one client's rate-limit counters in the configured Redis store (standalone, Cluster or Sentinel),
 * through a limiter built from the same config the app loads, so the client ID is hashed, grouped and
 * matched to its policy exactly as for the app's requests.
 */
import { resolve } from 'node:path';
import { closest, escapeForTerminal, OptionsError, type SecretPolicy } from '../../core/index.js';
import { rateLimit, rateLimitOptionsFromConfig, redisConnectionFromConfig } from '../../rate-limit/index.js';
import { parseArgs, stringFlag, UsageError } from '../args.js';
import { describeRedis } from '../doctor/check-rate-limit-store.js';
import { type CliIo } from '../io.js';
import { readConfigForCli } from '../secret-policy.js';
import { formatLimits } from './format.js';

export const LIMITS_USAGE = `Usage: express-api-guard limits show --client ID [--config-dir DIR] [--environment NAME] [--json]
       express-api-guard limits reset --client ID [--rule NAME] [--config-dir DIR] [--environment NAME] [--json]

Shows or clears one client's rate-limit counters in the Redis store the configuration names
(RateLimiting.Store "redis"; standalone, cluster or sentinel). With the memory store the counters
live inside each app process: use guard.limiter.inspect() and reset() there.

  --client ID         the client as its requests carry it: an IP address, or (with ClientKey
                      "header:<Name>") the header's value, which is hashed as for requests.
  --rule NAME         reset: only this rule's counter. Defaults to every configured rule.
  --config-dir DIR    folder holding appsettings.json. Defaults to the current directory.
  --environment NAME  environment whose files apply. Defaults as the app resolves it.
  --json              print a JSON report ({ version: 1, ... }).

Exit codes: 0 done (also when nothing was stored for the client), 1 the store cannot be used
(memory store, configuration error, Redis unreachable), 2 usage error.`;

const FLAGS = { client: 'string', rule: 'string', 'config-dir': 'string', environment: 'string', json: 'boolean' } as const;
const ACTIONS = ['show', 'reset'] as const;

/** Runs the limits command; returns the exit code. */
export async function limitsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.help) {
    io.stdout(LIMITS_USAGE);
    return 0;
  }
  const [action, ...extra] = args.positionals;
  if (action === undefined) throw new UsageError('limits needs an action: show or reset');
  if (!(ACTIONS as readonly string[]).includes(action)) {
    const guess = closest(action, ACTIONS);
    throw new UsageError(`unknown action ${escapeForTerminal(action).slice(0, 40)}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; use show or reset`);
  }
  if (extra.length > 0) throw new UsageError(`limits ${action} takes no other arguments (give the client with --client ID)`);
  const client = stringFlag(args, 'client');
  if (client === undefined) throw new UsageError(`limits ${action} needs --client ID (an IP address, or the client key header's value)`);
  const rule = stringFlag(args, 'rule');
  if (rule !== undefined && action === 'show') throw new UsageError('--rule is for limits reset');

  const configDir = resolve(io.cwd, stringFlag(args, 'config-dir') ?? '.');
  const { config, error, policy } = readConfigForCli(configDir, io.env, stringFlag(args, 'environment'));
  const fail = (message: string): number => {
    io.stderr(`express-api-guard limits: ${escapeForTerminal(policy.mask(message))}`);
    return 1;
  };
  if (config === undefined) return fail(`the configuration in ${configDir} does not load: ${error instanceof Error ? error.message : String(error)}`);
  const section = config.RateLimiting;
  if (section.Store !== 'redis') {
    return fail(
      `RateLimiting.Store is "${section.Store}": the counters live inside each app process, where this command cannot reach them. ` +
        'Call guard.limiter.inspect(clientId) or guard.limiter.reset(clientId, rule?) from the app (e.g. behind an admin route), or use Store "redis" to share them.',
    );
  }
  const where = describeRedis(redisConnectionFromConfig(section.Redis));
  // keyPrefix '' as the guard's own limiter: the same keys the app counts in.
  const limiter = rateLimit({ ...rateLimitOptionsFromConfig(section), keyPrefix: '' });
  try {
    if (action === 'show') {
      const limits = await limiter.inspect(client);
      if (args.flags.json) io.stdout(JSON.stringify({ version: 1, store: where, ...limits }, null, 2));
      else for (const line of formatLimits(limits, where)) io.stdout(line);
      return 0;
    }
    const cleared = await limiter.reset(client, rule);
    const key = (await limiter.inspect(client)).key;
    if (args.flags.json) io.stdout(JSON.stringify({ version: 1, store: where, key, rule: rule ?? null, cleared: cleared ?? null }, null, 2));
    else io.stdout(resetLine(key, rule, cleared));
    return 0;
  } catch (caught) {
    if (caught instanceof OptionsError) throw new UsageError(usageMessage(caught, policy));
    return fail(`${where}: ${caught instanceof Error ? caught.message : String(caught)}; run express-api-guard doctor to check the store`);
  } finally {
    await limiter.close();
  }
}

function resetLine(key: string, rule: string | undefined, cleared: number | undefined): string {
  const which = rule === undefined ? 'any rule' : `rule "${rule}"`;
  if (cleared === 0) return `Nothing was stored for client ${key} under ${which}; nothing to reset.`;
  return `Cleared ${cleared ?? 'the'} counter(s) of client ${key} (${rule === undefined ? 'every rule' : which}); its next request starts a new window.`;
}

/** An option error as a usage line, in the command's terms: without the code and docs link, secrets masked. */
function usageMessage(error: OptionsError, policy: SecretPolicy): string {
  const text = error.message
    .replace(/^rateLimit: clientId: /, '--client ')
    .replace(/^rateLimit: [^:]+: /, '')
    .replace(/ \(ERR_[A-Z_]+; see \S+\)$/, '');
  return policy.mask(text);
}
