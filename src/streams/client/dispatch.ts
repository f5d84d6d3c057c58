/**
 * The client's dispatch loop: each RoomEvent folded into RoomState, the volume and net-status
 * maps, then published on `events$`, strictly one event at a time.
 */
import type { BehaviorSubject, Subject } from 'rxjs';
import type { RoomState } from '../model';
import {
  pruneLevels,
  reduceNetStatus,
  reduceVolume,
  type NetStatusMap,
  type VolumeMap,
} from '../media-levels';
import { reduceRoom } from '../reduce-room';
import type { RoomEvent } from '../room-event';

/** The subjects a client's streams are made of. */
export interface ClientSubjects {
  readonly state: BehaviorSubject<RoomState>;
  readonly events: Subject<RoomEvent>;
  readonly volume: BehaviorSubject<VolumeMap>;
  readonly netStatus: BehaviorSubject<NetStatusMap>;
}

/** Returns the function that applies an event to the subjects (re-entrant calls are queued). */
export function createDispatch({
  state,
  events,
  volume,
  netStatus,
}: ClientSubjects): (event: RoomEvent) => void {
  // Events are applied one at a time even when a subscriber reacts to one by causing another
  // synchronously; otherwise late subscribers could see states out of order.
  const queue: RoomEvent[] = [];
  let draining = false;
  const dispatch = (event: RoomEvent) => {
    queue.push(event);
    if (draining) return;
    draining = true;
    try {
      while (queue.length > 0) {
        const next = queue.shift()!;
        const reduced = reduceRoom(state.value, next);
        if (reduced !== state.value) state.next(reduced);
        if (next.type === 'native') {
          const v = reduceVolume(volume.value, next.event, reduced);
          if (v !== volume.value) volume.next(v);
          const n = reduceNetStatus(netStatus.value, next.event, reduced);
          if (n !== netStatus.value) netStatus.next(n);
        } else {
          const v = pruneLevels(volume.value, next, reduced);
          if (v !== volume.value) volume.next(v);
          const n = pruneLevels(netStatus.value, next, reduced);
          if (n !== netStatus.value) netStatus.next(n);
        }
        events.next(next);
      }
    } finally {
      draining = false;
    }
  };
  return dispatch;
}
