/**
 * reduceRoom checked by value: every field an event carries reaches the state, every no-op keeps
 * the very same state object. Found unchecked by mutation testing (`npm run mutate:reducer`).
 *
 * States are built only from RoomEvents and read only through the selectors, so these tests hold
 * whatever collection type RoomState uses for peers and streams.
 */
import { initialRoomState, type RoomState, type StreamDescriptor } from '../../src/streams/model';
import { reduceRoom } from '../../src/streams/reduce-room';
import type { RoomEvent } from '../../src/streams/room-event';
import {
  selectAttributes,
  selectConnection,
  selectPeer,
  selectPeerList,
  selectPublications,
  selectStream,
  selectStreamList,
  selectStreamsOfUser,
} from '../../src/streams/selectors';
import { RtcError } from '../../src/errors';
import { joined, peer, reduceAll, stream, subscription } from '../support/room-fixtures';

const inRoom = reduceAll([joined({ peers: [peer('bob')], streams: [stream('bob')] })]);
const streamIds = (s: RoomState) =>
  selectStreamList(s)
    .map((st) => st.id)
    .sort();
const peerIds = (s: RoomState) =>
  selectPeerList(s)
    .map((p) => p.userId)
    .sort();
const myStream = (extra: Partial<StreamDescriptor> = {}) => stream('me', extra);
const publishing = reduceAll(
  [{ type: 'published', publication: { stream: myStream(), url: 'rtmp://push/me' } }],
  inRoom,
);

describe('reduceRoom by value: sessions and connection', () => {
  it('resumed changes the session id, and a resume of the same session changes nothing', () => {
    const resumed = reduceRoom(inRoom, { type: 'resumed', sessionId: 's2' });
    expect(resumed.sessionId).toBe('s2');
    expect(resumed.roomId).toBe('r1');
    expect(streamIds(resumed)).toEqual(['bob:main']);
    expect(reduceRoom(resumed, { type: 'resumed', sessionId: 's2' })).toBe(resumed);
  });

  it('a connection state replaces the last one; the same object changes nothing', () => {
    const state = { status: 'reconnecting', attempt: 1, delay: 0 } as const;
    const s = reduceRoom(inRoom, { type: 'connection', state });
    expect(selectConnection(s)).toBe(state);
    expect(reduceRoom(s, { type: 'connection', state })).toBe(s);
  });

  it('joined keeps the connection, takes the self and drops its own peer and streams', () => {
    const connected = reduceRoom(initialRoomState, { type: 'connection', state: { status: 'connected' } });
    const s = reduceRoom(
      connected,
      joined({
        roomId: 'r9',
        sessionId: 's9',
        peers: [peer('me'), peer('bob', { visible: false })],
        streams: [stream('me'), stream('carol', { kind: 'screen' })],
        subscriptions: [subscription('carol:screen', { audio: false }), subscription('nobody:main')],
        attributes: { a: '1' },
      }),
    );
    expect(selectConnection(s)).toEqual({ status: 'connected' });
    expect(s.roomId).toBe('r9');
    expect(s.sessionId).toBe('s9');
    expect(s.self).toEqual({ userId: 'me', role: 'broadcaster', visible: true, publications: {} });
    expect(selectPeer('bob')(s)).toEqual(peer('bob', { visible: false }));
    // a stream's unknown owner comes with it, as a visible broadcaster
    expect(selectPeer('carol')(s)).toEqual({ userId: 'carol', role: 'broadcaster', visible: true });
    expect(selectPeer('me')(s)).toBeNull();
    expect(peerIds(s)).toEqual(['bob', 'carol']);
    expect(streamIds(s)).toEqual(['carol:screen']);
    expect(selectStream('carol:screen')(s)).toEqual({
      ...stream('carol', { kind: 'screen' }),
      subscription: subscription('carol:screen', { audio: false }),
    });
    expect(selectAttributes(s)).toEqual({ a: '1' });
  });

  it('joined keeps a listed peer as listed when it also owns a stream', () => {
    const s = reduceRoom(
      initialRoomState,
      joined({ peers: [peer('bob', { role: 'audience', visible: false })], streams: [stream('bob')] }),
    );
    expect(selectPeer('bob')(s)).toEqual(peer('bob', { role: 'audience', visible: false }));
    expect(streamIds(s)).toEqual(['bob:main']);
  });

  it.each([
    ['left', { type: 'left', reason: 'leave' }],
    ['kicked', { type: 'kicked', reason: 'banned' }],
  ] as [string, RoomEvent][])('%s before any join changes nothing', (_name, event) => {
    const s = reduceRoom(initialRoomState, { type: 'connection', state: { status: 'connected' } });
    expect(reduceRoom(s, event)).toBe(s);
  });

  it.each(['left', 'kicked'] as const)('%s clears the publications, peers and streams', (type) => {
    const left = reduceRoom(
      publishing,
      type === 'left' ? { type, reason: 'leave' } : { type, reason: 'banned' },
    );
    expect(left.self).toBeNull();
    expect(left.roomId).toBeNull();
    expect(selectStreamList(left)).toEqual([]);
    expect(selectPeerList(left)).toEqual([]);
  });
});

