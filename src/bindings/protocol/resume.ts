/**
 * Resume/restore: what a join ack means for the session (first join, resume, snapshot or fresh
 * rejoin), restoring publications and subscriptions after a rejoin, and keeping the record of
 * what the user wants in step with the server's pushes.
 */
import { catchError, EMPTY } from 'rxjs';
import { asRtcError } from '../../errors';
import type { JoinAckData } from '../../protocol';
import type { Publication, SelfState } from '../../streams/model';
import type { RoomEvent } from '../../streams/room-event';
import { restoreSession, resubscribe, type RestoreTarget } from '../restore';
import { toPeer, toPublication, toStream, toSubscription } from './mapping';
import { run } from './requests';
import type { DriverContext, Session } from './session';

/** Turns a failed background step into an error event, so the other steps still run. */
const reportFailure = (ctx: DriverContext) => (err: unknown) => {
  ctx.emit({
    type: 'error',
    error: asRtcError(err),
    source: 'driver',
  });
  return EMPTY;
};

/** How restores and re-subscriptions reach this driver's live session. */
const restoreTarget = (ctx: DriverContext, s: Session): RestoreTarget => ({
  run: (command) => run(ctx, s, command),
  failed: reportFailure(ctx),
  current: (streamId) => s.live.get(streamId),
});

/** Keeps `wanted` in step with what the server did to this session's streams. */
export function trackPush(ctx: DriverContext, s: Session, event: RoomEvent): void {
  if (event.type === 'stream-added') {
    const waiting = s.pending.get(event.stream.id);
    const wanted = s.wanted.subscriptions.get(event.stream.id);
    if (waiting && wanted) {
      waiting.unsubscribe();
      s.pending.delete(event.stream.id);
      s.background.add(
        resubscribe(restoreTarget(ctx, s), event.stream.id, wanted)
          .pipe(catchError(reportFailure(ctx)))
          .subscribe(),
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
}

/** Applies a join ack to the session and reports it: connected, resumed or rejoined. */
export function onJoinAck(ctx: DriverContext, s: Session, ack: JoinAckData): void {
  const { emit, report } = ctx;
  if (ack.exp !== undefined) s.held.expiresAt = ack.exp * 1000;
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
    restore(ctx, s, ack);
  } else {
    // Same session, full picture: what the server holds is what the user has now (a request
    // that timed out either took effect and shows here, or failed and was reported as such).
    s.uncertain = false;
    adoptSnapshot(s, ack);
  }
}

/** After a snapshot: the server's publications and subscriptions become what the user wants. */
function adoptSnapshot(s: Session, ack: Extract<JoinAckData, { mode: 'joined' | 'snapshot' }>): void {
  s.wanted.publications.clear();
  for (const p of ack.publications) {
    const st = p.stream;
    s.wanted.publications.set(st.id, {
      kind: st.kind,
      ...(st.tag !== undefined ? { tag: st.tag } : {}),
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

/**
 * After a fresh rejoin: publish again, subscribe again, mute again, as the user had it. After a
 * server restart the others come back one by one, so a subscription whose stream is not there
 * yet waits for it (for one grace window) instead of being forgotten.
 */
function restore(ctx: DriverContext, s: Session, ack: Extract<JoinAckData, { mode: 'joined' | 'snapshot' }>) {
  const present = new Set(ack.streams.map((st) => st.id));
  const steps = restoreSession(
    restoreTarget(ctx, s),
    { publications: s.wanted.publications.values(), subscriptions: s.wanted.subscriptions },
    present,
    (streamId) => awaitStream(ctx, s, streamId, ack.grace),
  );
  s.background.add(steps.subscribe());
}

/** Keeps a wanted subscription for `grace` ms, waiting for its stream to come back. */
function awaitStream(ctx: DriverContext, s: Session, streamId: string, grace: number) {
  s.pending.get(streamId)?.unsubscribe();
  s.pending.set(
    streamId,
    ctx.scheduler.schedule(() => {
      s.pending.delete(streamId);
      s.wanted.subscriptions.delete(streamId);
    }, grace),
  );
}
