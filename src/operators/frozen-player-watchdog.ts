import { asyncScheduler, NEVER, Observable, Subscription as RxSubscription, type SchedulerLike } from 'rxjs';
import { asRtcError } from '../errors';
import { defaultRandom } from '../bindings/defaults';
import type { NativeEvent } from '../bindings/native/decode';
import type { PlayerContext } from '../bindings/platform';
import type { RtcClient } from '../streams/client/types';
import { mediaStateOf, type RoomState } from '../streams/model';
import type { RoomEvent, RoomEventOf } from '../streams/room-event';
import { backoffDelay, type Jitter } from './retry-backoff';
import { restartMedia, resubscribeStream } from './media-actions';

/** A player-watchdog RoomEvent. */
export type FrozenPlayerEvent = RoomEventOf<'player-watchdog'>;

/** A rung of the watchdog's ladder. */
export type FrozenPlayerStep = FrozenPlayerEvent['action'];

/** The part of the client the watchdog reads and drives. */
export type FrozenPlayerTarget = Pick<
  RtcClient,
  'events$' | 'state' | 'subscribe' | 'unsubscribe' | 'muteRemote'
> &
  Partial<Pick<RtcClient, 'driverRecovers'>>;

/** Options of {@link frozenPlayerWatchdog}. */
export interface FrozenPlayerWatchdogOptions {
  /**
   * Ms a watched player may go without showing video (no first video packet or frame, or a video
   * frame rate of 0 in every net status sample) before it counts as frozen. Default 6000.
   */
  readonly frozenAfter?: number;
  /** The ladder, climbed one rung per freeze (empty: watch nothing). Default `['restart-play', 'resubscribe']`. */
  readonly steps?: readonly FrozenPlayerStep[];
  /** Backoff before the first rung, in ms (doubling per rung). Default 1000. */
  readonly initialDelay?: number;
  /** Largest backoff in ms. Default 16,000. */
  readonly maxDelay?: number;
  /** Default `equal`. */
  readonly jitter?: Jitter;
  readonly random?: () => number;
  /** How to reach the `<live-player>` context of a stream (for `restart-play`). */
  readonly playerContext?: (streamId: string) => PlayerContext | null | undefined;
  /**
   * Whether the app is hidden: while `true` nothing is watched (WeChat pauses players in the
   * background); on `false` every watched player gets a fresh `frozenAfter`. Default: never hidden.
   */
  readonly hidden$?: Observable<boolean>;
}

/**
 * Player codes that prove video reaches the player (PLATFORM.md §4): 2003 first video packet
 * (IDR), 2032 first video frame rendered. 2004 (playback started) is not one: audio alone starts
 * playback.
 */
const VIDEO_CODES = new Set([2003, 2032]);

/** True when the room says `streamId` should show video on this client's player. */
export function videoExpected(state: RoomState, streamId: string): boolean {
  const stream = state.streams.get(streamId);
  const sub = stream?.subscription;
  return (
    !!stream &&
    !!sub &&
    sub.video &&
    !sub.videoMuted &&
    stream.hasVideo &&
    !stream.videoMuted &&
    mediaStateOf(stream) === 'live'
  );
}

/** The evidence a native event gives that video plays on a stream's player, if any. */
function videoShownOn(e: NativeEvent): string | undefined {
  if (e.type === 'player-state' && VIDEO_CODES.has(e.code)) return e.streamId;
  if (e.type === 'player-net' && (e.info.videoFPS ?? 0) > 0) return e.streamId;
  return undefined;
}

/** The stream whose `<live-player>` sent a native event, if it came from one. */
function playerOf(e: NativeEvent): string | undefined {
  switch (e.type) {
    case 'player-state':
    case 'player-net':
    case 'player-volume':
      return e.streamId;
    case 'unknown-code':
      return e.source === 'player' ? e.streamId : undefined;
    default:
      return undefined;
  }
}

