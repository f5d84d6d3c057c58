/**
 * The built-in driver: the rxroom signaling protocol (docs/protocol.md) over one socket per
 * session, through the injected Platform.
 */
import { sessionEnding } from '../session-end';
import {
  asyncScheduler,
  defer,
  EMPTY,
  map,
  Observable,
  of,
  Subject,
  throwError,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  Subscription as RxSubscription,
  catchError,
  finalize,
  share,
} from 'rxjs';
import { RtcError, asRtcError } from '../../errors';
import type { JoinAckData, RequestBody } from '../../protocol';
import type {
  Capability,
  Command,
  CommandOf,
  CommandResult,
  CommandType,
  Driver,
  JoinResult,
} from '../../streams/command';
import type { ConnectionState, KickReason, Publication, SelfState, Subscription } from '../../streams/model';
import type { RoomEvent } from '../../streams/room-event';
import { fromSocket } from '../from-socket';
import type { Platform } from '../platform';
import { SignalChannel } from './signal-channel';
import {
  restoreSession,
  resubscribe,
  type RestoreTarget,
  type WantedPublication,
  type WantedSubscription,
} from '../restore';
import { toPeer, toPublication, toStream, toSubscription } from './mapping';

/** What the reconnect logic sees of a session attempt. */
export interface SessionHooks {
  /** Emits connection states (`reconnecting` with attempt and delay, `failed`, …). */
  readonly report: (state: ConnectionState) => void;
  /**
   * True once the session has joined. Before that a failure fails the join call instead of
   * being retried, so `join()` answers promptly.
   */
  readonly joined: () => boolean;
}

/**
 * Wraps one connection attempt (an Observable that emits once when joined or resumed, errors with
 * an RtcError when the connection is lost, and completes on a deliberate end) so that it is
 * retried. The default is no retry; `createClient` plugs in the `reconnect` operator.
 */
export type RecoveryFactory = (hooks: SessionHooks) => MonoTypeOperatorFunction<void>;

/** Options of {@link protocolDriver}. */
export interface ProtocolDriverOptions {
  /** Server URL: `wss://…` (`ws://127.0.0.1:…` in Node). */
  readonly url: string;
  readonly platform: Platform;
  /** Ms to wait for each ack. Default 10,000. */
  readonly requestTimeout?: number;
  /** Ms to wait for the socket handshake. Default 10,000. */
  readonly connectTimeout?: number;
  /** Scheduler of every timer. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Retry policy for lost connections. Default: none. */
  readonly recovery?: RecoveryFactory;
  /** Extra per-connection behaviour (heartbeat) given the live channel. */
  readonly onConnected?: (link: LiveLink) => Observable<never>;
}

/** A joined, open connection, for per-connection operators such as the heartbeat. */
export interface LiveLink {
  /** Sends a ping and completes on the pong (errors with TIMEOUT/CONNECTION_LOST). */
  ping(timeout: number): Observable<void>;
  /** Heartbeat settings announced by the server. */
  readonly heartbeat: { readonly interval: number; readonly timeout: number };
  /** Emits on every frame received from the server (any frame proves the link is alive). */
  readonly received$: Observable<void>;
}

/** What the client wants to keep across a full rejoin. */
interface Wanted {
  readonly publications: Map<string, WantedPublication>;
  readonly subscriptions: Map<string, WantedSubscription>;
}

interface Session {
  readonly join: CommandOf<'join'>;
  sessionId: string | null;
  lastSeq: number;
  channel: SignalChannel | null;
  leaving: boolean;
  kicked: KickReason | null;
  joinedOnce: boolean;
  self: { role: SelfState['role']; visible: boolean; businessId?: string };
  readonly wanted: Wanted;
  readonly joined$: Subject<JoinResult>;
  loop: RxSubscription | null;
  /** A request went unanswered: the next resume asks for a snapshot, the server's truth. */
  uncertain: boolean;
  /** Drops the current connection so the reconnect logic resumes (set while connected). */
  resync: ((why: string) => void) | null;
  /** This session's subscriptions as the server last confirmed them. */
  readonly live: Map<string, Subscription>;
  /** Subscribe requests in flight, by stream, so identical ones are sent once. */
  readonly subscribing: Map<string, { readonly key: string; readonly request$: Observable<Subscription> }>;
  /** Restores and re-subscriptions running in the background; stopped when the session ends. */
  readonly background: RxSubscription;
  /** Wanted subscriptions waiting for their stream to come back after a rejoin, with their expiry. */
  readonly pending: Map<string, RxSubscription>;
}

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'join',
  'leave',
  'publish',
  'unpublish',
  'subscribe',
  'unsubscribe',
  'mute-local',
  'mute-remote',
  'set-visibility',
  'set-role',
  'set-business-id',
  'set-attributes',
  'get-attributes',
  'delete-attributes',
  'send-message',
  'report',
  'resume',
  'small-stream',
  'screen',
  'invisible',
]);

