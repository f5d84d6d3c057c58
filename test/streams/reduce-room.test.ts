import { initialRoomState, type RoomState } from '../../src/streams/model';
import { reduceRoom } from '../../src/streams/reduce-room';
import type { RoomEvent } from '../../src/streams/room-event';
import { RtcError } from '../../src/errors';
import { joined, peer, reduceAll, stream, subscription } from '../support/room-fixtures';

const inRoom = reduceAll([joined({ peers: [peer('bob')], streams: [stream('bob')] })]);

describe('reduceRoom: joining and leaving', () => {
  it('takes the whole picture from joined', () => {
    const s = reduceAll([
      joined({
        peers: [peer('bob'), peer('carol', { role: 'audience', businessId: 'vip' })],
        streams: [stream('bob'), stream('bob', { kind: 'screen', hasAudio: false })],
        subscriptions: [subscription('bob:main', { small: true })],
        attributes: { topic: 'maths' },
      }),
    ]);
    expect(s.roomId).toBe('r1');
    expect(s.sessionId).toBe('s1');
    expect([...s.peers.keys()].sort()).toEqual(['bob', 'carol']);
    expect(s.peers.get('carol')).toEqual(peer('carol', { role: 'audience', businessId: 'vip' }));
    expect(s.streams.get('bob:main')?.subscription).toEqual(subscription('bob:main', { small: true }));
    expect(s.streams.get('bob:screen')?.subscription).toBeNull();
    expect(s.attributes).toEqual({ topic: 'maths' });
  });

  it('replaces, not merges, on a later snapshot: vanished streams go, new ones come, once each', () => {
    const before = reduceAll(
      [
        { type: 'stream-added', stream: stream('carol') },
        { type: 'subscribed', subscription: subscription('bob:main') },
      ],
      inRoom,
    );
    const after = reduceRoom(
      before,
      joined({
        mode: 'rejoined',
        sessionId: 's2',
        peers: [peer('bob'), peer('dave')],
        streams: [stream('dave')],
      }),
    );
    expect([...after.streams.keys()]).toEqual(['dave:main']);
    expect([...after.peers.keys()].sort()).toEqual(['bob', 'dave']);
    expect(after.sessionId).toBe('s2');
  });

  it('never lists itself as a peer or a remote stream', () => {
    const s = reduceAll([
      joined({ peers: [peer('me'), peer('bob')], streams: [stream('me')] }),
      { type: 'peer-joined', peer: peer('me') },
      { type: 'stream-added', stream: stream('me') },
    ]);
    expect([...s.peers.keys()]).toEqual(['bob']);
    expect(s.streams.size).toBe(0);
  });

  it.each(['left', 'kicked'] as const)('%s clears the room but keeps the connection state', (type) => {
    const connected = reduceRoom(inRoom, {
      type: 'connection',
      state: { status: 'kicked', kickReason: 'banned' },
    });
    const event: RoomEvent = type === 'left' ? { type, reason: 'leave' } : { type, reason: 'banned' };
    const s = reduceRoom(connected, event);
    expect(s).toEqual({ ...initialRoomState, connection: { status: 'kicked', kickReason: 'banned' } });
    expect(reduceRoom(s, event)).toBe(s);
  });

  it('records resumed sessions and connection states', () => {
    const s = reduceAll(
      [
        { type: 'connection', state: { status: 'reconnecting', attempt: 2, delay: 300 } },
        { type: 'resumed', sessionId: 's1' },
      ],
      inRoom,
    );
    expect(s.connection).toEqual({ status: 'reconnecting', attempt: 2, delay: 300 });
    expect(s.sessionId).toBe('s1');
  });
});

