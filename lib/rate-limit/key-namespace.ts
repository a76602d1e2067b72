/**
 * Keeps two limiters in one process from counting in the same store keys by accident. A limiter
 * claims (store target, its keyPrefix) when it adopts a store; a second limiter claiming the same
 * pair is refused unless both set the same `keyPrefix` on purpose. The target is the store's
 * `sharedTarget` (for RedisStore: where Redis is plus its key prefix, so two RedisStore objects on
 * one Redis are caught too), else the store object itself.
 */
import { kit } from './kit.js';
import type { RateLimitStore } from './store.js';

interface Claim {
  readonly owner: object;
  readonly explicit: boolean;
}

const claims = new Map<string, Claim[]>();
const objectIds = new WeakMap<object, number>();
let nextId = 0;

function targetOf(store: RateLimitStore): string {
  if (typeof store.sharedTarget === 'string') return store.sharedTarget;
  let id = objectIds.get(store);
  if (id === undefined) objectIds.set(store, (id = ++nextId));
  return `store #${id}`;
}

/**
 * Claims the keys `store` + `keyPrefix` for `owner`; returns the release function. Throws
 * OptionsError when another limiter counts there and the two did not both ask for it.
 */
export function claimKeys(owner: object, store: RateLimitStore, keyPrefix: string, explicit: boolean): () => void {
  const key = `${targetOf(store)}\u0000${keyPrefix}`;
  const list = claims.get(key) ?? [];
  const others = list.filter((claim) => claim.owner !== owner);
  if (others.length > 0 && !(explicit && others.every((claim) => claim.explicit))) {
    const where = keyPrefix === '' ? 'without a keyPrefix' : `with keyPrefix ${JSON.stringify(keyPrefix)}`;
    kit.fail(
      'STORE',
      'keyPrefix',
      `another rateLimit() already counts in this store ${where} (${targetOf(store)}); two limiters there would share counters. ` +
        'Give each limiter its own keyPrefix option (e.g. keyPrefix: "admin:"), or set the same keyPrefix on both to share counters on purpose.',
    );
  }
  const claim: Claim = { owner, explicit };
  claims.set(key, [...others, claim]);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const remaining = (claims.get(key) ?? []).filter((c) => c !== claim);
    if (remaining.length === 0) claims.delete(key);
    else claims.set(key, remaining);
  };
}
