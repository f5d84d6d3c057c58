/**
 * The public shapes of a room client: what {@link createRoomClient} and `createClient` return and
 * what their methods take.
 */
import type { Observable, SchedulerLike } from 'rxjs';
import type { RtcError } from '../../errors';
import type { Platform, PlayerContext, PusherContext, Unlisten } from '../../bindings/platform';
import type {
  NativeEvent,
  PlayerFullscreenEvent,
  PlayerPictureInPictureEvent,
  PusherBgmCompleteEvent,
  PusherBgmProgressEvent,
  PusherBgmStartEvent,
  PusherPictureInPictureEvent,
} from '../../bindings/native/decode';
import type { PlayerControls, PusherControls } from '../../bindings/media-controls';
import type { PlayerAttributes, PlayerSettings, PusherAttributes, PusherSettings } from '../media-attributes';
import type {
  AttributeNotice,
  Driver,
  JoinResult,
  MediaSymptom,
  StatsReport,
  TokenRenewal,
} from '../command';
import type {
  ConnectionState,
  Peer,
  Publication,
  RemoteStream,
  Role,
  RoomState,
  StreamDescriptor,
  StreamKind,
  Subscription,
} from '../model';
import type { NetStatusMap, VolumeMap } from '../media-levels';
import type { RoomEvent } from '../room-event';
import type { PersistentMap } from '../persistent-map';

/** Options of {@link createRoomClient}: a driver and nothing else is required. */
export interface RoomClientOptions {
  /** The driver the client owns from creation to `destroy()` (a vendor driver or `protocolDriver`). */
  readonly driver: Driver;
  /**
   * Where the page-level `<live-pusher>`/`<live-player>` contexts come from when no component
   * registered its own (used by media recovery). Default: none.
   */
  readonly platform?: Platform;
  /**
   * How long a command issued while a join is in flight waits for that join (it then runs, or
   * fails with the join's error). Default 10,000 ms.
   */
  readonly requestTimeout?: number;
  /** Scheduler of that wait. Default `asyncScheduler`; pass a TestScheduler in tests. */
  readonly scheduler?: SchedulerLike;
  /**
   * Where fresh tokens come from (your token service): the first value of each subscription is
   * used. When given, the client renews by itself on `token-expiring` (drivers that can renew), and
   * every reconnection (resume or rejoin) fetches a fresh token first when the one held has expired
   * (read from a JWT's `exp`, or from the server's acks) or the server refuses it as expired.
   * Without it a lapsed token ends the session as `kicked` (`token-expired`). A failure is a
   * `TOKEN_RENEW_FAILED` error.
   *
   * @example
   * ```ts
   * createClient({ url, renewToken: () => from(fetchToken(roomId, userId)) })
   * ```
   */
  readonly renewToken?: () => Observable<string>;
}

/** What {@link RtcClient.tokenExpiring$} emits. */
export interface TokenExpiring {
  /** When the token held expires, ms since the epoch, when the backend tells. */
  readonly expiresAt?: number;
}

/** What {@link RtcClient.join} takes. */
export interface JoinOptions {
  /** A token from your token service (see docs/protocol.md §9). */
  readonly token: string;
  readonly roomId: string;
  readonly userId: string;
  /** Invisible users watch without being seen (Volcengine setUserVisibility). Default true. */
  readonly visible?: boolean;
  /** `audience` may only watch (Agora setRole). Default `broadcaster`. */
  readonly role?: Role;
  readonly businessId?: string;
}

/** What {@link RtcClient.publish} takes. */
export interface PublishOptions {
  /** `main` (camera and mic, the default) or `screen`. */
  readonly kind?: StreamKind;
  /**
   * A custom tag, to publish one more stream beside `main` and `screen`: the stream is then
   * `user:tag`. 1–32 characters of `[A-Za-z0-9_-]`, at most 8 streams per user (docs/protocol.md).
   */
  readonly tag?: string;
  /** Default true. */
  readonly audio?: boolean;
  /** Default true. */
  readonly video?: boolean;
  /** Also offer a small variant. Default false. */
  readonly small?: boolean;
}

