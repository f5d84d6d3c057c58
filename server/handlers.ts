/**
 * The requests of a joined session (docs/protocol.md §5), one function each. `join` is in the hub
 * (it creates sessions), `ping` in the connection (it needs no session).
 *
 * Each handler checks, changes state, sends the pushes its change causes, then calls `respond`:
 * so the pushes precede the ack (§2). Refusals are thrown as {@link RtcError}s.
 */
import {
  encodeFrame,
  LIMITS,
  PROTOCOL_VERSION,
  utf8ByteLength,
  type AckData,
  type RequestFrame,
  type RequestType,
  type StreamInfo,
  type SubscriptionInfo,
} from '../src/protocol';
import { RtcError } from '../src/errors';
import type { Hub, Respond } from './hub';
import type { Room } from './room';
import type { Session, SessionLink } from './session';
import { checkTokenMatch, CLOCK_TOLERANCE_S, verifyToken } from './tokens';

/** What a handler works on. */
export interface HandlerContext {
  readonly hub: Hub;
  readonly session: Session;
  readonly link: SessionLink;
}

/** Request types handled here. */
export type SessionRequestType = Exclude<RequestType, 'join' | 'ping'>;

type Handler<T extends SessionRequestType> = (
  ctx: HandlerContext,
  frame: RequestFrame<T>,
  respond: Respond<AckData<T>>,
) => void | Promise<void>;

/** Throws NOT_JOINED when the session ended (kicked, timed out) while a handler awaited. */
function ensureCurrent(ctx: HandlerContext): Room {
  if (!ctx.hub.isLive(ctx.session) || ctx.session.link !== ctx.link) {
    throw new RtcError('NOT_JOINED', 'the session ended');
  }
  return ctx.hub.roomOf(ctx.session);
}

/** The tag of `stream` when it is one of the session's own publications, else NOT_PUBLISHED. */
function ownPublication(session: Session, stream: string): string {
  const colon = stream.lastIndexOf(':');
  const tag = stream.slice(colon + 1);
  if (stream.slice(0, colon) !== session.user || !session.publications.has(tag)) {
    throw new RtcError('NOT_PUBLISHED', `${stream} is not published by this session`);
  }
  return tag;
}

function subscription(session: Session, stream: string): SubscriptionInfo {
  const sub = session.subscriptions.get(stream);
  if (!sub) throw new RtcError('NOT_SUBSCRIBED', `${stream} is not subscribed`);
  return sub;
}

/** A message push this large might not fit a frame once `from` and `seq` are added: check first. */
const MESSAGE_SIZE_CHECK_FROM = 10_000;

const leave: Handler<'leave'> = (ctx, _frame, respond) => {
  const { hub, session, link } = ctx;
  hub.remove(session, 'leave');
  respond({});
  link.close(1000, 'leave');
};