/**
 * The driver for rxroom's own signaling protocol.
 *
 * @example
 * ```ts
 * const driver = protocolDriver({ url: 'wss://rtc.example.com', platform: wxPlatform() })
 * const client = createClient({ driver })
 * ```
 */
export function protocolDriver(options: ProtocolDriverOptions): Driver {
  const scheduler = options.scheduler ?? asyncScheduler;
  const requestTimeout = options.requestTimeout ?? 10_000;
  const events = new Subject<RoomEvent>();
  let session: Session | null = null;
  let destroyed = false;

  const emit = (event: RoomEvent) => events.next(event);
  const report = (state: ConnectionState) => emit({ type: 'connection', state });

  /** One connection: socket → join (or resume) → pushes, until the socket closes. */
  const connectOnce = (s: Session): Observable<void> =>
    new Observable<void>((subscriber) => {
      let channel: SignalChannel | null = null;
      let opened = false;
      s.resync = (why) => subscriber.error(new RtcError('CONNECTION_LOST', why));
      let live: RxSubscription | null = null;
      const received = new Subject<void>();
      const socket = fromSocket(options.platform, {
        url: options.url,
        ...(options.connectTimeout !== undefined ? { timeout: options.connectTimeout } : {}),
      }).subscribe((e) => {
        switch (e.type) {
          case 'connecting':
            channel = new SignalChannel(e.send, { timeout: requestTimeout, scheduler });
            return;
          case 'open': {
            opened = true;
            const ch = channel!;
            const body: RequestBody<'join'> = {
              t: 'join',
              token: s.join.token,
              room: s.join.roomId,
              user: s.join.userId,
              visible: s.self.visible,
              role: s.self.role,
              ...(s.self.businessId ? { businessId: s.self.businessId } : {}),
              ...(s.sessionId
                ? {
                    resume: {
                      session: s.sessionId,
                      seq: s.lastSeq,
                      ...(s.uncertain ? { snapshot: true } : {}),
                    },
                  }
                : {}),
            };
            ch.request(body).subscribe({
              next: (ack) => {
                s.channel = ch;
                onJoinAck(s, ack);
                subscriber.next();
                if (options.onConnected) {
                  live = options
                    .onConnected({
                      heartbeat: ack.heartbeat,
                      received$: received.asObservable(),
                      ping: (timeout) => ch.request({ t: 'ping' }, timeout).pipe(map(() => undefined)),
                    })
                    .subscribe({ error: (err: unknown) => subscriber.error(err) });
                }
              },
              error: (err: unknown) => subscriber.error(err),
            });
            return;
          }
          case 'message': {
            received.next();
            const input = channel!.receive(e.data);
            if (input.kind === 'push') {
              const frame = input.frame;
              if (frame.seq <= s.lastSeq) return; // a duplicate: already applied
              if (frame.seq > s.lastSeq + 1) {
                emit({ type: 'seq-gap', expected: s.lastSeq + 1, received: frame.seq });
                subscriber.error(
                  new RtcError('CONNECTION_LOST', `missed pushes ${s.lastSeq + 1}…${frame.seq - 1}`),
                );
                return;
              }
              s.lastSeq = frame.seq;
              const event = input.event;
              if (event.type === 'kicked') s.kicked = event.reason;
              trackPush(s, event);
              emit(event);
            } else if (input.kind === 'seq' && input.seq > s.lastSeq) {
              // The server has sent pushes we never saw (the last ones before a quiet spell).
              emit({ type: 'seq-gap', expected: s.lastSeq + 1, received: input.seq });
              subscriber.error(
                new RtcError('CONNECTION_LOST', `missed pushes ${s.lastSeq + 1}…${input.seq}`),
              );
            } else if (input.kind === 'error') {
              emit({ type: 'error', error: input.error, source: 'protocol' });
            }
            return;
          }
          case 'error':
            return; // a close always follows; it carries the code
          case 'close': {
            const why = `(${e.code}${e.reason ? ` ${e.reason}` : ''})`;
            const lost = opened
              ? new RtcError('CONNECTION_LOST', `socket closed ${why}`)
              : new RtcError('CONNECT_FAILED', `could not connect to ${options.url} ${why}`);
            // A request sent but not answered may or may not have taken effect.
            if (channel && channel.inFlight > 0) s.uncertain = true;
            channel?.close(lost);
            if (s.channel === channel) s.channel = null;
            if (s.leaving) subscriber.complete();
            else if (s.kicked) subscriber.error(new RtcError('KICKED', `removed by the server: ${s.kicked}`));
            else subscriber.error(lost);
            return;
          }
        }
      });
      return () => {
        s.resync = null;
        if (channel && channel.inFlight > 0) s.uncertain = true;
        live?.unsubscribe();
        received.complete();
        channel?.close(new RtcError('CONNECTION_LOST', 'connection closed'));
        if (s.channel === channel) s.channel = null;
        socket.unsubscribe();
      };
    });

  /** Keeps `wanted` in step with what the server did to this session's streams. */
  const trackPush = (s: Session, event: RoomEvent) => {
    if (event.type === 'stream-added') {
      const waiting = s.pending.get(event.stream.id);
      const wanted = s.wanted.subscriptions.get(event.stream.id);
      if (waiting && wanted) {
        waiting.unsubscribe();
        s.pending.delete(event.stream.id);
        s.background.add(
          resubscribe(restoreTarget(s), event.stream.id, wanted).pipe(catchError(reportFailure)).subscribe(),
        );
      }
    }
    if (event.type === 'stream-removed') {
      s.wanted.subscriptions.delete(event.streamId);
      s.live.delete(event.streamId);
    }
    if (event.type === 'peer-left') {
      for (const id of [...s.wanted.subscriptions.keys()])
        if (id.startsWith(`${event.userId}:`)) s.wanted.subscriptions.delete(id);
    }
  };

  const onJoinAck = (s: Session, ack: JoinAckData) => {
    if (ack.mode === 'resumed') {
      s.sessionId = ack.session;
      report({ status: 'resumed' });
      emit({ type: 'resumed', sessionId: ack.session });
      return;
    }
    const rejoin = s.joinedOnce && ack.mode === 'joined';
    s.sessionId = ack.session;
    s.lastSeq = ack.seq;
    s.live.clear();
    for (const sub of ack.subscriptions) s.live.set(sub.stream, toSubscription(sub));
    const publications: Record<string, Publication> = {};
    for (const p of ack.publications) publications[p.stream.id] = toPublication(p);
    const self: SelfState = { ...toPeer(ack.self), publications };
    s.self = {
      role: self.role,
      visible: self.visible,
      ...(self.businessId ? { businessId: self.businessId } : {}),
    };
    const first = !s.joinedOnce;
    s.joinedOnce = true;
    report({ status: first ? 'connected' : rejoin ? 'rejoined' : 'resumed' });
    emit({
      type: 'joined',
      mode: first ? 'joined' : rejoin ? 'rejoined' : 'snapshot',
      roomId: s.join.roomId,
      sessionId: ack.session,
      self,
      peers: ack.peers.map(toPeer),
      streams: ack.streams.map(toStream),
      subscriptions: ack.subscriptions.map(toSubscription),
      attributes: ack.attributes,
    });
    if (first) {
      s.joined$.next({ roomId: s.join.roomId, sessionId: ack.session });
      s.joined$.complete();
    } else if (rejoin) {
      s.uncertain = false;
      restore(s, ack);
    } else {
      // Same session, full picture: what the server holds is what the user has now (a request
      // that timed out either took effect and shows here, or failed and was reported as such).
      s.uncertain = false;
      s.wanted.publications.clear();
      for (const p of ack.publications) {
        const st = p.stream;
        s.wanted.publications.set(st.id, {
          kind: st.kind,
          audio: st.audio,
          video: st.video,
          small: st.small,
          audioMuted: st.audioMuted,
          videoMuted: st.videoMuted,
        });
      }
      s.wanted.subscriptions.clear();
      for (const sub of ack.subscriptions) {
        s.wanted.subscriptions.set(sub.stream, {
          audio: sub.audio,
          video: sub.video,
          small: sub.small,
          audioMuted: sub.audioMuted,
          videoMuted: sub.videoMuted,
        });
      }
    }
  };

  /** Turns a failed background step into an error event, so the other steps still run. */
  const reportFailure = (err: unknown) => {
    emit({
      type: 'error',
      error: asRtcError(err),
      source: 'driver',
    });
    return EMPTY;
  };

  /** How restores and re-subscriptions reach this driver's live session. */
  const restoreTarget = (s: Session): RestoreTarget => ({
    run: (command) => run(s, command),
    failed: reportFailure,
    current: (streamId) => s.live.get(streamId),
  });

  /**
   * After a fresh rejoin: publish again, subscribe again, mute again, as the user had it. After a
   * server restart the others come back one by one, so a subscription whose stream is not there
   * yet waits for it (for one grace window) instead of being forgotten.
   */
  const restore = (s: Session, ack: Extract<JoinAckData, { mode: 'joined' | 'snapshot' }>) => {
    const present = new Set(ack.streams.map((st) => st.id));
    const steps = restoreSession(
      restoreTarget(s),
      { publications: s.wanted.publications.values(), subscriptions: s.wanted.subscriptions },
      present,
      (streamId) => awaitStream(s, streamId, ack.grace),
    );
    s.background.add(steps.subscribe());
  };

  /** Keeps a wanted subscription for `grace` ms, waiting for its stream to come back. */
  const awaitStream = (s: Session, streamId: string, grace: number) => {
    s.pending.get(streamId)?.unsubscribe();
    s.pending.set(
      streamId,
      scheduler.schedule(() => {
        s.pending.delete(streamId);
        s.wanted.subscriptions.delete(streamId);
      }, grace),
    );
  };

  /** Sends a command's request on the live channel and turns the ack into events and a result. */
  const run = <T extends CommandType>(s: Session, command: CommandOf<T>): Observable<CommandResult<T>> =>
    defer(() => {
      const ch = s.channel;
      if (!ch)
        return throwError(() => new RtcError('CONNECTION_LOST', 'not connected; the client is reconnecting'));
      return (perform(s, ch, command as Command) as Observable<CommandResult<T>>).pipe(
        catchError((e: unknown) => {
          if (e instanceof RtcError && e.code === 'TIMEOUT') {
            // The request may have taken effect without its answer reaching us, and a link that
            // loses answers is not healthy: reconnect and ask the server for the truth.
            s.uncertain = true;
            s.resync?.(`${command.type} got no answer: resynchronising`);
          }
          return throwError(() => e);
        }),
      );
    });

  const perform = (s: Session, ch: SignalChannel, c: Command): Observable<unknown> => {
    switch (c.type) {
      case 'join':
        return throwError(() => new RtcError('ALREADY_JOINED', 'already joined'));
      case 'leave':
        return ch.request({ t: 'leave' });
      case 'publish':
        return ch
          .request({ t: 'publish', kind: c.kind, audio: c.audio, video: c.video, small: c.small })
          .pipe(
            map((ack) => {
              const publication = toPublication(ack);
              s.wanted.publications.set(publication.stream.id, {
                kind: c.kind,
                audio: c.audio,
                video: c.video,
                small: c.small,
                audioMuted: publication.stream.audioMuted,
                videoMuted: publication.stream.videoMuted,
              });
              emit({ type: 'published', publication });
              return publication;
            }),
          );
      case 'unpublish':
        return ch.request({ t: 'unpublish', stream: c.streamId }).pipe(
          map(() => {
            s.wanted.publications.delete(c.streamId);
            emit({ type: 'unpublished', streamId: c.streamId });
          }),
        );
      case 'subscribe': {
        // The same subscription asked twice while the first is in flight (the user, autoSubscribe
        // and a restore can all ask) goes to the server once.
        const key = `${c.audio}/${c.video}/${c.small}`;
        const inFlight = s.subscribing.get(c.streamId);
        if (inFlight && inFlight.key === key) return inFlight.request$;
        const request$ = ch
          .request({ t: 'subscribe', stream: c.streamId, audio: c.audio, video: c.video, small: c.small })
          .pipe(
            map((ack) => {
              const subscription = toSubscription(ack);
              s.wanted.subscriptions.set(c.streamId, {
                audio: c.audio,
                video: c.video,
                small: c.small,
                audioMuted: subscription.audioMuted,
                videoMuted: subscription.videoMuted,
              });
              s.live.set(c.streamId, subscription);
              emit({ type: 'subscribed', subscription });
              return subscription;
            }),
            finalize(() => {
              if (s.subscribing.get(c.streamId)?.request$ === request$) s.subscribing.delete(c.streamId);
            }),
            share(),
          );
        s.subscribing.set(c.streamId, { key, request$ });
        return request$;
      }
      case 'unsubscribe':
        return ch.request({ t: 'unsubscribe', stream: c.streamId }).pipe(
          map(() => {
            s.wanted.subscriptions.delete(c.streamId);
            s.live.delete(c.streamId);
            emit({ type: 'unsubscribed', streamId: c.streamId });
          }),
        );
      case 'mute-local':
        return ch
          .request({
            t: 'mute-local',
            stream: c.streamId,
            ...(c.audio !== undefined ? { audio: c.audio } : {}),
            ...(c.video !== undefined ? { video: c.video } : {}),
          })
          .pipe(
            map((ack) => {
              const stream = toStream(ack.stream);
              const wanted = s.wanted.publications.get(stream.id);
              if (wanted)
                s.wanted.publications.set(stream.id, {
                  ...wanted,
                  audioMuted: stream.audioMuted,
                  videoMuted: stream.videoMuted,
                });
              emit({ type: 'local-mute-changed', stream });
              return stream;
            }),
          );
      case 'mute-remote':
        return ch
          .request({
            t: 'mute-remote',
            stream: c.streamId,
            ...(c.audio !== undefined ? { audio: c.audio } : {}),
            ...(c.video !== undefined ? { video: c.video } : {}),
          })
          .pipe(
            map((ack) => {
              const subscription = toSubscription(ack.subscription);
              const wanted = s.wanted.subscriptions.get(c.streamId);
              if (wanted) {
                s.wanted.subscriptions.set(c.streamId, {
                  ...wanted,
                  audioMuted: subscription.audioMuted,
                  videoMuted: subscription.videoMuted,
                });
              }
              s.live.set(c.streamId, subscription);
              emit({ type: 'remote-mute-changed', subscription });
              return subscription;
            }),
          );
      case 'set-visibility':
      case 'set-role':
      case 'set-business-id': {
        const body: RequestBody<'set-visibility' | 'set-role' | 'set-business-id'> =
          c.type === 'set-visibility'
            ? { t: 'set-visibility', visible: c.visible }
            : c.type === 'set-role'
              ? { t: 'set-role', role: c.role }
              : { t: 'set-business-id', businessId: c.businessId };
        return ch.request(body).pipe(
          map((ack) => {
            const peer = toPeer(ack.self);
            s.self = {
              role: peer.role,
              visible: peer.visible,
              ...(peer.businessId ? { businessId: peer.businessId } : {}),
            };
            if (!peer.visible || peer.role !== 'broadcaster') s.wanted.publications.clear();
            emit({
              type: 'self-updated',
              role: peer.role,
              visible: peer.visible,
              ...(peer.businessId ? { businessId: peer.businessId } : {}),
            });
            return peer;
          }),
        );
      }
      case 'set-attributes':
        return ch
          .request({ t: 'attrs-set', attributes: { ...c.attributes }, notify: c.notify })
          .pipe(
            map(() =>
              emit({ type: 'attributes-changed', set: c.attributes, deleted: [], by: s.join.userId }),
            ),
          );
      case 'get-attributes':
        return ch.request({ t: 'attrs-get', ...(c.keys ? { keys: [...c.keys] } : {}) }).pipe(
          map((ack) => {
            emit({
              type: 'attributes-loaded',
              attributes: ack.attributes,
              ...(c.keys ? { keys: c.keys } : {}),
            });
            return ack.attributes;
          }),
        );
      case 'delete-attributes':
        return ch
          .request({ t: 'attrs-delete', keys: [...c.keys], notify: c.notify })
          .pipe(map(() => emit({ type: 'attributes-changed', set: {}, deleted: c.keys, by: s.join.userId })));
      case 'send-message':
        return ch
          .request({ t: 'message', name: c.name, content: c.content, ...(c.to ? { to: c.to } : {}) })
          .pipe(map(() => undefined));
      case 'report': {
        const r = c.report;
        const report =
          r.kind === 'pusher-state'
            ? { kind: r.kind, code: r.code, ...(r.message ? { message: r.message } : {}) }
            : r.kind === 'player-state'
              ? {
                  kind: r.kind,
                  stream: r.streamId,
                  code: r.code,
                  ...(r.message ? { message: r.message } : {}),
                }
              : r.kind === 'pusher-net'
                ? { kind: r.kind, info: { ...r.info } }
                : { kind: r.kind, stream: r.streamId, info: { ...r.info } };
        return ch.request({ t: 'report', report }).pipe(map(() => undefined));
      }
    }
  };

  /** Ends the session: no retry after this. */
  const end = (
    s: Session,
    reason: 'leave' | 'kicked' | 'connection-lost' | 'destroyed',
    state: ConnectionState,
  ) => {
    if (session !== s) return;
    session = null;
    s.loop?.unsubscribe();
    s.loop = null;
    s.background.unsubscribe();
    for (const timer of s.pending.values()) timer.unsubscribe();
    s.pending.clear();
    report(state);
    emit({ type: 'left', reason });
  };

  const startSession = (join: CommandOf<'join'>): Observable<JoinResult> => {
    const s: Session = {
      join,
      sessionId: null,
      lastSeq: 0,
      channel: null,
      leaving: false,
      kicked: null,
      joinedOnce: false,
      self: {
        role: join.role,
        visible: join.visible,
        ...(join.businessId ? { businessId: join.businessId } : {}),
      },
      wanted: { publications: new Map(), subscriptions: new Map() },
      joined$: new Subject<JoinResult>(),
      loop: null,
      background: new RxSubscription(),
      uncertain: false,
      resync: null,
      live: new Map(),
      subscribing: new Map(),
      pending: new Map(),
    };
    session = s;
    const result = s.joined$.asObservable();
    report({ status: 'connecting' });
    const attempt = defer(() => connectOnce(s));
    const recovered = options.recovery
      ? attempt.pipe(options.recovery({ report, joined: () => s.joinedOnce }))
      : attempt;
    s.loop = recovered.subscribe({
      error: (err: unknown) => {
        const ending = sessionEnding(err, s.kicked);
        if (!s.joinedOnce) s.joined$.error(ending.error);
        else if (ending.reason === 'connection-lost')
          emit({ type: 'error', error: ending.error, source: 'connection' });
        end(s, ending.reason, ending.state);
      },
      complete: () => {
        if (!s.joinedOnce)
          s.joined$.error(new RtcError('CONNECTION_LOST', 'closed before the join completed'));
      },
    });
    return result;
  };

  const leave = (s: Session): Observable<void> => {
    s.leaving = true;
    const ch = s.channel;
    const done = () => end(s, 'leave', { status: 'disconnected' });
    if (!ch) {
      done();
      return of(undefined);
    }
    // Leave even when the server does not answer: the user asked to go.
    return new Observable<void>((subscriber) =>
      ch.request({ t: 'leave' }).subscribe({
        complete: () => {
          done();
          subscriber.next();
          subscriber.complete();
        },
        error: () => {
          done();
          subscriber.next();
          subscriber.complete();
        },
      }),
    );
  };

  return {
    name: 'rxroom',
    capabilities: CAPABILITIES,
    events$: events.asObservable(),
    execute<T extends CommandType>(command: CommandOf<T>): Observable<CommandResult<T>> {
      return defer(() => {
        if (destroyed) return throwError(() => new RtcError('DESTROYED', 'the client was destroyed'));
        const c = command as Command;
        if (c.type === 'join') {
          if (session)
            return throwError(() => new RtcError('ALREADY_JOINED', 'this driver already runs a session'));
          return startSession(c);
        }
        const s = session;
        if (!s) return throwError(() => new RtcError('NOT_JOINED', `${c.type} needs a joined room`));
        if (c.type === 'leave') return leave(s);
        return run(s, c);
      }) as Observable<CommandResult<T>>;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      const s = session;
      if (s) {
        s.leaving = true;
        // Best effort: tell the server, then close without waiting.
        s.channel?.request({ t: 'leave' }).subscribe({ error: () => undefined });
        if (!s.joinedOnce) s.joined$.error(new RtcError('DESTROYED', 'the client was destroyed'));
        end(s, 'destroyed', { status: 'disconnected' });
      }
      events.complete();
    },
  };
}