describe('reduceRoom: peers and streams', () => {
  it('adds and removes peers; removing a peer removes its streams', () => {
    const s = reduceAll(
      [
        { type: 'peer-joined', peer: peer('carol') },
        { type: 'stream-added', stream: stream('carol') },
        { type: 'peer-left', userId: 'bob', reason: 'leave' },
      ],
      inRoom,
    );
    expect([...s.peers.keys()]).toEqual(['carol']);
    expect([...s.streams.keys()]).toEqual(['carol:main']);
  });

  it('updates a peer', () => {
    const s = reduceRoom(inRoom, { type: 'peer-updated', peer: peer('bob', { role: 'audience' }) });
    expect(s.peers.get('bob')?.role).toBe('audience');
  });

  it('marks a peer reconnecting and back; an update keeps the mark; a repeat changes nothing; peer-left ends it', () => {
    const away = reduceRoom(inRoom, { type: 'peer-reconnecting', userId: 'bob' });
    expect(away.peers.get('bob')).toEqual(peer('bob', { reconnecting: true }));
    expect(away.streams.get('bob:main')).toBeDefined();
    expect(reduceRoom(away, { type: 'peer-reconnecting', userId: 'bob' })).toBe(away);
    const updated = reduceRoom(away, { type: 'peer-updated', peer: peer('bob', { role: 'audience' }) });
    expect(updated.peers.get('bob')).toEqual(peer('bob', { role: 'audience', reconnecting: true }));
    const back = reduceRoom(updated, { type: 'peer-reconnected', userId: 'bob' });
    expect(back.peers.get('bob')).toEqual(peer('bob', { role: 'audience' }));
    expect(reduceRoom(back, { type: 'peer-reconnected', userId: 'bob' })).toBe(back);
    expect(reduceRoom(inRoom, { type: 'peer-reconnecting', userId: 'nobody' })).toBe(inRoom);
    const gone = reduceRoom(away, { type: 'peer-left', userId: 'bob', reason: 'timeout' });
    expect(gone.peers.has('bob')).toBe(false);
    expect(gone.streams.has('bob:main')).toBe(false);
    // A snapshot taken during the grace window says so.
    const snap = reduceAll([joined({ peers: [peer('bob', { reconnecting: true })] })]);
    expect(snap.peers.get('bob')?.reconnecting).toBe(true);
  });

  it('keeps the subscription when a stream is updated (mute bits)', () => {
    const s = reduceAll(
      [
        { type: 'subscribed', subscription: subscription('bob:main') },
        { type: 'stream-updated', stream: stream('bob', { audioMuted: true }) },
      ],
      inRoom,
    );
    expect(s.streams.get('bob:main')?.audioMuted).toBe(true);
    expect(s.streams.get('bob:main')?.subscription).toEqual(subscription('bob:main'));
  });

  it('removes a stream and with it the subscription', () => {
    const s = reduceAll(
      [
        { type: 'subscribed', subscription: subscription('bob:main') },
        { type: 'stream-removed', streamId: 'bob:main', userId: 'bob', reason: 'unpublished' },
      ],
      inRoom,
    );
    expect(s.streams.size).toBe(0);
  });

  it('updates play URLs of subscriptions and push URLs of publications', () => {
    const s = reduceAll(
      [
        { type: 'subscribed', subscription: subscription('bob:main') },
        { type: 'published', publication: { stream: stream('me'), url: 'rtmp://push/1' } },
        { type: 'url-updated', streamId: 'bob:main', direction: 'play', url: 'rtmp://play/2' },
        { type: 'url-updated', streamId: 'me:main', direction: 'push', url: 'rtmp://push/2' },
      ],
      inRoom,
    );
    expect(s.streams.get('bob:main')?.subscription?.url).toBe('rtmp://play/2');
    expect(s.self?.publications['me:main']?.url).toBe('rtmp://push/2');
  });
});

describe('reduceRoom: the network duplicates', () => {
  const events: RoomEvent[] = [
    { type: 'peer-joined', peer: peer('carol') },
    { type: 'stream-added', stream: stream('carol') },
    { type: 'stream-updated', stream: stream('carol', { videoMuted: true }) },
    { type: 'subscribed', subscription: subscription('carol:main') },
    { type: 'attributes-changed', set: { a: '1' }, deleted: [], by: 'carol' },
    { type: 'published', publication: { stream: stream('me'), url: 'u' } },
    { type: 'local-mute-changed', stream: stream('me', { audioMuted: true }) },
    { type: 'remote-mute-changed', subscription: subscription('carol:main', { audioMuted: true }) },
    { type: 'stream-removed', streamId: 'bob:main', userId: 'bob', reason: 'unpublished' },
    { type: 'peer-left', userId: 'bob', reason: 'leave' },
    { type: 'unsubscribed', streamId: 'carol:main' },
    { type: 'unpublished', streamId: 'me:main' },
    { type: 'self-updated', role: 'broadcaster', visible: true, businessId: 'b' },
  ];

  it.each(events.map((e) => [e.type, e] as const))(
    '%s twice is the same as once, and returns the same object',
    (_t, e) => {
      const once = reduceRoom(inRoom, e);
      const twice = reduceRoom(once, e);
      expect(twice).toEqual(once);
      expect(twice).toBe(once);
    },
  );

  it('a repeated stream-added does not duplicate the stream', () => {
    const s = reduceAll(
      [
        { type: 'stream-added', stream: stream('bob') },
        { type: 'stream-added', stream: stream('bob') },
      ],
      inRoom,
    );
    expect([...s.streams.keys()]).toEqual(['bob:main']);
    expect(s).toBe(inRoom);
  });
});

