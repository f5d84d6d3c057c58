/**
 * The token a session holds across reconnections, the same for the built-in driver and the vendor
 * driver kit: the latest one (the join's, then each renewal's), when it expires, and how a
 * reconnection gets a fresh one from the app's `renewToken` function when the one held has lapsed.
 * A lapse with no way to renew ends the session as `kicked` (`token-expired`).
 */
import {
  catchError,
  defer,
  EMPTY,
  exhaustMap,
  type Subscription,
  map,
  type Observable,
  switchMap,
  take,
  throwError,
  throwIfEmpty,
  timeout,
  type SchedulerLike,
} from 'rxjs';
import { asRtcError, RtcError } from '../errors';

/** The token of one session. */
export interface HeldToken {
  /** The latest token: presented by every resume or rejoin. */
  token: string;
  /** When it expires (ms since the epoch), as the backend last said; used when the token cannot be read. */
  expiresAt: number | undefined;
  /** The backend refused it as expired: get a fresh one before the next attempt. */
  lapsed: boolean;
}

/** A held token for the join's `token`. */
export function holdToken(token: string): HeldToken {
  return { token, expiresAt: undefined, lapsed: false };
}

/** Makes `token` the one held (a renewal or a fresh one), with its expiry when known. */
export function replaceToken(held: HeldToken, token: string, expiresAt?: number): void {
  held.token = token;
  held.expiresAt = expiresAt;
  held.lapsed = false;
}

/** Values of the 64 base64url characters (standard `+/` accepted too). */
const BASE64 = new Map<string, number>(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'].map((c, i) => [c, i]),
);
BASE64.set('-', 62).set('_', 63).set('+', 62).set('/', 63);

/**
 * Decodes base64url into a string of byte values (Latin-1): enough for JSON whose structure is
 * ASCII. Written by hand because `atob` is not on every mini program base library.
 */
function base64UrlBytes(text: string): string | undefined {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const c of text.replace(/=+$/, '')) {
    const v = BASE64.get(c);
    if (v === undefined) return undefined;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >> bits) & 0xff);
    }
  }
  return out;
}

/**
 * The expiry of a JWT (its `exp` claim, in ms since the epoch), read without checking the
 * signature (only the server can); undefined for anything that is not a JWT with a numeric `exp`
 * (vendor tokens, opaque strings).
 *
 * @example
 * ```ts
 * tokenExpiry(rxroomToken) // 1767225600000
 * tokenExpiry('opaque')    // undefined
 * ```
 */
export function tokenExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1]!.length === 0) return undefined;
  const json = base64UrlBytes(parts[1]!);
  if (json === undefined) return undefined;
  try {
    const exp = (JSON.parse(json) as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the held token has lapsed at `now` (refused as expired, or past its known expiry). */
export function tokenLapsed(held: HeldToken, now: number): boolean {
  if (held.lapsed) return true;
  const expiresAt = tokenExpiry(held.token) ?? held.expiresAt;
  return expiresAt !== undefined && expiresAt <= now;
}

/**
 * One token from the app's `renewToken` function: its first value, which must be a non-empty
 * string, within `due` ms when given. Every failure is `TOKEN_RENEW_FAILED`, its cause the
 * function's error.
 */
export function freshToken(
  fetch: () => Observable<string>,
  due?: { readonly ms: number; readonly scheduler: SchedulerLike },
): Observable<string> {
  const answered = defer(fetch).pipe(
    take(1),
    throwIfEmpty(() => new RtcError('TOKEN_RENEW_FAILED', 'renewToken completed without a token')),
  );
  return (
    due
      ? answered.pipe(
          timeout({
            first: due.ms,
            scheduler: due.scheduler,
            with: () =>
              throwError(
                () => new RtcError('TOKEN_RENEW_FAILED', `renewToken gave no token within ${due.ms} ms`),
              ),
          }),
        )
      : answered
  ).pipe(
    map((token: unknown) => {
      if (typeof token !== 'string' || token.length === 0) {
        throw new RtcError('TOKEN_RENEW_FAILED', 'renewToken gave no token (an empty or non-string value)');
      }
      return token;
    }),
    catchError((e: unknown) => {
      if (e instanceof RtcError && e.code === 'TOKEN_RENEW_FAILED') return throwError(() => e);
      const cause = asRtcError(e);
      return throwError(
        () => new RtcError('TOKEN_RENEW_FAILED', `renewToken failed: ${cause.reason}`, { cause }),
      );
    }),
  );
}

/** What {@link withLatestToken} needs of its session. */
export interface TokenAttempt<T> {
  readonly held: HeldToken;
  /** The app's `renewToken` function, if any. */
  readonly fetch: (() => Observable<string>) | undefined;
  /** Ms a fetch may take. */
  readonly due: number;
  readonly scheduler: SchedulerLike;
  /** One connection attempt with `held.token`. */
  readonly connect: () => Observable<T>;
  /** Ends the session as `kicked` (`token-expired`): emits the event, returns the error to end with. */
  readonly lapse: (why: string) => RtcError;
}

/**
 * One reconnection attempt that presents the latest token: a fresh one is fetched first when the
 * one held has lapsed, and once more when the backend refuses the attempt with `TOKEN_EXPIRED`
 * (clocks differ). A lapsed token that cannot be renewed (no function, or the backend refuses the
 * fresh token as expired too) ends the session as `kicked` (`token-expired`); a failing function
 * fails the attempt with `TOKEN_RENEW_FAILED`, which the reconnect policy may retry.
 */
export function withLatestToken<T>(a: TokenAttempt<T>): Observable<T> {
  const attempt = (fetched: boolean): Observable<T> =>
    defer(() => {
      if (a.fetch && !fetched && tokenLapsed(a.held, a.scheduler.now())) {
        return freshToken(a.fetch, { ms: a.due, scheduler: a.scheduler }).pipe(
          switchMap((token) => {
            replaceToken(a.held, token);
            return attempt(true);
          }),
        );
      }
      return a.connect().pipe(
        catchError((e: unknown) => {
          if (!(e instanceof RtcError) || e.code !== 'TOKEN_EXPIRED') return throwError(() => e);
          a.held.lapsed = true;
          if (a.fetch && !fetched) return attempt(false);
          return throwError(() =>
            a.lapse(a.fetch ? 'the fresh token was refused as expired too' : 'the token expired'),
          );
        }),
      );
    });
  return attempt(false);
}

/**
 * Renews the session's token on every warning: a fresh token from `fetch`, handed to `renewToken`.
 * A warning while a renewal runs is the same one (a replayed push) and is skipped. Failures go to
 * `report` (`TOKEN_RENEW_FAILED`, or the backend's refusal); the backend's own expiry then ends
 * the session if no later renewal succeeds.
 */
export function renewOnExpiring(
  client: {
    readonly tokenExpiring$: Observable<unknown>;
    renewToken(token: string): Observable<unknown>;
  },
  fetch: () => Observable<string>,
  report: (error: RtcError) => void,
): Subscription {
  return client.tokenExpiring$
    .pipe(
      exhaustMap(() =>
        freshToken(fetch).pipe(
          switchMap((token) => client.renewToken(token)),
          catchError((e: unknown) => {
            report(asRtcError(e));
            return EMPTY;
          }),
        ),
      ),
    )
    .subscribe();
}
