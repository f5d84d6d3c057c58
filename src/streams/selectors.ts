/**
 * Pure selectors over RoomState: the queries of the seed SDKs (RongCloud's getRemoteUserIds,
 * getRemoteStreams, isSubscribed, hasAudio, isOwnerMuteAudio …) as plain functions. Use them on
 * `client.state` for a snapshot, or through `client.select(...)` for a stream.
 */
import type { ConnectionState, Peer, Publication, RemoteStream, RoomState } from './model';

/** Remote visible users by id. */
export const selectPeers = (s: RoomState): Readonly<Record<string, Peer>> => s.peers;
/** Remote streams by id. */
export const selectRemoteStreams = (s: RoomState): Readonly<Record<string, RemoteStream>> => s.streams;
/** One remote peer, or null. */
export const selectPeer =
  (userId: string) =>
  (s: RoomState): Peer | null =>
    s.peers[userId] ?? null;
/** Remote visible users as an array. */
export const selectPeerList = (s: RoomState): readonly Peer[] => Object.values(s.peers);
/** Remote streams as an array. */
export const selectStreamList = (s: RoomState): readonly RemoteStream[] => Object.values(s.streams);
/** The connection state. */
export const selectConnection = (s: RoomState): ConnectionState => s.connection;
/** Room attributes. */
export const selectAttributes = (s: RoomState): Readonly<Record<string, string>> => s.attributes;
/** This client's camera/mic publication, or null. */
export const selectLocalStream = (s: RoomState): Publication | null => {
  const pubs = s.self?.publications;
  if (!pubs) return null;
  for (const id in pubs) if (pubs[id]!.stream.kind === 'main') return pubs[id]!;
  return null;
};
/** Everything this client publishes. */
export const selectPublications = (s: RoomState): readonly Publication[] =>
  s.self ? Object.values(s.self.publications) : [];
/** Ids of the remote visible users (RongCloud getRemoteUserIds). */
export const selectRemoteUserIds = (s: RoomState): readonly string[] => Object.keys(s.peers);
/** Streams of one user (RongCloud getRemoteStreamsByUserId). */
export const selectStreamsOfUser =
  (userId: string) =>
  (s: RoomState): readonly RemoteStream[] =>
    Object.values(s.streams).filter((st) => st.userId === userId);
/** One stream, or null. */
export const selectStream =
  (streamId: string) =>
  (s: RoomState): RemoteStream | null =>
    s.streams[streamId] ?? null;
/** Is this client subscribed to the stream (RongCloud isSubscribed)? */
export const selectIsSubscribed =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams[streamId]?.subscription;
/** Does the stream carry audio (hasAudio)? */
export const selectHasAudio =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams[streamId]?.hasAudio;
/** Does the stream carry video (hasVideo)? */
export const selectHasVideo =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams[streamId]?.hasVideo;
/** Did the owner mute the audio (isOwnerMuteAudio)? */
export const selectIsOwnerMuteAudio =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams[streamId]?.audioMuted;
/** Did the owner disable the video (isOwnerDisableVideo)? */
export const selectIsOwnerMuteVideo =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams[streamId]?.videoMuted;

/**
 * Structural equality for JSON-like values, reference-first, so unchanged slices (which the
 * reducer keeps by identity) cost one comparison.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