describe('reduceRoom by value: peers', () => {
  it.each([
    ['role', { role: 'audience' }],
    ['visible', { visible: false }],
    ['businessId', { businessId: 'vip' }],
  ] as const)('peer-updated that changes only %s is applied', (_field, change) => {
    const s = reduceRoom(inRoom, { type: 'peer-updated', peer: peer('bob', change) });
    expect(selectPeer('bob')(s)).toEqual(peer('bob', change));
    expect(streamIds(s)).toEqual(['bob:main']);
  });

  it('peer-joined and peer-updated of an equal peer change nothing', () => {
    expect(reduceRoom(inRoom, { type: 'peer-joined', peer: peer('bob') })).toBe(inRoom);
    expect(reduceRoom(inRoom, { type: 'peer-updated', peer: peer('bob') })).toBe(inRoom);
  });

  it('peers are ignored before a join and for oneself', () => {
    expect(reduceRoom(initialRoomState, { type: 'peer-joined', peer: peer('bob') })).toBe(initialRoomState);
    expect(reduceRoom(inRoom, { type: 'peer-joined', peer: peer('me') })).toBe(inRoom);
  });

  it('peer-left takes both streams of the peer and nothing else', () => {
    const s = reduceAll(
      [
        { type: 'stream-added', stream: stream('bob', { kind: 'screen' }) },
        { type: 'stream-added', stream: stream('carol') },
        { type: 'subscribed', subscription: subscription('carol:main') },
        { type: 'peer-left', userId: 'bob', reason: 'leave' },
      ],
      inRoom,
    );
    expect(peerIds(s)).toEqual(['carol']);
    expect(streamIds(s)).toEqual(['carol:main']);
    expect(selectStream('carol:main')(s)?.subscription).toEqual(subscription('carol:main'));
    expect(selectStreamsOfUser('bob')(s)).toEqual([]);
  });

  it('peer-left of an unknown peer changes nothing', () => {
    expect(reduceRoom(inRoom, { type: 'peer-left', userId: 'zed', reason: 'leave' })).toBe(inRoom);
  });
});