describe('reduceRoom: the network reorders', () => {
  it('a stream before its peer brings the peer along (no stream without its peer)', () => {
    const s = reduceRoom(inRoom, { type: 'stream-added', stream: stream('zoe') });
    expect(s.peers.get('zoe')).toEqual(peer('zoe'));
    const withPeer = reduceRoom(s, { type: 'peer-joined', peer: peer('zoe', { businessId: 'x' }) });
    expect(withPeer.peers.get('zoe')?.businessId).toBe('x');
  });

  it('a leave before the join leaves nothing behind', () => {
    const s = reduceAll(
      [
        { type: 'peer-left', userId: 'zoe', reason: 'leave' },
        { type: 'stream-removed', streamId: 'zoe:main', userId: 'zoe', reason: 'peer-left' },
      ],
      inRoom,
    );
    expect(s).toBe(inRoom);
  });

  it('a subscription for a stream it does not know is dropped (no subscription without its stream)', () => {
    const s = reduceAll(
      [
        { type: 'subscribed', subscription: subscription('ghost:main') },
        { type: 'remote-mute-changed', subscription: subscription('ghost:main') },
        { type: 'url-updated', streamId: 'ghost:main', direction: 'play', url: 'x' },
      ],
      inRoom,
    );
    expect(s).toBe(inRoom);
  });

  it('room events before any join change nothing', () => {
    const events: RoomEvent[] = [
      { type: 'peer-joined', peer: peer('bob') },
      { type: 'stream-added', stream: stream('bob') },
      { type: 'published', publication: { stream: stream('me'), url: 'u' } },
      { type: 'self-updated', role: 'audience', visible: true },
      { type: 'attributes-loaded', attributes: { a: '1' } },
    ];
    expect(reduceAll(events)).toBe(initialRoomState);
  });
});

describe('reduceRoom: self', () => {
  const publishing = reduceRoom(inRoom, {
    type: 'published',
    publication: { stream: stream('me'), url: 'rtmp://push' },
  });

  it('keeps publications and their mute bits', () => {
    const s = reduceRoom(publishing, {
      type: 'local-mute-changed',
      stream: stream('me', { audioMuted: true }),
    });
    expect(s.self?.publications['me:main']).toEqual({
      stream: stream('me', { audioMuted: true }),
      url: 'rtmp://push',
    });
    expect(reduceRoom(s, { type: 'unpublished', streamId: 'me:main' }).self?.publications).toEqual({});
  });

  it('a mute for a stream it does not publish changes nothing', () => {
    expect(
      reduceRoom(inRoom, { type: 'local-mute-changed', stream: stream('me', { audioMuted: true }) }),
    ).toBe(inRoom);
  });

  it.each([
    ['audience', { role: 'audience' as const, visible: true }],
    ['invisible', { role: 'broadcaster' as const, visible: false }],
  ])('becoming %s drops the publications, as the server does', (_name, change) => {
    const s = reduceRoom(publishing, { type: 'self-updated', ...change });
    expect(s.self).toEqual({ userId: 'me', ...change, publications: {} });
  });
});

describe('reduceRoom: attributes', () => {
  it('applies set and delete', () => {
    const s = reduceAll(
      [
        { type: 'attributes-changed', set: { a: '1', b: '2' }, deleted: [], by: 'bob' },
        { type: 'attributes-changed', set: { c: '3' }, deleted: ['a'], by: 'bob' },
      ],
      inRoom,
    );
    expect(s.attributes).toEqual({ b: '2', c: '3' });
  });

  it('takes loaded values as the truth: all of them, or the keys asked for', () => {
    const s: RoomState = reduceAll(
      [
        { type: 'attributes-changed', set: { a: '1', b: '2' }, deleted: [], by: 'bob' },
        { type: 'attributes-loaded', attributes: { a: '9' }, keys: ['a', 'b'] },
      ],
      inRoom,
    );
    expect(s.attributes).toEqual({ a: '9' });
    expect(reduceRoom(s, { type: 'attributes-loaded', attributes: { z: '1' } }).attributes).toEqual({
      z: '1',
    });
  });
});

describe('reduceRoom: events that do not change state', () => {
  it.each<RoomEvent>([
    { type: 'message', from: 'bob', name: 'chat', content: 'hi', private: false },
    { type: 'stream-failed', streamId: 'bob:main', direction: 'play', reason: 'x' },
    { type: 'seq-gap', expected: 3, received: 5 },
    { type: 'error', error: new RtcError('INTERNAL', 'x'), source: 'protocol' },
  ])('$type returns the same state', (e) => {
    expect(reduceRoom(inRoom, e)).toBe(inRoom);
  });
});
