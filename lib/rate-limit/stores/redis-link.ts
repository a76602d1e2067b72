/**
 * One ioredis connection as RedisStore sees it (a standalone or Sentinel-managed client, or one
 * Cluster node). It answers the questions the no-replay rules need:
 * - may a command be written now (`usable`), is a first connection still on its way (`waitable`),
 *   or is it down (anything else: the caller gives up without writing);
 * - what Redis's clock reads (a lower bound of Redis ms − performance.now(), learnt from TIME after
 *   each connect and from every script reply), so a command can carry a fence;
 * - which written commands are still waiting, so a lost connection fails them at once, and a
 *   connection that stopped answering (a reply overdue past its deadline) is not written to again
 *   and is reconnected once nothing written on it can still count.
 */
import type { Writable } from 'node:stream';
import type { Redis } from 'ioredis';

/** A written command waiting for its reply. */
export interface InFlight {
  /** The connection was lost: the command's fate is unknown, so the caller decides without it. */
  lost(error: Error): void;
}

/** The longest a command waits in a held socket before it is written (see coalesce()). */
const COALESCE_MS = 5;

/** How long a clock sample stays the best one: the bound follows Redis's clock if it steps back. */
const OFFSET_WINDOW_MS = 10_000;

export class RedisLink {
  readonly client: Redis;
  /** Lower bound of (Redis clock ms − performance.now()); undefined until measured on this connection. */
  private offset: number | undefined;
  private offsetAt = 0;
  private calibrating = false;
  private everUsable = false;
  /** A written command went unanswered past its deadline; nothing more is written until Redis answers. */
  private stalled = false;
  private readonly inFlight = new Set<InFlight>();
  /** The socket whose writes are held until the end of this turn of the event loop. */
  private corked: Writable | undefined;
  private corkedAt = 0;
  private uncorkScheduled = false;
  /** Why the connection is unusable, for the outage warning. */
  lastError: Error | undefined;

  constructor(
    client: Redis,
    private readonly changed: () => void,
    /** Drops a connection that stopped answering (the client or Cluster connects afresh). */
    private readonly reconnect: (client: Redis) => void,
  ) {
    this.client = client;
    client.on('ready', this.onReady);
    client.on('close', this.onClose);
    client.on('error', this.onError);
    if (client.status === 'ready') this.onReady();
  }

  /** True when a command written now goes straight to Redis and can carry a fence. */
  get usable(): boolean {
    return this.offset !== undefined && !this.stalled && this.client.status === 'ready';
  }

  /** True while the first connection (or its clock reading) is on its way: callers may wait. */
  get waitable(): boolean {
    if (this.stalled) return false;
    const status = this.client.status;
    if (status === 'ready') return this.offset === undefined && this.calibrating;
    return !this.everUsable && (status === 'wait' || status === 'connecting' || status === 'connect');
  }

  /** Starts a lazy client's first connection. */
  connect(): void {
    if (this.client.status === 'wait') this.client.connect().catch(() => {});
  }

  /** The fence for a command that must not count after local time `localMs` (performance.now()). */
  fenceFor(localMs: number): number {
    return Math.floor(localMs + (this.offset as number));
  }

  /** Learns from Redis's clock reading `redisMs`, received at local time `receivedAt`. */
  sample(redisMs: number, receivedAt: number): void {
    // Redis read its clock before we received the reply, so this is never above the true offset.
    const candidate = redisMs - receivedAt;
    if (this.offset === undefined || candidate > this.offset || receivedAt - this.offsetAt > OFFSET_WINDOW_MS) {
      this.offset = candidate;
      this.offsetAt = receivedAt;
    }
    if (this.stalled) {
      this.stalled = false;
      this.changed();
    }
  }

  written(call: InFlight): void {
    this.inFlight.add(call);
    this.coalesce();
  }

  /**
   * Holds this connection's socket writes until the event loop has run every I/O callback of this
   * turn, so the commands of all requests that arrived together leave in one write (one system
   * call instead of one per request: the largest single cost of a Redis-backed request). ioredis's
   * own auto-pipelining batches the same way but builds a Pipeline (and its promises) per batch,
   * which costs more than it saves here.
   *
   * Held for at most COALESCE_MS: a turn can be long (hundreds of requests arriving at once on a
   * busy machine took seconds), and a command held until its end would reach Redis after its fence,
   * or have its reply arrive only after the deadline's check, and be decided by the fallback with a
   * full limit of its own. Flushed within a few ms, its reply is waiting in the socket when the
   * turn ends and is read before any deadline of that turn is checked.
   */
  private coalesce(): void {
    if (this.corked !== undefined) {
      if (performance.now() - this.corkedAt < COALESCE_MS) return;
      this.uncork();
    }
    const stream = (this.client as unknown as { stream?: Partial<Writable> }).stream;
    if (typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return;
    stream.cork();
    this.corked = stream as Writable;
    this.corkedAt = performance.now();
    if (!this.uncorkScheduled) {
      this.uncorkScheduled = true;
      setImmediate(this.endOfTurn);
    }
  }

  private readonly endOfTurn = (): void => {
    this.uncorkScheduled = false;
    this.uncork();
  };

  private uncork(): void {
    const stream = this.corked;
    this.corked = undefined;
    stream?.uncork();
  }

  /** A written command settled (answered, failed, or given up). */
  settled(call: InFlight): void {
    this.inFlight.delete(call);
    if (this.stalled && this.inFlight.size === 0) this.reconnect(this.client);
  }

  /** A written command went unanswered past its deadline. */
  overdue(call: InFlight): void {
    if (!this.stalled) {
      this.stalled = true;
      this.lastError = new Error('Redis stopped answering (a reply is overdue)');
      this.changed();
    }
    this.settled(call);
  }

  private readonly onReady = (): void => {
    this.offset = undefined;
    this.stalled = false;
    this.calibrating = true;
    const sentAt = performance.now();
    this.client.time().then(
      ([seconds, micros]) => {
        this.calibrating = false;
        // A reply to a TIME sent on an earlier connection must not calibrate this one.
        if (this.client.status !== 'ready') return;
        const receivedAt = performance.now();
        if (receivedAt < sentAt) return;
        this.sample(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000), receivedAt);
        this.everUsable = true;
        this.lastError = undefined;
        this.changed();
      },
      (error: unknown) => {
        this.calibrating = false;
        this.lastError = error instanceof Error ? error : new Error(String(error));
        this.changed();
      },
    );
  };

  private readonly onClose = (): void => {
    this.offset = undefined;
    this.calibrating = false;
    this.stalled = false;
    this.lastError ??= new Error('the connection to Redis was lost');
    const lost = [...this.inFlight];
    this.inFlight.clear();
    for (const call of lost) call.lost(this.lastError);
    this.changed();
  };

  private readonly onError = (error: Error): void => {
    this.lastError = error;
  };

  /** Stops listening (the client is being closed or dropped). */
  dispose(): void {
    this.client.off('ready', this.onReady);
    this.client.off('close', this.onClose);
    this.client.off('error', this.onError);
  }
}
