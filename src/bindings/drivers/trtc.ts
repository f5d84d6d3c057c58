/**
 * Tencent TRTC over the `trtc-wx-sdk` package (1.1.x) as an rxroom driver.
 *
 * TRTC's room protocol runs inside the native `<live-pusher>`: the SDK only builds the `room://`
 * URL and interprets the pusher's state codes (1018 entered, 1019 left, 1031–1034 remote users and
 * their tracks). So the driver
 * - builds the URL with the SDK's `enterRoom` and hands the pusher attributes to the page through
 *   `pusher$` (bound like any view model, never with the user signature in it);
 * - feeds the SDK the decoded native events the client gets (`client.dispatchNative`), rebuilt into
 *   the `{detail}` shape its handlers read;
 * - turns the SDK's events into RoomEvents, and commands into `setPusherAttributes`,
 *   `setPlayerAttributes`, `switchStreamType` and pusher context calls.
 *
 * It does not copy the SDK's whole-`playerList` pattern: volume and net status never go through the
 * SDK (rxroom keeps them apart in `volume$`/`netStatus$`), and the room reaches the page through
 * the reducer. The SDK has no reconnection; the driver re-enters the room (stop and start the
 * push) on 1021 (network changed) and −1307 (push lost), with rxroom's reconnect policy.
 */
import { BehaviorSubject, distinctUntilChanged, Observable, of, throwError } from 'rxjs';
import { RtcError, type RtcErrorCode } from '../../errors';
import type { Driver } from '../../streams/command';
import type { PlayerSettings, PusherSettings } from '../../streams/media-attributes';
import type { StreamDescriptor, StreamKind, Subscription } from '../../streams/model';
import { selectStream } from '../../streams/selectors';
import { pusherErrorInfo, pusherStateInfo } from '../native/codes';
import type { NativeEvent, RoomUser } from '../native/decode';
import {
  createVendorDriver,
  type CommandHandlers,
  type VendorDriverOptions,
  type VendorSession,
} from './kit/vendor-driver';
import { vendorError } from './kit/vendor-errors';

/**
 * A player as the SDK reports it (`event.data.player`, `getPlayerList()` entries).
 *
 * @example
 * ```ts
 * const p: TrtcPlayer = { userID: 'bob', streamType: 'main', streamID: 'bob_main', src: 'room://…', hasVideo: true, hasAudio: true }
 * ```
 */
export interface TrtcPlayer {
  readonly userID: string;
  /** `main` or `aux` (screen share). */
  readonly streamType: string;
  /** `${userID}_${streamType}`. */
  readonly streamID: string;
  readonly src: string;
  readonly hasVideo?: boolean;
  readonly hasAudio?: boolean;
  /** `main` or `small` after `switchStreamType`. */
  readonly _definitionType?: string;
}

/**
 * An SDK event as its listeners receive it.
 *
 * @example
 * ```ts
 * trtc.on(trtc.EVENT.REMOTE_USER_JOIN, (e: TrtcEvent) => console.log(e.data?.userID))
 * ```
 */
export interface TrtcEvent {
  readonly eventCode: string;
  readonly data?: {
    readonly userID?: string;
    readonly player?: TrtcPlayer;
    readonly code?: number;
    readonly message?: string;
  };
}

/**
 * The SDK's pusher instance (`createPusher`, `getPusherInstance`): the part the driver uses.
 *
 * @example
 * ```ts
 * trtc.getPusherInstance()?.stop({ complete: () => trtc.getPusherInstance()?.start() })
 * ```
 */
export interface TrtcPusherLike {
  start(options?: { success?: () => void; fail?: () => void; complete?: () => void }): void;
  stop(options?: { success?: () => void; fail?: () => void; complete?: () => void }): void;
}

/**
 * The names of the SDK events the driver listens to (`trtc.EVENT`).
 *
 * @example
 * ```ts
 * const name: TrtcEventName = 'REMOTE_VIDEO_ADD'
 * ```
 */
