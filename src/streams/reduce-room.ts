/**
 * reduceRoom: the one place where RoomState changes. Pure: no I/O, no clock, no randomness
 * (ARCHITECTURE.md decision 1). It is written for a network that duplicates and reorders:
 *
 * - Idempotent: the same event twice gives the same state as once (a repeated `stream-added`
 *   never duplicates a stream, a repeated `peer-left` is a no-op).
 * - Tolerant: events about unknown things never throw. A stream for an unknown peer brings the
 *   peer with it (so no stream is ever without its peer); a subscription for an unknown stream is
 *   dropped (so no subscription is ever without its stream); a `peer-left` before the `peer-joined`
 *   leaves nothing behind.
 * - Stable: when nothing changes, the very same state object is returned, and unchanged slices
 *   keep their identity, so selectors can compare by reference first.
 */
import type { Peer, RemoteStream, RoomState, SelfState, StreamDescriptor, Subscription } from './model';
import { initialRoomState } from './model';
import { PersistentMap } from './persistent-map';
import type { RoomEvent } from './room-event';

type Dict<T> = Readonly<Record<string, T>>;

// Small records (attributes, publications) stay plain objects; peers and streams are
// PersistentMaps, so no change here copies the room.
function put<T>(dict: Dict<T>, key: string, value: T): Dict<T> {
  return dict[key] === value ? dict : { ...dict, [key]: value };
}

function drop<T>(dict: Dict<T>, key: string): Dict<T> {
  if (!Object.prototype.hasOwnProperty.call(dict, key)) return dict;
  // Rebuilt rather than copied and `delete`d: a delete turns the object into a slow dictionary,
  // and every later copy of it pays for that.
  const next: Record<string, T> = {};
  for (const k in dict) if (k !== key) next[k] = dict[k]!;
  return next;
}

function sameDescriptor(a: StreamDescriptor, b: StreamDescriptor): boolean {
  return (
    a.id === b.id &&
    a.userId === b.userId &&
    a.kind === b.kind &&
    a.tag === b.tag &&
    a.hasAudio === b.hasAudio &&
    a.hasVideo === b.hasVideo &&
    a.hasSmall === b.hasSmall &&
    a.audioMuted === b.audioMuted &&
    a.videoMuted === b.videoMuted &&
    a.media === b.media
  );
}

function samePeer(a: Peer, b: Peer): boolean {
  return (
    a.userId === b.userId &&
    a.role === b.role &&
    a.visible === b.visible &&
    a.businessId === b.businessId &&
    a.reconnecting === b.reconnecting
  );
}

function sameSubscription(a: Subscription | null, b: Subscription | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.streamId === b.streamId &&
    a.url === b.url &&
    a.audio === b.audio &&
    a.video === b.video &&
    a.small === b.small &&
    a.audioMuted === b.audioMuted &&
    a.videoMuted === b.videoMuted
  );
}

function descriptorOf(stream: StreamDescriptor): StreamDescriptor {
  return {
    id: stream.id,
    userId: stream.userId,
    kind: stream.kind,
    ...(stream.tag !== undefined ? { tag: stream.tag } : {}),
    hasAudio: stream.hasAudio,
    hasVideo: stream.hasVideo,
    hasSmall: stream.hasSmall,
    audioMuted: stream.audioMuted,
    videoMuted: stream.videoMuted,
    ...(stream.media === undefined ? {} : { media: stream.media }),
  };
}

function withPeers(state: RoomState, peers: PersistentMap<Peer>): RoomState {
  return peers === state.peers ? state : { ...state, peers };
}

function withSelf(state: RoomState, self: SelfState | null): RoomState {
  return self === state.self ? state : { ...state, self };
}

/** The user's stream ids with `streamId` added (the same array when present). */
function indexWith(userStreams: PersistentMap<readonly string[]>, userId: string, streamId: string) {
  const ids = userStreams.get(userId);
  if (ids?.includes(streamId)) return userStreams;
  return userStreams.with(userId, ids ? [...ids, streamId] : [streamId]);
}

function indexWithout(userStreams: PersistentMap<readonly string[]>, userId: string, streamId: string) {
  const ids = userStreams.get(userId);
  if (!ids?.includes(streamId)) return userStreams;
  return ids.length === 1
    ? userStreams.without(userId)
    : userStreams.with(
        userId,
        ids.filter((id) => id !== streamId),
      );
}