describe('reduceRoom by value: streams', () => {
  it.each([
    ['kind', { kind: 'screen' }],
    ['hasAudio', { hasAudio: false }],
    ['hasVideo', { hasVideo: false }],
    ['hasSmall', { hasSmall: true }],
    ['audioMuted', { audioMuted: true }],
    ['videoMuted', { videoMuted: true }],
  ] as const)('stream-updated that flips only %s is applied, keeping the subscription', (_field, change) => {
    const subscribed = reduceRoom(inRoom, { type: 'subscribed', subscription: subscription('bob:main') });
    const updated: StreamDescriptor = { ...stream('bob'), ...change, id: 'bob:main' };
    const s = reduceRoom(subscribed, { type: 'stream-updated', stream: updated });
    expect(s).not.toBe(subscribed);
    expect(selectStream('bob:main')(s)).toEqual({ ...updated, subscription: subscription('bob:main') });
  });

  it('stream-updated that moves a stream id to another owner brings that owner along', () => {
    const moved: StreamDescriptor = { ...stream('carol'), id: 'bob:main' };
    const s = reduceRoom(inRoom, { type: 'stream-updated', stream: moved });
    expect(selectStream('bob:main')(s)?.userId).toBe('carol');
    expect(peerIds(s)).toEqual(['bob', 'carol']);
  });

  it('a repeated stream-added or an unchanged stream-updated changes nothing', () => {
    expect(reduceRoom(inRoom, { type: 'stream-added', stream: stream('bob') })).toBe(inRoom);
    expect(reduceRoom(inRoom, { type: 'stream-updated', stream: stream('bob') })).toBe(inRoom);
  });

  it('stream-added copies only the descriptor and starts unsubscribed', () => {
    const extra = { ...stream('carol'), note: 'not a field' } as StreamDescriptor;
    const s = reduceRoom(inRoom, { type: 'stream-added', stream: extra });
    expect(selectStream('carol:main')(s)).toStrictEqual({ ...stream('carol'), subscription: null });
    expect(selectPeer('carol')(s)).toEqual({ userId: 'carol', role: 'broadcaster', visible: true });
  });

  it('streams are ignored before a join and for oneself', () => {
    expect(reduceRoom(initialRoomState, { type: 'stream-added', stream: stream('bob') })).toBe(
      initialRoomState,
    );
    expect(reduceRoom(inRoom, { type: 'stream-added', stream: stream('me') })).toBe(inRoom);
  });

  it('stream-added for a known peer keeps that peer as it is', () => {
    const s = reduceAll(
      [
        { type: 'peer-joined', peer: peer('carol', { role: 'audience', visible: false }) },
        { type: 'stream-added', stream: stream('carol') },
      ],
      inRoom,
    );
    expect(selectPeer('carol')(s)).toEqual(peer('carol', { role: 'audience', visible: false }));
  });

  it('stream-removed takes one stream; an unknown one changes nothing', () => {
    const two = reduceRoom(inRoom, { type: 'stream-added', stream: stream('bob', { kind: 'screen' }) });
    const s = reduceRoom(two, {
      type: 'stream-removed',
      streamId: 'bob:main',
      userId: 'bob',
      reason: 'failed',
    });
    expect(streamIds(s)).toEqual(['bob:screen']);
    expect(peerIds(s)).toEqual(['bob']);
    expect(reduceRoom(s, { type: 'stream-removed', streamId: 'x:main', userId: 'x', reason: 'failed' })).toBe(
      s,
    );
  });
});