const publish: Handler<'publish'> = async (ctx, frame, respond) => {
  const { hub, session } = ctx;
  const kind = frame.kind ?? 'main';
  // A custom tag names the stream (`user:tag`); without one the kind does (`user:main`, `user:screen`).
  const tag = frame.tag ?? kind;
  const custom = tag !== 'main' && tag !== 'screen';
  const check = (room: Room) => {
    if (!session.privileges.publish) throw new RtcError('NOT_ALLOWED', 'the token does not grant publish');
    if (session.role === 'audience') throw new RtcError('NOT_ALLOWED', 'the audience role cannot publish');
    if (!session.visible) throw new RtcError('NOT_ALLOWED', 'an invisible session cannot publish');
    if (!frame.audio && !frame.video) {
      throw new RtcError('INVALID_FRAME', 'publish: audio and video cannot both be false');
    }
    if (session.publications.has(tag)) throw new RtcError('ALREADY_PUBLISHED', `${tag} is published already`);
    if (session.publications.size >= LIMITS.maxStreamsPerUser)
      throw new RtcError('PUBLISHER_LIMIT', `a user publishes at most ${LIMITS.maxStreamsPerUser} streams`);
    if (!session.publishing && room.publisherCount() >= hub.options.maxPublishers) {
      throw new RtcError('PUBLISHER_LIMIT', `the room has ${hub.options.maxPublishers} publishers already`);
    }
  };
  check(ensureCurrent(ctx));
  const id = `${session.user}:${tag}`;
  const url = hub.mediaUrl({
    room: session.room,
    owner: session.user,
    kind,
    ...(custom ? { tag } : {}),
    holder: session.user,
    direction: 'push',
  });
  // With media hooks: is the media server receiving this stream already (a publisher that kept
  // pushing while this server restarted)?
  const media = await hub.mediaWatch.initialState(session.room, id);
  // That awaited: anything may have changed, so check again before changing anything.
  const room = ensureCurrent(ctx);
  check(room);
  const stream: StreamInfo = {
    id,
    user: session.user,
    kind,
    ...(custom ? { tag } : {}),
    audio: frame.audio,
    video: frame.video,
    small: frame.small ?? false,
    audioMuted: false,
    videoMuted: false,
    ...(media === undefined ? {} : { media: media.state }),
  };
  session.publications.set(tag, { stream, url });
  hub.mediaWatch.track(room.id, session, stream, media?.client);
  room.broadcast({ t: 'stream-added', stream }, session);
  hub.scheduleMediaRefresh(session);
  respond({ stream, url });
};

const unpublish: Handler<'unpublish'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const tag = ownPublication(ctx.session, frame.stream);
  ctx.hub.removeStream(room, ctx.session, tag, 'unpublished');
  respond({});
};

const subscribe: Handler<'subscribe'> = (ctx, frame, respond) => {
  const { hub, session } = ctx;
  const check = (room: Room) => {
    if (!session.privileges.subscribe)
      throw new RtcError('NOT_ALLOWED', 'the token does not grant subscribe');
    const target = room.stream(frame.stream);
    if (!target || target.owner === session) {
      throw new RtcError('STREAM_NOT_FOUND', `no stream ${frame.stream} to subscribe to`);
    }
    return target;
  };
  const target = check(ensureCurrent(ctx));
  const url = hub.mediaUrl({
    room: session.room,
    owner: target.owner.user,
    kind: target.stream.kind,
    tag: target.stream.tag,
    holder: session.user,
    direction: 'play',
  });
  const previous = session.subscriptions.get(frame.stream);
  // Subscribing again updates the options; the receiver-side mute bits are the user's and stay.
  const sub: SubscriptionInfo = {
    stream: frame.stream,
    url,
    audio: frame.audio ?? true,
    video: frame.video ?? true,
    small: frame.small ?? false,
    audioMuted: previous?.audioMuted ?? false,
    videoMuted: previous?.videoMuted ?? false,
  };
  session.subscriptions.set(frame.stream, sub);
  hub.scheduleMediaRefresh(session);
  respond({ ...sub });
};

const unsubscribe: Handler<'unsubscribe'> = (ctx, frame, respond) => {
  ensureCurrent(ctx);
  subscription(ctx.session, frame.stream);
  ctx.session.subscriptions.delete(frame.stream);
  respond({});
};

const muteLocal: Handler<'mute-local'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const { session } = ctx;
  const publication = session.publications.get(ownPublication(session, frame.stream));
  if (!publication) throw new RtcError('NOT_PUBLISHED', `${frame.stream} is not published by this session`);
  const { stream } = publication;
  const audioMuted = frame.audio ?? stream.audioMuted;
  const videoMuted = frame.video ?? stream.videoMuted;
  if (audioMuted !== stream.audioMuted || videoMuted !== stream.videoMuted) {
    stream.audioMuted = audioMuted;
    stream.videoMuted = videoMuted;
    room.broadcast({ t: 'stream-updated', stream }, session);
  }
  respond({ stream });
};

