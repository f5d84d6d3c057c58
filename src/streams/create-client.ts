/**
 * createClient: the object a page holds. It owns a driver from creation to `destroy()`, folds the
 * driver's RoomEvents into RoomState, and exposes both as hot streams (ARCHITECTURE.md
 * decisions 1–3). Pages subscribing and unsubscribing never open or close anything.
 */
import {
  asyncScheduler,
  BehaviorSubject,
  defer,
  distinctUntilChanged,
  map,
  Observable,
  shareReplay,
  Subject,
  throwError,
  type SchedulerLike,
  Subscription as RxSubscription,
} from 'rxjs';
import { RtcError, asRtcError } from '../errors';
import { ID_PATTERN, LIMITS } from '../protocol/limits';
import type { Platform, PlayerContext, PusherContext, Unlisten } from '../bindings/platform';
import { playerElementId } from '../bindings/native/handlers';
import { mediaRecovery, type MediaRecoveryOptions } from '../operators/media-recovery';
import { reportStats, type ReportStatsOptions } from '../operators/report-stats';
import { protocolDriver } from '../bindings/protocol/protocol-driver';
import { appShow$, online$, wake$ } from '../bindings/platform-streams';
import { isRetryableError, reconnect, type ReconnectOptions } from '../operators/reconnect';
import { heartbeat, type HeartbeatOptions } from '../operators/heartbeat';
import { wxPlatform } from '../bindings/wx-platform';
import type { CommandOf, CommandResult, CommandType, Driver, JoinResult, StatsReport } from './command';
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
} from './model';
import { initialRoomState } from './model';
import { PersistentMap } from './persistent-map';
import type { NativeEvent } from '../bindings/native/decode';
import {
  pruneLevels,
  reduceNetStatus,
  reduceVolume,
  type NetStatusMap,
  type VolumeMap,
} from './media-levels';
import { reduceRoom } from './reduce-room';
import type { RoomEvent } from './room-event';
import {
  deepEqual,
  selectAttributes,
  selectConnection,
  selectLocalStream,
  selectPeers,
  selectRemoteStreams,
} from './selectors';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Signaling server URL for the built-in driver (`wss://…`). */
  readonly url?: string;
  /** The platform for the built-in driver. Default: `wxPlatform()`. */
  readonly platform?: Platform;
  /** A driver to use instead of the built-in one (vendor drivers). */
  readonly driver?: Driver;
  /** Scheduler for every timer. Default `asyncScheduler`; pass a TestScheduler in tests. */
  readonly scheduler?: SchedulerLike;
  /** Ms to wait for each answer from the server. Default 10,000. */
  readonly requestTimeout?: number;
  /**
   * How lost connections are retried (built-in driver): reconnect options, or `false` for none.
   * Default: the default policy (0, 300, 1200, 2700, 4800, then ~7 s, for up to 60 s), waiting
   * while offline and trying at once when the network or the app comes back.
   */
  readonly reconnect?: Omit<ReconnectOptions, 'report'> | false;
  /** Dead-connection detection (built-in driver), or `false` for none. Default: the server's settings. */
  readonly heartbeat?: Omit<HeartbeatOptions, 'check$'> | false;
  /**
   * Carry out the remedies native components ask for (restart push/play, publish or subscribe
   * again), with backoff; or `false`. Default on.
   */
  readonly mediaRecovery?: Omit<MediaRecoveryOptions, 'pusherContext' | 'playerContext' | 'wake$'> | false;
  /** Send sampled pusher/player state and net status to the server; or `false`. Default on. */
  readonly reportStats?: ReportStatsOptions | false;
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
    options?: { notify?: boolean },
  ): Observable<void>;
  getAttributes(keys?: readonly string[]): Observable<Readonly<Record<string, string>>>;
  deleteAttributes(keys: readonly string[], options?: { notify?: boolean }): Observable<void>;
  /** Sends a room message to everyone else, or to one user (`to`). */
  sendMessage(name: string, content: string, options?: { to?: string }): Observable<void>;
  /** Sends a stats report (pusher/player state or net status) to the server. */
  report(report: StatsReport): Observable<void>;
}

const STREAM_ID = /^[A-Za-z0-9_.@+-]+:(main|screen)$/;

