import {
  asyncScheduler,
  concat,
  defer,
  EMPTY,
  filter,
  mergeMap,
  NEVER,
  Observable,
  of,
  timer,
  type SchedulerLike,
} from 'rxjs';
import { asRtcError } from '../errors';
import { defaultRandom } from '../bindings/defaults';
import type { NativeEvent } from '../bindings/native/decode';
import type { PlayerContext, PusherContext } from '../bindings/platform';
import type { RtcClient } from '../streams/client/types';
import type { MediaSymptom } from '../streams/command';
import type { RoomEventOf } from '../streams/room-event';
import { republish } from './republish';
import { backoffDelay, type Jitter } from './retry-backoff';
import { restartMedia, resubscribeStream } from './media-actions';

/** A media-recovery RoomEvent. */
export type MediaRecoveryEvent = RoomEventOf<'media-recovery'>;

/**
 * The part of the client media recovery drives. `driverRecovers` (what the driver recovers by
 * itself) is read when present: those symptoms are left to the driver.
 */
export type MediaRecoveryTarget = Pick<
  RtcClient,
  'events$' | 'state' | 'publish' | 'unpublish' | 'subscribe' | 'unsubscribe' | 'muteLocal' | 'muteRemote'
> &
  Partial<Pick<RtcClient, 'driverRecovers'>>;

/** Options of {@link mediaRecovery}. */
export interface MediaRecoveryOptions {
  /** First delay in ms. Default 1000. */
  readonly initialDelay?: number;
  /** Largest delay in ms. Default 16,000. */
  readonly maxDelay?: number;
  /** Attempts per stream before giving up (a success resets the count). Default 5. */
  readonly maxAttempts?: number;
  readonly jitter?: Jitter;
  readonly random?: () => number;
  /** How to reach the page's `<live-pusher>` context. */
  readonly pusherContext?: () => PusherContext | null | undefined;
  /** How to reach the `<live-player>` context of a stream. */
  readonly playerContext?: (streamId: string) => PlayerContext | null | undefined;
  /** Emits when the app is back in the foreground: a push suspended meanwhile is restarted. */
  readonly wake$?: Observable<unknown>;
}

type Action = MediaRecoveryEvent['action'];

/**
 * The symptom a native event shows, when it is one rxroom recovers from (see {@link MediaSymptom}).
 *
 * @example
 * ```ts
 * mediaSymptomOf(decodePusherStateChange({ detail: { code: -1307 } })) // 'push-lost'
 * ```
 */
export function mediaSymptomOf(e: NativeEvent): MediaSymptom | undefined {
  if (e.type === 'pusher-state') {
    switch (e.remedy) {
      case 'restart-push':
        return e.code === -1307 ? 'push-lost' : 'push-encoder-failed';
      case 'republish':
        return 'push-closed';
      case 'suspended':
      case 'interrupted':
        return 'push-suspended';
      default:
        return undefined;
    }
  }
  if (e.type === 'player-state') {
    if (e.remedy === 'restart-play') return 'play-lost';
    if (e.remedy === 'resubscribe') return 'play-url-failed';
  }
  return undefined;
}

/** Native codes that mean the push or the play works again, which resets the attempt count. */
const PUSH_OK = new Set([1002]);
const PLAY_OK = new Set([2004, 2032]);

/**
 * Carries out the remedies the native components ask for and the vendors leave to the app,
 * with backoff, visible as `media-recovery` events:
 * pusher −1307 (retries exhausted) → restart the push through the context; pusher 3004 (server
 * closed: URL expired) → publish again for a fresh URL; player −2301 → restart the play; player
 * −2302 (no pull URL) → subscribe again. A push suspended (5000) or interrupted (5001) is restarted
 * when the app comes back (`wake$`). A push/play that starts again resets the count.
 * A symptom the driver recovers from by itself (`client.driverRecovers`, e.g. −1307 under the TRTC
 * driver, which re-enters the room) is left to the driver: one owner per symptom.
 *
 * `createClient` runs it by default (its events then appear on `events$`); with
 * `createRoomClient`, run it yourself when you want it.
 *
 * @example
 * ```ts
 * mediaRecovery(client, { maxAttempts: 3, pusherContext: () => wx.createLivePusherContext() })
 *   .subscribe((e) => console.log(e.action, e.streamId, e.outcome))
 * ```
 */