/** The stream a room event is about, when it is about one. */
function streamOf(e: RoomEvent): string | undefined {
  switch (e.type) {
    case 'subscribed':
    case 'remote-mute-changed':
      return e.subscription.streamId;
    case 'stream-added':
    case 'stream-updated':
      return e.stream.id;
    case 'unsubscribed':
    case 'stream-removed':
    case 'url-updated':
      return e.streamId;
    default:
      return undefined;
  }
}

interface Watch {
  /** Rungs climbed since video was last seen. */
  rung: number;
  /** The freeze deadline or the backoff of a rung. */
  timer: RxSubscription | null;
  /** The rung being carried out. */
  step: RxSubscription | null;
  /** A rung is scheduled or being carried out. */
  acting: boolean;
  /** A rung is being carried out (a resubscribe unsubscribes first: the stream stays watched). */
  performing: boolean;
  /** No rung left: waits for video. */
  gaveUp: boolean;
  /** Media recovery works on this player (−2301, −2302): the watchdog waits for it. */
  held: boolean;
}

/**
 * Watches every subscribed player that should show video (the stream has video, neither its
 * owner nor this client muted it, its media is live, the subscription asked for video; never an
 * audio-only one) and acts when it shows none for `frozenAfter` ms, the symptom `<live-player>`
 * often reports with no code: it climbs a ladder of remedies, `restart-play` (stop and play the
 * player through its context), then `resubscribe` (a fresh play URL), each after a backoff and
 * each followed by another `frozenAfter` of watching, and gives up when no rung is left. Video
 * is a first video packet or frame (2003, 2032) or a net status sample with `videoFPS` > 0;
 * seeing it after a rung reports `recovered` and resets the ladder. Every step is a
 * `player-watchdog` event.
 *
 * It stands down while media recovery works on the same player, and entirely when the driver
 * recovers `player-frozen` by itself (`client.driverRecovers`). `createClient` runs it by default.
 *
 * @example
 * ```ts
 * frozenPlayerWatchdog(client, { frozenAfter: 4000, steps: ['restart-play', 'restart-play', 'resubscribe'] })
 *   .subscribe((e) => console.log(e.streamId, e.action, e.outcome))
 * ```
 */
