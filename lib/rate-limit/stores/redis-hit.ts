/**
 * One RedisStore hit from the request to its settlement. The rules it keeps:
 * - it is written only to a connection that is ready and whose clock is known, and never after it
 *   settled: a hit given up before it was written is never sent;
 * - while a first connection is on its way it waits (bounded by the deadline); a connection that
 *   is down is not waited for;
 * - once written it waits for the reply until the deadline. Every written command carries a fence
 *   (its deadline less a margin, on Redis's clock), so if Redis executes it later it counts nowhere;
 * - a lost connection fails it at once; MOVED, ASK, TRYAGAIN, CLUSTERDOWN and LOADING replies (the
 *   command did not run) are retried a few times within the deadline.
 */
import { StoreUnavailableError } from '../errors.js';
import { type HitResult, type RateLimitWindow, blockedWindow } from '../store.js';
import type { InFlight, RedisLink } from './redis-link.js';
import type { RedisRouter } from './redis-router.js';
import { PAST_FENCE } from './redis-script.js';

export type ScriptReply = (number | string)[];

/** A call waiting for a connection: looked at again on each change of a connection's state. */
export interface Waiter {
  retry(): void;
  /** The store closed: settle now. */
  lost(error: Error): void;
}

/** What a call needs from its store. */
export interface HitHost {
  readonly router: RedisRouter;
  send(link: RedisLink, args: (string | number)[], asking: boolean): Promise<ScriptReply>;
  /** Calls `waiter.retry()` on the next change of any connection's state. */
  wait(waiter: Waiter): void;
  unwait(waiter: Waiter): void;
  /** Moves a slot to the node a MOVED reply named. */
  moved(slot: number, address: string): void;
  linkAt(address: string): RedisLink | undefined;
}

/** Index of the fence in the script's arguments (after numkeys, the keys and the stack flag). */
export function fenceIndex(windowCount: number): number {
  return 2 + windowCount;
}

/** MOVED/ASK redirections followed per hit (a slot moves once per migration; more means a loop). */
export const MAX_REDIRECTIONS = 5;
export const RETRY_DELAY_MS = 50;
/** Redirections and "try later" answers: the command did not run, so it may be sent again. */
export const RETRYABLE = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN|LOADING) ?(\d+)? ?(\S+)?/;

/**
 * A call routed to the connection serving its shard: written when that connection is usable, waiting
 * (registered with the host) while a first connection is on its way, failed when it is down.
 */
export abstract class RoutedCall implements Waiter {
  protected settled = false;
  /** The deadline's timer. */
  protected timer: NodeJS.Timeout | undefined;
  /** A fresh Cluster slot map was asked for once already. */
  private refreshed = false;

  constructor(
    protected readonly host: HitHost,
    protected readonly shard: number,
  ) {}

  /** Routes and writes, waits for a first connection, or gives up (the connection is down). */
  retry(): void {
    if (this.settled) return;
    const route = this.host.router.route(this.shard, !this.refreshed);
    if (route === 'wait' || route === 'refreshing') {
      if (route === 'refreshing') this.refreshed = true;
      return this.host.wait(this);
    }
    this.host.unwait(this);
    if (route instanceof Error) return this.fail(route);
    this.send(route);
  }

  /** Done: no more timer, no more waiting. */
  protected settle(): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.host.unwait(this);
  }

  abstract lost(error: Error): void;
  protected abstract send(link: RedisLink): void;
  protected abstract fail(error: Error): void;
}

export class PendingHit extends RoutedCall implements InFlight {
  private link: RedisLink | undefined;
  private redirections = 0;
  private readonly margin: number;
  private readonly allowedMs: number;

  constructor(
    host: HitHost,
    shard: number,
    private readonly args: (string | number)[],
    private readonly windows: readonly RateLimitWindow[],
    private readonly deadline: number,
    private readonly resolve: (result: HitResult) => void,
    private readonly reject: (error: Error) => void,
  ) {
    super(host, shard);
    // The fence sits this far before the deadline, so a reply from a command that made it in time
    // reaches us before we give up. A quarter of the time allowed, at most 1 s.
    this.allowedMs = Math.max(0, deadline - performance.now());
    this.margin = Math.min(1000, this.allowedMs / 4);
  }