export function mediaRecovery(
  client: MediaRecoveryTarget,
  options: MediaRecoveryOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<MediaRecoveryEvent> {
  const config = {
    initialDelay: options.initialDelay ?? 1000,
    maxDelay: options.maxDelay ?? 16_000,
    jitter: options.jitter ?? ('equal' as Jitter),
  };
  const random = options.random ?? defaultRandom;
  const maxAttempts = options.maxAttempts ?? 5;

  return defer(() => {
    const attempts = new Map<string, number>();
    const busy = new Set<string>();
    let suspended = false;

    const ownMain = () => {
      const self = client.state.self;
      return self ? `${self.userId}:main` : null;
    };

    const perform = (action: Action, streamId: string): Observable<unknown> => {
      switch (action) {
        case 'restart-push':
          return restartMedia(options.pusherContext?.(), 'pusher');
        case 'restart-play':
          return restartMedia(options.playerContext?.(streamId), 'player');
        case 'republish':
          return republish(client, streamId);
        case 'resubscribe':
          return resubscribeStream(client, streamId);
      }
    };

    /** One remedy for one stream: wait, act, report. At most one per stream at a time. */
    const recover = (action: Action, streamId: string): Observable<MediaRecoveryEvent> => {
      const key = `${action} ${streamId}`;
      if (busy.has(key)) return EMPTY;
      const attempt = (attempts.get(key) ?? 0) + 1;
      const base = { type: 'media-recovery' as const, action, streamId, attempt };
      if (attempt > maxAttempts) return of({ ...base, delay: 0, outcome: 'gave-up' as const });
      attempts.set(key, attempt);
      busy.add(key);
      const delay = backoffDelay(attempt, config, random);
      return concat(
        of({ ...base, delay, outcome: 'scheduled' as const }),
        timer(delay, scheduler).pipe(
          mergeMap(
            () =>
              new Observable<MediaRecoveryEvent>((subscriber) =>
                perform(action, streamId).subscribe({
                  error: (e: unknown) => {
                    busy.delete(key);
                    const error = asRtcError(e);
                    subscriber.next({ ...base, delay, outcome: 'failed', error });
                    subscriber.complete();
                  },
                  complete: () => {
                    busy.delete(key);
                    subscriber.next({ ...base, delay, outcome: 'done' });
                    subscriber.complete();
                  },
                }),
              ),
          ),
        ),
      );
    };

    const onNative = (e: NativeEvent): Observable<MediaRecoveryEvent> => {
      const symptom = mediaSymptomOf(e);
      // One owner per symptom: what the driver recovers by itself is left to it.
      if (symptom && client.driverRecovers?.has(symptom)) return EMPTY;
      const self = ownMain();
      if (e.type === 'pusher-state') {
        if (PUSH_OK.has(e.code)) {
          for (const k of [...attempts.keys()])
            if (k.startsWith('restart-push') || k.startsWith('republish')) attempts.delete(k);
          suspended = false;
        }
        if (!self || !client.state.self?.publications[self]) return EMPTY;
        if (e.remedy === 'restart-push') return recover('restart-push', self);
        if (e.remedy === 'republish') return recover('republish', self);
        if (e.remedy === 'suspended' || e.remedy === 'interrupted') suspended = true;
        return EMPTY;
      }
      if (e.type === 'player-state') {
        if (PLAY_OK.has(e.code)) {
          attempts.delete(`restart-play ${e.streamId}`);
          attempts.delete(`resubscribe ${e.streamId}`);
        }
        if (!client.state.streams.get(e.streamId)?.subscription) return EMPTY;
        if (e.remedy === 'restart-play') return recover('restart-play', e.streamId);
        if (e.remedy === 'resubscribe') return recover('resubscribe', e.streamId);
      }
      return EMPTY;
    };

    const native$ = client.events$.pipe(
      filter((e): e is RoomEventOf<'native'> => e.type === 'native'),
      mergeMap((e) => onNative(e.event)),
    );
    const woken$ = (options.wake$ ?? NEVER).pipe(
      mergeMap(() => {
        const self = ownMain();
        if (!suspended || !self || !client.state.self?.publications[self]) return EMPTY;
        suspended = false;
        return recover('restart-push', self);
      }),
    );
    return new Observable<MediaRecoveryEvent>((subscriber) => {
      const a = native$.subscribe(subscriber);
      const b = woken$.subscribe((e) => subscriber.next(e));
      return () => {
        a.unsubscribe();
        b.unsubscribe();
      };
    });
  });
}
