/**
 * The methods of `LivePusherContext` and `LivePlayerContext` as cold Observables: nothing is called
 * until you subscribe; each emits the method's result once (or nothing, for void methods) and
 * completes on `success`, or fails with `MEDIA_CALL_FAILED` on `fail`, keeping WeChat's `errMsg` in
 * the error's reason. A callback after unsubscribing is ignored. Method names and options are
 * WeChat's (miniprogram-api-typings, PLATFORM.md §3–4).
 */
import { Observable, map } from 'rxjs';
import { RtcError } from '../errors';
import type { PlayerContext, PusherContext } from './platform';

/** What `snapshot` gives: a temporary image file and its size (WeChat passes the size as strings). */
export interface SnapshotResult {
  readonly tempImagePath: string;
  readonly width: number;
  readonly height: number;
}

/** What `snapshot` takes. */
export interface SnapshotOptions {
  /** `raw` (default) or `compressed`. */
  readonly quality?: 'raw' | 'compressed';
  /** `stream` (the video, default) or `view` (the component as shown). */
  readonly sourceType?: 'stream' | 'view';
}

/** What `playBGM` takes. */
export interface PlayBgmOptions {
  readonly url: string;
  readonly startTimeMs?: number;
  readonly endTimeMs?: number;
}

/** The calls of the page's `<live-pusher>`. */
export interface PusherControls {
  start(): Observable<void>;
  stop(): Observable<void>;
  /** Pause pushing (the others see the last frame). */
  pause(): Observable<void>;
  resume(): Observable<void>;
  startPreview(): Observable<void>;
  stopPreview(): Observable<void>;
  /**
   * The context's own camera switch. Prefer `client.switchCamera()`, which switches through the
   * `device-position` attribute and so keeps `client.pusher$` true.
   */
  switchCamera(): Observable<void>;
  snapshot(options?: SnapshotOptions): Observable<SnapshotResult>;
  toggleTorch(): Observable<void>;
  playBGM(options: PlayBgmOptions): Observable<void>;
  pauseBGM(): Observable<void>;
  resumeBGM(): Observable<void>;
  stopBGM(): Observable<void>;
  /** 0–1. */
  setBGMVolume(volume: number): Observable<void>;
  /** 0–1. */
  setMICVolume(volume: number): Observable<void>;
  /** An SEI message carried in the stream. */
  sendMessage(msg: string): Observable<void>;
  exitPictureInPicture(): Observable<void>;
  getMaxZoom(): Observable<number>;
  setZoom(zoom: number): Observable<void>;
  /**
   * Any other callback-style method of `LivePusherContext` (the makeup, filter and sticker calls of
   * `custom-effect`), with its options: emits its success result.
   */
  call(method: string, options?: object): Observable<unknown>;
}

/** The calls of one `<live-player>`. */
export interface PlayerControls {
  play(): Observable<void>;
  stop(): Observable<void>;
  /** Toggles the player's mute (prefer `client.setPlayer(id, { muted })`, which keeps state true). */
  mute(): Observable<void>;
  pause(): Observable<void>;
  resume(): Observable<void>;
  snapshot(options?: SnapshotOptions): Observable<SnapshotResult>;
  /** `direction`: 0 (portrait), 90 or -90 (landscape). */
  requestFullScreen(options?: { direction?: 0 | 90 | -90 }): Observable<void>;
  exitFullScreen(): Observable<void>;
  exitPictureInPicture(): Observable<void>;
  /** Takes no callbacks in WeChat: emits once called. */
  requestBackgroundPlayback(): Observable<void>;
  /** Takes no callbacks in WeChat: emits once called. */
  exitBackgroundPlayback(): Observable<void>;
  startCasting(): Observable<void>;
  switchCasting(): Observable<void>;
  reconnectCasting(): Observable<void>;
  exitCasting(): Observable<void>;
  /** Any other callback-style method of `LivePlayerContext`, with its options. */
  call(method: string, options?: object): Observable<unknown>;
}

type AnyContext = Record<string, unknown>;
type CallbackResult = Record<string, unknown> | undefined;

/**
 * One context method as a cold Observable. `context` is read at subscription, so a component's
 * context registered later is the one used.
 */
