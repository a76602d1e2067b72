/**
 * Outage bookkeeping for a shared store, per shard (a Redis Cluster slot; one shard otherwise).
 * A failed call puts its shard in an outage; shards failing on the same node share one outage, so
 * an operator reads one warning when it starts and one line when it ends (how long, how many
 * requests were decided without the store). While it lasts, at most one request per probe interval
 * of that outage tries the store; a success ends only the outage its own shard is in, so a healthy
 * shard can never declare another one recovered.
 *
 * Calls carry the epoch they were sent in: a reply straggling in from before a transition (a
 * failure after recovery, a success sent before the outage began) changes nothing, so one outage
 * logs exactly one pair of lines.
 */
import type { LogSink } from '../core/index.js';

/**
 * How often, per outage, one request tries the store. A probe to a store that is down costs no
 * round trip (the connection is known to be down) or one refused connect, so probing often is cheap
 * and ends an outage (e.g. a Cluster failover) within this much of the store coming back.
 */
export const PROBE_INTERVAL_MS = 100;

export class Outage {
  readonly since = performance.now();
  readonly shards = new Set<number>();
  /** Requests decided without the store (by the fallback, or refused with 503). */
  decided = 0;
  private nextProbeAt = this.since + PROBE_INTERVAL_MS;

  constructor(
    readonly where: string,
    /** The epoch the outage started in; only calls sent from then on may end it. */
    readonly epoch: number,
  ) {}

  /** True when this request should try the store as the outage's probe. */
  probeTurn(): boolean {
    const now = performance.now();
    if (now < this.nextProbeAt) return false;
    this.nextProbeAt = now + PROBE_INTERVAL_MS;
    return true;
  }
}

export class Outages {
  /** Changes on every transition; a call remembers the epoch it was sent in. */
  epoch = 0;
  private readonly byShard = new Map<number, Outage>();

  constructor(
    private readonly logger: () => LogSink,
    private readonly describeAction: () => string,
  ) {}

  /** True while no shard is in an outage (the common case: one comparison per request). */
  get none(): boolean {
    return this.byShard.size === 0;
  }

  of(shard: number): Outage | undefined {
    return this.byShard.size === 0 ? undefined : this.byShard.get(shard);
  }

  /**
   * A call for `shard` sent in `epoch` failed. Returns the outage the shard is now in, or undefined
   * when the failure is a straggler from before a transition (the request is still decided without
   * the store, but no outage starts).
   */
  failed(shard: number, epoch: number, where: string, error: unknown): Outage | undefined {
    const current = this.byShard.get(shard);
    if (current !== undefined) return current;
    if (epoch !== this.epoch) return undefined;
    let outage = [...new Set(this.byShard.values())].find((o) => o.where === where);
    if (outage === undefined) {
      this.epoch++;
      outage = new Outage(where, this.epoch);
      const reason = error instanceof Error ? error.message : String(error);
      this.logger().warn(`Rate-limit store unavailable: ${where} (${reason}); ${this.describeAction()} until it recovers. Check it is running and reachable.`, {
        store: where,
      });
    }
    outage.shards.add(shard);
    this.byShard.set(shard, outage);
    return outage;
  }

  /** A call for `shard` sent in `epoch` succeeded; returns the outage it ended, if any. */
  succeeded(shard: number, epoch: number): Outage | undefined {
    const outage = this.byShard.size === 0 ? undefined : this.byShard.get(shard);
    if (outage === undefined || epoch < outage.epoch) return undefined;
    for (const member of outage.shards) this.byShard.delete(member);
    this.epoch++;
    const seconds = Math.round((performance.now() - outage.since) / 100) / 10;
    this.logger().warn(
      `Rate-limit store recovered: ${outage.where} was unavailable for ${seconds} s; ${outage.decided} request(s) were decided without it. Counting in the store again.`,
      { store: outage.where, outageSeconds: seconds, requestsDuringOutage: outage.decided },
    );
    return outage;
  }

  /** Every shard in an outage now. */
  all(): Iterable<Outage> {
    return new Set(this.byShard.values());
  }
}
