import { distinctUntilChanged, map, merge, NEVER, Observable } from 'rxjs';
import type { RtcClient } from '../streams/client/types';
import type { RoomState } from '../streams/model';

/** The part of the client {@link keepScreenOn} watches. */
export type KeepScreenOnTarget = Pick<RtcClient, 'room$'>;

/** Options of {@link keepScreenOn}. */
export interface KeepScreenOnOptions {
  /** Turns keep-screen-on on or off (`wx.setKeepScreenOn` through the platform). */
  readonly set: (on: boolean) => void;
  /**
   * The app came back to the foreground: WeChat forgets the setting when the user leaves the mini
   * program, so it is set again while in a room.
   */
  readonly show$?: Observable<unknown>;
}

/** In a room: joined (or rejoining) and not yet left, failed or kicked out. */
function inRoom(s: RoomState): boolean {
  const status = s.connection.status;
  return (
    s.roomId !== null &&
    status !== 'idle' &&
    status !== 'disconnected' &&
    status !== 'failed' &&
    status !== 'kicked'
  );
}

/**
 * Keeps the screen on while the client is in a room (through reconnects too: a call that is
 * reconnecting is still a call), and lets it sleep again on leave and when unsubscribed. Emits
 * nothing; subscribe for as long as the client lives.
 *
 * `createClient` runs it over the wx platform by default (option `keepScreenOn`).
 *
 * @example
 * ```ts
 * keepScreenOn(client, { set: (on) => wx.setKeepScreenOn({ keepScreenOn: on }) }).subscribe()
 * ```
 */
export function keepScreenOn(client: KeepScreenOnTarget, options: KeepScreenOnOptions): Observable<never> {
  return new Observable<never>((subscriber) => {
    let on = false;
    const apply = (want: boolean) => {
      on = want;
      options.set(want);
    };
    const wanted$ = client.room$.pipe(map(inRoom), distinctUntilChanged());
    const sub = merge(wanted$, (options.show$ ?? NEVER).pipe(map(() => null))).subscribe({
      next: (want) => {
        if (want === null) {
          if (on) apply(true);
        } else if (want !== on) {
          apply(want);
        }
      },
      error: (e: unknown) => subscriber.error(e),
    });
    return () => {
      sub.unsubscribe();
      if (on) apply(false);
    };
  });
}