/** Adds or updates a remote stream, keeping its subscription; brings an unknown owner along. */
function upsertStream(state: RoomState, stream: StreamDescriptor): RoomState {
  if (!state.roomId || stream.userId === state.self?.userId) return state;
  const existing = state.streams.get(stream.id);
  let peers = state.peers;
  if (!peers.has(stream.userId)) {
    peers = peers.with(stream.userId, { userId: stream.userId, role: 'broadcaster', visible: true });
  }
  if (existing && existing.userId === stream.userId && sameDescriptor(existing, stream)) {
    return withPeers(state, peers);
  }
  const remote: RemoteStream = { ...descriptorOf(stream), subscription: existing?.subscription ?? null };
  let userStreams = state.userStreams;
  if (existing && existing.userId !== stream.userId) {
    userStreams = indexWithout(userStreams, existing.userId, stream.id);
  }
  return {
    ...state,
    peers,
    streams: state.streams.with(stream.id, remote),
    userStreams: indexWith(userStreams, stream.userId, stream.id),
  };
}

function removeStream(state: RoomState, streamId: string): RoomState {
  const existing = state.streams.get(streamId);
  if (!existing) return state;
  return {
    ...state,
    streams: state.streams.without(streamId),
    userStreams: indexWithout(state.userStreams, existing.userId, streamId),
  };
}

function removePeer(state: RoomState, userId: string): RoomState {
  // The index names the peer's streams, whatever their ids: nothing scans the room.
  const ids = state.userStreams.get(userId);
  if (!ids) return withPeers(state, state.peers.without(userId));
  let streams = state.streams;
  for (const id of ids) streams = streams.without(id);
  return {
    ...state,
    peers: state.peers.without(userId),
    streams,
    userStreams: state.userStreams.without(userId),
  };
}

function setSubscription(state: RoomState, streamId: string, subscription: Subscription | null): RoomState {
  const stream = state.streams.get(streamId);
  if (!stream || sameSubscription(stream.subscription, subscription)) return state;
  return { ...state, streams: state.streams.with(streamId, { ...stream, subscription }) };
}

function leftRoom(state: RoomState): RoomState {
  return { ...initialRoomState, connection: state.connection };
}

function snapshot(state: RoomState, event: Extract<RoomEvent, { type: 'joined' }>): RoomState {
  const selfId = event.self.userId;
  let peers = PersistentMap.empty<Peer>();
  for (const peer of event.peers) if (peer.userId !== selfId) peers = peers.with(peer.userId, { ...peer });
  const subscriptions = new Map(event.subscriptions.map((s) => [s.streamId, s]));
  let streams = PersistentMap.empty<RemoteStream>();
  let userStreams = PersistentMap.empty<readonly string[]>();
  for (const stream of event.streams) {
    if (stream.userId === selfId) continue;
    if (!peers.has(stream.userId))
      peers = peers.with(stream.userId, { userId: stream.userId, role: 'broadcaster', visible: true });
    const previous = streams.get(stream.id);
    if (previous) userStreams = indexWithout(userStreams, previous.userId, stream.id);
    streams = streams.with(stream.id, {
      ...descriptorOf(stream),
      subscription: subscriptions.get(stream.id) ?? null,
    });
    userStreams = indexWith(userStreams, stream.userId, stream.id);
  }
  return {
    roomId: event.roomId,
    sessionId: event.sessionId,
    connection: state.connection,
    self: event.self,
    peers,
    streams,
    userStreams,
    attributes: { ...event.attributes },
  };
}

/**
 * Folds one event into the room state. Pure and total: every event, in any order, gives a valid
 * state.
 *
 * @example
 * ```ts
 * const state = events.reduce(reduceRoom, initialRoomState)
 * ```
 */