const muteRemote: Handler<'mute-remote'> = (ctx, frame, respond) => {
  ensureCurrent(ctx);
  const sub = subscription(ctx.session, frame.stream);
  if (frame.audio !== undefined) sub.audioMuted = frame.audio;
  if (frame.video !== undefined) sub.videoMuted = frame.video;
  respond({ subscription: { ...sub } });
};

const setVisibility: Handler<'set-visibility'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const { hub, session } = ctx;
  if (frame.visible !== session.visible) {
    if (frame.visible) {
      if (room.visibleCount(session) >= hub.options.maxVisible) {
        throw new RtcError('ROOM_FULL', `the room has ${hub.options.maxVisible} visible users already`);
      }
      session.visible = true;
      room.broadcast({ t: 'peer-joined', peer: session.peerInfo() }, session);
    } else {
      // Invisible sessions cannot publish, so their streams go first.
      for (const kind of [...session.publications.keys()]) hub.removeStream(room, session, kind, 'peer-left');
      session.visible = false;
      room.broadcast({ t: 'peer-left', user: session.user, reason: 'hidden' }, session);
    }
  }
  respond({ self: session.peerInfo() });
};

const setRole: Handler<'set-role'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const { hub, session } = ctx;
  if (frame.role !== session.role) {
    if (frame.role === 'audience') {
      for (const kind of [...session.publications.keys()])
        hub.removeStream(room, session, kind, 'role-changed');
    }
    session.role = frame.role;
    if (session.visible) room.broadcast({ t: 'peer-updated', peer: session.peerInfo() }, session);
  }
  respond({ self: session.peerInfo() });
};

const setBusinessId: Handler<'set-business-id'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const { session } = ctx;
  const businessId = frame.businessId === '' ? undefined : frame.businessId;
  if (businessId !== session.businessId) {
    session.businessId = businessId;
    if (session.visible) room.broadcast({ t: 'peer-updated', peer: session.peerInfo() }, session);
  }
  respond({ self: session.peerInfo() });
};

const attrsSet: Handler<'attrs-set'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const next = new Map(room.attributes);
  for (const [key, value] of Object.entries(frame.attributes)) next.set(key, value);
  if (next.size > LIMITS.maxAttributesPerRoom) {
    throw new RtcError('INVALID_FRAME', `a room holds at most ${LIMITS.maxAttributesPerRoom} attributes`);
  }
  const bytes = utf8ByteLength(JSON.stringify(Object.fromEntries(next)));
  if (bytes > LIMITS.maxAttributeBytesPerRoom) {
    throw new RtcError(
      'INVALID_FRAME',
      `room attributes would take ${bytes} bytes, more than ${LIMITS.maxAttributeBytesPerRoom}`,
    );
  }
  for (const [key, value] of next) room.attributes.set(key, value);
  if (frame.notify ?? true) {
    room.broadcast({ t: 'attributes-changed', set: frame.attributes, deleted: [], by: ctx.session.user });
  }
  respond({});
};

const attrsGet: Handler<'attrs-get'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const entries: [string, string][] = [];
  if (frame.keys === undefined) entries.push(...room.attributes);
  else {
    for (const key of new Set(frame.keys)) {
      const value = room.attributes.get(key);
      if (value !== undefined) entries.push([key, value]);
    }
  }
  respond({ attributes: Object.fromEntries(entries) });
};

const attrsDelete: Handler<'attrs-delete'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const deleted = [...new Set(frame.keys)].filter((key) => room.attributes.delete(key));
  if ((frame.notify ?? true) && deleted.length > 0) {
    room.broadcast({ t: 'attributes-changed', set: {}, deleted, by: ctx.session.user });
  }
  respond({});
};

