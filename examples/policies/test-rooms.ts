/**
 * Rooms for policy tests, built the way the client builds them: RoomEvents folded by the real
 * reducer. A policy only ever sees RoomStates and plans, so this is all a test needs; no server,
 * no client, no clock.
 */
import { distinctUntilChanged, map, type Observable } from 'rxjs';
import {
  deepEqual,
  initialRoomState,
  planAll,
  reduceRoom,
  type RoomEvent,
  type RoomState,
  type StreamDescriptor,
  type SubscriptionPlan,
  type WantedSubscription,
} from 'rxroom';

/** A stream of `userId` (`kind` main by default, with audio and video). */
export function streamOf(userId: string, extra: Partial<StreamDescriptor> = {}): StreamDescriptor {
  const kind = extra.kind ?? 'main';
  return {
    id: `${userId}:${kind}`,
    userId,
    kind,
    hasAudio: true,
    hasVideo: true,
    hasSmall: false,
    audioMuted: false,
    videoMuted: false,
    ...extra,
  };
}

/** The room of user `me` after joining with `streams` published by others and `attributes` set. */
export function roomWith(
  streams: readonly StreamDescriptor[],
  attributes: Readonly<Record<string, string>> = {},
): RoomState {
  const joined: RoomEvent = {
    type: 'joined',
    mode: 'joined',
    roomId: 'class-1',
    sessionId: 's1',
    self: { userId: 'me', role: 'broadcaster', visible: true, publications: {} },
    peers: [...new Set(streams.map((s) => s.userId))].map((userId) => ({
      userId,
      role: 'broadcaster' as const,
      visible: true,
    })),
    streams,
    subscriptions: [],
    attributes,
  };
  return reduceRoom(initialRoomState, joined);
}

/**
 * The plan a policy receives: every stream with every track, emitted only when it changes. This is
 * exactly what `autoSubscribe` hands to a policy as `plan$`.
 */
export function plansOf(room$: Observable<RoomState>): Observable<SubscriptionPlan> {
  return room$.pipe(map(planAll), distinctUntilChanged<SubscriptionPlan>(deepEqual));
}

/** Shorthands for a wanted subscription. */
export const AV: WantedSubscription = { audio: true, video: true, small: false };
export const A: WantedSubscription = { audio: true, video: false, small: false };
