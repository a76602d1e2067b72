/**
 * ASP.NET Core (Kestrel) style trace IDs: `<connection id>:<request counter>`, e.g.
 * `0HMGDP8E63BDF:00000004`. The connection id is a 64-bit number written as 13 base32 characters
 * (0-9A-V); like Kestrel we start from one value per process and add one per connection, but we
 * start from a random value (Kestrel uses the clock) so two processes behind one load balancer
 * cannot hand out the same ids.
 */
import { randomUint64 } from '../core/index.js';

const BASE32 = '0123456789ABCDEFGHIJKLMNOPQRSTUV';
const MASK_64 = (1n << 64n) - 1n;

let lastConnectionId = randomUint64();

/** Encodes the low 64 bits of `id` as 13 base32 characters, most significant first. */
export function encodeConnectionId(id: bigint): string {
  let out = '';
  for (let shift = 60n; shift >= 0n; shift -= 5n) {
    out += BASE32[Number((id >> shift) & 31n)];
  }
  return out;
}

/** The next connection id of this process. */
export function nextConnectionId(): string {
  lastConnectionId = (lastConnectionId + 1n) & MASK_64;
  return encodeConnectionId(lastConnectionId);
}

interface ConnectionState {
  readonly id: string;
  count: number;
}

// Keyed by socket so the state goes away with the connection; no cleanup listener needed.
const connections = new WeakMap<object, ConnectionState>();

/** The trace ID for the next request on `socket`: its connection id and a per-connection counter. */
export function nextAspNetTraceId(socket: object): string {
  let state = connections.get(socket);
  if (state === undefined) {
    state = { id: nextConnectionId(), count: 0 };
    connections.set(socket, state);
  }
  // Kestrel's counter is a uint32 that wraps; so does ours.
  state.count = (state.count + 1) >>> 0;
  return state.id + ':' + state.count.toString(16).toUpperCase().padStart(8, '0');
}

/** True for a string in the aspnet format (what the CLI and tests accept as a trace ID). */
export function isAspNetTraceId(value: string): boolean {
  return /^[0-9A-V]{13}:[0-9A-F]{8}$/.test(value);
}