function checkId(what: string, value: unknown, max: number): RtcError | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !ID_PATTERN.test(value)) {
    return new RtcError('INVALID_ARGUMENT', `${what} must be 1–${max} characters of A–Z a–z 0–9 _ . @ + -`);
  }
  return null;
}

/** What {@link inspectClient} reports: the live internals of a client, for leak checks. */
export interface ClientInternals {
  readonly destroyed: boolean;
  /** Subscribers still attached to the client's state and event subjects. */
  readonly observers: number;
}

const internals = new WeakMap<RtcClient, () => ClientInternals>();

/** Internal: the live internals of a client (tests and debugging; not part of the public API). */
export function inspectClient(client: RtcClient): ClientInternals {
  const read = internals.get(client);
  if (!read) throw new TypeError('not an rxroom client');
  return read();
}

/**
 * Creates a room client.
 *
 * @example
 * ```ts
 * import { createClient, selectRemoteUserIds } from 'rxroom'
 *
 * const client = createClient({ url: 'wss://rtc.example.com' }) // wx platform by default
 * client.join({ token, roomId: 'r1', userId: 'alice' }).subscribe()
 * client.room$.subscribe((room) => page.setData({ peers: selectRemoteUserIds(room) }))
 * // onUnload:
 * client.destroy()
 * ```
 */
