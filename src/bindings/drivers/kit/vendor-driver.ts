/**
 * The part every vendor driver shares, so each vendor file only says how to talk to its SDK:
 * join and leave, kicks, reconnection through rxroom's `reconnect` operator, restoring what the
 * user had after a rejoin, command timeouts, `UNSUPPORTED` answers, and one RoomEvent per command
 * result, emitted exactly as the built-in protocol driver emits them (ARCHITECTURE.md decision 2).
 */
import { sessionEnding } from '../../session-end';
import {
  asyncScheduler,
  defer,
  EMPTY,
  finalize,
  map,
  Observable,
  of,
  Subject,
  Subscription as RxSubscription,
  tap,
  throwError,
  timeout,
  catchError,
  type SchedulerLike,
} from 'rxjs';
import { RtcError, asRtcError } from '../../../errors';
import { isRetryableError, reconnect, type ReconnectOptions } from '../../../operators/reconnect';
import type {
  Capability,
  Command,
  CommandOf,
  CommandResult,
  CommandType,
  Driver,
  JoinResult,
  MediaSymptom,
} from '../../../streams/command';
import {
  initialRoomState,
  type ConnectionState,
  type KickReason,
  type Peer,
  type Role,
  type RoomState,
  type StreamDescriptor,
  type Subscription,
} from '../../../streams/model';
import { reduceRoom } from '../../../streams/reduce-room';
import type { RoomEvent } from '../../../streams/room-event';
import type { NativeEvent } from '../../native/decode';
import type { Platform } from '../../platform';
import {
  restoreSession,
  resubscribe,
  type RestoreTarget,
  type WantedPublication,
  type WantedSubscription,
} from '../../restore';
import { online$ as platformOnline$, wake$ as platformWake$ } from '../../platform-streams';
import { holdToken, replaceToken, tokenExpiry, withLatestToken, type HeldToken } from '../../token-renewal';

/**
 * The commands a vendor backend carries out itself; the kit handles `join` and `leave`.
 *
 * @example
 * ```ts
 * const t: VendorCommandType = 'publish'
 * ```
 */
export type VendorCommandType = Exclude<CommandType, 'join' | 'leave'>;

/**
 * One handler per supported command. A missing handler means the capability is missing: the
 * client answers `UNSUPPORTED` at once. Handlers return the command's result only; the kit emits
 * the matching RoomEvent (`published`, `subscribed`, `local-mute-changed` …) before the result.
 *
 * @example
 * ```ts
 * const handlers: CommandHandlers = {
 *   publish: (c, session) => fromCallbacks((ok, fail) => sdk.publish(ok, fail), toError).pipe(
 *     map((url) => ({ url, stream: ownStream(session, c) })),
 *   ),
 * }
 * ```
 */
export type CommandHandlers = {
  readonly [K in VendorCommandType]?: (
    command: CommandOf<K>,
    session: VendorSession,
  ) => Observable<CommandResult<K>>;
};

/**
 * Capabilities that are not commands: features a backend may declare.
 *
 * @example
 * ```ts
 * const features: VendorFeature[] = ['screen', 'small-stream']
 * ```
 */
export type VendorFeature = Exclude<Capability, CommandType>;

/**
 * What a backend knows when it is (again) in the room. Peers and streams it does not know yet come
 * later as ordinary events.
 *
 * @example
 * ```ts
 * const snapshot: RoomSnapshot = { sessionId: 'alice@r1#1', peers: [], streams: [] }
 * ```
 */