/** What {@link RtcClient.subscribe} takes. */
export interface SubscribeOptions {
  /** Default true. */
  readonly audio?: boolean;
  /** Default true. */
  readonly video?: boolean;
  /** Play the small variant. Default false. */
  readonly small?: boolean;
}

/** Mute bits; absent ones keep their value. */
export interface MuteOptions {
  readonly audio?: boolean;
  readonly video?: boolean;
}

/** The native events `mediaEvents$` carries: BGM, fullscreen and picture-in-picture. */
export type MediaEvent =
  | PusherBgmStartEvent
  | PusherBgmProgressEvent
  | PusherBgmCompleteEvent
  | PlayerFullscreenEvent
  | PusherPictureInPictureEvent
  | PlayerPictureInPictureEvent;

/**
 * A room client. Methods return cold Observables: nothing happens until you subscribe; each emits
 * its result once and completes, or errors with an {@link RtcError}. State streams are hot and
 * replay their latest value.
 */
export interface RtcClient {
  /** The whole room: hot, replays the latest state, completes on destroy. */
  readonly room$: Observable<RoomState>;
  /** Remote visible users by id (a `ReadonlyMap`); emits only when they change. */
  readonly peers$: Observable<PersistentMap<Peer>>;
  /** Remote streams by id, with this client's subscriptions (a `ReadonlyMap`); emits only when they change. */
  readonly remoteStreams$: Observable<PersistentMap<RemoteStream>>;
  /** This client's camera/mic publication (push URL, mute bits), or null. */
  readonly localStream$: Observable<Publication | null>;
  /** Connection state; emits only when it changes. */
  readonly connection$: Observable<ConnectionState>;
  /** Room attributes; emits only when they change. */
  readonly attributes$: Observable<Readonly<Record<string, string>>>;
  /** Every RoomEvent, as it happens (not replayed). */
  readonly events$: Observable<RoomEvent>;
  /** Errors that happened outside any call (bad frames, lost connection, native errors). */
  readonly errors$: Observable<RtcError>;
  /**
   * The token the session holds expires soon: hot, not replayed, completes on destroy. Renew it
   * with {@link RtcClient.renewToken} (the `renewToken` option does so by itself). Drivers whose
   * backend never warns (Volcengine, RongCloud, TRTC) never emit.
   */
  readonly tokenExpiring$: Observable<TokenExpiring>;
  /** Latest audio level per user (the local user under its own id), apart from `room$`. */
  readonly volume$: Observable<VolumeMap>;
  /** Latest `bindnetstatus` info per user (the local user under its own id), apart from `room$`. */
  readonly netStatus$: Observable<NetStatusMap>;
  /** The current state, for synchronous queries. */
  readonly state: RoomState;
  /** The driver's name (`rxroom`, `trtc`, …). */
  readonly driverName: string;
  /**
   * The media symptoms the driver recovers from by itself ({@link Driver.recovers}); media
   * recovery and the frozen-player watchdog stand down for them. Empty for most drivers.
   */
  readonly driverRecovers: ReadonlySet<MediaSymptom>;

  /** A stream of any slice of the state, emitting only when it changes structurally. */
  select<T>(selector: (state: RoomState) => T): Observable<T>;

  /**
   * Tells the client how to reach the `<live-pusher>` context (a custom component passes its
   * own); returns the function that forgets it. Without one, the platform's page-level context is
   * used.
   */
  registerPusherContext(context: PusherContext): Unlisten;
  /** Same for the `<live-player>` of a stream. */
  registerPlayerContext(streamId: string, context: PlayerContext): Unlisten;

  /**
   * Feeds an event of `<live-pusher>`/`<live-player>` into the room (see `nativeHandlers` for
   * ready-made WXML handlers). Never throws.
   */
  dispatchNative(event: NativeEvent): void;

