/**
 * Every timer the server holds, by kind, so shutdown can prove it left none behind and `stats()`
 * can show what is pending. No other server module calls setTimeout directly (a house test checks).
 */

/** What a server timer is for. */
export type TimerKind =
  /** A new socket's time to send `join` (4003). */
  | 'join'
  /** A joined socket's silence check (4004). */
  | 'heartbeat'
  /** A closing socket's wait for the close handshake before it is destroyed. */
  | 'close'
  /** A session's grace window after its socket dropped. */
  | 'grace'
  /** A session's media URL refresh (`url-updated`). */
  | 'media-refresh'
  /** A stream's wait while its media is `lost`. */
  | 'media-lost'
  /** A session's token: `token-expiring` before its expiry, the end of the session after it. */
  | 'token'
  /** A cluster node's own work: its liveness key, the dead-node sweep, admin calls to other nodes. */
  | 'cluster';

/** The kinds in a fixed order (for stats). */
export const TIMER_KINDS: readonly TimerKind[] = [
  'join',
  'heartbeat',
  'close',
  'grace',
  'media-refresh',
  'media-lost',
  'token',
  'cluster',
];

/** A handle of {@link ServerTimers.after}. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/** The server's timers: started with {@link ServerTimers.after}, stopped with {@link ServerTimers.cancel}. */
export class ServerTimers {
  private readonly live = new Map<TimerHandle, TimerKind>();

  /** Runs `fn` after `ms` milliseconds; the timer is forgotten once it fires or is cancelled. */
  after(kind: TimerKind, ms: number, fn: () => void): TimerHandle {
    const handle = setTimeout(() => {
      this.live.delete(handle);
      fn();
    }, ms);
    this.live.set(handle, kind);
    return handle;
  }

  /** Stops a timer (nothing happens for undefined or one already done). Returns undefined to clear the field holding it. */
  cancel(handle: TimerHandle | undefined): undefined {
    if (handle === undefined) return undefined;
    clearTimeout(handle);
    this.live.delete(handle);
    return undefined;
  }

  /** Pending timers in all. */
  get size(): number {
    return this.live.size;
  }

  /** Pending timers per kind. */
  counts(): Record<TimerKind, number> {
    const counts = Object.fromEntries(TIMER_KINDS.map((k) => [k, 0])) as Record<TimerKind, number>;
    for (const kind of this.live.values()) counts[kind]++;
    return counts;
  }
}