describe('reduceRoom by value: subscriptions', () => {
  const subscribed = reduceRoom(inRoom, { type: 'subscribed', subscription: subscription('bob:main') });

  it('unsubscribed clears the subscription of a subscribed stream and keeps the stream', () => {
    expect(selectStream('bob:main')(subscribed)?.subscription).toEqual(subscription('bob:main'));
    const s = reduceRoom(subscribed, { type: 'unsubscribed', streamId: 'bob:main' });
    expect(selectStream('bob:main')(s)).toEqual({ ...stream('bob'), subscription: null });
    expect(reduceRoom(s, { type: 'unsubscribed', streamId: 'bob:main' })).toBe(s);
    expect(reduceRoom(s, { type: 'unsubscribed', streamId: 'zed:main' })).toBe(s);
  });

  it.each([
    ['url', { url: 'rtmp://other' }],
    ['audio', { audio: false }],
    ['video', { video: false }],
    ['small', { small: true }],
    ['audioMuted', { audioMuted: true }],
    ['videoMuted', { videoMuted: true }],
  ] as const)('remote-mute-changed that changes only %s is applied', (_field, change) => {
    const s = reduceRoom(subscribed, {
      type: 'remote-mute-changed',
      subscription: subscription('bob:main', change),
    });
    expect(selectStream('bob:main')(s)?.subscription).toEqual(subscription('bob:main', change));
  });

  it('an equal subscription changes nothing; one for an unknown stream is dropped', () => {
    expect(reduceRoom(subscribed, { type: 'subscribed', subscription: subscription('bob:main') })).toBe(
      subscribed,
    );
    expect(reduceRoom(subscribed, { type: 'subscribed', subscription: subscription('zed:main') })).toBe(
      subscribed,
    );
  });

  it('url-updated for play changes the subscription url, and only of a subscribed stream', () => {
    const s = reduceRoom(subscribed, {
      type: 'url-updated',
      streamId: 'bob:main',
      direction: 'play',
      url: 'u2',
    });
    expect(selectStream('bob:main')(s)?.subscription).toEqual(subscription('bob:main', { url: 'u2' }));
    expect(reduceRoom(s, { type: 'url-updated', streamId: 'bob:main', direction: 'play', url: 'u2' })).toBe(
      s,
    );
    expect(
      reduceRoom(inRoom, { type: 'url-updated', streamId: 'bob:main', direction: 'play', url: 'u' }),
    ).toBe(inRoom);
    // a play url never touches a publication of the same id
    const pub = reduceRoom(publishing, {
      type: 'url-updated',
      streamId: 'me:main',
      direction: 'play',
      url: 'x',
    });
    expect(pub).toBe(publishing);
  });
});

describe('reduceRoom by value: publications', () => {
  it('published records the descriptor and push url; the same again changes nothing', () => {
    expect(selectPublications(publishing)).toEqual([{ stream: myStream(), url: 'rtmp://push/me' }]);
    expect(
      reduceRoom(publishing, {
        type: 'published',
        publication: { stream: myStream(), url: 'rtmp://push/me' },
      }),
    ).toBe(publishing);
  });

  it('published again with another url or descriptor replaces the publication', () => {
    const moved = reduceRoom(publishing, {
      type: 'published',
      publication: { stream: myStream(), url: 'rtmp://push/2' },
    });
    expect(selectPublications(moved)).toEqual([{ stream: myStream(), url: 'rtmp://push/2' }]);
    const small = reduceRoom(publishing, {
      type: 'published',
      publication: { stream: myStream({ hasSmall: true }), url: 'rtmp://push/me' },
    });
    expect(selectPublications(small)).toEqual([
      { stream: myStream({ hasSmall: true }), url: 'rtmp://push/me' },
    ]);
  });

  it('published copies only the descriptor fields', () => {
    const extra = { ...myStream(), note: 'not a field' } as StreamDescriptor;
    const s = reduceRoom(inRoom, { type: 'published', publication: { stream: extra, url: 'p' } });
    expect(selectPublications(s)[0]).toStrictEqual({ stream: myStream(), url: 'p' });
  });

  it('local-mute-changed updates a publication and keeps its url; unknown ones change nothing', () => {
    const s = reduceRoom(publishing, { type: 'local-mute-changed', stream: myStream({ audioMuted: true }) });
    expect(selectPublications(s)).toEqual([
      { stream: myStream({ audioMuted: true }), url: 'rtmp://push/me' },
    ]);
    expect(reduceRoom(s, { type: 'local-mute-changed', stream: myStream({ audioMuted: true }) })).toBe(s);
    const screen = myStream({ kind: 'screen', audioMuted: true });
    expect(reduceRoom(s, { type: 'local-mute-changed', stream: screen })).toBe(s);
  });

  it('url-updated for push changes the publication url; same url, unknown id or no self change nothing', () => {
    const s = reduceRoom(publishing, {
      type: 'url-updated',
      streamId: 'me:main',
      direction: 'push',
      url: 'p2',
    });
    expect(selectPublications(s)).toEqual([{ stream: myStream(), url: 'p2' }]);
    expect(reduceRoom(s, { type: 'url-updated', streamId: 'me:main', direction: 'push', url: 'p2' })).toBe(s);
    expect(reduceRoom(s, { type: 'url-updated', streamId: 'me:screen', direction: 'push', url: 'p3' })).toBe(
      s,
    );
    expect(
      reduceRoom(initialRoomState, { type: 'url-updated', streamId: 'me:main', direction: 'push', url: 'p' }),
    ).toBe(initialRoomState);
  });

  it('unpublished removes one publication; unknown ids and no self change nothing', () => {
    const both = reduceRoom(publishing, {
      type: 'published',
      publication: { stream: myStream({ kind: 'screen' }), url: 'screen' },
    });
    const s = reduceRoom(both, { type: 'unpublished', streamId: 'me:main' });
    expect(selectPublications(s)).toEqual([{ stream: myStream({ kind: 'screen' }), url: 'screen' }]);
    expect(reduceRoom(s, { type: 'unpublished', streamId: 'me:main' })).toBe(s);
    expect(reduceRoom(initialRoomState, { type: 'unpublished', streamId: 'me:main' })).toBe(initialRoomState);
  });

  it('publication events need a self', () => {
    const published: RoomEvent = { type: 'published', publication: { stream: myStream(), url: 'p' } };
    expect(reduceRoom(initialRoomState, published)).toBe(initialRoomState);
    const muted: RoomEvent = { type: 'local-mute-changed', stream: myStream() };
    expect(reduceRoom(initialRoomState, muted)).toBe(initialRoomState);
  });
});