export function reduceRoom(state: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    case 'connection':
      return state.connection === event.state ? state : { ...state, connection: event.state };
    case 'joined':
      return snapshot(state, event);
    case 'resumed':
      return state.sessionId === event.sessionId ? state : { ...state, sessionId: event.sessionId };
    case 'left':
    case 'kicked':
      return state.roomId === null && state.self === null ? state : leftRoom(state);
    case 'peer-joined':
    case 'peer-updated': {
      if (!state.roomId || event.peer.userId === state.self?.userId) return state;
      const existing = state.peers.get(event.peer.userId);
      // An update says nothing about the connection: a reconnecting peer stays reconnecting.
      const peer: Peer =
        event.type === 'peer-updated' && existing?.reconnecting && event.peer.reconnecting === undefined
          ? { ...event.peer, reconnecting: true }
          : { ...event.peer };
      if (existing && samePeer(existing, peer)) return state;
      return withPeers(state, state.peers.with(event.peer.userId, peer));
    }
    case 'peer-reconnecting':
    case 'peer-reconnected': {
      const existing = state.peers.get(event.userId);
      const reconnecting = event.type === 'peer-reconnecting';
      if (!existing || (existing.reconnecting === true) === reconnecting) return state;
      const { reconnecting: _was, ...rest } = existing;
      return withPeers(
        state,
        state.peers.with(event.userId, reconnecting ? { ...rest, reconnecting } : rest),
      );
    }
    case 'peer-left':
      return removePeer(state, event.userId);
    case 'stream-added':
    case 'stream-updated':
      return upsertStream(state, event.stream);
    case 'stream-removed':
      return removeStream(state, event.streamId);
    case 'url-updated': {
      if (event.direction === 'play') {
        const sub = state.streams.get(event.streamId)?.subscription;
        return sub ? setSubscription(state, event.streamId, { ...sub, url: event.url }) : state;
      }
      const self = state.self;
      const publication = self?.publications[event.streamId];
      if (!self || !publication || publication.url === event.url) return state;
      return withSelf(state, {
        ...self,
        publications: put(self.publications, event.streamId, { ...publication, url: event.url }),
      });
    }
    case 'attributes-changed': {
      let attributes = state.attributes;
      for (const [key, value] of Object.entries(event.set)) attributes = put(attributes, key, value);
      for (const key of event.deleted) attributes = drop(attributes, key);
      return attributes === state.attributes ? state : { ...state, attributes };
    }
    case 'attributes-loaded': {
      if (!state.roomId) return state;
      let attributes = event.keys ? state.attributes : {};
      for (const key of event.keys ?? []) {
        if (!Object.prototype.hasOwnProperty.call(event.attributes, key)) attributes = drop(attributes, key);
      }
      for (const [key, value] of Object.entries(event.attributes)) attributes = put(attributes, key, value);
      return { ...state, attributes };
    }
    case 'published':
    case 'local-mute-changed': {
      const self = state.self;
      if (!self) return state;
      const stream = event.type === 'published' ? event.publication.stream : event.stream;
      const existing = self.publications[stream.id];
      if (event.type === 'local-mute-changed' && !existing) return state;
      const publication =
        event.type === 'published'
          ? { stream: descriptorOf(event.publication.stream), url: event.publication.url }
          : { stream: descriptorOf(stream), url: existing!.url };
      if (
        existing &&
        existing.url === publication.url &&
        sameDescriptor(existing.stream, publication.stream)
      ) {
        return state;
      }
      return withSelf(state, { ...self, publications: put(self.publications, stream.id, publication) });
    }
    case 'unpublished': {
      const self = state.self;
      if (!self) return state;
      const publications = drop(self.publications, event.streamId);
      return publications === self.publications ? state : withSelf(state, { ...self, publications });
    }
    case 'subscribed':
    case 'remote-mute-changed':
      return setSubscription(state, event.subscription.streamId, { ...event.subscription });
    case 'unsubscribed':
      return setSubscription(state, event.streamId, null);
    case 'self-updated': {
      const self = state.self;
      if (!self) return state;
      // The server stops an invisible or audience session's streams, so the client does too.
      const canPublish = event.visible && event.role === 'broadcaster';
      const next: SelfState = {
        userId: self.userId,
        role: event.role,
        visible: event.visible,
        ...(event.businessId ? { businessId: event.businessId } : {}),
        publications: canPublish ? self.publications : {},
      };
      const unchanged =
        next.role === self.role &&
        next.visible === self.visible &&
        next.businessId === self.businessId &&
        (canPublish || Object.keys(self.publications).length === 0);
      return unchanged ? state : withSelf(state, next);
    }
    case 'stream-failed':
    case 'native':
    case 'media-recovery':
    case 'background':
    case 'permission':
    case 'player-watchdog':
    case 'message':
    case 'seq-gap':
    case 'token-expiring':
    case 'error':
      return state;
  }
}
