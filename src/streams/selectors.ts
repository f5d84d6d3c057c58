/**
 * Pure selectors over RoomState: the queries of the seed SDKs (RongCloud's getRemoteUserIds,
 * getRemoteStreams, isSubscribed, hasAudio, isOwnerMuteAudio …) as plain functions. Use them on
 * `client.state` for a snapshot, or through `client.select(...)` for a stream.
 */
import type { ConnectionState, Peer, Publication, RemoteStream, RoomState } from './model';
import type { PersistentMap } from './persistent-map';

/**
 * `derive` computed once per map: the reducer gives a map a new identity only when it changed,
 * so a page reading the list on every state pays for it only when the list changed.
 */
function perMap<V, R>(derive: (map: PersistentMap<V>) => R): (map: PersistentMap<V>) => R {
  const cache = new WeakMap<PersistentMap<V>, R>();
  return (map) => {
    let value = cache.get(map);
    if (value === undefined) {
      value = derive(map);
      cache.set(map, value);
    }
    return value;
  };
}

const listOf = perMap((map: PersistentMap<unknown>) => Object.freeze([...map.values()]));
const keysOf = perMap((map: PersistentMap<unknown>) => Object.freeze([...map.keys()]));
const recordOf = perMap((map: PersistentMap<unknown>) => Object.freeze(map.toRecord()));

/** Remote visible users by id (a `ReadonlyMap`). */
export const selectPeers = (s: RoomState): PersistentMap<Peer> => s.peers;
/** Remote streams by id (a `ReadonlyMap`). */
export const selectRemoteStreams = (s: RoomState): PersistentMap<RemoteStream> => s.streams;
/** Remote visible users as a plain object by id; the same object until the peers change. */
export const selectPeerRecord = (s: RoomState): Readonly<Record<string, Peer>> =>
  recordOf(s.peers) as Readonly<Record<string, Peer>>;
/** Remote streams as a plain object by id; the same object until the streams change. */
export const selectStreamRecord = (s: RoomState): Readonly<Record<string, RemoteStream>> =>
  recordOf(s.streams) as Readonly<Record<string, RemoteStream>>;
/** One remote peer, or null. */
export const selectPeer =
  (userId: string) =>
  (s: RoomState): Peer | null =>
    s.peers.get(userId) ?? null;
/** Remote visible users as an array; the same array until the peers change. */
export const selectPeerList = (s: RoomState): readonly Peer[] => listOf(s.peers) as readonly Peer[];
/** Remote streams as an array; the same array until the streams change. */
export const selectStreamList = (s: RoomState): readonly RemoteStream[] =>
  listOf(s.streams) as readonly RemoteStream[];
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
export const selectRemoteUserIds = (s: RoomState): readonly string[] => keysOf(s.peers);
/** Streams of one user (RongCloud getRemoteStreamsByUserId). */
export const selectStreamsOfUser =
  (userId: string) =>
  (s: RoomState): readonly RemoteStream[] =>
    (s.userStreams.get(userId) ?? []).map((id) => s.streams.get(id)!);
/** One stream, or null. */
export const selectStream =
  (streamId: string) =>
  (s: RoomState): RemoteStream | null =>
    s.streams.get(streamId) ?? null;
/** Is this client subscribed to the stream (RongCloud isSubscribed)? */
export const selectIsSubscribed =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams.get(streamId)?.subscription;
/** Does the stream carry audio (hasAudio)? */
export const selectHasAudio =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams.get(streamId)?.hasAudio;
/** Does the stream carry video (hasVideo)? */
export const selectHasVideo =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams.get(streamId)?.hasVideo;
/** Did the owner mute the audio (isOwnerMuteAudio)? */
export const selectIsOwnerMuteAudio =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams.get(streamId)?.audioMuted;
/** Did the owner disable the video (isOwnerDisableVideo)? */
export const selectIsOwnerMuteVideo =
  (streamId: string) =>
  (s: RoomState): boolean =>
    !!s.streams.get(streamId)?.videoMuted;

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