  join(options: JoinOptions): Observable<JoinResult>;
  /** Leaves the room. Never retried by reconnection. */
  leave(): Observable<void>;
  /** Leaves (if joined), closes everything and completes every stream. Idempotent. */
  destroy(): void;
  publish(options?: PublishOptions): Observable<Publication>;
  /** Stops publishing a stream (by id, or the `main`/`screen` publication). */
  unpublish(stream?: string | StreamKind): Observable<void>;
  subscribe(streamId: string, options?: SubscribeOptions): Observable<Subscription>;
  unsubscribe(streamId: string): Observable<void>;
  /** Mutes this client's own tracks for everyone (the stream stays published). */
  muteLocal(mute: MuteOptions, stream?: string | StreamKind): Observable<StreamDescriptor>;
  /** Stops receiving a subscribed stream's audio or video (this client only). */
  muteRemote(streamId: string, mute: MuteOptions): Observable<Subscription>;
  setVisibility(visible: boolean): Observable<Peer>;
  setRole(role: Role): Observable<Peer>;
  setBusinessId(businessId: string): Observable<Peer>;
  setAttributes(
    attributes: Readonly<Record<string, string>>,
    options?: { notify?: boolean; notice?: AttributeNotice },
  ): Observable<void>;
  getAttributes(keys?: readonly string[]): Observable<Readonly<Record<string, string>>>;
  deleteAttributes(
    keys: readonly string[],
    options?: { notify?: boolean; notice?: AttributeNotice },
  ): Observable<void>;
  /** Sends a room message to everyone else, or to one user (`to`). */
  sendMessage(name: string, content: string, options?: { to?: string }): Observable<void>;
  /** Sends a stats report (pusher/player state or net status) to the server. */
  report(report: StatsReport): Observable<void>;
  /**
   * Hands the backend a newer token for this session (same app, room and user) before the one
   * held expires; later reconnections present it too. Emits when the expiry is known. Fails with
   * `INVALID_ARGUMENT` (empty token), `NOT_JOINED`, `UNSUPPORTED` (the driver cannot renew), or the
   * backend's refusal (`TOKEN_INVALID`, `TOKEN_EXPIRED`, `TOKEN_MISMATCH` …). While reconnecting
   * the token is kept and checked by the next resume.
   *
   * @example
   * ```ts
   * client.tokenExpiring$.pipe(
   *   exhaustMap(() => from(fetchToken()).pipe(switchMap((t) => client.renewToken(t)))),
   * ).subscribe()
   * ```
   */
  renewToken(token: string): Observable<TokenRenewal>;

  /**
   * Everything a page binds on `<live-pusher>`: the settings (`setPusher`) with the push URL and
   * mic/camera of this client's `main` publication. Replays the latest; emits only on change.
   */
  readonly pusher$: Observable<PusherAttributes>;
  /** The player settings changed so far, by stream id (streams never changed are absent). */
  readonly playerSettings$: Observable<PersistentMap<PlayerSettings>>;
  /** Everything a page binds on the `<live-player>` of a stream; emits only on change. */
  player$(streamId: string): Observable<PlayerAttributes>;
  /**
   * Changes `<live-pusher>` settings (no join needed). Checked against WeChat's documented values:
   * a bad one fails with `INVALID_ARGUMENT` and nothing is changed; one the driver cannot set fails
   * with `UNSUPPORTED`. Emits the new attributes.
   */
  setPusher(changes: Partial<PusherSettings>): Observable<PusherAttributes>;
  /** Switches between the front and back camera through `device-position`; emits the new attributes. */
  switchCamera(): Observable<PusherAttributes>;
  /** Changes one `<live-player>`'s settings, like {@link setPusher}; emits its new attributes. */
  setPlayer(streamId: string, changes: Partial<PlayerSettings>): Observable<PlayerAttributes>;
  /**
   * `LivePusherContext` calls as cold Observables (snapshot, pause/resume, BGM, mic volume,
   * preview, …), over the context a component registered or the platform's page-level one. A call
   * fails with `MEDIA_CALL_FAILED` carrying WeChat's `errMsg`.
   */
  readonly livePusher: PusherControls;
  /** The `LivePlayerContext` calls of a stream's player (snapshot, fullscreen, pause/resume, …). */
  livePlayer(streamId: string): PlayerControls;
  /** BGM start/progress/complete, fullscreen changes and picture-in-picture enter/leave, as they happen. */
  readonly mediaEvents$: Observable<MediaEvent>;
}

/** What {@link inspectClient} reports: the live internals of a client, for leak checks. */
export interface ClientInternals {
  readonly destroyed: boolean;
  /** Subscribers still attached to the client's state and event subjects. */
  readonly observers: number;
}
