/**
 * The public shapes of a room client: what {@link createRoomClient} and `createClient` return and
 * what their methods take.
 */
import type { Observable } from 'rxjs';
import type { RtcError } from '../../errors';
import type { Platform, PlayerContext, PusherContext, Unlisten } from '../../bindings/platform';
import type { NativeEvent } from '../../bindings/native/decode';
import type { AttributeNotice, Driver, JoinResult, MediaSymptom, StatsReport } from '../command';
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
}

/** What {@link inspectClient} reports: the live internals of a client, for leak checks. */
export interface ClientInternals {
  readonly destroyed: boolean;
  /** Subscribers still attached to the client's state and event subjects. */
  readonly observers: number;
}