export type TrtcEventName =
  | 'LOCAL_JOIN'
  | 'LOCAL_LEAVE'
  | 'KICKED_OUT'
  | 'ERROR'
  | 'REMOTE_USER_JOIN'
  | 'REMOTE_USER_LEAVE'
  | 'REMOTE_VIDEO_ADD'
  | 'REMOTE_VIDEO_REMOVE'
  | 'REMOTE_AUDIO_ADD'
  | 'REMOTE_AUDIO_REMOVE';

/**
 * The part of a `TRTC` instance (trtc-wx-sdk 1.1.x) the driver uses.
 *
 * @example
 * ```ts
 * import TRTC from 'trtc-wx-sdk'
 * const trtc: TrtcLike = new TRTC(page, { env: 'test' })
 * ```
 */
export interface TrtcLike {
  readonly EVENT: Readonly<Record<TrtcEventName, string>>;
  on(event: string, callback: (event: TrtcEvent) => void): void;
  off(event?: string, callback?: (event: TrtcEvent) => void): void;
  setLogLevel(level: number): void;
  createPusher(attributes: Record<string, unknown>): TrtcPusherLike;
  getPusherInstance(): TrtcPusherLike | null;
  enterRoom(params: Record<string, unknown>): Record<string, unknown>;
  exitRoom(): unknown;
  getPusherAttributes(): Record<string, unknown>;
  setPusherAttributes(attributes: Record<string, unknown>): Record<string, unknown>;
  setPlayerAttributes(streamID: string, attributes: Record<string, unknown>): unknown;
  switchStreamType(streamID: string): unknown;
  getPlayerList(): readonly TrtcPlayer[];
  pusherEventHandler(event: { detail: { code: number; message: string } }): void;
  pusherErrorHandler(event: { detail: { errCode: number; errMsg: string } }): void;
}

/**
 * The `TRTC` class of trtc-wx-sdk.
 *
 * @example
 * ```ts
 * import TRTC from 'trtc-wx-sdk'
 * const ctor: TrtcConstructor = TRTC
 * ```
 */
export type TrtcConstructor = new (page: object, options?: { env?: string; TUIScene?: string }) => TrtcLike;

/**
 * The `<live-pusher>` attributes for the page: bind them like the SDK's README does
 * (`url="{{pusher.url}}" autopush="{{pusher.autopush}}" enable-mic="{{pusher.enableMic}}" …`).
 * Only component attributes are in it: never the user signature or the room parameters the SDK
 * keeps next to them, and never the measured net status.
 *
 * @example
 * ```ts
 * driver.pusher$.subscribe((pusher: TrtcPusherView) => page.setData({ pusher }))
 * ```
 */
export type TrtcPusherView = Readonly<Record<string, string | number | boolean>> & {
  /** The `room://` URL while in the room, `''` otherwise. */
  readonly url: string;
  /** Always true: the component enters the room as soon as it has the URL. */
  readonly autopush: boolean;
  readonly enableCamera: boolean;
  readonly enableMic: boolean;
};

/**
 * Options of {@link trtcDriver}.
 *
 * @example
 * ```ts
 * const options: TrtcDriverOptions = { TRTC, page: this, sdkAppId: 1400000000 }
 * ```
 */