export function frozenPlayerWatchdog(
  client: FrozenPlayerTarget,
  options: FrozenPlayerWatchdogOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<FrozenPlayerEvent> {
  const frozenAfter = options.frozenAfter ?? 6000;
  const steps = options.steps ?? (['restart-play', 'resubscribe'] as const);
  const config = {
    initialDelay: options.initialDelay ?? 1000,
    maxDelay: options.maxDelay ?? 16_000,
    jitter: options.jitter ?? ('equal' as Jitter),
  };
  const random = options.random ?? defaultRandom;

  return new Observable<FrozenPlayerEvent>((subscriber) => {
    if (client.driverRecovers?.has('player-frozen') || steps.length === 0) return NEVER.subscribe(subscriber);
    const watches = new Map<string, Watch>();
    /** Streams whose `<live-player>` has reported since they were subscribed: players on the page. */
    const sighted = new Set<string>();
    const inputs = new RxSubscription();
    let hidden = false;

    const emit = (action: FrozenPlayerStep, streamId: string, w: Watch, rest: Partial<FrozenPlayerEvent>) =>
      subscriber.next({
        type: 'player-watchdog',
        action,
        streamId,
        attempt: w.rung,
        delay: 0,
        outcome: 'scheduled',
        ...rest,
      });
    const lastStep = (w: Watch) => steps[Math.max(0, Math.min(w.rung, steps.length) - 1)]!;

    const disarm = (w: Watch) => {
      w.timer?.unsubscribe();
      w.timer = null;
    };
    const arm = (id: string, w: Watch) => {
      disarm(w);
      if (hidden || w.acting || w.held || w.gaveUp || !sighted.has(id)) return;
      w.timer = scheduler.schedule(() => frozen(id, w), frozenAfter);
    };

    /** Starts, keeps or stops watching one stream, after the room changed. */
    const refresh = (id: string) => {
      const w = watches.get(id);
      if (videoExpected(client.state, id)) {
        if (!w) {
          const fresh: Watch = {
            rung: 0,
            timer: null,
            step: null,
            acting: false,
            performing: false,
            gaveUp: false,
            held: false,
          };
          watches.set(id, fresh);
          arm(id, fresh);
        } else if (!w.timer) {
          arm(id, w);
        }
      } else if (!w?.performing) {
        // Not subscribed any more (our own resubscribe aside): the next player must report anew.
        if (!client.state.streams.get(id)?.subscription) sighted.delete(id);
        if (!w) return;
        // Gone, muted or unsubscribed: a rung still waiting for its backoff is dropped. A rung in
        // progress (a resubscribe unsubscribes first) keeps the stream's place on the ladder.
        disarm(w);
        watches.delete(id);
      }
    };

    const frozen = (id: string, w: Watch) => {
      w.timer = null;
      if (w.rung >= steps.length) {
        w.gaveUp = true;
        emit(lastStep(w), id, w, { outcome: 'gave-up' });
        return;
      }
      const action = steps[w.rung]!;
      w.rung++;
      const delay = backoffDelay(w.rung, config, random);
      emit(action, id, w, { delay, outcome: 'scheduled' });
      w.acting = true;
      w.timer = scheduler.schedule(() => {
        w.timer = null;
        w.performing = true;
        const step =
          action === 'restart-play'
            ? restartMedia(options.playerContext?.(id), 'player')
            : resubscribeStream(client, id);
        const finish = (outcome: 'done' | 'failed', error?: unknown) => {
          w.acting = false;
          w.performing = false;
          w.step = null;
          emit(action, id, w, {
            delay,
            outcome,
            ...(error !== undefined ? { error: asRtcError(error) } : {}),
          });
          if (watches.get(id) === w) refresh(id);
        };
        w.step = step.subscribe({
          error: (e: unknown) => finish('failed', e),
          complete: () => finish('done'),
        });
      }, delay);
    };

    const onVideo = (id: string) => {
      const w = watches.get(id);
      if (!w || w.acting) return;
      if (w.rung > 0 || w.gaveUp) {
        emit(lastStep(w), id, w, { outcome: 'recovered' });
        w.rung = 0;
        w.gaveUp = false;
      }
      if (!w.held) arm(id, w);
    };

    const onEvent = (e: RoomEvent) => {
      if (e.type === 'native') {
        const player = playerOf(e.event);
        if (player === undefined) return;
        if (!sighted.has(player)) {
          sighted.add(player);
          const w = watches.get(player);
          if (w && !w.timer) arm(player, w);
        }
        const id = videoShownOn(e.event);
        if (id !== undefined) onVideo(id);
        return;
      }
      if (e.type === 'player-watchdog') return;
      if (e.type === 'media-recovery') {
        const w = watches.get(e.streamId);
        if (!w || (e.action !== 'restart-play' && e.action !== 'resubscribe')) return;
        w.held = e.outcome === 'scheduled';
        // A rung of the watchdog's own already under way finishes; the next waits for media recovery.
        if (w.held && !w.acting) disarm(w);
        else if (!w.held) refresh(e.streamId);
        return;
      }
      if (e.type === 'joined') {
        for (const s of client.state.streams.values()) if (s.subscription) refresh(s.id);
      }
      // Bounded by the players watched, not by the room (a peer-left drops its streams silently).
      for (const id of [...watches.keys()]) refresh(id);
      const id = streamOf(e);
      if (id !== undefined) refresh(id);
    };

    for (const s of client.state.streams.values()) if (s.subscription) refresh(s.id);
    inputs.add(client.events$.subscribe(onEvent));
    if (options.hidden$)
      inputs.add(
        options.hidden$.subscribe((h) => {
          hidden = h;
          for (const [id, w] of watches) {
            // A rung already scheduled still runs; only the freeze deadlines wait.
            if (w.acting) continue;
            if (h) disarm(w);
            else arm(id, w);
          }
        }),
      );
    return () => {
      inputs.unsubscribe();
      sighted.clear();
      for (const w of watches.values()) {
        disarm(w);
        w.step?.unsubscribe();
      }
      watches.clear();
    };
  });
}
