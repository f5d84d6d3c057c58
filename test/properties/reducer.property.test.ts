/**
 * Property tests of reduceRoom: for random event sequences, including the duplicates and
 * reorderings a network causes, the room stays consistent and reducing stays deterministic.
 */
import fc from 'fast-check';
import { initialRoomState, type RoomState, type StreamDescriptor } from '../../src/streams/model';
import { reduceRoom } from '../../src/streams/reduce-room';
import type { RoomEvent } from '../../src/streams/room-event';

const users = ['me', 'ann', 'bob', 'cat', 'dan'] as const;
const user = fc.constantFrom(...users);
const kind = fc.constantFrom('main' as const, 'screen' as const);
const streamId = fc.tuple(user, kind).map(([u, k]) => `${u}:${k}`);
const role = fc.constantFrom('broadcaster' as const, 'audience' as const);
const peer = fc.record({ userId: user, role, visible: fc.constant(true) });
const descriptor: fc.Arbitrary<StreamDescriptor> = fc
  .record({
    u: user,
    kind,
    hasAudio: fc.boolean(),
    hasVideo: fc.boolean(),
    hasSmall: fc.boolean(),
    audioMuted: fc.boolean(),
    videoMuted: fc.boolean(),
  })
  .map(({ u, ...rest }) => ({ id: `${u}:${rest.kind}`, userId: u, ...rest }));
const subscription = fc.record({
  streamId,
  url: fc.constantFrom('rtmp://a', 'rtmp://b'),
  audio: fc.boolean(),
  video: fc.boolean(),
  small: fc.boolean(),
  audioMuted: fc.boolean(),
  videoMuted: fc.boolean(),
});
const attrs = fc.dictionary(fc.constantFrom('k1', 'k2', 'k3'), fc.constantFrom('x', 'y'), { maxKeys: 3 });

const event: fc.Arbitrary<RoomEvent> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .record({
        peers: fc.array(peer, { maxLength: 4 }),
        streams: fc.array(descriptor, { maxLength: 5 }),
        subscriptions: fc.array(subscription, { maxLength: 3 }),
        attributes: attrs,
        mode: fc.constantFrom('joined' as const, 'snapshot' as const, 'rejoined' as const),
      })
      .map((j) => ({
        type: 'joined' as const,
        roomId: 'r',
        sessionId: 's',
        self: { userId: 'me', role: 'broadcaster' as const, visible: true, publications: {} },
        ...j,
      })),
  },
  { weight: 4, arbitrary: peer.map((p) => ({ type: 'peer-joined' as const, peer: p })) },
  {
    weight: 3,
    arbitrary: user.map((u) => ({ type: 'peer-left' as const, userId: u, reason: 'leave' as const })),
  },
  { weight: 2, arbitrary: peer.map((p) => ({ type: 'peer-updated' as const, peer: p })) },
  { weight: 4, arbitrary: descriptor.map((s) => ({ type: 'stream-added' as const, stream: s })) },
  { weight: 2, arbitrary: descriptor.map((s) => ({ type: 'stream-updated' as const, stream: s })) },
  {
    weight: 3,
    arbitrary: streamId.map((id) => ({
      type: 'stream-removed' as const,
      streamId: id,
      userId: id.split(':')[0]!,
      reason: 'unpublished' as const,
    })),
  },
  { weight: 3, arbitrary: subscription.map((s) => ({ type: 'subscribed' as const, subscription: s })) },
  { weight: 2, arbitrary: streamId.map((id) => ({ type: 'unsubscribed' as const, streamId: id })) },
  {
    weight: 1,
    arbitrary: subscription.map((s) => ({ type: 'remote-mute-changed' as const, subscription: s })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(streamId, fc.constantFrom('push' as const, 'play' as const))
      .map(([id, direction]) => ({
        type: 'url-updated' as const,
        streamId: id,
        direction,
        url: 'rtmp://new',
      })),
  },
  {
    weight: 2,
    arbitrary: kind.map((k) => ({
      type: 'published' as const,
      publication: {
        stream: {
          id: `me:${k}`,
          userId: 'me',
          kind: k,
          hasAudio: true,
          hasVideo: true,
          hasSmall: false,
          audioMuted: false,
          videoMuted: false,
        },
        url: 'rtmp://push',
      },
    })),
  },
  { weight: 1, arbitrary: kind.map((k) => ({ type: 'unpublished' as const, streamId: `me:${k}` })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ role, visible: fc.boolean() })
      .map((c) => ({ type: 'self-updated' as const, ...c })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ set: attrs, deleted: fc.array(fc.constantFrom('k1', 'k2', 'k3'), { maxLength: 2 }) })
      .map((c) => ({ type: 'attributes-changed' as const, by: 'bob', ...c })),
  },
  { weight: 1, arbitrary: attrs.map((a) => ({ type: 'attributes-loaded' as const, attributes: a })) },
  { weight: 1, arbitrary: fc.constant({ type: 'left' as const, reason: 'leave' as const }) },
  {
    weight: 1,
    arbitrary: fc.constant({
      type: 'connection' as const,
      state: { status: 'reconnecting' as const, attempt: 1, delay: 0 },
    }),
  },
);

