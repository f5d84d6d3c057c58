/**
 * The high-rate side of the room (ARCHITECTURE.md decision 6): latest volume and net status per
 * user, folded from native events, kept apart from RoomState so a volume tick never re-emits the
 * room. Pure functions; the client keeps the state.
 */
import type { PlayerNetInfo, PusherNetInfo } from '../bindings/native/net-info';
import type { NativeEvent } from '../bindings/native/decode';
import type { RoomState } from './model';
import type { RoomEvent } from './room-event';
import { PersistentMap } from './persistent-map';

/** Latest audio level per user id (the local user under its own id). */
export type VolumeMap = PersistentMap<number>;

/** Latest `bindnetstatus` info per user id (the local user under its own id). */
export type NetStatusMap = PersistentMap<PusherNetInfo | PlayerNetInfo>;

/** The id under which this client's own levels are kept before it has joined. */
export const LOCAL_USER = 'local';

function localUser(state: RoomState): string {
  return state.self?.userId ?? LOCAL_USER;
}

/**
 * Folds a native event into the volume map. Returns the same map when nothing changed. A player
 * whose stream the room no longer has (its owner left; the page has not removed it yet) is not
 * heard: its late readings must not bring the departed user back.
 */
export function reduceVolume(map: VolumeMap, event: NativeEvent, state: RoomState): VolumeMap {
  if (event.type === 'pusher-volume') return map.with(localUser(state), event.volume);
  if (event.type === 'player-volume' && event.streamId) {
    const stream = state.streams.get(event.streamId);
    return stream ? map.with(stream.userId, event.volume) : map;
  }
  return map;
}

const sameInfo = (a: object, b: object) => {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
};

function setInfo(map: NetStatusMap, user: string, info: PusherNetInfo | PlayerNetInfo): NetStatusMap {
  const old = map.get(user);
  return old !== undefined && sameInfo(old, info) ? map : map.with(user, info);
}

/** Folds a native event into the net status map. Same rules as {@link reduceVolume}. */
export function reduceNetStatus(map: NetStatusMap, event: NativeEvent, state: RoomState): NetStatusMap {
  if (event.type === 'pusher-net') return setInfo(map, localUser(state), event.info);
  if (event.type === 'player-net' && event.streamId) {
    const stream = state.streams.get(event.streamId);
    return stream ? setInfo(map, stream.userId, event.info) : map;
  }
  return map;
}

/**
 * Drops the levels of users who are gone, after a room event. Only the event's user is looked
 * at (the room's per-user stream index answers whether they still have a stream), so the cost
 * does not grow with the room; a fresh `joined` snapshot checks every user once.
 */
export function pruneLevels<T>(map: PersistentMap<T>, event: RoomEvent, state: RoomState): PersistentMap<T> {
  if (map.size === 0) return map;
  if (event.type === 'left' || event.type === 'kicked') return PersistentMap.empty<T>();
  const self = localUser(state);
  const gone = (user: string) => user !== self && user !== LOCAL_USER && !state.userStreams.has(user);
  if (event.type === 'peer-left' || event.type === 'stream-removed') {
    return gone(event.userId) ? map.without(event.userId) : map;
  }
  if (event.type === 'joined') {
    let next = map;
    for (const user of map.keys()) if (gone(user)) next = next.without(user);
    return next;
  }
  return map;
}
