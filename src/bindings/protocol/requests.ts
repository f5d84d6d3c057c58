/**
 * Request/ack: each command as a request on the live channel, its ack turned into RoomEvents and
 * the command's result, and the session's record of what the user wants kept in step.
 */
import type { Observable } from 'rxjs';
import { catchError, defer, finalize, map, share, throwError } from 'rxjs';
import { RtcError } from '../../errors';
import type { RequestBody } from '../../protocol';
import type { Command, CommandOf, CommandResult, CommandType, StatsReport } from '../../streams/command';
import type { Subscription } from '../../streams/model';
import { toPeer, toPublication, toStream, toSubscription } from './mapping';
import type { DriverContext, Session } from './session';
import { replaceToken } from '../token-renewal';
import type { SignalChannel } from './signal-channel';

type Handler<T extends CommandType> = (
  ctx: DriverContext,
  s: Session,
  ch: SignalChannel,
  c: CommandOf<T>,
) => Observable<unknown>;

/** Sends a command's request on the live channel and turns the ack into events and a result. */
export const run = <T extends CommandType>(
  ctx: DriverContext,
  s: Session,
  command: CommandOf<T>,
): Observable<CommandResult<T>> =>
  defer(() => {
    const ch = s.channel;
    if (!ch)
      return throwError(() => new RtcError('CONNECTION_LOST', 'not connected; the client is reconnecting'));
    const c = command as Command;
    const perform = HANDLERS[c.type] as Handler<CommandType>;
    return (perform(ctx, s, ch, c) as Observable<CommandResult<T>>).pipe(
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

/** The protocol carries attribute changes, not an app's own notice about them. */
const noNotice = () =>
  throwError(() => new RtcError('UNSUPPORTED', 'rxroom sends no custom attribute notices'));

const publish: Handler<'publish'> = ({ emit }, s, ch, c) =>
  ch
    .request({
      t: 'publish',
      kind: c.kind,
      ...(c.tag !== undefined ? { tag: c.tag } : {}),
      audio: c.audio,
      video: c.video,
      small: c.small,
    })
    .pipe(
      map((ack) => {
        const publication = toPublication(ack);
        s.wanted.publications.set(publication.stream.id, {
          kind: c.kind,
          ...(c.tag !== undefined ? { tag: c.tag } : {}),
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

const subscribe: Handler<'subscribe'> = ({ emit }, s, ch, c) => {
  // The same subscription asked twice while the first is in flight (the user, autoSubscribe
  // and a restore can all ask) goes to the server once.
  const key = `${c.audio}/${c.video}/${c.small}`;
  const inFlight = s.subscribing.get(c.streamId);
  if (inFlight && inFlight.key === key) return inFlight.request$;
  const request$: Observable<Subscription> = ch
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
};

/** Mute bits as a request carries them: only the ones given. */
const muteBits = (c: { audio?: boolean; video?: boolean }) => ({
  ...(c.audio !== undefined ? { audio: c.audio } : {}),
  ...(c.video !== undefined ? { video: c.video } : {}),
});

const muteLocal: Handler<'mute-local'> = ({ emit }, s, ch, c) =>
  ch.request({ t: 'mute-local', stream: c.streamId, ...muteBits(c) }).pipe(
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

const muteRemote: Handler<'mute-remote'> = ({ emit }, s, ch, c) =>
  ch.request({ t: 'mute-remote', stream: c.streamId, ...muteBits(c) }).pipe(
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

/** set-visibility, set-role and set-business-id: the ack is this user's new peer record. */
const updateSelf = (
  { emit }: DriverContext,
  s: Session,
  ch: SignalChannel,
  body: RequestBody<'set-visibility' | 'set-role' | 'set-business-id'>,
) =>
  ch.request(body).pipe(
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

/** A stats report as the `report` request carries it. */
function wireReport(r: StatsReport) {
  return r.kind === 'pusher-state'
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
}

/** One handler per command. */
const HANDLERS: { readonly [T in CommandType]: Handler<T> } = {
  join: () => throwError(() => new RtcError('ALREADY_JOINED', 'already joined')),
  leave: (_ctx, _s, ch) => ch.request({ t: 'leave' }),
  publish,
  unpublish: ({ emit }, s, ch, c) =>
    ch.request({ t: 'unpublish', stream: c.streamId }).pipe(
      map(() => {
        s.wanted.publications.delete(c.streamId);
        emit({ type: 'unpublished', streamId: c.streamId });
      }),
    ),
  subscribe,
  unsubscribe: ({ emit }, s, ch, c) =>
    ch.request({ t: 'unsubscribe', stream: c.streamId }).pipe(
      map(() => {
        s.wanted.subscriptions.delete(c.streamId);
        s.live.delete(c.streamId);
        emit({ type: 'unsubscribed', streamId: c.streamId });
      }),
    ),
  'mute-local': muteLocal,
  'mute-remote': muteRemote,
  'set-visibility': (ctx, s, ch, c) => updateSelf(ctx, s, ch, { t: 'set-visibility', visible: c.visible }),
  'set-role': (ctx, s, ch, c) => updateSelf(ctx, s, ch, { t: 'set-role', role: c.role }),
  'set-business-id': (ctx, s, ch, c) =>
    updateSelf(ctx, s, ch, { t: 'set-business-id', businessId: c.businessId }),
  'set-attributes': ({ emit }, s, ch, c) =>
    c.notice
      ? noNotice()
      : ch
          .request({ t: 'attrs-set', attributes: { ...c.attributes }, notify: c.notify })
          .pipe(
            map(() =>
              emit({ type: 'attributes-changed', set: c.attributes, deleted: [], by: s.join.userId }),
            ),
          ),
  'get-attributes': ({ emit }, _s, ch, c) =>
    ch.request({ t: 'attrs-get', ...(c.keys ? { keys: [...c.keys] } : {}) }).pipe(
      map((ack) => {
        emit({
          type: 'attributes-loaded',
          attributes: ack.attributes,
          ...(c.keys ? { keys: c.keys } : {}),
        });
        return ack.attributes;
      }),
    ),
  'delete-attributes': ({ emit }, s, ch, c) =>
    c.notice
      ? noNotice()
      : ch
          .request({ t: 'attrs-delete', keys: [...c.keys], notify: c.notify })
          .pipe(map(() => emit({ type: 'attributes-changed', set: {}, deleted: c.keys, by: s.join.userId }))),
  'send-message': (_ctx, _s, ch, c) =>
    ch
      .request({ t: 'message', name: c.name, content: c.content, ...(c.to ? { to: c.to } : {}) })
      .pipe(map(() => undefined)),
  report: (_ctx, _s, ch, c) =>
    ch.request({ t: 'report', report: wireReport(c.report) }).pipe(map(() => undefined)),
  'renew-token': (_ctx, s, ch, c) =>
    ch.request({ t: 'renew-token', token: c.token }).pipe(
      map((ack) => {
        replaceToken(s.held, c.token, ack.exp * 1000);
        return { expiresAt: ack.exp * 1000 };
      }),
    ),
};