export interface TrtcDriverOptions extends VendorDriverOptions {
  /** The SDK's `TRTC` class (`import TRTC from 'trtc-wx-sdk'`; a peer dependency of the app). */
  readonly TRTC: TrtcConstructor;
  /** The page (or component) `this` whose `<live-pusher>` the SDK drives. */
  readonly page: object;
  readonly sdkAppId: number;
  /**
   * Let the SDK send its telemetry (`wx.request` to yun.tim.qq.com on every call and state code,
   * with the user signature in the body). Default false: the driver constructs the SDK with
   * `env: 'test'`, the SDK's only switch for it.
   */
  readonly telemetry?: boolean;
  /** The SDK's log level (0 logs everything, 4 nothing). Default: the SDK's own. */
  readonly logLevel?: number;
  /** Extra `<live-pusher>` attributes at creation (beauty, bitrates, orientation …). */
  readonly pusher?: Readonly<Record<string, string | number | boolean>>;
  /** Also encode the small stream (`encsmall=1`), so others may play it. Default false. */
  readonly encodeSmall?: boolean;
  /**
   * `enterRoom`'s `scene` (seed 004 "enterRoom(params)"): `rtc` (default; ≤ 300 in a room) or
   * `live` (large rooms, ≤ 50 speaking).
   */
  readonly scene?: 'rtc' | 'live';
  /**
   * `enterRoom`'s `userDefineRecordId`: named in cloud-recording callbacks. At most 64 characters
   * of `[A-Za-z0-9_-]` (the document's recommended form); anything else fails the join with
   * `INVALID_ARGUMENT`.
   */
  readonly userDefineRecordId?: string;
  /**
   * How the join's room id is sent: `auto` (default) sends ids of 1–4294967295 as the numeric
   * `roomID` and others as `strRoomID`; `string` always sends `strRoomID` (for string rooms whose
   * names happen to be digits).
   */
  readonly roomIdType?: 'auto' | 'string';
}

/**
 * A TRTC driver: a {@link Driver} plus the `<live-pusher>` attributes the page must bind.
 *
 * @example
 * ```ts
 * const driver: TrtcDriver = trtcDriver({ TRTC, page: this, sdkAppId })
 * driver.pusher$.subscribe((pusher) => this.setData({ pusher }))
 * ```
 */
export interface TrtcDriver extends Driver {
  /** The pusher attributes: hot, replays the latest, emits only on change, completes on destroy. */
  readonly pusher$: Observable<TrtcPusherView>;
}

/** The component attributes of the SDK's pusher state the page may bind (its README's WXML). */
const PUSHER_VIEW_KEYS = [
  'url',
  'mode',
  'autopush',
  'enableCamera',
  'enableMic',
  'enableAgc',
  'enableAns',
  'enableEarMonitor',
  'enableAutoFocus',
  'enableZoom',
  'minBitrate',
  'maxBitrate',
  'videoWidth',
  'videoHeight',
  'beautyLevel',
  'whitenessLevel',
  'videoOrientation',
  'videoAspect',
  'frontCamera',
  'enableRemoteMirror',
  'localMirror',
  'enableBackgroundMute',
  'audioQuality',
  'audioVolumeType',
  'audioReverbType',
  'waitingImage',
  'waitingImageHash',
  'beautyStyle',
  'filter',
] as const;

/**
 * rxroom's pusher settings and the `pusherAttributes` of trtc-wx that set them (seed 004,
 * "pusherAttributes 说明"); the others answer UNSUPPORTED. `mode` stays the driver's (the room
 * protocol needs RTC) and the camera/mic follow muteLocal.
 */
const PUSHER_SETTINGS_TO_TRTC: { readonly [K in keyof PusherSettings]?: string } = {
  enableAgc: 'enableAgc',
  enableAns: 'enableAns',
  minBitrate: 'minBitrate',
  maxBitrate: 'maxBitrate',
  devicePosition: 'frontCamera',
  zoom: 'enableZoom',
  videoWidth: 'videoWidth',
  videoHeight: 'videoHeight',
  beauty: 'beautyLevel',
  whiteness: 'whitenessLevel',
  orientation: 'videoOrientation',
  remoteMirror: 'enableRemoteMirror',
  localMirror: 'localMirror',
  audioQuality: 'audioQuality',
  audioVolumeType: 'audioVolumeType',
  audioReverbType: 'audioReverbType',
  beautyStyle: 'beautyStyle',
  filter: 'filter',
};

