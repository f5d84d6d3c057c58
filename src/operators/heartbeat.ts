import type { Observable } from 'rxjs';
import {
  asyncScheduler,
  catchError,
  exhaustMap,
  ignoreElements,
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
}

/**
 * Detects dead and half-open connections: after `interval` ms in which the server sent nothing,
 * sends a ping; when the ping gets no answer within `timeout`, errors with `HEARTBEAT_TIMEOUT`,
 * which the reconnect logic treats like a lost socket. Any frame from the server counts as life,
 * so a busy room sends no pings at all.
 *
 * @example
 * ```ts
 * createClient({ url, heartbeat: { interval: 5000, timeout: 8000 } })
 * ```
 */
export function heartbeat(options: HeartbeatOptions = {}, scheduler: SchedulerLike = asyncScheduler) {
  return (link: LiveLink): Observable<never> => {
    const interval = options.interval ?? link.heartbeat.interval;
    const timeout =
      options.timeout ??
      (link.heartbeat.timeout > interval ? link.heartbeat.timeout - interval : link.heartbeat.timeout);
    const quiet$ = merge(
      of(interval),
      link.received$.pipe(switchMap(() => of(interval))),
      (options.check$ ?? NEVER).pipe(switchMap(() => of(0))),
    ).pipe(switchMap((wait) => timer(wait, scheduler)));
    return quiet$.pipe(
      exhaustMap(() =>
        link
          .ping(timeout)
          .pipe(
            catchError((error: unknown) =>
              throwError(() =>
                error instanceof RtcError && error.code === 'TIMEOUT'
                  ? new RtcError('HEARTBEAT_TIMEOUT', `no answer to a ping within ${timeout} ms`)
                  : error,
              ),
            ),
          ),
      ),
      ignoreElements(),
    );
  };
}