export interface RoomSnapshot {
  readonly sessionId: string;
  readonly peers?: readonly Peer[];
  readonly streams?: readonly StreamDescriptor[];
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * A backend's handle on the current connection attempt.
 *
 * @example
 * ```ts
 * connect: (session) => new Observable((subscriber) => {
 *   sdk.on('stream-added', (e) => session.emit({ type: 'stream-added', stream: toStream(e) }))
 *   sdk.on('client-banned', () => subscriber.error(session.kicked('banned')))
 * })
 * ```
 */
export interface VendorSession {
  /** The join command of this session. */
  readonly join: CommandOf<'join'>;
  /**
   * The token to present: the join's, then the latest renewal's (`renew-token`) or the fresh one a
   * reconnection fetched with the client's `renewToken` function. Read it, not `join.token`.
   */
  readonly token: string;
  /** 0 for the first join, then 1, 2 … for each reconnection attempt. */
  readonly attempt: number;
  /** The room as this driver has told it so far (its own events folded with `reduceRoom`). */
  readonly state: RoomState;
  /** The scheduler of every timer. */
  readonly scheduler: SchedulerLike;
  /** Role, visibility and business id as the user last set them (kept across rejoins). */
  readonly self: { readonly role: Role; readonly visible: boolean; readonly businessId?: string };
  /**
   * Emits a RoomEvent. Events of an attempt that is not in the room yet are held back until its
   * snapshot is out (so they are not wiped by it); events of a finished attempt are dropped.
   */
  emit(event: RoomEvent): void;
  /** Emits `kicked` and returns the `KICKED` error to end the attempt with (never retried). */
  kicked(reason: KickReason, message?: string): RtcError;
}

/**
 * How to talk to one vendor SDK. {@link createVendorDriver} turns it into a {@link Driver}.
 *
 * @example
 * ```ts
 * const driver = createVendorDriver({
 *   name: 'acme',
 *   handlers: { publish: …, subscribe: … },
 *   connect: (session) => acmeJoin(session.join),
 *   leave: () => acmeLeave(),
 * })
 * ```
 */
export interface VendorBackend {
  /** The driver name (`trtc`, `agora` …). */
  readonly name: string;
  /** Feature capabilities (`screen`, `small-stream`, `invisible`, `resume`). */
  readonly features?: readonly VendorFeature[];
  /** The supported commands. */
  readonly handlers: CommandHandlers;
  /** The media symptoms the vendor (or this driver) recovers from by itself ({@link Driver.recovers}). */
  readonly recovers?: readonly MediaSymptom[];
  /**
   * Refuses the flavours of a supported command the vendor cannot do (a screen publish, an
   * audience join …) with an `UNSUPPORTED` error, before anything is sent.
   */
  refuse?(command: Command): RtcError | null;
  /**
   * One connection attempt: joins (attempt 0) or rejoins, emits one snapshot once in the room and
   * stays open. Errors with an RtcError when the connection is lost (retried when retryable) or
   * with `session.kicked(…)`; completes on a deliberate end. Its teardown releases what the
   * attempt created (listeners, clients).
   */
  connect(session: VendorSession): Observable<RoomSnapshot>;
  /** Leaves the room (best effort; the kit ends the session whatever the answer). */
  leave(session: VendorSession): Observable<unknown>;
  /** Native component events, with the live session if any. */
  handleNative?(event: NativeEvent, session: VendorSession | null): void;
  /** Releases what lives as long as the driver. */
  destroy?(): void;
}

/**
 * Options every vendor driver takes.
 *
 * @example
 * ```ts
 * agoraDriver({ sdk, appId, scheduler, reconnect: { policy: delaysReconnectPolicy([1000, 2000]) } })
 * ```
 */
export interface VendorDriverOptions {
  /** Scheduler of every timer (reconnect delays, timeouts). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * How lost connections are retried, or `false` for never. Default: the default policy, waiting
   * while `platform` (if given) reports offline and retrying at once when it comes back.
   */
  readonly reconnect?: Omit<ReconnectOptions, 'report' | 'shouldRetry'> | false;
  /** Where reachability and app-show come from, for the reconnect defaults. */
  readonly platform?: Platform;
  /** Ms a vendor call may take before it fails with `TIMEOUT`. Default 10,000. */
  readonly callTimeout?: number;
  /** Ms a wanted subscription waits for its stream to come back after a rejoin. Default 20,000. */
  readonly resubscribeGrace?: number;
}

interface Session {
  readonly join: CommandOf<'join'>;
  readonly held: HeldToken;
  self: { role: Role; visible: boolean; businessId?: string };
  attempts: number;
  /** The attempt in the room now, or null while connecting or reconnecting. */
  live: VendorSession | null;
  current: VendorSession | null;
  joinedOnce: boolean;
  leaving: boolean;
  kicked: { reason: KickReason; message?: string } | null;
  readonly publications: Map<string, WantedPublication>;
  readonly subscriptions: Map<string, WantedSubscription>;
  readonly joined$: Subject<JoinResult>;
  loop: RxSubscription | null;
  readonly background: RxSubscription;
  readonly pending: Map<string, RxSubscription>;
}

/** Commands whose results the kit turns into events, and which need a joined, live session. */
type ResultCommand = Exclude<Command, { type: 'join' | 'leave' }>;

/**
 * Builds a {@link Driver} from a {@link VendorBackend}: the kit owns the session (join, leave,
 * kick, destroy), reconnection with rxroom's `reconnect` operator and policies (`reconnecting` with
 * attempt and delay, then `rejoined`), restoring publications, subscriptions and mute bits after a
 * rejoin, call timeouts, and the RoomEvents of command results.
 *
 * @example
 * ```ts
 * export function acmeDriver(options: AcmeOptions): Driver {
 *   return createVendorDriver({ name: 'acme', handlers, connect, leave }, options)
 * }
 * ```
 */
export function createVendorDriver(backend: VendorBackend, options: VendorDriverOptions = {}): Driver {
  const scheduler = options.scheduler ?? asyncScheduler;
  const callTimeout = options.callTimeout ?? 10_000;
  const grace = options.resubscribeGrace ?? 20_000;
  const capabilities = new Set<Capability>([
    'join',
    'leave',
    ...(Object.keys(backend.handlers) as VendorCommandType[]),
    ...(backend.features ?? []),
  ]);
  const events = new Subject<RoomEvent>();
  let mirror: RoomState = initialRoomState;
  let session: Session | null = null;
  let destroyed = false;

  // Reachability is kept subscribed for the driver's life, so the last known value is never lost
  // (the same reason createClient holds it for the built-in driver).
  const reconnectOptions = options.reconnect;
  const platform = reconnectOptions === false ? undefined : options.platform;
  const given = reconnectOptions === false ? undefined : reconnectOptions;
  const online = given?.online$ ?? (platform ? platformOnline$(platform) : undefined);
  const wake = given?.wake$ ?? (platform ? platformWake$(platform, online) : undefined);
  const keepOnline = online?.subscribe();

  const emit = (event: RoomEvent) => {
    mirror = reduceRoom(mirror, event);
    events.next(event);
  };
  const report = (state: ConnectionState) => emit({ type: 'connection', state });

  /** Keeps what must be restored after a rejoin in step with what happened. */
  const track = (s: Session, event: RoomEvent) => {
    switch (event.type) {
      case 'published': {
        const st = event.publication.stream;
        s.publications.set(st.id, {
          kind: st.kind,
          audio: st.hasAudio,
          video: st.hasVideo,
          small: st.hasSmall,
          audioMuted: st.audioMuted,
          videoMuted: st.videoMuted,
        });
        return;
      }
      case 'unpublished':
        s.publications.delete(event.streamId);
        return;
      case 'local-mute-changed': {
        const wanted = s.publications.get(event.stream.id);
        if (wanted)
          s.publications.set(event.stream.id, {
            ...wanted,
            audioMuted: event.stream.audioMuted,
            videoMuted: event.stream.videoMuted,
          });
        return;
      }
      case 'subscribed':
      case 'remote-mute-changed': {
        const sub: Subscription = event.subscription;
        s.subscriptions.set(sub.streamId, {
          audio: sub.audio,
          video: sub.video,
          small: sub.small,
          audioMuted: sub.audioMuted,
          videoMuted: sub.videoMuted,
        });
        return;
      }
      case 'unsubscribed':
        s.subscriptions.delete(event.streamId);
        return;
      case 'stream-added': {
        const waiting = s.pending.get(event.stream.id);
        const wanted = s.subscriptions.get(event.stream.id);
        if (waiting && wanted && s.live) {
          waiting.unsubscribe();
          s.pending.delete(event.stream.id);
          s.background.add(
            resubscribe(restoreTarget(s), event.stream.id, wanted)
              .pipe(catchError(reportFailure))
              .subscribe(),
          );
        }
        return;
      }
      case 'stream-removed':
        s.subscriptions.delete(event.streamId);
        return;
      case 'peer-left':
        for (const id of [...s.subscriptions.keys()])
          if (id.startsWith(`${event.userId}:`)) s.subscriptions.delete(id);
        return;
      case 'self-updated':
        s.self = {
          role: event.role,
          visible: event.visible,
          ...(event.businessId ? { businessId: event.businessId } : {}),
        };
        if (!event.visible || event.role !== 'broadcaster') s.publications.clear();
        return;
      case 'kicked':
        s.kicked = { reason: event.reason, ...(event.message ? { message: event.message } : {}) };
        return;
      default:
        return;
    }
  };

  const dispatch = (s: Session, event: RoomEvent) => {
    if (session !== s) return;
    emit(event);
    track(s, event);
  };

  const reportFailure = (err: unknown) => {
    emit({
      type: 'error',
      error: asRtcError(err),
      source: 'driver',
    });
    return EMPTY;
  };

  /** Runs a command on the live attempt and emits its event before its result. */
  const run = <T extends VendorCommandType>(
    s: Session,
    command: CommandOf<T>,
  ): Observable<CommandResult<T>> =>
    defer(() => {
      const live = s.live;
      if (!live)
        return throwError(() => new RtcError('CONNECTION_LOST', 'not connected; the client is reconnecting'));
      const c = command as ResultCommand;
      const handler = backend.handlers[c.type] as
        ((command: ResultCommand, session: VendorSession) => Observable<unknown>) | undefined;
      if (!handler)
        return throwError(() => new RtcError('UNSUPPORTED', `${backend.name} does not support ${c.type}`));
      return handler(c, live).pipe(
        timeout({
          first: callTimeout,
          scheduler,
          with: () => throwError(() => new RtcError('TIMEOUT', `${backend.name} did not answer ${c.type}`)),
        }),
        map((result) => {
          const event = resultEvent(s, c, result);
          if (event) dispatch(s, event);
          return result as CommandResult<T>;
        }),
      );
    });

  const resultEvent = (s: Session, c: ResultCommand, result: unknown): RoomEvent | null => {
    switch (c.type) {
      case 'publish':
        return { type: 'published', publication: result as CommandResult<'publish'> };
      case 'unpublish':
        return { type: 'unpublished', streamId: c.streamId };
      case 'subscribe':
        return { type: 'subscribed', subscription: result as CommandResult<'subscribe'> };
      case 'unsubscribe':
        return { type: 'unsubscribed', streamId: c.streamId };
      case 'mute-local':
        return { type: 'local-mute-changed', stream: result as CommandResult<'mute-local'> };
      case 'mute-remote':
        return { type: 'remote-mute-changed', subscription: result as CommandResult<'mute-remote'> };
      case 'set-visibility':
      case 'set-role':
      case 'set-business-id': {
        const peer = result as Peer;
        return {
          type: 'self-updated',
          role: peer.role,
          visible: peer.visible,
          ...(peer.businessId ? { businessId: peer.businessId } : {}),
        };
      }
      case 'set-attributes':
        return { type: 'attributes-changed', set: c.attributes, deleted: [], by: s.join.userId };
      case 'delete-attributes':
        return { type: 'attributes-changed', set: {}, deleted: c.keys, by: s.join.userId };
      case 'get-attributes':
        return {
          type: 'attributes-loaded',
          attributes: result as CommandResult<'get-attributes'>,
          ...(c.keys ? { keys: c.keys } : {}),
        };
      case 'renew-token':
        replaceToken(s.held, c.token, (result as CommandResult<'renew-token'>).expiresAt);
        return null;
      case 'send-message':
      case 'report':
        return null;
    }
  };

  /** How restores and re-subscriptions reach the live session (shared with the built-in driver). */
  const restoreTarget = (s: Session): RestoreTarget => ({
    run: (command) => run(s, command as CommandOf<VendorCommandType>) as never,
    failed: reportFailure,
  });

  /**
   * After a rejoin: publish again, mute again, subscribe again, as the user had it. A subscription
   * whose stream is not announced yet waits for it (for `resubscribeGrace`), since vendors
   * announce the room's streams one by one after a fresh join.
   */
  const restore = (s: Session) => {
    // The snapshot and the events held back during the attempt are applied by now.
    const present = new Set([...mirror.streams.keys()]);
    s.background.add(
      restoreSession(
        restoreTarget(s),
        { publications: s.publications.values(), subscriptions: s.subscriptions },
        present,
        (streamId) => awaitStream(s, streamId),
      ).subscribe(),
    );
  };

  /** Keeps a wanted subscription waiting for its stream to come back after a rejoin. */
  const awaitStream = (s: Session, streamId: string) => {
    s.pending.get(streamId)?.unsubscribe();
    s.pending.set(
      streamId,
      scheduler.schedule(() => {
        s.pending.delete(streamId);
        s.subscriptions.delete(streamId);
      }, grace),
    );
  };

  const onConnected = (s: Session, attempt: VendorSession, snapshot: RoomSnapshot) => {
    const first = !s.joinedOnce;
    s.joinedOnce = true;
    s.live = attempt;
    report({ status: first ? 'connected' : 'rejoined' });
    dispatch(s, {
      type: 'joined',
      mode: first ? 'joined' : 'rejoined',
      roomId: s.join.roomId,
      sessionId: snapshot.sessionId,
      self: {
        userId: s.join.userId,
        role: s.self.role,
        visible: s.self.visible,
        ...(s.self.businessId ? { businessId: s.self.businessId } : {}),
        publications: {},
      },
      peers: snapshot.peers ?? [],
      streams: snapshot.streams ?? [],
      subscriptions: [],
      attributes: snapshot.attributes ?? {},
    });
  };

  /** One attempt: the backend's connect, with held-back events and a join timeout. */
  const attemptOnce = (s: Session): Observable<void> =>
    defer(() => {
      const held: RoomEvent[] = [];
      let inRoom = false;
      let over = false;
      const attempt: VendorSession = {
        join: s.join,
        get token() {
          return s.held.token;
        },
        attempt: s.attempts++,
        scheduler,
        get state() {
          return mirror;
        },
        get self() {
          return s.self;
        },
        emit(event) {
          if (over || session !== s) return;
          if (inRoom) dispatch(s, event);
          else held.push(event);
        },
        kicked(reason, message) {
          dispatch(s, { type: 'kicked', reason, ...(message ? { message } : {}) });
          return new RtcError('KICKED', `removed by the server: ${reason}${message ? ` (${message})` : ''}`);
        },
      };
      s.current = attempt;
      return backend.connect(attempt).pipe(
        timeout({
          first: callTimeout,
          scheduler,
          with: () => throwError(() => new RtcError('TIMEOUT', `${backend.name} did not answer the join`)),
        }),
        tap((snapshot) => {
          if (inRoom) return; // a backend that reports twice: the first snapshot counts
          inRoom = true;
          onConnected(s, attempt, snapshot);
          for (const event of held.splice(0)) dispatch(s, event);
          if (attempt.attempt === 0) {
            s.joined$.next({ roomId: s.join.roomId, sessionId: snapshot.sessionId });
            s.joined$.complete();
          } else {
            restore(s);
          }
        }),
        map(() => undefined),
        finalize(() => {
          over = true;
          if (s.live === attempt) s.live = null;
          if (s.current === attempt) s.current = null;
        }),
      );
    });

  const end = (
    s: Session,
    reason: 'leave' | 'kicked' | 'connection-lost' | 'destroyed',
    state: ConnectionState,
  ) => {
    if (session !== s) return;
    s.loop?.unsubscribe();
    s.loop = null;
    s.live = null;
    s.background.unsubscribe();
    for (const timer of s.pending.values()) timer.unsubscribe();
    s.pending.clear();
    report(state);
    emit({ type: 'left', reason });
    session = null;
  };

  const startSession = (join: CommandOf<'join'>): Observable<JoinResult> => {
    const s: Session = {
      join,
      held: holdToken(join.token),
      self: {
        role: join.role,
        visible: join.visible,
        ...(join.businessId ? { businessId: join.businessId } : {}),
      },
      attempts: 0,
      live: null,
      current: null,
      joinedOnce: false,
      leaving: false,
      kicked: null,
      publications: new Map(),
      subscriptions: new Map(),
      joined$: new Subject<JoinResult>(),
      loop: null,
      background: new RxSubscription(),
      pending: new Map(),
    };
    session = s;
    const result = s.joined$.asObservable();
    report({ status: 'connecting' });
    // Every reconnection presents the latest token, a fresh one when the one held has lapsed.
    const attempts = defer(() =>
      s.joinedOnce
        ? withLatestToken({
            held: s.held,
            fetch: join.fetchToken,
            due: callTimeout,
            scheduler,
            connect: () => attemptOnce(s),
            lapse: (why) => {
              dispatch(s, { type: 'kicked', reason: 'token-expired', message: why });
              return new RtcError('KICKED', `the session's token lapsed: ${why}`);
            },
          })
        : attemptOnce(s),
    );
    const recovered =
      reconnectOptions === false
        ? attempts
        : attempts.pipe(
            reconnect<void>(
              {
                ...(reconnectOptions ?? {}),
                ...(online ? { online$: online } : {}),
                ...(wake ? { wake$: wake } : {}),
                shouldRetry: (e) => s.joinedOnce && !s.leaving && isRetryableError(e),
                report,
              },
              scheduler,
            ),
          );
    s.loop = recovered.subscribe({
      error: (err: unknown) => {
        const ending = sessionEnding(err, s.kicked?.reason);
        if (!s.joinedOnce) s.joined$.error(ending.error);
        else if (ending.reason === 'connection-lost')
          emit({ type: 'error', error: ending.error, source: 'connection' });
        end(s, ending.reason, ending.state);
      },
      complete: () => {
        if (!s.joinedOnce)
          s.joined$.error(new RtcError('CONNECTION_LOST', 'closed before the join completed'));
        if (!s.leaving) end(s, 'connection-lost', { status: 'disconnected' });
      },
    });
    return result;
  };

  const leave = (s: Session): Observable<void> => {
    s.leaving = true;
    const live = s.live;
    const done = () => end(s, 'leave', { status: 'disconnected' });
    if (!live) {
      done();
      return of(undefined);
    }
    // Leave even when the vendor does not answer: the user asked to go.
    return new Observable<void>((subscriber) =>
      backend
        .leave(live)
        .pipe(
          timeout({ first: callTimeout, scheduler }),
          catchError(() => EMPTY),
        )
        .subscribe({
          complete: () => {
            done();
            subscriber.next();
            subscriber.complete();
          },
        }),
    );
  };

  return {
    name: backend.name,
    capabilities,
    recovers: new Set(backend.recovers ?? []),
    events$: events.asObservable(),
    execute<T extends CommandType>(command: CommandOf<T>): Observable<CommandResult<T>> {
      return defer(() => {
        if (destroyed) return throwError(() => new RtcError('DESTROYED', 'the client was destroyed'));
        const c = command as Command;
        if (!capabilities.has(c.type))
          return throwError(() => new RtcError('UNSUPPORTED', `${backend.name} does not support ${c.type}`));
        const refused =
          c.type === 'publish' && c.tag !== undefined
            ? new RtcError('UNSUPPORTED', `${backend.name} publishes no custom-tagged streams`)
            : backend.refuse?.(c);
        if (refused) return throwError(() => refused);
        if (c.type === 'join') {
          if (session) return throwError(() => new RtcError('ALREADY_JOINED', 'already joined or joining'));
          return startSession(c);
        }
        const s = session;
        if (!s) return throwError(() => new RtcError('NOT_JOINED', `${c.type} needs a joined room`));
        if (c.type === 'leave') return leave(s);
        if (c.type === 'renew-token' && !s.live) {
          // Reconnecting: the next attempt presents it.
          const expiresAt = tokenExpiry(c.token);
          replaceToken(s.held, c.token, expiresAt);
          return of(expiresAt === undefined ? {} : { expiresAt });
        }
        return run(s, c);
      }) as Observable<CommandResult<T>>;
    },
    handleNative(event) {
      if (destroyed) return;
      backend.handleNative?.(event, session?.current ?? null);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      const s = session;
      if (s) {
        s.leaving = true;
        // Best effort: tell the vendor, then release without waiting.
        if (s.live) backend.leave(s.live).subscribe({ error: () => undefined });
        if (!s.joinedOnce) s.joined$.error(new RtcError('DESTROYED', 'the client was destroyed'));
        end(s, 'destroyed', { status: 'disconnected' });
      }
      keepOnline?.unsubscribe();
      backend.destroy?.();
      events.complete();
    },
  };
}