/**
 * rxroom's player settings and trtc-wx's `playerAttributes` (seed 004, "playerAttributes 说明");
 * its `muteAudio`/`muteVideo` are what subscribe and muteRemote set, so `muted` is not among them.
 */
const PLAYER_SETTINGS_TO_TRTC: { readonly [K in keyof PlayerSettings]?: string } = {
  autoplay: 'autoplay',
  orientation: 'orientation',
  objectFit: 'objectFit',
  minCache: 'minCache',
  maxCache: 'maxCache',
  soundMode: 'soundMode',
  autoPauseIfNavigate: 'autoPauseIfNavigate',
  autoPauseIfOpenNative: 'autoPauseIfOpenNative',
};

/** A settings change in trtc-wx's names. */
function toTrtc(
  names: Readonly<Record<string, string | undefined>>,
  changes: object,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(changes).map(([k, v]) => [names[k]!, v]));
}

/** Attributes the driver owns: the page's own `pusher` option cannot override them. */
const OWNED = { autopush: true, enableCamera: false, enableMic: false } as const;

/** The pusher's "userSig invalid" (TRTC, not in the WeChat docs). */
const USERSIG_INVALID = -100018;

/** SDK error codes as rxroom codes where the native code table says otherwise for a join. */
const ERROR_OVERRIDES: Readonly<Record<number, RtcErrorCode>> = {
  [-3301]: 'CONNECT_FAILED',
  [-1307]: 'CONNECTION_LOST',
};

/**
 * A driver over trtc-wx-sdk. Create it in `onLoad` with the page, bind `pusher$` to the
 * `<live-pusher>` and the native handlers to the client, and use it with `createClient`.
 *
 * Supports join (broadcaster, visible), leave, publish (camera and mic through `enableCamera` /
 * `enableMic`), subscribe (play URLs from the pusher's user lists; the small stream through
 * `switchStreamType`), local mute and remote (player) mute. The SDK has no roles, attributes,
 * messages or invisible users: the client answers `UNSUPPORTED`.
 *
 * @example
 * ```ts
 * import TRTC from 'trtc-wx-sdk'
 * import { createClient, nativeHandlers } from 'rxroom'
 * import { trtcDriver } from 'rxroom/drivers/trtc'
 *
 * Page({
 *   ...nativeHandlers(() => this.client),
 *   onLoad() {
 *     const driver = trtcDriver({ TRTC, page: this, sdkAppId: 1400000000 })
 *     this.client = createClient({ driver })
 *     driver.pusher$.subscribe((pusher) => this.setData({ pusher }))
 *     this.client.join({ token: userSig, roomId: '8888', userId: 'alice' }).subscribe()
 *   },
 *   onUnload() { this.client.destroy() },
 * })
 * ```
 */
