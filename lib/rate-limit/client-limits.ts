/**
 * limiter.inspect(clientId) and limiter.reset(clientId, rule?): an operator's view of one client's
 * counters. The client ID is given as a request carries it (an address, or the client key header's
 * value); the same hashing and IPv6 grouping as for requests turn it into the store key, and the
 * same policies decide which rules apply.
 */
import { closest, parseRuleName, type RuleMode } from '../core/index.js';
import { StoreUnavailableError } from './errors.js';
import { kit } from './kit.js';
import type { CompiledRule } from './rule-set.js';
import type { RateLimitStore, RateLimitWindow, StoreCall } from './store.js';
import type { MemoryStore } from './stores/memory.js';
import type { LimiterState } from './validate.js';

/** One rule as it stands for one client. */
export interface RuleUsage {
  readonly rule: string;
  /** The rule's endpoint pattern, e.g. `post,put,patch,delete:*`. */
  readonly endpoint: string;
  readonly limit: number;
  readonly period: string;
  readonly mode: RuleMode;
  /** Requests counted in the running window; 0 when none is running. A monitor rule's may be above its limit. */
  readonly count: number;
  /** `limit - count`, at least 0. */
  readonly remaining: number;
  /** Milliseconds until the running window resets; 0 when none is running. */
  readonly resetsInMs: number;
}

/** What {@link RateLimitMiddleware.inspect} answers. */
export interface ClientLimits {
  /**
   * The key the client counts under: its address (IPv6 grouped by /56), `key:<SHA-256, base64url>`
   * for a header value, or the value your clientKey function returns.
   */
  readonly key: string;
  /** The policy that applies, e.g. `policies[0]`; null when the general rules apply. */
  readonly policy: string | null;
  /** Every rule that applies to the client, whatever its endpoint. */
  readonly rules: readonly RuleUsage[];
}

/** The parts of a limiter an operator's call needs. */
export interface LimiterParts {
  readonly state: LimiterState;
  readonly store: RateLimitStore;
  readonly fallback: MemoryStore | undefined;
  /** Every rule name the limiter has compiled (config, policies, policy(req)) with its slot. */
  readonly slots: ReadonlyMap<string, number>;
}

function clientOf(state: LimiterState, clientId: unknown): { key: string; rules: readonly CompiledRule[]; policy: string | null } {
  if (typeof clientId !== 'string' || clientId.trim() === '' || clientId.length > 1024) {
    kit.fail('CLIENT', 'clientId', `expected a client ID as requests carry it (an IP address, or the client key header's value), got ${typeof clientId === 'string' ? 'a string of ' + clientId.length + ' characters' : typeof clientId}.`);
  }
  const id = clientId.trim();
  const found = state.keys.idKey(id);
  if (found === undefined) {
    // Not echoed: a value given here by mistake may be an API key.
    kit.fail('CLIENT', 'clientId', 'is not an IP address; clientKey is "ip", so a client is known by its address (e.g. "203.0.113.7" or "2001:db8::1").');
  }
  const policy = state.policies?.forId(found.key, found.ip) ?? null;
  return { key: found.key, rules: policy?.rules ?? state.rules, policy: policy?.label ?? null };
}

function callFor(state: LimiterState): StoreCall {
  return { deadline: performance.now() + state.timeoutMs, keyPrefix: state.keyPrefix };
}

export async function inspectClient(parts: LimiterParts, clientId: string): Promise<ClientLimits> {
  const { state, store } = parts;
  const client = clientOf(state, clientId);
  if (store.peek === undefined) throw new TypeError('inspect() is not supported by this rate-limit store: it has no peek().');
  const read = await store.peek(client.key, client.rules, state.clock(), callFor(state));
  return {
    key: client.key,
    policy: client.policy,
    rules: client.rules.map((rule, i) => {
      const count = read.counts[i] ?? 0;
      return {
        rule: rule.name,
        endpoint: rule.endpoint.source,
        limit: rule.limit,
        period: rule.period,
        mode: rule.mode,
        count,
        remaining: Math.max(0, rule.limit - count),
        resetsInMs: count > 0 ? (read.resetsInMs[i] ?? 0) : 0,
      };
    }),
  };
}

/**
 * Clears the client's counter of `ruleName` (matched ignoring case), or of every rule the limiter
 * knows, in the store and in the outage fallback. Resolves to how many were running.
 */
export async function resetClient(parts: LimiterParts, clientId: string, ruleName?: string): Promise<number | undefined> {
  const { state, store } = parts;
  const client = clientOf(state, clientId);
  let names = [...parts.slots.keys()];
  if (ruleName !== undefined) {
    const name = kit.parsed(ruleName, parseRuleName(ruleName), 'RULE', 'ruleName');
    const known = names.find((n) => n.toLowerCase() === name.toLowerCase());
    if (known === undefined) {
      const guess = closest(name, names);
      kit.fail('RULE', 'ruleName', `"${name}" is not a rule of this limiter${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; its rules are ${names.join(', ')}.`);
    }
    names = [known];
  }
  const windows: RateLimitWindow[] = names.map((name) => ({ name, slot: parts.slots.get(name) as number, limit: 1, periodMs: 1000, period: '1s' }));
  const now = state.clock();
  parts.fallback?.clear(client.key, windows, now);
  if (store.clear !== undefined) return store.clear(client.key, windows, now, callFor(state));
  if (ruleName === undefined && store.resetKey !== undefined) {
    await store.resetKey(client.key);
    return undefined;
  }
  throw new TypeError(`reset() is not supported by this rate-limit store: it has no clear()${ruleName === undefined ? ' or resetKey()' : ' (resetKey() would clear every rule)'}.`);
}

/** A closed limiter's store is closed too. */
export function closedError(): StoreUnavailableError {
  return new StoreUnavailableError('the rate limiter is closed');
}