describe('reduceRoom by value: self-updated', () => {
  it('keeps the publications of a visible broadcaster whose business id changes', () => {
    const s = reduceRoom(publishing, {
      type: 'self-updated',
      role: 'broadcaster',
      visible: true,
      businessId: 'b',
    });
    expect(s.self?.businessId).toBe('b');
    expect(selectPublications(s)).toEqual([{ stream: myStream(), url: 'rtmp://push/me' }]);
  });

  it.each([
    ['becomes audience', 'audience', true],
    ['becomes invisible', 'broadcaster', false],
  ] as const)('drops the publications when the session %s', (_name, role, visible) => {
    const s = reduceRoom(publishing, { type: 'self-updated', role, visible });
    expect(s.self).toEqual({ userId: 'me', role, visible, publications: {} });
    expect(selectPublications(s)).toEqual([]);
  });

  it('an unchanged self changes nothing, with or without publications', () => {
    expect(reduceRoom(publishing, { type: 'self-updated', role: 'broadcaster', visible: true })).toBe(
      publishing,
    );
    expect(reduceRoom(inRoom, { type: 'self-updated', role: 'broadcaster', visible: true })).toBe(inRoom);
    const audience = reduceRoom(inRoom, { type: 'self-updated', role: 'audience', visible: true });
    expect(audience.self?.role).toBe('audience');
    expect(reduceRoom(audience, { type: 'self-updated', role: 'audience', visible: true })).toBe(audience);
  });

  it('an empty business id removes it', () => {
    const withId = reduceRoom(inRoom, {
      type: 'self-updated',
      role: 'broadcaster',
      visible: true,
      businessId: 'b',
    });
    const s = reduceRoom(withId, {
      type: 'self-updated',
      role: 'broadcaster',
      visible: true,
      businessId: '',
    });
    expect(s.self).toStrictEqual({ userId: 'me', role: 'broadcaster', visible: true, publications: {} });
  });

  it('drops publications made while not allowed to publish when told so again', () => {
    const audience = reduceRoom(inRoom, { type: 'self-updated', role: 'audience', visible: true });
    const published = reduceRoom(audience, {
      type: 'published',
      publication: { stream: myStream(), url: 'p' },
    });
    expect(selectPublications(published)).toHaveLength(1);
    const s = reduceRoom(published, { type: 'self-updated', role: 'audience', visible: true });
    expect(selectPublications(s)).toEqual([]);
  });

  it('changes the role or visibility alone', () => {
    const hidden = reduceRoom(inRoom, { type: 'self-updated', role: 'broadcaster', visible: false });
    expect(hidden.self).toEqual({ userId: 'me', role: 'broadcaster', visible: false, publications: {} });
    expect(reduceRoom(initialRoomState, { type: 'self-updated', role: 'audience', visible: true })).toBe(
      initialRoomState,
    );
  });
});