export function trtcDriver(options: TrtcDriverOptions): TrtcDriver {
  const trtc = new options.TRTC(options.page, options.telemetry ? {} : { env: 'test' });
  if (options.logLevel !== undefined) trtc.setLogLevel(options.logLevel);
  const EVENT = trtc.EVENT;

  /** The connection attempt in progress or in the room. */
  interface Attempt {
    readonly session: VendorSession;
    readonly subscriber: { next(snapshot: { sessionId: string }): void; error(err: unknown): void };
    joined: boolean;
    /** The attempt ends because the push was lost: keep the pusher for the re-entry. */
    lost: boolean;
  }
  let attempt: Attempt | null = null;
  /** The SDK must build a fresh pusher and URL (first join, or after exitRoom). */
  let mustEnter = true;
  /** The userSig of the URL the pusher holds: a newer one needs a new URL. */
  let enteredWith: string | null = null;
  /** Pusher settings changed through `setPusher`, in trtc-wx's names, for every pusher it creates. */
  let pendingPusher: Record<string, unknown> = {};

  const pusherView = (): TrtcPusherView => {
    const attributes = trtc.getPusherInstance() ? trtc.getPusherAttributes() : {};
    const view: Record<string, string | number | boolean> = {};
    for (const key of PUSHER_VIEW_KEYS) {
      const value = attributes[key];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        view[key] = value;
    }
    return {
      ...view,
      url: typeof attributes.url === 'string' ? attributes.url : '',
      autopush: attributes.autopush === true,
      enableCamera: attributes.enableCamera === true,
      enableMic: attributes.enableMic === true,
    };
  };
  const pusher = new BehaviorSubject<TrtcPusherView>(pusherView());
  const showPusher = () => pusher.next(pusherView());

  const sdkStreamId = (streamId: string): string => {
    const at = streamId.lastIndexOf(':');
    return `${streamId.slice(0, at)}_${streamId.slice(at + 1) === 'screen' ? 'aux' : 'main'}`;
  };
  const playerOf = (streamId: string) =>
    trtc.getPlayerList().find((p) => p.streamID === sdkStreamId(streamId));

  const toRtcError = (code: number | undefined, message: string | undefined, fallback: RtcErrorCode) => {
    const mapped =
      code === undefined
        ? undefined
        : (ERROR_OVERRIDES[code] ?? pusherStateInfo(code)?.error ?? pusherErrorInfo(code)?.error);
    return vendorError('trtc', { code, reason: message ?? '' }, mapped ?? fallback);
  };

  /** A remote stream from a player's state after one of the REMOTE_* events. */
  const onTrack = (event: string, player: TrtcPlayer | undefined) => {
    const session = attempt?.session;
    if (!session || !player?.userID) return;
    const kind: StreamKind = player.streamType === 'aux' ? 'screen' : 'main';
    const id = `${player.userID}:${kind}`;
    // The event says which bit changed; the SDK's "compensation" REMOVE events on a user's leave
    // still carry the old bit, so the event name wins over the player's flag.
    const video =
      event === EVENT.REMOTE_VIDEO_ADD
        ? true
        : event === EVENT.REMOTE_VIDEO_REMOVE
          ? false
          : !!player.hasVideo;
    const audio =
      kind === 'screen'
        ? false
        : event === EVENT.REMOTE_AUDIO_ADD
          ? true
          : event === EVENT.REMOTE_AUDIO_REMOVE
            ? false
            : !!player.hasAudio;
    const known = selectStream(id)(session.state);
    if (!video && !audio) {
      if (known)
        session.emit({ type: 'stream-removed', streamId: id, userId: player.userID, reason: 'unpublished' });
      return;
    }
    // TRTC reports a track on or off, not published or muted: an off track shows as muted.
    const stream: StreamDescriptor = {
      id,
      userId: player.userID,
      kind,
      hasAudio: kind === 'main',
      hasVideo: true,
      hasSmall: false,
      audioMuted: kind === 'main' && !audio,
      videoMuted: !video,
    };
    session.emit({ type: known ? 'stream-updated' : 'stream-added', stream });
  };

  const listeners: [string, (e: TrtcEvent) => void][] = [
    [
      EVENT.LOCAL_JOIN,
      () => {
        const a = attempt;
        if (!a || a.joined) return;
        a.joined = true;
        a.subscriber.next({
          sessionId: `${a.session.join.userId}@${a.session.join.roomId}#${a.session.attempt}`,
        });
      },
    ],
    [
      EVENT.KICKED_OUT,
      () => {
        const a = attempt;
        if (a) a.subscriber.error(a.session.kicked('kicked'));
      },
    ],
    [
      EVENT.ERROR,
      (e) => {
        const a = attempt;
        if (!a) return;
        const code = e.data?.code;
        const message = e.data?.message;
        if (code === USERSIG_INVALID && a.session.attempt > 0) {
          // The userSig entered the room before, so on re-entry "invalid" means it has expired:
          // re-enter with a fresh one (the client's renewToken option), or the session ends.
          a.subscriber.error(
            a.joined
              ? new RtcError('CONNECTION_LOST', 'TRTC refused the userSig while re-entering (-100018)')
              : vendorError('trtc', { code, reason: message ?? '' }, 'TOKEN_EXPIRED'),
          );
        } else if (!a.joined) {
          a.subscriber.error(
            toRtcError(code, message, code === undefined ? 'INVALID_ARGUMENT' : 'CONNECT_FAILED'),
          );
        } else if (code === -1307) {
          a.lost = true;
          a.subscriber.error(toRtcError(code, message, 'CONNECTION_LOST'));
        } else {
          a.session.emit({ type: 'error', error: toRtcError(code, message, 'INTERNAL'), source: 'native' });
        }
      },
    ],
    [
      EVENT.REMOTE_USER_JOIN,
      (e) => {
        const userId = e.data?.userID;
        if (userId)
          attempt?.session.emit({
            type: 'peer-joined',
            peer: { userId, role: 'broadcaster', visible: true },
          });
      },
    ],
    [
      EVENT.REMOTE_USER_LEAVE,
      (e) => {
        const userId = e.data?.userID;
        if (userId) attempt?.session.emit({ type: 'peer-left', userId, reason: 'leave' });
      },
    ],
    ...[
      EVENT.REMOTE_VIDEO_ADD,
      EVENT.REMOTE_VIDEO_REMOVE,
      EVENT.REMOTE_AUDIO_ADD,
      EVENT.REMOTE_AUDIO_REMOVE,
    ].map((name): [string, (e: TrtcEvent) => void] => [name, (e) => onTrack(name, e.data?.player)]),
  ];
  for (const [name, listener] of listeners) trtc.on(name, listener);

  /** Leaves the room in the SDK and clears the pusher URL. */
  const exit = () => {
    if (trtc.getPusherInstance()) trtc.exitRoom();
    mustEnter = true;
    showPusher();
  };

  const ownStream = (session: VendorSession, audio: boolean, video: boolean): StreamDescriptor => ({
    id: `${session.join.userId}:main`,
    userId: session.join.userId,
    kind: 'main',
    hasAudio: audio,
    hasVideo: video,
    hasSmall: !!options.encodeSmall,
    audioMuted: false,
    videoMuted: false,
  });

  const setTracks = (enableMic: boolean, enableCamera: boolean) => {
    trtc.setPusherAttributes({ enableMic, enableCamera });
    showPusher();
  };

  const handlers: CommandHandlers = {
    publish: (c, session) => {
      setTracks(c.audio, c.video);
      return of({ url: pusher.value.url, stream: ownStream(session, c.audio, c.video) });
    },
    unpublish: () => {
      setTracks(false, false);
      return of(undefined);
    },
    'mute-local': (c, session) => {
      const stream = session.state.self?.publications[c.streamId]?.stream;
      if (!stream) return throwError(() => new RtcError('NOT_PUBLISHED', `${c.streamId} is not published`));
      const next = {
        ...stream,
        audioMuted: c.audio ?? stream.audioMuted,
        videoMuted: c.video ?? stream.videoMuted,
      };
      setTracks(next.hasAudio && !next.audioMuted, next.hasVideo && !next.videoMuted);
      return of(next);
    },
    subscribe: (c) => {
      const id = sdkStreamId(c.streamId);
      const player = playerOf(c.streamId);
      if (!player?.src)
        return throwError(() => new RtcError('STREAM_NOT_FOUND', `TRTC has no player for ${c.streamId}`));
      trtc.setPlayerAttributes(id, { muteAudio: !c.audio, muteVideo: !c.video });
      const small = player._definitionType === 'small';
      if (small !== c.small) trtc.switchStreamType(id);
      const subscription: Subscription = {
        streamId: c.streamId,
        url: playerOf(c.streamId)?.src ?? player.src,
        audio: c.audio,
        video: c.video,
        small: c.small,
        audioMuted: false,
        videoMuted: false,
      };
      return of(subscription);
    },
    unsubscribe: (c) => {
      trtc.setPlayerAttributes(sdkStreamId(c.streamId), { muteAudio: true, muteVideo: true });
      return of(undefined);
    },
    'mute-remote': (c, session) => {
      const sub = selectStream(c.streamId)(session.state)?.subscription;
      if (!sub) return throwError(() => new RtcError('NOT_SUBSCRIBED', `${c.streamId} is not subscribed`));
      const next = { ...sub, audioMuted: c.audio ?? sub.audioMuted, videoMuted: c.video ?? sub.videoMuted };
      trtc.setPlayerAttributes(sdkStreamId(c.streamId), {
        muteAudio: !next.audio || next.audioMuted,
        muteVideo: !next.video || next.videoMuted,
      });
      return of(next);
    },
    // The userSig travels in the room URL and is checked when the pusher enters the room: the SDK
    // has no call to replace it. The kit keeps the new one; the next entry builds its URL with it.
    'renew-token': () => of({}),
  };

  const driver = createVendorDriver(
    {
      name: 'trtc',
      features: ['small-stream'],
      // −1307 re-enters the room (stop and start the push, paced by the reconnect policy): the
      // driver owns it, so rxroom's media recovery must not restart the same push again.
      recovers: ['push-lost'],
      handlers,
      refuse(command) {
        switch (command.type) {
          case 'join':
            if (
              options.userDefineRecordId !== undefined &&
              !/^[A-Za-z0-9_-]{1,64}$/.test(options.userDefineRecordId)
            )
              return new RtcError('INVALID_ARGUMENT', 'userDefineRecordId: 1–64 of [A-Za-z0-9_-]');
            if (command.role !== 'broadcaster')
              return new RtcError('UNSUPPORTED', 'trtc-wx-sdk builds no audience URL; join as broadcaster');
            return command.visible ? null : new RtcError('UNSUPPORTED', 'TRTC rooms have no invisible users');
          case 'publish':
            if (command.kind !== 'main')
              return new RtcError(
                'UNSUPPORTED',
                'a mini program pusher cannot share the screen in a TRTC room',
              );
            return command.small && !options.encodeSmall
              ? new RtcError('UNSUPPORTED', 'create the driver with encodeSmall: true to send a small stream')
              : null;
          default:
            return null;
        }
      },
      connect: (session) =>
        new Observable((subscriber) => {
          const a: Attempt = { session, subscriber, joined: false, lost: false };
          attempt = a;
          // A renewed userSig needs a new room URL: leave and enter again with it.
          if (!mustEnter && enteredWith !== session.token) exit();
          if (mustEnter) {
            const { join } = session;
            trtc.createPusher({ ...options.pusher, ...pendingPusher, ...OWNED });
            const numeric =
              options.roomIdType !== 'string' &&
              /^\d{1,10}$/.test(join.roomId) &&
              Number(join.roomId) >= 1 &&
              Number(join.roomId) <= 4_294_967_295;
            const record = options.userDefineRecordId;
            const attributes = trtc.enterRoom({
              sdkAppID: options.sdkAppId,
              userID: join.userId,
              userSig: session.token,
              ...(numeric ? { roomID: Number(join.roomId) } : { strRoomID: join.roomId }),
              scene: options.scene ?? 'rtc',
              // The document's key, and the one trtc-wx-sdk 1.1.15 reads (`…RecordID`).
              ...(record !== undefined ? { userDefineRecordId: record, userDefineRecordID: record } : {}),
              ...(options.encodeSmall ? { encsmall: 1 } : {}),
              ...OWNED,
            });
            mustEnter = false;
            enteredWith = session.token;
            // enterRoom reports bad parameters through an ERROR event (which failed this attempt
            // already) and a null URL.
            if (!attributes.url && !a.joined) {
              subscriber.error(new RtcError('INVALID_ARGUMENT', 'TRTC refused the enter-room parameters'));
            }
            showPusher();
          } else {
            // Re-entering: the native pusher enters the room again when the push restarts.
            const instance = trtc.getPusherInstance();
            instance?.stop({ complete: () => instance.start() });
          }
          return () => {
            if (attempt === a) attempt = null;
            if (!a.lost) exit();
          };
        }),
      leave: () => {
        exit();
        return of(undefined);
      },
      handleNative(event, session) {
        feedSdk(event, session);
      },
      destroy() {
        for (const [name, listener] of listeners) trtc.off(name, listener);
        pusher.complete();
      },
    },
    options,
  );

  /** Gives the SDK the pusher events it interprets, in the shape its handlers read. */
  const feedSdk = (event: NativeEvent, session: VendorSession | null) => {
    switch (event.type) {
      case 'pusher-room':
        // 1020 (the old full list) is not read by the SDK.
        if (event.code !== 1020)
          trtc.pusherEventHandler({ detail: { code: event.code, message: userList(event.users) } });
        return;
      case 'pusher-state': {
        const a = attempt;
        if (event.code === 1021 && a && a.session === session && a.joined) {
          // "Network type changed: enter the room again" — the SDK only logs it.
          a.lost = true;
          a.subscriber.error(new RtcError('CONNECTION_LOST', 'TRTC asks to re-enter the room (1021)'));
        }
        // 1019 without a message would make the SDK throw on message.indexOf.
        trtc.pusherEventHandler({ detail: { code: event.code, message: event.message ?? '' } });
        return;
      }
      case 'unknown-code':
        if (event.source === 'pusher' && event.binding === 'statechange')
          trtc.pusherEventHandler({ detail: { code: event.code, message: event.message ?? '' } });
        return;
      case 'pusher-error':
        trtc.pusherErrorHandler({ detail: { errCode: event.errCode, errMsg: event.errMsg } });
        return;
      default:
        // Net status and volume stay in rxroom (volume$/netStatus$): through the SDK each one
        // would copy the whole player list. Player state has no room meaning for the SDK.
        return;
    }
  };

  return {
    ...driver,
    mediaSettings: {
      pusher: new Set(Object.keys(PUSHER_SETTINGS_TO_TRTC) as (keyof PusherSettings)[]),
      player: new Set(Object.keys(PLAYER_SETTINGS_TO_TRTC) as (keyof PlayerSettings)[]),
    },
    applyMedia(change) {
      if (change.target === 'pusher') {
        const attributes = toTrtc(PUSHER_SETTINGS_TO_TRTC, change.changes);
        pendingPusher = { ...pendingPusher, ...attributes };
        if (trtc.getPusherInstance()) {
          trtc.setPusherAttributes(attributes);
          showPusher();
        }
        return;
      }
      // The SDK knows a player once the remote user published; the page binds rxroom's players.
      const id = sdkStreamId(change.streamId);
      if (trtc.getPlayerList().some((p) => p.streamID === id)) {
        trtc.setPlayerAttributes(id, toTrtc(PLAYER_SETTINGS_TO_TRTC, change.changes));
      }
    },
    pusher$: pusher.pipe(distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b))),
  };
}

/** The `{"userlist":[…]}` message of codes 1031–1034, as the pusher sends it. */
function userList(users: readonly RoomUser[]): string {
  return JSON.stringify({
    userlist: users.map((u) => ({
      userid: u.userId,
      ...(u.playUrl !== undefined ? { playurl: u.playUrl } : {}),
      ...(u.streamType !== undefined ? { streamtype: u.streamType } : {}),
      ...(u.hasVideo !== undefined ? { hasvideo: u.hasVideo } : {}),
      ...(u.hasAudio !== undefined ? { hasaudio: u.hasAudio } : {}),
    })),
  });
}
