import type { Observable } from 'rxjs';
import {
  asyncScheduler,
  defer,
  filter,
  NEVER,
  race,
  retry,
  switchMap,
  take,
  tap,
  throwError,
  timer,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { RtcError, type RtcErrorCode, asRtcError } from '../errors';
import type { ConnectionState } from '../streams/model';
import { defaultReconnectPolicy, type ReconnectPolicy } from './reconnect-policy';

/** Errors that end a session for good: retrying cannot fix them. */
const FINAL: ReadonlySet<RtcErrorCode> = new Set<RtcErrorCode>([
  'KICKED',
  'DESTROYED',
  'TOKEN_MISSING',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_YET_VALID',
  'TOKEN_MISMATCH',
  'NOT_ALLOWED',
  'ROOM_FULL',
  'DUPLICATE_SESSION',
  'INVALID_ARGUMENT',
  'INVALID_STATE',
  'UNSUPPORTED',
  'RECONNECT_FAILED',
  'DOMAIN_NOT_ALLOWED',
]);

/** True for errors a reconnect may fix (lost socket, timeout, heartbeat, server trouble). */
export function isRetryableError(error: unknown): boolean {
  return error instanceof RtcError && !FINAL.has(error.code);
}

/** Options of {@link reconnect}. */
export interface ReconnectOptions {
  /** When to retry and when to give up. Default {@link defaultReconnectPolicy}. */
  readonly policy?: ReconnectPolicy;
  /**
   * Network reachability, telling each new subscriber the current state at once (as a
   * BehaviorSubject or `shareReplay(1)` does). While it says `false`, no attempt is made (and
   * none is counted).
   */
  readonly online$?: Observable<boolean>;
  /** Emits when it is worth trying at once (app back in the foreground, network back). */
  readonly wake$?: Observable<unknown>;
  /** Which errors to retry. Default {@link isRetryableError}. */
  readonly shouldRetry?: (error: unknown) => boolean;
  /** Told about each wait (`reconnecting` with attempt and delay). */
  readonly report?: (state: ConnectionState) => void;
}

/**
 * Keeps a connection alive: when the source (one connection attempt that emits once connected
 * and errors when the connection is lost) errors with a retryable error, waits as the policy says
 * and subscribes again. While the platform reports offline it waits without spending attempts and
 * tries at once when the network returns; `wake$` (app shown) also cuts a wait short. The count
 * and the elapsed time start again after each success. Final errors (kicked, bad token…) and the
 * policy giving up (`RECONNECT_FAILED`) go through.
 *
 * @example
 * ```ts
 * connectOnce$.pipe(
 *   reconnect({ policy: defaultReconnectPolicy(), online$, wake$: appShow$,
 *               report: (s) => console.log(s.status, s.attempt, s.delay) }),
 * )
 * ```
 */
export function reconnect<T>(
  options: ReconnectOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  const policy = options.policy ?? defaultReconnectPolicy();
  const shouldRetry = options.shouldRetry ?? isRetryableError;
  const online$ = options.online$;
  const wake$ = options.wake$ ?? NEVER;
  return (source) =>
    defer(() => {
      let lostAt: number | null = null;
      return source.pipe(
        tap(() => (lostAt = null)),
        retry({
          resetOnSuccess: true,
          delay: (error: unknown, attempt: number) => {
            if (!shouldRetry(error)) return throwError(() => error);
            const rtcError = asRtcError(error);
            lostAt ??= scheduler.now();
            const delay = policy(attempt, scheduler.now() - lostAt, rtcError);
            if (delay === null) {
              return throwError(
                () =>
                  new RtcError(
                    'RECONNECT_FAILED',
                    `gave up after ${attempt - 1} attempts: ${rtcError.reason}`,
                    {
                      cause: rtcError,
                    },
                  ),
              );
            }
            const report = (waitingForNetwork: boolean) =>
              options.report?.({
                status: 'reconnecting',
                attempt,
                delay,
                error: rtcError.toJSON(),
                ...(waitingForNetwork ? { waitingForNetwork } : {}),
              });
            const wait = () => race(timer(delay, scheduler), wake$.pipe(take(1)));
            if (!online$) {
              report(false);
              return wait();
            }
            // Wait for the network first; a wait for the network is no attempt.
            return online$.pipe(
              take(1),
              switchMap((online) => {
                report(!online);
                return online ? wait() : online$.pipe(filter(Boolean), take(1));
              }),
            );
          },
        }),
      );
    });
}

export type { ReconnectPolicy };
