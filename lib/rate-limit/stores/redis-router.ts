/**
 * Which connection serves a client: the one connection of a standalone (or Sentinel-managed)
 * client, or the Cluster node owning the client's slot. RedisStore routes Cluster commands itself
 * instead of through ioredis Cluster's sendCommand, because it must know whether a command was
 * written (a command not yet written may be given up; one written must carry a fence) and which
 * node failed (outages are per shard). ioredis Cluster still discovers the nodes and the slot map.
 */
import type { Cluster, Redis } from 'ioredis';
import { RedisLink } from './redis-link.js';
import { slotOfTag } from './redis-slot.js';

/**
 * A route: the link to write to, `wait` while a first connection is on its way, `refreshing` while
 * a fresh Cluster slot map is, or the reason it is down.
 */
export type Route = RedisLink | 'wait' | 'refreshing' | Error;

export interface RedisRouter {
  /** The shard (Cluster slot; 0 for one connection) holding a client's keys. */
  shardOf(tag: string): number;
  /** Where a shard lives, for log lines. */
  describe(shard: number): string;
  /**
   * The link for a shard. With `refresh`, a Cluster shard whose node is gone first gets a fresh slot
   * map (`refreshing`, then the store's change notice): after a failover the replica that took over is
   * found by the very request that noticed, not by a later one.
   */
  route(shard: number, refresh: boolean): Route;
  /** Asks for a fresh view of the topology (Cluster slot map) after a MOVED reply or a missing node; false when one ran just now. */
  refresh(): boolean;
  /** Stops listening to the client (the store is closing; a client you own stays as it was). */
  dispose(): void;
}

function nodeKey(client: Redis): string {
  return `${client.options.host ?? '127.0.0.1'}:${client.options.port ?? 6379}`;
}

export class SingleRouter implements RedisRouter {
  private readonly link: RedisLink;

  constructor(client: Redis, changed: () => void) {
    this.link = new RedisLink(client, changed, (stuck) => stuck.disconnect(true));
  }

  shardOf(): number {
    return 0;
  }

  describe(): string {
    const client = this.link.client;
    // A Sentinel-managed client's options hold no address: the master moves with each failover.
    if (client.options.sentinels?.length) return `Redis Sentinel master group "${String(client.options.name)}"`;
    return `Redis ${nodeKey(client)}`;
  }

  route(): Route {
    const link = this.link;
    // (Standalone and Sentinel: ioredis reconnects by itself, Sentinel to the current master.)
    if (link.usable) return link;
    if (link.waitable) {
      link.connect();
      return 'wait';
    }
    return link.lastError ?? new Error(`Redis is not connected (status "${link.client.status}")`);
  }

  refresh(): boolean {
    return false;
  }

  dispose(): void {
    this.link.dispose();
  }
}

/** Refresh requests closer together than this are merged (a dead node would otherwise trigger one per request). */
const REFRESH_GAP_MS = 100;

export class ClusterRouter implements RedisRouter {
  private readonly nodes = new Map<string, Redis>();
  private readonly byClient = new WeakMap<Redis, RedisLink>();
  private readonly made = new Set<RedisLink>();
  private nodesDirty = true;
  private everReady: boolean;
  private lastRefresh = -Infinity;

  constructor(
    private readonly cluster: Cluster,
    private readonly changed: () => void,
  ) {
    this.everReady = cluster.status === 'ready';
    cluster.on('+node', this.dirty);
    cluster.on('-node', this.dirty);
    cluster.on('refresh', this.dirty);
    cluster.on('ready', this.onReady);
    cluster.on('close', this.changed);
  }

  private readonly dirty = (): void => {
    this.nodesDirty = true;
    this.changed();
  };

  private readonly onReady = (): void => {
    this.everReady = true;
    this.dirty();
  };

  dispose(): void {
    this.cluster.off('+node', this.dirty);
    this.cluster.off('-node', this.dirty);
    this.cluster.off('refresh', this.dirty);
    this.cluster.off('ready', this.onReady);
    this.cluster.off('close', this.changed);
    for (const link of this.made) link.dispose();
    this.made.clear();
  }

  shardOf(tag: string): number {
    return slotOfTag(tag);
  }

  describe(shard: number): string {
    const owner = this.cluster.slots[shard]?.[0];
    return owner === undefined ? `Redis Cluster slot ${shard}` : `Redis Cluster node ${owner}`;
  }

  route(shard: number, refresh: boolean): Route {
    const status = this.cluster.status;
    if (status !== 'ready') {
      if (!this.everReady && (status === 'wait' || status === 'connecting' || status === 'connect')) {
        if (status === 'wait') this.cluster.connect().catch(() => {});
        return 'wait';
      }
      return new Error(`the Redis Cluster is not connected (status "${status}")`);
    }
    const owner = this.cluster.slots[shard]?.[0];
    const client = owner === undefined ? undefined : this.node(owner);
    const link = client === undefined ? undefined : this.linkOf(client);
    if (link?.usable) return link;
    if (link?.waitable) {
      link.connect();
      return 'wait';
    }
    if (refresh && this.refresh()) return 'refreshing';
    if (link === undefined) return new Error(owner === undefined ? `no Cluster node serves slot ${shard}` : `Cluster node ${owner} is not connected`);
    return link.lastError ?? new Error(`Cluster node ${owner as string} is not connected`);
  }

  /** A Cluster node's link by its address (for ASK redirections). */
  linkAt(address: string): RedisLink | undefined {
    const client = this.node(address);
    return client === undefined ? undefined : this.linkOf(client);
  }

  refresh(): boolean {
    const now = performance.now();
    if (now - this.lastRefresh < REFRESH_GAP_MS) return false;
    this.lastRefresh = now;
    // Waiting hits look again when it is done, whether it worked or not.
    this.cluster.refreshSlotsCache(() => this.dirty());
    return true;
  }

  private node(address: string): Redis | undefined {
    if (this.nodesDirty) {
      this.nodesDirty = false;
      this.nodes.clear();
      for (const client of this.cluster.nodes('all')) this.nodes.set(nodeKey(client), client);
    }
    return this.nodes.get(address);
  }

  private linkOf(client: Redis): RedisLink {
    let link = this.byClient.get(client);
    if (link === undefined) {
      const made = new RedisLink(client, this.changed, (stuck) => stuck.disconnect());
      link = made;
      this.byClient.set(client, made);
      this.made.add(made);
      client.once('end', () => {
        made.dispose();
        this.made.delete(made);
      });
    }
    return link;
  }
}
