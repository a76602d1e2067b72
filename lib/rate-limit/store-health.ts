/**
 * Outage bookkeeping for a shared store: one warning when an outage starts, one when it ends, and
 * while it lasts at most one request per probe interval tries the store (the rest skip it, so an
 * outage costs no latency). Results of requests sent before a state change are ignored, so replies
 * straggling in around an outage cannot produce a second warning pair.
 */
import type { LogSink } from '../core/index.js';

const PROBE_INTERVAL_MS = 1000;

export class StoreHealth {
  /** Changes on every transition; a request remembers the epoch it was sent in. */
  epoch = 0;
  private down = false;
  private downSince = 0;
  private nextProbeAt = 0;
  private skipped = 0;

  constructor(
    private readonly logger: () => LogSink,
    private readonly mode: () => 'open' | 'closed',
  ) {}

  /** Milliseconds a client should wait during an outage (Retry-After of a 503). */
  get retryAfterMs(): number {
    return PROBE_INTERVAL_MS;
  }

  /** True when this request should not try the store (an outage, and not this request's turn to probe). */
  skip(): boolean {
    if (!this.down) return false;
    const now = performance.now();
    if (now >= this.nextProbeAt) {
      this.nextProbeAt = now + PROBE_INTERVAL_MS;
      return false;
    }
    this.skipped++;
    return true;
  }

  succeeded(epoch: number): void {
    if (!this.down || epoch !== this.epoch) return;
    this.down = false;
    this.epoch++;
    const seconds = ((performance.now() - this.downSince) / 1000).toFixed(1);
    this.logger().warn(`Rate-limit store recovered after ${seconds} s; counting in the store again.`, {
      outageSeconds: Number(seconds),
      requestsDuringOutage: this.skipped,
    });
    this.skipped = 0;
  }

  /** Records a failure; returns true when it started an outage. */
  failed(epoch: number, error: unknown): boolean {
    if (this.down || epoch !== this.epoch) return false;
    this.down = true;
    this.epoch++;
    this.downSince = performance.now();
    this.nextProbeAt = this.downSince + PROBE_INTERVAL_MS;
    const reason = error instanceof Error ? error.message : String(error);
    const action =
      this.mode() === 'open'
        ? 'admitting requests and counting them in memory (per process) until it recovers'
        : 'answering 503 until it recovers';
    this.logger().warn(`Rate-limit store unavailable (${reason}); ${action}. Check the store (e.g. Redis) is running and reachable.`, {
      onError: this.mode(),
    });
    return true;
  }
}