export function createClient(options: ClientOptions): RtcClient {
  const scheduler = options.scheduler ?? asyncScheduler;
  let driver: Driver;
  // Held for the client's lifetime so the last known reachability is never forgotten.
  let keepOnline: RxSubscription | null = null;
  let platform: Platform | null = options.platform ?? null;
  if (options.driver) {
    driver = options.driver;
  } else {
    if (!options.url) throw new RtcError('INVALID_ARGUMENT', 'createClient needs `url` (or a `driver`)');
    const p: Platform = platform ?? wxPlatform();
    platform = p;
    const online = online$(p);
    keepOnline = online.subscribe();
    const reconnectOptions = options.reconnect;
    const heartbeatOptions = options.heartbeat;
    driver = protocolDriver({
      url: options.url,
      platform: p,
      scheduler,
      ...(options.requestTimeout !== undefined ? { requestTimeout: options.requestTimeout } : {}),
      ...(reconnectOptions !== false
        ? {
            recovery: (hooks) =>
              reconnect<void>(
                {
                  online$: online,
                  wake$: wake$(p, online),
                  ...reconnectOptions,
                  shouldRetry: (e) =>
                    hooks.joined() && (reconnectOptions?.shouldRetry ?? isRetryableError)(e),
                  report: hooks.report,
                },
                scheduler,
              ),
          }
        : {}),
      ...(heartbeatOptions !== false
        ? { onConnected: heartbeat({ ...heartbeatOptions, check$: appShow$(p) }, scheduler) }
        : {}),
    });
  }

  const state = new BehaviorSubject<RoomState>(initialRoomState);
  const events = new Subject<RoomEvent>();
  const volume = new BehaviorSubject<VolumeMap>(PersistentMap.empty());
  const netStatus = new BehaviorSubject<NetStatusMap>(PersistentMap.empty());
  let destroyed = false;

  // Events are applied one at a time even when a subscriber reacts to one by causing another
  // synchronously; otherwise late subscribers could see states out of order.
  const queue: RoomEvent[] = [];
  let draining = false;
  const dispatch = (event: RoomEvent) => {
    queue.push(event);
    if (draining) return;
    draining = true;
    try {
      while (queue.length > 0) {
        const next = queue.shift()!;
        const reduced = reduceRoom(state.value, next);
        if (reduced !== state.value) state.next(reduced);
        if (next.type === 'native') {
          const v = reduceVolume(volume.value, next.event, reduced);
          if (v !== volume.value) volume.next(v);
          const n = reduceNetStatus(netStatus.value, next.event, reduced);
          if (n !== netStatus.value) netStatus.next(n);
        } else {
          const v = pruneLevels(volume.value, next, reduced);
          if (v !== volume.value) volume.next(v);
          const n = pruneLevels(netStatus.value, next, reduced);
          if (n !== netStatus.value) netStatus.next(n);
        }
        events.next(next);
      }
    } finally {
      draining = false;
    }
  };
  const driverSubscription: RxSubscription = driver.events$.subscribe({
    next: dispatch,
    error: (err: unknown) =>
      dispatch({
        type: 'error',
        error: asRtcError(err),
        source: 'driver',
      }),
  });

  const select = <T>(
    selector: (s: RoomState) => T,
    same: (a: T, b: T) => boolean = deepEqual,
  ): Observable<T> =>
    state.pipe(map(selector), distinctUntilChanged<T>(same), shareReplay({ bufferSize: 1, refCount: true }));
  /**
   * The reducer gives a slice a new identity only when it changed, so the built-in slices compare
   * by reference: O(1) per event however large the room.
   */
  const slice = <T>(selector: (s: RoomState) => T): Observable<T> => select(selector, Object.is);

  const fail = <T>(error: RtcError): Observable<T> => throwError(() => error);

  /** Runs a command after the checks every driver shares. */
  const command = <T extends CommandType>(
    cmd: CommandOf<T>,
    check?: (s: RoomState) => RtcError | null,
  ): Observable<CommandResult<T>> =>
    defer(() => {
      if (destroyed) return fail<CommandResult<T>>(new RtcError('DESTROYED', 'the client was destroyed'));
      if (!driver.capabilities.has(cmd.type)) {
        return fail<CommandResult<T>>(
          new RtcError('UNSUPPORTED', `${driver.name} does not support ${cmd.type}`),
        );
      }
      const s = state.value;
      if (cmd.type !== 'join' && !s.roomId) {
        return fail<CommandResult<T>>(new RtcError('NOT_JOINED', `${cmd.type} needs a joined room`));
      }
      const problem = check?.(s);
      return problem ? fail<CommandResult<T>>(problem) : driver.execute(cmd);
    });

  const ownStream = (s: RoomState, stream: string | StreamKind | undefined): string => {
    if (stream === undefined || stream === 'main' || stream === 'screen') {
      return `${s.self?.userId ?? ''}:${stream ?? 'main'}`;
    }
    return stream;
  };

  const notPublished = (s: RoomState, id: string) =>
    s.self?.publications[id] ? null : new RtcError('NOT_PUBLISHED', `${id} is not published by this client`);
  const notSubscribed = (s: RoomState, id: string) =>
    s.streams.get(id)?.subscription ? null : new RtcError('NOT_SUBSCRIBED', `${id} is not subscribed`);
  const badStreamId = (id: unknown) =>
    typeof id === 'string' && STREAM_ID.test(id)
      ? null
      : new RtcError('INVALID_ARGUMENT', 'stream id must be user:main or user:screen');

  const pusherContexts: PusherContext[] = [];
  const playerContexts = new Map<string, PlayerContext>();
  const background = new RxSubscription();

  const client: RtcClient = {
    room$: state.asObservable(),
    peers$: slice(selectPeers),
    remoteStreams$: slice(selectRemoteStreams),
    localStream$: slice(selectLocalStream),
    connection$: select(selectConnection),
    attributes$: select(selectAttributes),
    events$: events.asObservable(),
    errors$: new Observable<RtcError>((subscriber) =>
      events.subscribe({
        next: (e) => {
          if (e.type === 'error') subscriber.next(e.error);
        },
        complete: () => subscriber.complete(),
      }),
    ),
    volume$: volume.asObservable(),
    netStatus$: netStatus.asObservable(),
    get state() {
      return state.value;
    },
    registerPusherContext(context) {
      pusherContexts.push(context);
      return () => {
        const i = pusherContexts.indexOf(context);
        if (i >= 0) pusherContexts.splice(i, 1);
      };
    },
    registerPlayerContext(streamId, context) {
      playerContexts.set(streamId, context);
      return () => {
        if (playerContexts.get(streamId) === context) playerContexts.delete(streamId);
      };
    },
    dispatchNative(event) {
      if (destroyed) return;
      dispatch({ type: 'native', event });
      try {
        driver.handleNative?.(event);
      } catch (e) {
        dispatch({
          type: 'error',
          error:
            e instanceof RtcError
              ? e
              : new RtcError('INTERNAL', `driver failed on a native event: ${String(e)}`),
          source: 'driver',
        });
      }
    },
    driverName: driver.name,
    select: (selector) => select(selector),

    join(o) {
      return defer(() => {
        const problem =
          (typeof o?.token !== 'string' || o.token.length === 0 || o.token.length > LIMITS.maxTokenLength
            ? new RtcError('INVALID_ARGUMENT', 'token must be a non-empty string')
            : null) ??
          checkId('roomId', o.roomId, LIMITS.maxRoomIdLength) ??
          checkId('userId', o.userId, LIMITS.maxUserIdLength) ??
          // A join in flight shows as `connecting` (the driver reports it at once), so this holds
          // even when the caller of the first join stopped listening.
          (state.value.roomId || state.value.connection.status === 'connecting'
            ? new RtcError('ALREADY_JOINED', 'already joined or joining')
            : null);
        if (problem) return fail<JoinResult>(problem);
        return command({
          type: 'join',
          token: o.token,
          roomId: o.roomId,
          userId: o.userId,
          visible: o.visible ?? true,
          role: o.role ?? 'broadcaster',
          ...(o.businessId !== undefined ? { businessId: o.businessId } : {}),
        });
      });
    },
    leave() {
      return command({ type: 'leave' });
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      background.unsubscribe();
      pusherContexts.length = 0;
      playerContexts.clear();
      driver.destroy();
      driverSubscription.unsubscribe();
      keepOnline?.unsubscribe();
      dispatch({ type: 'left', reason: 'destroyed' });
      events.complete();
      state.complete();
      volume.complete();
      netStatus.complete();
    },
    publish(o = {}) {
      const kind = o.kind ?? 'main';
      return command(
        { type: 'publish', kind, audio: o.audio ?? true, video: o.video ?? true, small: o.small ?? false },
        (s) => {
          if (kind !== 'main' && kind !== 'screen')
            return new RtcError('INVALID_ARGUMENT', 'kind must be main or screen');
          if (o.audio === false && o.video === false) {
            return new RtcError('INVALID_ARGUMENT', 'publish at least one of audio and video');
          }
          if (s.self && (!s.self.visible || s.self.role !== 'broadcaster')) {
            return new RtcError('NOT_ALLOWED', 'invisible users and the audience cannot publish');
          }
          return s.self?.publications[`${s.self.userId}:${kind}`]
            ? new RtcError('ALREADY_PUBLISHED', `a ${kind} stream is already published`)
            : null;
        },
      );
    },
    unpublish(stream) {
      return defer(() => {
        const id = ownStream(state.value, stream);
        return command({ type: 'unpublish', streamId: id }, (s) => notPublished(s, id));
      });
    },
    subscribe(streamId, o = {}) {
      return command(
        {
          type: 'subscribe',
          streamId,
          audio: o.audio ?? true,
          video: o.video ?? true,
          small: o.small ?? false,
        },
        (s) =>
          badStreamId(streamId) ??
          (s.streams.get(streamId)
            ? null
            : new RtcError('STREAM_NOT_FOUND', `no stream ${streamId} in the room`)),
      );
    },
    unsubscribe(streamId) {
      return command(
        { type: 'unsubscribe', streamId },
        (s) => badStreamId(streamId) ?? notSubscribed(s, streamId),
      );
    },
    muteLocal(mute, stream) {
      return defer(() => {
        const id = ownStream(state.value, stream);
        return command(
          {
            type: 'mute-local',
            streamId: id,
            ...(mute.audio !== undefined ? { audio: mute.audio } : {}),
            ...(mute.video !== undefined ? { video: mute.video } : {}),
          },
          (s) => notPublished(s, id),
        );
      });
    },
    muteRemote(streamId, mute) {
      return command(
        {
          type: 'mute-remote',
          streamId,
          ...(mute.audio !== undefined ? { audio: mute.audio } : {}),
          ...(mute.video !== undefined ? { video: mute.video } : {}),
        },
        (s) => badStreamId(streamId) ?? notSubscribed(s, streamId),
      );
    },
    setVisibility(visible) {
      return command({ type: 'set-visibility', visible }, () =>
        typeof visible === 'boolean' ? null : new RtcError('INVALID_ARGUMENT', 'visible must be a boolean'),
      );
    },
    setRole(role) {
      return command({ type: 'set-role', role }, () =>
        role === 'broadcaster' || role === 'audience'
          ? null
          : new RtcError('INVALID_ARGUMENT', 'role must be broadcaster or audience'),
      );
    },
    setBusinessId(businessId) {
      return command({ type: 'set-business-id', businessId }, () =>
        typeof businessId === 'string' && businessId.length <= LIMITS.maxBusinessIdLength
          ? null
          : new RtcError(
              'INVALID_ARGUMENT',
              `businessId must be a string of at most ${LIMITS.maxBusinessIdLength} characters`,
            ),
      );
    },
    setAttributes(attributes, o = {}) {
      return command({ type: 'set-attributes', attributes, notify: o.notify ?? true }, () => {
        const keys = Object.keys(attributes ?? {});
        if (keys.length === 0 || keys.length > LIMITS.maxAttributesPerRequest) {
          return new RtcError(
            'INVALID_ARGUMENT',
            `set 1–${LIMITS.maxAttributesPerRequest} attributes at a time`,
          );
        }
        for (const k of keys) {
          const value = attributes[k];
          if (
            k.length > LIMITS.maxAttributeKeyLength ||
            typeof value !== 'string' ||
            value.length > LIMITS.maxAttributeValueLength
          ) {
            return new RtcError(
              'INVALID_ARGUMENT',
              `attribute ${k.slice(0, 40)}: keys ≤ ${LIMITS.maxAttributeKeyLength}, string values ≤ ${LIMITS.maxAttributeValueLength}`,
            );
          }
        }
        return null;
      });
    },
    getAttributes(keys) {
      return command({ type: 'get-attributes', ...(keys ? { keys } : {}) }, () =>
        keys && (keys.length === 0 || keys.length > LIMITS.maxAttributesPerRequest)
          ? new RtcError(
              'INVALID_ARGUMENT',
              `ask for 1–${LIMITS.maxAttributesPerRequest} keys, or none for all`,
            )
          : null,
      );
    },
    deleteAttributes(keys, o = {}) {
      return command({ type: 'delete-attributes', keys, notify: o.notify ?? true }, () =>
        keys.length === 0 || keys.length > LIMITS.maxAttributesPerRequest
          ? new RtcError('INVALID_ARGUMENT', `delete 1–${LIMITS.maxAttributesPerRequest} keys at a time`)
          : null,
      );
    },
    sendMessage(name, content, o = {}) {
      return command({ type: 'send-message', name, content, ...(o.to ? { to: o.to } : {}) }, () => {
        if (typeof name !== 'string' || name.length === 0 || name.length > LIMITS.maxMessageNameLength) {
          return new RtcError(
            'INVALID_ARGUMENT',
            `message name must be 1–${LIMITS.maxMessageNameLength} characters`,
          );
        }
        if (typeof content !== 'string' || content.length > LIMITS.maxMessageContentLength) {
          return new RtcError(
            'INVALID_ARGUMENT',
            `message content must be a string of at most ${LIMITS.maxMessageContentLength} characters`,
          );
        }
        return o.to ? checkId('to', o.to, LIMITS.maxUserIdLength) : null;
      });
    },
    report(r) {
      return command({ type: 'report', report: r });
    },
  };
  if (options.mediaRecovery !== false) {
    const p = platform;
    background.add(
      mediaRecovery(
        client,
        {
          ...options.mediaRecovery,
          pusherContext: () => pusherContexts[pusherContexts.length - 1] ?? p?.createPusherContext() ?? null,
          playerContext: (streamId) =>
            playerContexts.get(streamId) ?? p?.createPlayerContext(playerElementId(streamId)) ?? null,
          ...(p ? { wake$: appShow$(p) } : {}),
        },
        scheduler,
      ).subscribe(dispatch),
    );
  }
  if (options.reportStats !== false) {
    background.add(reportStats(client, options.reportStats || {}, scheduler).subscribe());
  }
  internals.set(client, () => ({
    destroyed,
    observers: [state, events, volume, netStatus].filter((subject) => subject.observed).length,
  }));
  return client;
}