/** A sequence as a network delivers it: some events repeated, some neighbours swapped. */
const delivered = fc
  .tuple(
    fc.array(event, { maxLength: 60 }),
    fc.array(fc.nat(), { maxLength: 10 }),
    fc.array(fc.nat(), { maxLength: 10 }),
  )
  .map(([events, dupes, swaps]) => {
    const out = [...events];
    for (const d of dupes) if (out.length) out.splice(d % out.length, 0, out[d % out.length]!);
    for (const s of swaps) {
      if (out.length < 2) break;
      const i = s % (out.length - 1);
      [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
    }
    return out;
  });

function checkInvariants(s: RoomState): void {
  const self = s.self?.userId;
  for (const [id, p] of [...s.peers.entries()]) {
    expect(p.userId).toBe(id);
    expect(id).not.toBe(self);
  }
  for (const [id, st] of [...s.streams.entries()]) {
    expect(st.id).toBe(id);
    expect(id.startsWith(`${st.userId}:`)).toBe(true);
    expect(s.peers.get(st.userId)).toBeDefined(); // no stream without its peer
    expect(st.userId).not.toBe(self);
    if (st.subscription) expect(st.subscription.streamId).toBe(id); // subscription only on its stream
  }
  // The per-user index names exactly the streams of the room.
  const indexed = [...s.userStreams.entries()].flatMap(([user, ids]) => {
    expect(ids.length).toBeGreaterThan(0);
    return ids.map((id) => `${user}/${id}`);
  });
  expect(indexed.sort()).toEqual([...s.streams.values()].map((st) => `${st.userId}/${st.id}`).sort());
  for (const [id, pub] of Object.entries(s.self?.publications ?? {})) {
    expect(pub.stream.id).toBe(id);
    expect(pub.stream.userId).toBe(self);
  }
  if (!s.roomId) {
    expect(s.peers.size).toBe(0);
    expect(s.streams.size).toBe(0);
    expect(s.self).toBeNull();
  }
}

describe('reduceRoom properties', () => {
  it('keeps the room consistent after every event of any delivered sequence', () => {
    fc.assert(
      fc.property(delivered, (events) => {
        let s = initialRoomState;
        for (const e of events) {
          s = reduceRoom(s, e);
          checkInvariants(s);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('is deterministic and pure: the same events give equal states and inputs are not mutated', () => {
    fc.assert(
      fc.property(delivered, (events) => {
        const frozen = JSON.stringify(events);
        const a = events.reduce(reduceRoom, initialRoomState);
        const b = events.reduce(reduceRoom, initialRoomState);
        expect(a).toEqual(b);
        expect(JSON.stringify(events)).toBe(frozen);
      }),
      { numRuns: 500 },
    );
  });

  it('applying any event twice gives the state of applying it once', () => {
    fc.assert(
      fc.property(delivered, event, (events, e) => {
        const s = events.reduce(reduceRoom, initialRoomState);
        const once = reduceRoom(s, e);
        expect(reduceRoom(once, e)).toEqual(once);
      }),
      { numRuns: 1500 },
    );
  });
});
