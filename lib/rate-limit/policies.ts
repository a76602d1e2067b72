/**
 * Per-client policies: which rules apply to a client. Policies from options (and so from
 * `RateLimiting.Policies`) are compiled at construction into a lookup by key (a header's or
 * function's value, or its SHA-256) and an ordered list of address ranges; rules a `policy(req)`
 * function returns are compiled once per array. Each policy has its own RuleMatcher (its own route
 * cache), so a request still costs one cached lookup once its policy is known.
 */
import type { Request } from 'express';
import { parsePolicyClient, parseSha256Hex, requestIp, type KeysEnum } from '../core/index.js';
import type { ClientKeyResolver } from './client-key.js';
import { sha256Hex } from './client-key.js';
import { mergeRules } from './compile-rules.js';
import type { EndpointPattern } from './endpoint.js';
import { IpWhitelist } from './ip-whitelist.js';
import { kit } from './kit.js';
import type { RateLimitPolicy, RateLimitPolicyFunction } from './options.js';
import { type CompiledRule, MAX_CACHED_ROUTES, RuleMatcher } from './rule-set.js';

/** The rules one client gets. */
export interface CompiledPolicy {
  /** Where it came from: `policies[2]`, or `policy(req)`. */
  readonly label: string;
  readonly rules: readonly CompiledRule[];
  readonly matcher: RuleMatcher;
}

/** What compiling a policy needs from the limiter's options. */
export interface PolicyContext {
  readonly general: readonly CompiledRule[];
  readonly whitelist: readonly EndpointPattern[];
  readonly slotFor: (name: string) => number;
  readonly monitoredInHeaders: boolean;
}

const POLICY_KEYS: KeysEnum<RateLimitPolicy> = { client: true, clientSha256: true, rules: true };
/** Route cache of the rule sets a policy(req) function returns, per array (they may be many). */
const FUNCTION_ROUTES = 256;
/** Addresses remembered with their policy (checking ranges in order costs one lookup per policy). */
const MEMO_SIZE = 4096;

function compiled(label: string, rules: readonly CompiledRule[], context: PolicyContext, maxRoutes: number): CompiledPolicy {
  return { label, rules, matcher: new RuleMatcher(rules, context.whitelist, { monitoredInHeaders: context.monitoredInHeaders, maxRoutes }) };
}

export class PolicyBook {
  /** Value-keyed policies by the form `keys.lookupKey` gives a request's key. */
  private readonly byKey = new Map<string, CompiledPolicy>();
  private readonly ranges: { readonly list: IpWhitelist; readonly policy: CompiledPolicy }[] = [];
  private readonly byAddress = new Map<string, CompiledPolicy | null>();

  constructor(
    entries: readonly unknown[],
    private readonly keys: ClientKeyResolver,
    context: PolicyContext,
  ) {
    // The general matcher keeps the full route cache; the policies share one of the same size.
    const maxRoutes = Math.max(256, Math.floor(MAX_CACHED_ROUTES / entries.length));
    const owner = new Map<string, number>();
    entries.forEach((entry, index) => {
      const path = `policies[${index}]`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) kit.fail('POLICY', path, 'expected a policy { client or clientSha256, rules }.');
      const given = kit.object(entry as RateLimitPolicy, POLICY_KEYS, path);
      const policy = compiled(path, mergeRules(context.general, given.rules, context.slotFor, `${path}.rules`), context, maxRoutes);
      const claim = (key: string, what: string): void => {
        const first = owner.get(key);
        if (first !== undefined) kit.fail('POLICY', `${path}.${what}`, `matches the same client as policies[${first}]; a client gets one policy: merge the two.`);
        owner.set(key, index);
      };
      if (given.client !== undefined && given.clientSha256 !== undefined) {
        kit.fail('POLICY', path, 'has both client and clientSha256; a policy is for one client: keep client (an address, range or value) or clientSha256 (a value\'s SHA-256), not both.');
      }
      if (given.clientSha256 !== undefined) {
        if (keys.kind === 'ip') {
          kit.fail('POLICY', `${path}.clientSha256`, 'matches a client key header\'s value, but clientKey is "ip": write the address or CIDR range as client, or set clientKey to "header:<Name>".');
        }
        const hex = kit.parsed(given.clientSha256, parseSha256Hex(given.clientSha256), 'POLICY', `${path}.clientSha256`);
        const key = keys.digestKey(hex);
        claim(key, 'clientSha256');
        this.byKey.set(key, policy);
        return;
      }
      if (given.client === undefined) kit.fail('POLICY', path, 'says for whom: give client (an address, a CIDR range or the client key\'s value) or clientSha256.');
      const client = kit.parsed(given.client, parsePolicyClient(given.client, keys.kind !== 'ip'), 'POLICY', `${path}.client`);
      if (client.kind === 'value') {
        const key = keys.digestKey(sha256Hex(client.value));
        claim(key, 'client');
        this.byKey.set(key, policy);
        return;
      }
      const range = client.range;
      claim(`${range.address}/${range.prefix}`, 'client');
      this.ranges.push({ list: new IpWhitelist([given.client], `${path}.client`), policy });
    });
  }

  /** The policy of a request whose client key is `key`, or null for the general rules. */
  forRequest(req: Request, key: string): CompiledPolicy | null {
    if (this.byKey.size > 0) {
      const found = this.byKey.get(this.keys.lookupKey(key));
      if (found !== undefined) return found;
    }
    if (this.ranges.length === 0 || !this.keys.byIp(req, key)) return null;
    return this.forAddress(requestIp(req) ?? '');
  }

  /** The policy of a client ID: by its key, else (an address) by the ranges. */
  forId(key: string, ip: string | undefined): CompiledPolicy | null {
    const found = this.byKey.size > 0 ? this.byKey.get(this.keys.lookupKey(key)) : undefined;
    if (found !== undefined) return found;
    return ip === undefined || this.ranges.length === 0 ? null : this.forAddress(ip);
  }

  /** The first range holding `address` wins. */
  private forAddress(address: string): CompiledPolicy | null {
    let found = this.byAddress.get(address);
    if (found === undefined) {
      found = this.ranges.find((range) => range.list.has(address))?.policy ?? null;
      if (this.byAddress.size >= MEMO_SIZE) this.byAddress.clear();
      this.byAddress.set(address, found);
    }
    return found;
  }
}

/** Rules from a `policy(req)` function, compiled once per array returned. */
export class PolicyFunction {
  private readonly compiledFor = new WeakMap<object, CompiledPolicy | null>();

  constructor(
    readonly fn: RateLimitPolicyFunction,
    private readonly context: PolicyContext,
  ) {}

  /** The policy for this request, or null (the function returned undefined). Throws OptionsError for rules it cannot use. */
  forRequest(req: Request): CompiledPolicy | null {
    const rules = this.fn(req);
    if (rules === undefined || rules === null) return null;
    if (typeof rules !== 'object') kit.fail('POLICY', 'policy(req)', `expected an array of rules or undefined, got ${typeof rules}.`);
    let found = this.compiledFor.get(rules);
    if (found === undefined) {
      const merged = mergeRules(this.context.general, rules, this.context.slotFor, 'policy(req)', true);
      found = merged.length === this.context.general.length && merged.every((rule, i) => rule === this.context.general[i]) ? null : compiled('policy(req)', merged, this.context, FUNCTION_ROUTES);
      this.compiledFor.set(rules, found);
    }
    return found;
  }
}
