import type { Observable } from 'rxjs';
import {
  asyncScheduler,
  catchError,
  defer,
  filter,
  finalize,
  ignoreElements,
  map,
  merge,
  NEVER,
  of,
  switchMap,
  throwError,
  timer,
  type SchedulerLike,
} from 'rxjs';
import { RtcError } from '../errors';
import type { LiveLink } from '../bindings/protocol/protocol-driver';

/** Options of {@link heartbeat}. */
export interface HeartbeatOptions {
  /** Ping after this many ms without any frame from the server. Default: the server's value. */
  readonly interval?: number;
  /**
   * Declare the link dead when a ping gets no answer within this many ms. Default: the server's
   * timeout minus its interval (20 s with the reference server's defaults).
   */
  readonly timeout?: number;
  /** Emits when the link should be checked at once (e.g. the app came back from background). */
  readonly check$?: Observable<unknown>;
  /**
   * Emits when the link may have died without a close (the network type changed, an audio
   * interruption ended): a ping is sent at once and must be answered within `probeTimeout`,
   * replacing a ping already waiting with a longer timeout.
   */
  readonly probe$?: Observable<unknown>;
  /** Ms a probe may wait for its answer. Default 3000. */
  readonly probeTimeout?: number;
  /**
   * Emits when the link is known to be dead without a close (the device moved between Wi-Fi and
   * cellular, so the socket's address is gone): errors with `CONNECTION_LOST` at once, and the
   * reconnect logic resumes on a new socket without waiting for a probe.
   */
  readonly drop$?: Observable<unknown>;
}

/** Default ms a probe (`probe$`) waits for its pong. */
export const DEFAULT_PROBE_TIMEOUT = 3000;

/**
 * Detects dead and half-open connections: after `interval` ms in which the server sent nothing,
 * sends a ping; when the ping gets no answer within `timeout`, errors with `HEARTBEAT_TIMEOUT`,
 * which the reconnect logic treats like a lost socket. Any frame from the server counts as life,
 * so a busy room sends no pings at all. A `probe$` signal pings at once with the short
 * `probeTimeout`, so a socket that died with a network change is noticed within that time
 * instead of after a whole heartbeat period.
 *
 * @example
 * ```ts
 * createClient({ url, heartbeat: { interval: 5000, timeout: 8000, probeTimeout: 2000 } })
 * ```
 */
export function heartbeat(options: HeartbeatOptions = {}, scheduler: SchedulerLike = asyncScheduler) {
  return (link: LiveLink): Observable<never> => {
    const interval = options.interval ?? link.heartbeat.interval;
    const timeout =
      options.timeout ??
      (link.heartbeat.timeout > interval ? link.heartbeat.timeout - interval : link.heartbeat.timeout);
    const probeTimeout = options.probeTimeout ?? DEFAULT_PROBE_TIMEOUT;
    const probe$ = options.probe$ ?? NEVER;
    // A probe also restarts the quiet timer, so a regular ping never replaces a probe in flight.
    const quiet$ = merge(
      of(interval),
      link.received$.pipe(switchMap(() => of(interval))),
      (options.check$ ?? NEVER).pipe(switchMap(() => of(0))),
      probe$.pipe(map(() => interval)),
    ).pipe(
      switchMap((wait) => timer(wait, scheduler)),
      map(() => timeout),
    );
    // One ping at a time: a regular ping only comes after a quiet interval (it is never sent while
    // another waits), and a probe replaces whatever waits by a ping with the short timeout.
    return defer(() => {
      let waiting = false;
      const tick$ = merge(quiet$.pipe(filter(() => !waiting)), probe$.pipe(map(() => probeTimeout)));
      const dropped$ = (options.drop$ ?? NEVER).pipe(
        switchMap(() =>
          throwError(
            () => new RtcError('CONNECTION_LOST', 'the network interface changed (Wi-Fi ↔ cellular)'),
          ),
        ),
      );
      const pinged$ = tick$.pipe(
        switchMap((wait) => {
          waiting = true;
          return link.ping(wait).pipe(
            finalize(() => (waiting = false)),
            catchError((error: unknown) =>
              throwError(() =>
                error instanceof RtcError && error.code === 'TIMEOUT'
                  ? new RtcError('HEARTBEAT_TIMEOUT', `no answer to a ping within ${wait} ms`)
                  : error,
              ),
            ),
          );
        }),
        ignoreElements(),
      );
      return merge(pinged$, dropped$);
    });
  };
}
