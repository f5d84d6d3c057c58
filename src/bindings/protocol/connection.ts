/**
 * Connection lifecycle: one socket → join (or resume) → pushes, until the socket closes. Errors
 * with an RtcError when the connection is lost, completes on a deliberate leave; the recovery
 * policy around it decides whether to try again.
 */
import { map, Observable, Subject, type Subscriber, Subscription as RxSubscription } from 'rxjs';
import { RtcError } from '../../errors';
import type { RequestBody } from '../../protocol';
import { fromSocket } from '../from-socket';
import { setupError } from '../setup-errors';
import { onJoinAck, trackPush } from './resume';
import type { DriverContext, Session } from './session';
import { SignalChannel } from './signal-channel';

/** The join request: a fresh join, or a resume of the session when there is one. */
function joinBody(s: Session): RequestBody<'join'> {
  return {
    t: 'join',
    token: s.held.token,
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
}

/** Sends the join on an open socket; once acked, the channel is live (and the heartbeat runs). */
function sendJoin(
  ctx: DriverContext,
  s: Session,
  ch: SignalChannel,
  received: Subject<void>,
  subscriber: Subscriber<void>,
): RxSubscription {
  // Holds the per-connection behaviour once joined (not the join request, which the channel's
  // close ends).
  const live = new RxSubscription();
  ch.request(joinBody(s)).subscribe({
    next: (ack) => {
      s.channel = ch;
      onJoinAck(ctx, s, ack);
      subscriber.next();
      const onConnected = ctx.options.onConnected;
      if (onConnected) {
        live.add(
          onConnected({
            heartbeat: ack.heartbeat,
            received$: received.asObservable(),
            ping: (timeout) => ch.request({ t: 'ping' }, timeout).pipe(map(() => undefined)),
          }).subscribe({ error: (err: unknown) => subscriber.error(err) }),
        );
      }
    },
    error: (err: unknown) => subscriber.error(err),
  });
  return live;
}

/** A frame from the server: pushes applied in order (a gap drops the connection), errors reported. */
function onMessage(
  ctx: DriverContext,
  s: Session,
  channel: SignalChannel,
  data: Parameters<SignalChannel['receive']>[0],
  subscriber: Subscriber<void>,
): void {
  const { emit } = ctx;
  const input = channel.receive(data);
  if (input.kind === 'push') {
    const frame = input.frame;
    if (frame.seq <= s.lastSeq) return; // a duplicate: already applied
    if (frame.seq > s.lastSeq + 1) {
      emit({ type: 'seq-gap', expected: s.lastSeq + 1, received: frame.seq });
      subscriber.error(new RtcError('CONNECTION_LOST', `missed pushes ${s.lastSeq + 1}…${frame.seq - 1}`));
      return;
    }
    s.lastSeq = frame.seq;
    const event = input.event;
    if (event.type === 'kicked') s.kicked = event.reason;
    trackPush(ctx, s, event);
    emit(event);
  } else if (input.kind === 'seq' && input.seq > s.lastSeq) {
    // The server has sent pushes we never saw (the last ones before a quiet spell).
    emit({ type: 'seq-gap', expected: s.lastSeq + 1, received: input.seq });
    subscriber.error(new RtcError('CONNECTION_LOST', `missed pushes ${s.lastSeq + 1}…${input.seq}`));
  } else if (input.kind === 'error') {
    emit({ type: 'error', error: input.error, source: 'protocol' });
  }
}

/** One connection: socket → join (or resume) → pushes, until the socket closes. */
export const connectOnce = (ctx: DriverContext, s: Session): Observable<void> =>
  new Observable<void>((subscriber) => {
    const { options } = ctx;
    let channel: SignalChannel | null = null;
    let opened = false;
    let lastErrMsg: string | undefined;
    s.resync = (why) => subscriber.error(new RtcError('CONNECTION_LOST', why));
    let live: RxSubscription | null = null;
    const received = new Subject<void>();
    const socket = fromSocket(options.platform, {
      url: options.url,
      ...(options.connectTimeout !== undefined ? { timeout: options.connectTimeout } : {}),
    }).subscribe((e) => {
      switch (e.type) {
        case 'connecting':
          channel = new SignalChannel(e.send, { timeout: ctx.requestTimeout, scheduler: ctx.scheduler });
          return;
        case 'open':
          opened = true;
          live = sendJoin(ctx, s, channel!, received, subscriber);
          return;
        case 'message':
          received.next();
          onMessage(ctx, s, channel!, e.data, subscriber);
          return;
        case 'error':
          // A close always follows with the code; the message may name a setup error.
          lastErrMsg = e.message;
          return;
        case 'close': {
          const why = `(${e.code}${e.reason ? ` ${e.reason}` : ''})`;
          const lost = opened
            ? new RtcError('CONNECTION_LOST', `socket closed ${why}`)
            : (setupError(lastErrMsg) ??
              setupError(e.reason) ??
              new RtcError('CONNECT_FAILED', `could not connect to ${options.url} ${why}`));
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
