/** Small builders for RoomEvents and states in tests. */
import type { Peer, RoomState, StreamDescriptor, Subscription } from '../../src/streams/model';
import { initialRoomState } from '../../src/streams/model';
import { reduceRoom } from '../../src/streams/reduce-room';
import type { RoomEvent } from '../../src/streams/room-event';

export const peer = (userId: string, extra: Partial<Peer> = {}): Peer => ({
  userId,
  role: 'broadcaster',
  visible: true,
  ...extra,
});

export const stream = (userId: string, extra: Partial<StreamDescriptor> = {}): StreamDescriptor => ({
  id: `${userId}:${extra.kind ?? 'main'}`,
  userId,
  kind: 'main',
  hasAudio: true,
  hasVideo: true,
  hasSmall: false,
  audioMuted: false,
  videoMuted: false,
  ...extra,
});

export const subscription = (streamId: string, extra: Partial<Subscription> = {}): Subscription => ({
  streamId,
  url: `rtmp://media/${streamId}`,
  audio: true,
  video: true,
  small: false,
  audioMuted: false,
  videoMuted: false,
  ...extra,
});

export const joined = (extra: Partial<Extract<RoomEvent, { type: 'joined' }>> = {}): RoomEvent => ({
  type: 'joined',
  mode: 'joined',
  roomId: 'r1',
  sessionId: 's1',
  self: { userId: 'me', role: 'broadcaster', visible: true, publications: {} },
  peers: [],
  streams: [],
  subscriptions: [],
  attributes: {},
  ...extra,
});

export const reduceAll = (events: readonly RoomEvent[], from: RoomState = initialRoomState): RoomState =>
  events.reduce(reduceRoom, from);
