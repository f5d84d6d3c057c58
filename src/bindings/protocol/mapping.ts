/** Wire shapes (src/protocol) to the domain model (src/streams/model) and back. */
import type { PeerInfo, PublicationInfo, PushFrame, StreamInfo, SubscriptionInfo } from '../../protocol';
import type { Peer, Publication, StreamDescriptor, Subscription } from '../../streams/model';
import type { RoomEvent } from '../../streams/room-event';

export function toPeer(peer: PeerInfo): Peer {
  // Two literals rather than a spread: one allocation per peer on the hot path.
  const base: Peer = peer.businessId
    ? { userId: peer.user, role: peer.role, visible: peer.visible, businessId: peer.businessId }
    : { userId: peer.user, role: peer.role, visible: peer.visible };
  return peer.reconnecting === true ? { ...base, reconnecting: true } : base;
}

export function toStream(stream: StreamInfo): StreamDescriptor {
  return {
    id: stream.id,
    userId: stream.user,
    kind: stream.kind,
    ...(stream.tag !== undefined ? { tag: stream.tag } : {}),
    hasAudio: stream.audio,
    hasVideo: stream.video,
    hasSmall: stream.small,
    audioMuted: stream.audioMuted,
    videoMuted: stream.videoMuted,
    ...(stream.media === undefined ? {} : { media: stream.media }),
  };
}

export function toSubscription(sub: SubscriptionInfo): Subscription {
  return {
    streamId: sub.stream,
    url: sub.url,
    audio: sub.audio,
    video: sub.video,
    small: sub.small,
    audioMuted: sub.audioMuted,
    videoMuted: sub.videoMuted,
  };
}

export function toPublication(pub: PublicationInfo): Publication {
  return { stream: toStream(pub.stream), url: pub.url };
}

/**
 * A push as a RoomEvent. Reads only the fields of the push's type, so it also takes a frame that
 * was checked by the guards but not copied (unknown keys are left behind).
 */
export function pushToEvent(frame: PushFrame): RoomEvent {
  switch (frame.t) {
    case 'peer-joined':
      return { type: 'peer-joined', peer: toPeer(frame.peer) };
    case 'peer-left':
      return { type: 'peer-left', userId: frame.user, reason: frame.reason };
    case 'peer-updated':
      return { type: 'peer-updated', peer: toPeer(frame.peer) };
    case 'peer-reconnecting':
      return { type: 'peer-reconnecting', userId: frame.user };
    case 'peer-reconnected':
      return { type: 'peer-reconnected', userId: frame.user };
    case 'stream-added':
      return { type: 'stream-added', stream: toStream(frame.stream) };
    case 'stream-removed':
      return { type: 'stream-removed', streamId: frame.stream, userId: frame.user, reason: frame.reason };
    case 'stream-updated':
      return { type: 'stream-updated', stream: toStream(frame.stream) };
    case 'url-updated':
      return { type: 'url-updated', streamId: frame.stream, direction: frame.direction, url: frame.url };
    case 'stream-failed':
      return {
        type: 'stream-failed',
        streamId: frame.stream,
        direction: frame.direction,
        reason: frame.reason,
      };
    case 'kicked':
      return frame.message
        ? { type: 'kicked', reason: frame.reason, message: frame.message }
        : { type: 'kicked', reason: frame.reason };
    case 'attributes-changed':
      return { type: 'attributes-changed', set: frame.set, deleted: frame.deleted, by: frame.by };
    case 'message':
      return {
        type: 'message',
        from: frame.from,
        name: frame.name,
        content: frame.content,
        private: frame.private,
      };
    case 'token-expiring':
      return { type: 'token-expiring', expiresAt: frame.exp * 1000 };
  }
}
