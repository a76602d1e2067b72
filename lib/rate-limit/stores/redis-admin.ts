/**
 * An operator's call on one client's counters (inspect: read them; reset: delete them), routed like a
 * hit: to the connection (Cluster node) holding the client's slot, waiting for a first connection
 * within the deadline, following MOVED and retrying "try again" answers. Unlike a hit it carries no
 * fence: reading twice or deleting twice changes nothing.
 */
import type { Redis } from 'ioredis';
import { StoreUnavailableError } from '../errors.js';
import { type HitHost, MAX_REDIRECTIONS, RETRY_DELAY_MS, RETRYABLE, RoutedCall } from './redis-hit.js';
import type { RedisLink } from './redis-link.js';

export class AdminCall<T> extends RoutedCall {
  private redirections = 0;

  constructor(
    host: HitHost,
    shard: number,
    private readonly run: (client: Redis) => Promise<T>,
    private readonly deadline: number,
    private readonly resolve: (value: T) => void,
    private readonly reject: (error: Error) => void,
  ) {
    super(host, shard);
  }

  start(): void {
    const allowed = Math.max(0, this.deadline - performance.now());
    this.timer = setTimeout(() => this.fail(new StoreUnavailableError(`no answer within ${Math.round(allowed)} ms`)), allowed);
    this.retry();
  }

  protected send(link: RedisLink): void {
    this.run(link.client).then(
      (value) => {
        if (this.settled) return;
        this.settle();
        this.resolve(value);
      },
      (error: unknown) => this.onError(error),
    );
  }

  lost(error: Error): void {
    this.fail(error);
  }

  private onError(error: unknown): void {
    if (this.settled) return;
    const err = error instanceof Error ? error : new Error(String(error));
    const retry = RETRYABLE.exec(err.message);
    if (retry === null || ((retry[1] === 'MOVED' || retry[1] === 'ASK') && ++this.redirections > MAX_REDIRECTIONS)) return this.fail(err);
    const [, kind, slot, address] = retry;
    if (kind === 'MOVED' && slot !== undefined && address !== undefined) this.host.moved(Number(slot), address);
    // ASK (a slot migrating), TRYAGAIN, CLUSTERDOWN, LOADING: ask again shortly, within the deadline.
    setTimeout(() => this.retry(), RETRY_DELAY_MS).unref();
  }

  protected fail(error: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(error);
  }
}
