/**
 * "Teacher always, students on hand-raise": a classroom where everyone hears and sees the teacher,
 * and a student is heard and seen only while their hand is up.
 *
 * Hands are room attributes, so everyone sees the same hands and they survive reconnects: a
 * student raises theirs with `client.setAttributes({ 'hand:ann': 'up' })` and lowers it with
 * `client.deleteAttributes(['hand:ann'])`.
 */
import { combineLatest, distinctUntilChanged, map } from 'rxjs';
import { mapPlan, type AutoSubscribePolicy, type RoomState } from 'rxroom';

/** Options of {@link teacherAndRaisedHands}. */
export interface ClassroomOptions {
  /** The attribute key of a user's hand is this prefix plus the user id. Default `hand:`. */
  readonly handPrefix?: string;
}

/** The owner of a stream id: ids are `<user>:<kind>` (docs/protocol.md), and user ids have no `:`. */
function ownerOf(streamId: string): string {
  return streamId.slice(0, streamId.lastIndexOf(':'));
}

/** The users whose hand is up, sorted so that equal sets compare equal as strings. */
function raisedHands(room: RoomState, prefix: string): string {
  return Object.keys(room.attributes)
    .filter((key) => key.startsWith(prefix) && room.attributes[key] === 'up')
    .map((key) => key.slice(prefix.length))
    .sort()
    .join('\n');
}

/**
 * Subscribes the teacher's streams always and a student's while their hand is up; everyone else
 * is not subscribed at all.
 *
 * @example
 * ```ts
 * autoSubscribe(client, teacherAndRaisedHands('ms-lee')).subscribe()
 * ```
 */
export function teacherAndRaisedHands(
  teacherId: string,
  options: ClassroomOptions = {},
): AutoSubscribePolicy {
  const prefix = options.handPrefix ?? 'hand:';
  return (plan$, room$) => {
    // Only the hands matter here, not every change of the room (a volume tick, a new peer …):
    // reduce the room to the hands and let through only real changes.
    const hands$ = room$.pipe(
      map((room) => raisedHands(room, prefix)),
      distinctUntilChanged(),
      map((list) => new Set(list ? list.split('\n') : [])),
    );
    return combineLatest([plan$, hands$]).pipe(
      map(([plan, hands]) =>
        mapPlan(plan, (wanted, streamId) => {
          const owner = ownerOf(streamId);
          return owner === teacherId || hands.has(owner) ? wanted : null;
        }),
      ),
    );
  };
}