const message: Handler<'message'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const { session } = ctx;
  const target = frame.to === undefined ? undefined : room.byUser.get(frame.to);
  // Invisible users cannot be found by others, so they cannot be addressed either.
  if (frame.to !== undefined && (!target || !target.visible)) {
    throw new RtcError('USER_NOT_FOUND', `no visible user ${frame.to} in the room`);
  }
  const body = { t: 'message', from: session.user, name: frame.name, content: frame.content } as const;
  if (frame.content.length > MESSAGE_SIZE_CHECK_FROM) {
    // Throws FRAME_TOO_LARGE before anyone got it, rather than after some did.
    encodeFrame({
      v: PROTOCOL_VERSION,
      seq: Number.MAX_SAFE_INTEGER,
      ...body,
      private: target !== undefined,
    });
  }
  if (target) target.push({ ...body, private: true });
  else room.broadcast({ ...body, private: false }, session);
  respond({});
};

const report: Handler<'report'> = (ctx, frame, respond) => {
  const room = ensureCurrent(ctx);
  const r = frame.report;
  // One latest report per kind, and per stream for player reports (a user plays several streams).
  const key = r.kind === 'player-state' || r.kind === 'player-net' ? `${r.kind}:${r.stream}` : r.kind;
  let reports = room.reports.get(ctx.session.user);
  if (!reports) {
    reports = new Map();
    room.reports.set(ctx.session.user, reports);
  }
  reports.set(key, { report: r, at: Date.now() });
  respond({});
};

/**
 * Makes `session` hold a token expiring at `exp` (§9): `token-expiring` a `tokenExpiryLead` before
 * `exp`, then, once the token is no longer honoured, `kicked` (`token-expired`). A session waiting
 * in its grace window is left to its resume, which must present a valid token anyway.
 */
export function holdToken(hub: Hub, session: Session, exp: number): void {
  session.holdToken(
    hub.timers,
    exp,
    { lead: hub.options.tokenExpiryLead, tolerance: CLOCK_TOLERANCE_S * 1000 },
    () => {
      if (hub.isLive(session)) session.push({ t: 'token-expiring', exp });
    },
    () => {
      if (hub.isLive(session) && session.connected) {
        hub.kick(session, 'token-expired', 'the token expired without renew-token');
      }
    },
  );
}

const renewToken: Handler<'renew-token'> = async (ctx, frame, respond) => {
  const { hub, session } = ctx;
  const claims = await verifyToken(frame.token, hub.options.secret);
  // That awaited: the session may have ended meanwhile.
  ensureCurrent(ctx);
  const mismatch = checkTokenMatch(claims, {
    appId: hub.options.appId,
    room: session.room,
    user: session.user,
  });
  if (mismatch) throw mismatch;
  // As on resume, the new token's privileges govern the requests from now on.
  session.privileges = claims.privileges;
  holdToken(hub, session, claims.exp);
  respond({ exp: claims.exp });
};

/**
 * Requests that change nothing a room store keeps (their pushes say so themselves): after the
 * others, a store shared by several nodes writes the session's room through.
 */
export const READ_ONLY_REQUESTS: ReadonlySet<SessionRequestType> = new Set([
  'message',
  'attrs-get',
  'report',
]);

/** Every handler, by request type. */
export const handlers: { readonly [K in SessionRequestType]: Handler<K> } = {
  leave,
  publish,
  unpublish,
  subscribe,
  unsubscribe,
  'mute-local': muteLocal,
  'mute-remote': muteRemote,
  'set-visibility': setVisibility,
  'set-role': setRole,
  'set-business-id': setBusinessId,
  'attrs-set': attrsSet,
  'attrs-get': attrsGet,
  'attrs-delete': attrsDelete,
  message,
  report,
  'renew-token': renewToken,
};

/** Runs the handler of `frame` for a joined session. */
export function handle<T extends SessionRequestType>(
  ctx: HandlerContext,
  frame: RequestFrame<T>,
  respond: Respond<AckData<T>>,
): void | Promise<void> {
  // TS cannot narrow the table entry by a generic key; the mapped type guarantees the pairing.
  const handler = handlers[frame.t as T] as Handler<T>;
  return handler(ctx, frame, respond);
}