describe('reduceRoom by value: attributes', () => {
  const withAttrs = reduceAll([joined({ attributes: { a: '1', b: '2' } })]);

  it('attributes-changed sets and deletes keys; no change keeps the state', () => {
    const s = reduceRoom(withAttrs, {
      type: 'attributes-changed',
      set: { c: '3', a: '9' },
      deleted: ['b'],
      by: 'x',
    });
    expect(selectAttributes(s)).toEqual({ a: '9', c: '3' });
    expect(reduceRoom(s, { type: 'attributes-changed', set: { a: '9' }, deleted: ['zz'], by: 'x' })).toBe(s);
  });

  it('attributes-loaded without keys replaces all attributes', () => {
    const s = reduceRoom(withAttrs, { type: 'attributes-loaded', attributes: { z: '26' } });
    expect(selectAttributes(s)).toEqual({ z: '26' });
  });

  it('attributes-loaded with keys refreshes only those keys, dropping the ones not returned', () => {
    const s = reduceRoom(withAttrs, { type: 'attributes-loaded', attributes: { a: '7' }, keys: ['a', 'b'] });
    expect(selectAttributes(s)).toEqual({ a: '7' });
    const kept = reduceRoom(withAttrs, { type: 'attributes-loaded', attributes: {}, keys: ['q'] });
    expect(selectAttributes(kept)).toEqual({ a: '1', b: '2' });
  });

  it('attributes-loaded before a join changes nothing', () => {
    expect(reduceRoom(initialRoomState, { type: 'attributes-loaded', attributes: { a: '1' } })).toBe(
      initialRoomState,
    );
  });
});

describe('reduceRoom by value: events that carry no state', () => {
  it.each<RoomEvent>([
    { type: 'stream-failed', streamId: 'bob:main', direction: 'play', reason: 'x' },
    { type: 'message', from: 'bob', name: 'n', content: 'c', private: false },
    { type: 'seq-gap', expected: 2, received: 5 },
    { type: 'native', event: { type: 'player-volume', streamId: 'bob:main', volume: 40 } },
    { type: 'error', error: new RtcError('TIMEOUT', 'x'), source: 'protocol' },
    {
      type: 'media-recovery',
      action: 'restart-play',
      streamId: 'bob:main',
      attempt: 1,
      delay: 0,
      outcome: 'scheduled',
    },
  ])('$type keeps the state', (event) => {
    expect(reduceRoom(inRoom, event)).toBe(inRoom);
  });
});

