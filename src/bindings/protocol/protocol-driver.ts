/**
 * The built-in driver: the rxroom signaling protocol (docs/protocol.md) over one socket per
 * session, through the injected Platform. This file composes the parts: session state
 * (./session.ts), connection lifecycle (./connection.ts), request/ack (./requests.ts) and
 * resume/restore (./resume.ts).
 */
import { asyncScheduler, defer, Observable, of, Subject, throwError } from 'rxjs';
import { RtcError } from '../../errors';
import type {
  Command,
  CommandOf,
  CommandResult,
  CommandType,
  Driver,
  JoinResult,
} from '../../streams/command';
import type { ConnectionState } from '../../streams/model';
import type { RoomEvent } from '../../streams/room-event';
import { sessionEnding } from '../session-end';
import { replaceToken, tokenExpiry, withLatestToken } from '../token-renewal';
import { connectOnce } from './connection';
import type { ProtocolDriverOptions } from './driver-options';
import { run } from './requests';
import { CAPABILITIES, createSession, type DriverContext, type Session } from './session';

export type { LiveLink, ProtocolDriverOptions, RecoveryFactory, SessionHooks } from './driver-options';

type EndReason = 'leave' | 'kicked' | 'connection-lost' | 'destroyed';

/** Starts a session: connects (with the recovery policy around each attempt) and ends it on failure. */
function startSession(
  ctx: DriverContext,
  s: Session,
  end: (s: Session, reason: EndReason, state: ConnectionState) => void,
): Observable<JoinResult> {
  const result = s.joined$.asObservable();
  ctx.report({ status: 'connecting' });
  // Every reconnection presents the latest token, a fresh one when the one held has lapsed.
  const attempt = defer(() =>
    s.joinedOnce
      ? withLatestToken({
          held: s.held,
          fetch: s.join.fetchToken,
          due: ctx.requestTimeout,
          scheduler: ctx.scheduler,
          connect: () => connectOnce(ctx, s),
          lapse: (why) => {
            s.kicked = 'token-expired';
            ctx.emit({ type: 'kicked', reason: 'token-expired', message: why });
            return new RtcError('KICKED', `the session's token lapsed: ${why}`);
          },
        })
      : connectOnce(ctx, s),
  );
  const recovery = ctx.options.recovery;
  const recovered = recovery
    ? attempt.pipe(recovery({ report: ctx.report, joined: () => s.joinedOnce }))
    : attempt;
  s.loop = recovered.subscribe({
    error: (err: unknown) => {
      const ending = sessionEnding(err, s.kicked);
      if (!s.joinedOnce) s.joined$.error(ending.error);
      else if (ending.reason === 'connection-lost')
        ctx.emit({ type: 'error', error: ending.error, source: 'connection' });
      end(s, ending.reason, ending.state);
    },
    complete: () => {
      if (!s.joinedOnce) s.joined$.error(new RtcError('CONNECTION_LOST', 'closed before the join completed'));
    },
  });
  return result;
}

/** Leaves even when the server does not answer: the user asked to go. */
function leave(s: Session, done: () => void): Observable<void> {
  s.leaving = true;
  const ch = s.channel;
  if (!ch) {
    done();
    return of(undefined);
  }
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
}

/**
 * The driver for rxroom's own signaling protocol.
 *
 * @example
 * ```ts
 * const driver = protocolDriver({ url: 'wss://rtc.example.com', platform: wxPlatform() })
 * const client = createRoomClient({ driver })
 * ```
 */
export function protocolDriver(options: ProtocolDriverOptions): Driver {
  const events = new Subject<RoomEvent>();
  const emit = (event: RoomEvent) => events.next(event);
  const ctx: DriverContext = {
    options,
    scheduler: options.scheduler ?? asyncScheduler,
    requestTimeout: options.requestTimeout ?? 10_000,
    emit,
    report: (state) => emit({ type: 'connection', state }),
  };
  let session: Session | null = null;
  let destroyed = false;

  /** Ends the session: no retry after this. */
  const end = (s: Session, reason: EndReason, state: ConnectionState) => {
    if (session !== s) return;
    session = null;
    s.loop?.unsubscribe();
    s.loop = null;
    s.background.unsubscribe();
    for (const timer of s.pending.values()) timer.unsubscribe();
    s.pending.clear();
    ctx.report(state);
    emit({ type: 'left', reason });
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
          session = createSession(c);
          return startSession(ctx, session, end);
        }
        const s = session;
        if (!s) return throwError(() => new RtcError('NOT_JOINED', `${c.type} needs a joined room`));
        if (c.type === 'leave') return leave(s, () => end(s, 'leave', { status: 'disconnected' }));
        if (c.type === 'renew-token' && !s.channel) {
          // Reconnecting: the next resume presents it (and the server checks it there).
          const expiresAt = tokenExpiry(c.token);
          replaceToken(s.held, c.token, expiresAt);
          return of(expiresAt === undefined ? {} : { expiresAt });
        }
        return run(ctx, s, c);
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