function contextCall(
  label: string,
  context: () => object | null,
  method: string,
  options: object = {},
  callbacks = true,
): Observable<CallbackResult> {
  return new Observable<CallbackResult>((subscriber) => {
    const ctx = context() as AnyContext | null;
    const fn = ctx?.[method];
    if (typeof fn !== 'function') {
      subscriber.error(
        new RtcError(
          'MEDIA_CALL_FAILED',
          ctx ? `${label}.${method}: not in this base library` : `${label}.${method}: no ${label}`,
        ),
      );
      return;
    }
    let active = true;
    const fail = (errMsg: unknown) => {
      if (active)
        subscriber.error(new RtcError('MEDIA_CALL_FAILED', `${label}.${method}: ${String(errMsg)}`));
    };
    try {
      if (!callbacks) {
        (fn as (o?: object) => void).call(ctx);
        subscriber.next(undefined);
        subscriber.complete();
        return;
      }
      (fn as (o: object) => void).call(ctx, {
        ...options,
        success: (result?: CallbackResult) => {
          if (!active) return;
          subscriber.next(result);
          subscriber.complete();
        },
        fail: (e?: { errMsg?: string }) => fail(e?.errMsg ?? 'fail'),
      });
    } catch (e) {
      fail(e instanceof Error ? e.message : e);
    }
    return () => {
      active = false;
    };
  });
}

const done = map((): void => undefined);

const snapshotOf = map((r: CallbackResult): SnapshotResult => ({
  tempImagePath: String(r?.tempImagePath ?? ''),
  width: Number(r?.width ?? 0),
  height: Number(r?.height ?? 0),
}));

/** A void call: emits once (undefined) and completes on success. */
const voidCall = (label: string, context: () => object | null, method: string, options?: object) =>
  contextCall(label, context, method, options).pipe(done);

/**
 * The page's `<live-pusher>` calls over a context getter (the client's registered context, the
 * platform's page-level one, or one you pass).
 *
 * @example
 * ```ts
 * pusherControls(() => wx.createLivePusherContext()).snapshot().subscribe(({ tempImagePath }) => …)
 * ```
 */
export function pusherControls(context: () => PusherContext | null): PusherControls {
  const L = 'LivePusherContext';
  const v = (method: string, options?: object) => voidCall(L, context, method, options);
  return {
    start: () => v('start'),
    stop: () => v('stop'),
    pause: () => v('pause'),
    resume: () => v('resume'),
    startPreview: () => v('startPreview'),
    stopPreview: () => v('stopPreview'),
    switchCamera: () => v('switchCamera'),
    snapshot: (o = {}) => contextCall(L, context, 'snapshot', o).pipe(snapshotOf),
    toggleTorch: () => v('toggleTorch'),
    playBGM: (o) => v('playBGM', o),
    pauseBGM: () => v('pauseBGM'),
    resumeBGM: () => v('resumeBGM'),
    stopBGM: () => v('stopBGM'),
    // The typings declare `volume: string` here (a number everywhere else); WeChat's doc says number.
    setBGMVolume: (volume) => v('setBGMVolume', { volume }),
    setMICVolume: (volume) => v('setMICVolume', { volume }),
    sendMessage: (msg) => v('sendMessage', { msg }),
    exitPictureInPicture: () => v('exitPictureInPicture'),
    getMaxZoom: () => contextCall(L, context, 'getMaxZoom').pipe(map((r) => Number(r?.maxZoom ?? 1))),
    setZoom: (zoom) => v('setZoom', { zoom }),
    call: (method, options) => contextCall(L, context, method, options),
  };
}

/**
 * One `<live-player>`'s calls over a context getter.
 *
 * @example
 * ```ts
 * playerControls(() => wx.createLivePlayerContext('player-bob_main')).requestFullScreen({ direction: 90 })
 * ```
 */
export function playerControls(context: () => PlayerContext | null): PlayerControls {
  const L = 'LivePlayerContext';
  const v = (method: string, options?: object) => voidCall(L, context, method, options);
  const noCallbacks = (method: string) => contextCall(L, context, method, {}, false).pipe(done);
  return {
    play: () => v('play'),
    stop: () => v('stop'),
    mute: () => v('mute'),
    pause: () => v('pause'),
    resume: () => v('resume'),
    snapshot: (o = {}) => contextCall(L, context, 'snapshot', o).pipe(snapshotOf),
    requestFullScreen: (o = {}) => v('requestFullScreen', o),
    exitFullScreen: () => v('exitFullScreen'),
    exitPictureInPicture: () => v('exitPictureInPicture'),
    requestBackgroundPlayback: () => noCallbacks('requestBackgroundPlayback'),
    exitBackgroundPlayback: () => noCallbacks('exitBackgroundPlayback'),
    startCasting: () => v('startCasting'),
    switchCasting: () => v('switchCasting'),
    reconnectCasting: () => v('reconnectCasting'),
    exitCasting: () => v('exitCasting'),
    call: (method, options) => contextCall(L, context, method, options),
  };
}