  start(): void {
    this.timer = setTimeout(this.onDeadline, Math.max(0, this.deadline - performance.now()));
    this.retry();
  }

  protected send(link: RedisLink): void {
    this.write(link, false);
  }

  lost(error: Error): void {
    this.link = undefined;
    if (!this.settled) this.fail(error);
  }

  private write(link: RedisLink, asking: boolean): void {
    const fenceAt = this.deadline - this.margin;
    if (performance.now() >= fenceAt) return this.fail(new StoreUnavailableError('no time left to send the command'));
    this.link = link;
    link.written(this);
    this.args[fenceIndex(this.windows.length)] = link.fenceFor(fenceAt);
    this.host.send(link, this.args, asking).then(
      (reply) => this.onReply(link, reply),
      (error: unknown) => this.onError(link, error),
    );
  }

  private onReply(link: RedisLink, reply: ScriptReply): void {
    const receivedAt = performance.now();
    link.sample(Number(reply[reply.length - 1]), receivedAt);
    if (this.link === link) {
      this.link = undefined;
      link.settled(this);
    }
    if (this.settled) return;
    if (Number(reply[0]) === PAST_FENCE) return this.fail(new StoreUnavailableError('Redis ran the command after its deadline (it counted nowhere)'));
    this.settle();
    this.resolve(toHitResult(reply, this.windows));
  }

  private onError(link: RedisLink, error: unknown): void {
    if (this.link === link) {
      this.link = undefined;
      link.settled(this);
    }
    if (this.settled) return;
    const err = error instanceof Error ? error : new Error(String(error));
    const retry = RETRYABLE.exec(err.message);
    if (retry === null) return this.fail(err);
    const [, kind, slot, address] = retry;
    if ((kind === 'MOVED' || kind === 'ASK') && ++this.redirections > MAX_REDIRECTIONS) return this.fail(err);
    if (kind === 'MOVED' && slot !== undefined && address !== undefined) {
      this.host.moved(Number(slot), address);
      if (this.host.linkAt(address) !== undefined) return this.retry();
    }
    if (kind === 'ASK' && address !== undefined) {
      const target = this.host.linkAt(address);
      if (target?.usable) return this.write(target, true);
      // A node this process has not talked to yet: connect now; the next ASK finds it ready.
      if (target?.waitable) target.connect();
      else this.host.router.refresh();
    }
    // TRYAGAIN (a multi-key command during a slot migration), CLUSTERDOWN (a failover in progress:
    // with cluster-require-full-coverage every node refuses until a replica took over), LOADING (a
    // restarted node reading its data): try again shortly, as long as the deadline allows (write()
    // gives up once the fence has passed).
    setTimeout(() => this.retry(), RETRY_DELAY_MS).unref();
  }

  private readonly onDeadline = (): void => {
    // One more turn of the event loop first: a reply already received but not yet read must win.
    setImmediate(() => {
      if (this.settled) return;
      const link = this.link;
      this.link = undefined;
      if (link !== undefined) link.overdue(this);
      this.fail(new StoreUnavailableError(`no answer within ${Math.round(this.allowedMs)} ms`));
    });
  };

  protected fail(error: Error): void {
    if (this.settled) return;
    this.settle();
    const link = this.link;
    this.link = undefined;
    if (link !== undefined) link.settled(this);
    this.reject(error);
  }
}

function toHitResult(reply: ScriptReply, windows: readonly RateLimitWindow[]): HitResult {
  const n = windows.length;
  const counts = new Array<number>(n);
  const resetsInMs = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    counts[i] = Number(reply[1 + 2 * i]);
    resetsInMs[i] = Number(reply[2 + 2 * i]);
  }
  const counted = Number(reply[0]) === 1;
  return { blocked: blockedWindow(windows, counts, resetsInMs, counted), counts, resetsInMs };
}
