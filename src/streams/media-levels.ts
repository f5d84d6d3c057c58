/**
 * The high-rate side of the room (ARCHITECTURE.md decision 6): latest volume and net status per
 * user, folded from native events, kept apart from RoomState so a volume tick never re-emits the
 * room. Pure functions; the client keeps the state.
 */
import type { PlayerNetInfo, PusherNetInfo } from '../bindings/native/net-info';
import type { NativeEvent } from '../bindings/native/decode';
import type { RoomState } from './model';
import type { RoomEvent } from './room-event';

/** Latest audio level per user id (the local user under its own id). */
export type VolumeMap = Readonly<Record<string, number>>;

/** Latest `bindnetstatus` info per user id (the local user under its own id). */
export type NetStatusMap = Readonly<Record<string, PusherNetInfo | PlayerNetInfo>>;

/** The id under which this client's own levels are kept before it has joined. */
export const LOCAL_USER = 'local';

function userOfStream(state: RoomState, streamId: string): string {
  return (
    state.streams[streamId]?.userId ?? streamId.slice(0, Math.max(0, streamId.lastIndexOf(':'))) ?? streamId
  );
}

function localUser(state: RoomState): string {
  return state.self?.userId ?? LOCAL_USER;
}

function set<T>(
  map: Readonly<Record<string, T>>,
  key: string,
  value: T,
  same: (a: T, b: T) => boolean,
): Readonly<Record<string, T>> {
  const old = map[key];
  return old !== undefined && same(old, value) ? map : { ...map, [key]: value };
}

/** Folds a native event into the volume map. Returns the same map when nothing changed. */
export function reduceVolume(map: VolumeMap, event: NativeEvent, state: RoomState): VolumeMap {
  if (event.type === 'pusher-volume') return set(map, localUser(state), event.volume, (a, b) => a === b);
  if (event.type === 'player-volume' && event.streamId) {
    return set(map, userOfStream(state, event.streamId), event.volume, (a, b) => a === b);
  }
  return map;
}

const sameInfo = (a: object, b: object) => {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
};

/** Folds a native event into the net status map. Returns the same map when nothing changed. */
export function reduceNetStatus(map: NetStatusMap, event: NativeEvent, state: RoomState): NetStatusMap {
  if (event.type === 'pusher-net')
    return set<PusherNetInfo | PlayerNetInfo>(map, localUser(state), event.info, sameInfo);
  if (event.type === 'player-net' && event.streamId) {
    return set<PusherNetInfo | PlayerNetInfo>(map, userOfStream(state, event.streamId), event.info, sameInfo);
  }
  return map;
}

/** Drops the levels of users who are gone, after a room event. */
export function pruneLevels<T>(
  map: Readonly<Record<string, T>>,
  event: RoomEvent,
  state: RoomState,
): Readonly<Record<string, T>> {
  if (event.type === 'left' || event.type === 'kicked') return Object.keys(map).length ? {} : map;
  if (event.type === 'peer-left' || event.type === 'stream-removed' || event.type === 'joined') {
    const self = localUser(state);
    let next = map;
    for (const user of Object.keys(map)) {
      const present =
        user === self || user === LOCAL_USER || Object.values(state.streams).some((s) => s.userId === user);
      if (!present) {
        if (next === map) next = { ...map };
        delete (next as Record<string, T>)[user];
      }
    }
    return next;
  }
  return map;
}