describe('reduceRoom by value: the per-user stream index (tagged streams, owners, media)', () => {
  const two = reduceAll(
    [
      { type: 'stream-added', stream: stream('bob', { id: 'bob:slides', tag: 'slides' }) },
      { type: 'stream-added', stream: stream('bob', { id: 'bob:cam2', tag: 'cam2' }) },
    ],
    inRoom,
  );
  const ofUser = (s: RoomState, user: string) =>
    selectStreamsOfUser(user)(s)
      .map((st) => st.id)
      .sort();

  it('removing one of a user’s streams keeps the others, and peer-left drops the rest', () => {
    expect(ofUser(two, 'bob')).toEqual(['bob:cam2', 'bob:main', 'bob:slides']);
    const less = reduceRoom(two, {
      type: 'stream-removed',
      streamId: 'bob:slides',
      userId: 'bob',
      reason: 'unpublished',
    });
    expect(ofUser(less, 'bob')).toEqual(['bob:cam2', 'bob:main']);
    expect(streamIds(less)).toEqual(['bob:cam2', 'bob:main']);
    // Removing what is not there changes nothing.
    expect(
      reduceRoom(less, {
        type: 'stream-removed',
        streamId: 'bob:slides',
        userId: 'bob',
        reason: 'unpublished',
      }),
    ).toBe(less);
    const last = reduceAll(
      [
        { type: 'stream-removed', streamId: 'bob:cam2', userId: 'bob', reason: 'unpublished' },
        { type: 'stream-removed', streamId: 'bob:main', userId: 'bob', reason: 'unpublished' },
      ],
      less,
    );
    expect(ofUser(last, 'bob')).toEqual([]);
    expect(last.userStreams.has('bob')).toBe(false);
    expect(selectPeer('bob')(last)).not.toBeNull(); // the peer stays: only streams went
    const gone = reduceRoom(two, { type: 'peer-left', userId: 'bob', reason: 'leave' });
    expect(streamIds(gone)).toEqual([]);
    expect(gone.userStreams.size).toBe(0);
  });

  it('a stream announced again under another owner moves in the index', () => {
    const moved = reduceRoom(two, {
      type: 'stream-updated',
      stream: stream('carol', { id: 'bob:cam2', tag: 'cam2' }),
    });
    expect(selectStream('bob:cam2')(moved)?.userId).toBe('carol');
    expect(ofUser(moved, 'bob')).toEqual(['bob:main', 'bob:slides']);
    expect(ofUser(moved, 'carol')).toEqual(['bob:cam2']);
    expect(selectPeer('carol')(moved)).not.toBeNull();
  });

  it('a stream-updated that changes only the tag or only the media state is applied', () => {
    const live = reduceRoom(two, {
      type: 'stream-updated',
      stream: stream('bob', { id: 'bob:cam2', tag: 'cam2', media: 'live' }),
    });
    expect(selectStream('bob:cam2')(live)?.media).toBe('live');
    const lost = reduceRoom(live, {
      type: 'stream-updated',
      stream: stream('bob', { id: 'bob:cam2', tag: 'cam2', media: 'lost' }),
    });
    expect(selectStream('bob:cam2')(lost)?.media).toBe('lost');
    const retagged = reduceRoom(lost, {
      type: 'stream-updated',
      stream: stream('bob', { id: 'bob:cam2', tag: 'cam3', media: 'lost' }),
    });
    expect(selectStream('bob:cam2')(retagged)?.tag).toBe('cam3');
    expect(
      reduceRoom(retagged, {
        type: 'stream-updated',
        stream: stream('bob', { id: 'bob:cam2', tag: 'cam3', media: 'lost' }),
      }),
    ).toBe(retagged);
  });

  it('a snapshot keeps the tag and media state of its streams, and indexes them by owner', () => {
    const s = reduceRoom(
      initialRoomState,
      joined({
        streams: [stream('bob', { id: 'bob:slides', tag: 'slides', media: 'pending' }), stream('bob')],
      }),
    );
    expect(selectStream('bob:slides')(s)).toMatchObject({ tag: 'slides', media: 'pending' });
    expect(selectStream('bob:main')(s)?.tag).toBeUndefined();
    expect(selectStream('bob:main')(s)?.media).toBeUndefined();
    expect(ofUser(s, 'bob')).toEqual(['bob:main', 'bob:slides']);
  });
});
