/**
 * The requests of a joined session (docs/protocol.md §5) and the pushes they cause (§6), each
 * with its success and failure paths, between several real clients.
 */
import { LIMITS } from '../../src/protocol';
import type { RunningServer } from '../../server';
import { Client, closeClients, http, startTestServer } from './support';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({
    maxPublishers: 2,
    maxVisible: 4,
    adminSecret: 'admin',
    pushTemplate: 'rtmp://push.example/{room}/{stream}?k={kind}&u={user}&t={token}',
    playTemplate: 'https://play.example/{room}/{stream}.flv',
  });
});
afterEach(closeClients);
afterAll(() => server.close());

let roomCounter = 0;
const room = () => `req-${++roomCounter}`;

/** alice (publishing main) and bob, both joined to a fresh room. */
async function aliceAndBob() {
  const r = room();
  const { client: alice } = await Client.join(server, r, 'alice');
  const { client: bob } = await Client.join(server, r, 'bob');
  await alice.next('peer-joined');
  return { r, alice, bob };
}

describe('publish', () => {
  it('returns the publication with a push URL from the template; others get stream-added', async () => {
    const { r, alice, bob } = await aliceAndBob();
    const pub = await alice.ok('publish', { audio: true, video: false, small: true });
    expect(pub.stream).toEqual({
      id: 'alice:main',
      user: 'alice',
      kind: 'main',
      audio: true,
      video: false,
      small: true,
      audioMuted: false,
      videoMuted: false,
    });
    expect(pub.url).toMatch(
      new RegExp(
        `^rtmp://push\\.example/${r}/alice_main\\?k=main&u=alice&t=[0-9a-z]+\\.push\\.[\\w-]+\\.[\\w-]+$`,
      ),
    );
    expect((await bob.next('stream-added')).stream).toEqual(pub.stream);
    await alice.sync();
    expect(alice.pushTypes()).toEqual(['peer-joined']);
  });

  it('publishes main and screen separately; ALREADY_PUBLISHED for a kind twice', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    const screen = await alice.ok('publish', { kind: 'screen', audio: false, video: true });
    expect(screen.stream.id).toBe('alice:screen');
    expect((await alice.fail('publish', { kind: 'screen', audio: false, video: true })).code).toBe(
      'ALREADY_PUBLISHED',
    );
    await bob.next('stream-added', (p) => p.stream.id === 'alice:screen');
  });

  it('publishes streams under custom tags as user:tag, apart from main; at most maxStreamsPerUser; all go with the peer', async () => {
    const { r, alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    const lecture = await alice.ok('publish', { tag: 'lecture', audio: false, video: true });
    expect(lecture.stream).toMatchObject({ id: 'alice:lecture', kind: 'main', tag: 'lecture' });
    expect(lecture.url).toContain(`/${r}/alice_lecture?k=main`);
    expect((await alice.fail('publish', { tag: 'lecture', audio: true, video: true })).code).toBe(
      'ALREADY_PUBLISHED',
    );
    await bob.next('stream-added', (p) => p.stream.id === 'alice:lecture');
    const sub = await bob.ok('subscribe', { stream: 'alice:lecture' });
    expect(sub.url).toBe(`https://play.example/${r}/alice_lecture.flv`);
    for (let i = 2; i < LIMITS.maxStreamsPerUser; i++)
      await alice.ok('publish', { tag: `cam-${i}`, audio: false, video: true });
    expect((await alice.fail('publish', { tag: 'one-more', audio: false, video: true })).code).toBe(
      'PUBLISHER_LIMIT',
    );
    await alice.ok('unpublish', { stream: 'alice:lecture' });
    expect(await bob.next('stream-removed', (p) => p.stream === 'alice:lecture')).toMatchObject({
      reason: 'unpublished',
    });
    await alice.ok('leave', {});
    const gone: string[] = [];
    for (let i = 0; i < LIMITS.maxStreamsPerUser - 1; i++)
      gone.push((await bob.next('stream-removed')).stream);
    expect(gone.sort()).toEqual(
      [
        'alice:main',
        ...Array.from({ length: LIMITS.maxStreamsPerUser - 2 }, (_, i) => `alice:cam-${i + 2}`),
      ].sort(),
    );
  });

  it('refuses INVALID_FRAME when neither audio nor video is sent', async () => {
    const { alice } = await aliceAndBob();
    expect((await alice.fail('publish', { audio: false, video: false })).code).toBe('INVALID_FRAME');
  });

  it('refuses NOT_ALLOWED with a subscribe-only token', async () => {
    const { client } = await Client.join(server, room(), 'viewer', {}, { publish: false });
    const error = await client.fail('publish', { audio: true, video: true });
    expect(error).toEqual({ code: 'NOT_ALLOWED', reason: expect.stringMatching(/publish/) });
  });

  it('refuses NOT_ALLOWED for the audience role and for invisible sessions', async () => {
    const r = room();
    const { client: audience } = await Client.join(server, r, 'aud', { role: 'audience' });
    expect((await audience.fail('publish', { audio: true, video: true })).code).toBe('NOT_ALLOWED');
    const { client: ghost } = await Client.join(server, r, 'ghost', { visible: false });
    expect((await ghost.fail('publish', { audio: true, video: true })).code).toBe('NOT_ALLOWED');
  });

  it('refuses PUBLISHER_LIMIT above maxPublishers publishing sessions, and frees the slot on unpublish', async () => {
    const r = room();
    const { client: a } = await Client.join(server, r, 'a');
    const { client: b } = await Client.join(server, r, 'b');
    const { client: c } = await Client.join(server, r, 'c');
    await a.ok('publish', { audio: true, video: true });
    await b.ok('publish', { audio: true, video: true });
    // A publisher adding a second stream is not a new publisher.
    await b.ok('publish', { kind: 'screen', audio: false, video: true });
    expect((await c.fail('publish', { audio: true, video: true })).code).toBe('PUBLISHER_LIMIT');
    await a.ok('unpublish', { stream: 'a:main' });
    await c.ok('publish', { audio: true, video: true });
  });
});

describe('unpublish', () => {
  it('removes the stream: others get stream-removed (unpublished) and lose their subscription', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    await bob.next('stream-added');
    await bob.ok('subscribe', { stream: 'alice:main' });
    expect(await alice.ok('unpublish', { stream: 'alice:main' })).toEqual({});
    expect(await bob.next('stream-removed')).toMatchObject({
      stream: 'alice:main',
      user: 'alice',
      reason: 'unpublished',
    });
    expect((await bob.fail('mute-remote', { stream: 'alice:main', audio: true })).code).toBe(
      'NOT_SUBSCRIBED',
    );
  });

  it("refuses NOT_PUBLISHED for someone else's stream or one not published", async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    expect((await bob.fail('unpublish', { stream: 'alice:main' })).code).toBe('NOT_PUBLISHED');
    expect((await alice.fail('unpublish', { stream: 'alice:screen' })).code).toBe('NOT_PUBLISHED');
  });
});

describe('subscribe and unsubscribe', () => {
  it('returns a subscription with the play URL and defaults; subscribing again updates it', async () => {
    const { r, alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true, small: true });
    const sub = await bob.ok('subscribe', { stream: 'alice:main' });
    expect(sub).toEqual({
      stream: 'alice:main',
      url: `https://play.example/${r}/alice_main.flv`,
      audio: true,
      video: true,
      small: false,
      audioMuted: false,
      videoMuted: false,
    });
    await bob.ok('mute-remote', { stream: 'alice:main', audio: true });
    const again = await bob.ok('subscribe', { stream: 'alice:main', video: false, small: true });
    // New options; the receiver-side mute bits are kept.
    expect(again).toMatchObject({
      audio: true,
      video: false,
      small: true,
      audioMuted: true,
      videoMuted: false,
    });
    await alice.sync();
    expect(alice.pushTypes()).toEqual(['peer-joined']);
  });

  it('refuses STREAM_NOT_FOUND for a missing stream and for its own stream', async () => {
    const { alice, bob } = await aliceAndBob();
    expect((await bob.fail('subscribe', { stream: 'alice:main' })).code).toBe('STREAM_NOT_FOUND');
    await alice.ok('publish', { audio: true, video: true });
    expect((await alice.fail('subscribe', { stream: 'alice:main' })).code).toBe('STREAM_NOT_FOUND');
    expect((await bob.fail('subscribe', { stream: 'alice:screen' })).code).toBe('STREAM_NOT_FOUND');
  });

  it('refuses NOT_ALLOWED with a token without subscribe', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    await alice.ok('publish', { audio: true, video: true });
    const { client: mute } = await Client.join(server, r, 'deaf', {}, { subscribe: false });
    expect((await mute.fail('subscribe', { stream: 'alice:main' })).code).toBe('NOT_ALLOWED');
  });

  it('unsubscribes; NOT_SUBSCRIBED when not subscribed', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    await bob.ok('subscribe', { stream: 'alice:main' });
    expect(await bob.ok('unsubscribe', { stream: 'alice:main' })).toEqual({});
    expect((await bob.fail('unsubscribe', { stream: 'alice:main' })).code).toBe('NOT_SUBSCRIBED');
  });
});

describe('mute-local and mute-remote', () => {
  it('mute-local sets owner bits, pushes stream-updated only on change, keeps absent bits', async () => {
    const { r, alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    const muted = await alice.ok('mute-local', { stream: 'alice:main', audio: true });
    expect(muted.stream).toMatchObject({ audioMuted: true, videoMuted: false });
    expect((await bob.next('stream-updated')).stream).toMatchObject({ id: 'alice:main', audioMuted: true });
    // Same bits again: no push. Absent field: unchanged.
    await alice.ok('mute-local', { stream: 'alice:main', audio: true });
    const video = await alice.ok('mute-local', { stream: 'alice:main', video: true });
    expect(video.stream).toMatchObject({ audioMuted: true, videoMuted: true });
    await bob.sync();
    expect(bob.pushes('stream-updated').map((p) => [p.stream.audioMuted, p.stream.videoMuted])).toEqual([
      [true, false],
      [true, true],
    ]);
    // A joiner sees the bits in the snapshot.
    const { ack } = await Client.join(server, r, 'late');
    expect(ack.mode !== 'resumed' && ack.streams).toEqual([
      expect.objectContaining({ id: 'alice:main', audioMuted: true, videoMuted: true }),
    ]);
  });

  it('mute-local refuses NOT_PUBLISHED', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    expect((await bob.fail('mute-local', { stream: 'alice:main', audio: true })).code).toBe('NOT_PUBLISHED');
    expect((await alice.fail('mute-local', { stream: 'alice:screen', audio: true })).code).toBe(
      'NOT_PUBLISHED',
    );
  });

  it('mute-remote sets receiver bits of a subscription without any push; NOT_SUBSCRIBED otherwise', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    expect((await bob.fail('mute-remote', { stream: 'alice:main', video: true })).code).toBe(
      'NOT_SUBSCRIBED',
    );
    await bob.ok('subscribe', { stream: 'alice:main' });
    const { subscription } = await bob.ok('mute-remote', { stream: 'alice:main', video: true });
    expect(subscription).toMatchObject({ stream: 'alice:main', audioMuted: false, videoMuted: true });
    await alice.sync();
    await bob.sync();
    expect(alice.pushTypes()).toEqual(['peer-joined']);
    expect(bob.pushTypes()).toEqual(['stream-added']);
  });
});

describe('set-visibility', () => {
  it('hiding removes the streams (peer-left) then sends peer-left hidden; showing sends peer-joined', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    await bob.next('stream-added');
    expect(await alice.ok('set-visibility', { visible: false })).toEqual({
      self: { user: 'alice', role: 'broadcaster', visible: false },
    });
    expect(await bob.next('stream-removed')).toMatchObject({ stream: 'alice:main', reason: 'peer-left' });
    expect(await bob.next('peer-left')).toMatchObject({ user: 'alice', reason: 'hidden' });
    // Invisible now: cannot publish, but still receives pushes.
    expect((await alice.fail('publish', { audio: true, video: true })).code).toBe('NOT_ALLOWED');
    await bob.ok('set-business-id', { businessId: 'b1' });
    await bob.ok('message', { name: 'chat', content: 'anyone?' });
    expect(await alice.next('message')).toMatchObject({ from: 'bob', private: false });
    await alice.sync();
    // bob's business id change reached alice although she is invisible.
    expect(alice.pushes('peer-updated').map((p) => p.peer.businessId)).toEqual(['b1']);
    await alice.ok('set-visibility', { visible: true });
    expect((await bob.next('peer-joined')).peer).toEqual({
      user: 'alice',
      role: 'broadcaster',
      visible: true,
    });
  });

  it('is a no-op without push when unchanged', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('set-visibility', { visible: true });
    await bob.sync();
    expect(bob.pushTypes()).toEqual([]);
  });

  it('refuses ROOM_FULL when becoming visible in a full room', async () => {
    const r = room();
    const { client: ghost } = await Client.join(server, r, 'ghost', { visible: false });
    for (const u of ['u1', 'u2', 'u3', 'u4']) await Client.join(server, r, u);
    expect((await ghost.fail('set-visibility', { visible: true })).code).toBe('ROOM_FULL');
  });
});

describe('set-role and set-business-id', () => {
  it('switching to audience removes streams (role-changed) and sends peer-updated', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    expect(await alice.ok('set-role', { role: 'audience' })).toEqual({
      self: { user: 'alice', role: 'audience', visible: true },
    });
    await bob.next('peer-updated');
    await bob.sync();
    expect(bob.pushTypes()).toEqual(['stream-added', 'stream-removed', 'peer-updated']);
    expect(bob.pushes('stream-removed')[0]).toMatchObject({ reason: 'role-changed' });
    expect((await alice.fail('publish', { audio: true, video: true })).code).toBe('NOT_ALLOWED');
    await alice.ok('set-role', { role: 'broadcaster' });
    expect((await bob.next('peer-updated', (p) => p.peer.role === 'broadcaster')).peer.user).toBe('alice');
    await alice.ok('publish', { audio: true, video: true });
  });

  it('an invisible session changes role and business id without telling anyone', async () => {
    const r = room();
    const { client: bob } = await Client.join(server, r, 'bob');
    const { client: ghost } = await Client.join(server, r, 'ghost', { visible: false });
    await ghost.ok('set-role', { role: 'audience' });
    await ghost.ok('set-business-id', { businessId: 'x' });
    await bob.sync();
    expect(bob.pushTypes()).toEqual([]);
  });

  it('set-business-id sets and clears (empty string) with peer-updated', async () => {
    const { alice, bob } = await aliceAndBob();
    expect(await alice.ok('set-business-id', { businessId: 'vip' })).toEqual({
      self: { user: 'alice', role: 'broadcaster', visible: true, businessId: 'vip' },
    });
    expect((await bob.next('peer-updated')).peer).toEqual({
      user: 'alice',
      role: 'broadcaster',
      visible: true,
      businessId: 'vip',
    });
    expect(await alice.ok('set-business-id', { businessId: '' })).toEqual({
      self: { user: 'alice', role: 'broadcaster', visible: true },
    });
    expect((await bob.next('peer-updated')).peer).not.toHaveProperty('businessId');
  });
});

describe('room attributes', () => {
  it('attrs-set notifies everyone, the writer included, before the ack', async () => {
    const { alice, bob } = await aliceAndBob();
    const before = alice.frames.length;
    expect(await alice.ok('attrs-set', { attributes: { topic: 'maths', level: '2' } })).toEqual({});
    const order = alice.frames.slice(before).map((f) => f.t);
    expect(order).toEqual(['attributes-changed', 'ack']);
    expect(await bob.next('attributes-changed')).toMatchObject({
      set: { topic: 'maths', level: '2' },
      deleted: [],
      by: 'alice',
    });
    expect(await bob.ok('attrs-get', {})).toEqual({ attributes: { topic: 'maths', level: '2' } });
    expect(await bob.ok('attrs-get', { keys: ['topic', 'missing'] })).toEqual({
      attributes: { topic: 'maths' },
    });
  });

  it('notify false writes silently', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('attrs-set', { attributes: { quiet: '1' }, notify: false });
    await alice.ok('attrs-delete', { keys: ['quiet'], notify: false });
    await bob.sync();
    await alice.sync();
    expect(bob.pushTypes()).toEqual([]);
    expect(alice.pushTypes()).toEqual(['peer-joined']);
  });

  it('attrs-delete pushes the keys actually deleted, and nothing when none was', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('attrs-set', { attributes: { a: '1', b: '2' } });
    await bob.ok('attrs-delete', { keys: ['a', 'zzz'] });
    expect(await alice.next('attributes-changed', (p) => p.deleted.length > 0)).toMatchObject({
      set: {},
      deleted: ['a'],
      by: 'bob',
    });
    await bob.ok('attrs-delete', { keys: ['zzz'] });
    await alice.sync();
    expect(alice.pushes('attributes-changed')).toHaveLength(2);
    expect(await alice.ok('attrs-get', {})).toEqual({ attributes: { b: '2' } });
  });

  it(`refuses INVALID_FRAME above ${LIMITS.maxAttributesPerRoom} keys per room`, async () => {
    const { alice } = await aliceAndBob();
    for (let i = 0; i < LIMITS.maxAttributesPerRoom / 32; i++) {
      const attributes = Object.fromEntries(Array.from({ length: 32 }, (_, k) => [`k${i * 32 + k}`, 'v']));
      await alice.ok('attrs-set', { attributes, notify: false });
    }
    const error = await alice.fail('attrs-set', { attributes: { oneMore: 'v' } });
    expect(error.code).toBe('INVALID_FRAME');
    // Overwriting an existing key is fine.
    await alice.ok('attrs-set', { attributes: { k0: 'w' } });
  });

  it('refuses INVALID_FRAME when the attributes would outgrow what a join ack can carry', async () => {
    const { r, alice } = await aliceAndBob();
    const big = 'x'.repeat(LIMITS.maxAttributeValueLength);
    for (let i = 0; i < 7; i++)
      await alice.ok('attrs-set', { attributes: { [`big${i}`]: big }, notify: false });
    const error = await alice.fail('attrs-set', { attributes: { big7: big, big8: big } });
    expect(error).toEqual({ code: 'INVALID_FRAME', reason: expect.stringMatching(/bytes/) });
    // Nothing of the refused request was written, and a newcomer's join ack still fits.
    expect(Object.keys((await alice.ok('attrs-get', {})).attributes)).toHaveLength(7);
    const { ack } = await Client.join(server, r, 'late');
    expect(ack.mode !== 'resumed' && Object.keys(ack.attributes)).toHaveLength(7);
  });
});

describe('message', () => {
  it('broadcasts to every other session, invisible ones included', async () => {
    const { r, alice, bob } = await aliceAndBob();
    const { client: ghost } = await Client.join(server, r, 'ghost', { visible: false });
    await alice.ok('message', { name: 'chat', content: '{"text":"hi 👋"}' });
    const expected = { from: 'alice', name: 'chat', content: '{"text":"hi 👋"}', private: false };
    expect(await bob.next('message')).toMatchObject(expected);
    expect(await ghost.next('message')).toMatchObject(expected);
    await alice.sync();
    expect(alice.pushes('message')).toEqual([]);
  });

  it('sends privately with `to`; the others see nothing and their seq has no gap', async () => {
    const { r, alice, bob } = await aliceAndBob();
    const { client: carol } = await Client.join(server, r, 'carol');
    await alice.ok('message', { name: 'dm', content: 'psst', to: 'bob' });
    expect(await bob.next('message')).toMatchObject({ from: 'alice', content: 'psst', private: true });
    await alice.ok('message', { name: 'chat', content: 'all' });
    expect(await carol.next('message')).toMatchObject({ content: 'all', private: false });
    // The support client fails the test on any seq gap; carol got 1 push, bob 3 (peer-joined, 2 messages).
    expect(carol.pushes().map((p) => p.seq)).toEqual([1]);
  });

  it('refuses USER_NOT_FOUND for a user not in the room, or invisible', async () => {
    const { r, alice } = await aliceAndBob();
    await Client.join(server, r, 'ghost', { visible: false });
    expect((await alice.fail('message', { name: 'dm', content: 'x', to: 'nobody' })).code).toBe(
      'USER_NOT_FOUND',
    );
    expect((await alice.fail('message', { name: 'dm', content: 'x', to: 'ghost' })).code).toBe(
      'USER_NOT_FOUND',
    );
  });

  it('carries the largest allowed content', async () => {
    const { alice, bob } = await aliceAndBob();
    const content = 'é'.repeat(LIMITS.maxMessageContentLength);
    await alice.ok('message', { name: 'big', content });
    expect((await bob.next('message')).content).toBe(content);
  });
});

describe('report, ping, leave', () => {
  it('report accepts each kind and pushes nothing', async () => {
    const { alice, bob } = await aliceAndBob();
    await alice.ok('publish', { audio: true, video: true });
    await bob.ok('subscribe', { stream: 'alice:main' });
    await alice.ok('report', { report: { kind: 'pusher-state', code: 1002, message: 'connected' } });
    await alice.ok('report', { report: { kind: 'pusher-net', info: { videoBitrate: 800, fps: 15 } } });
    await bob.ok('report', { report: { kind: 'player-state', stream: 'alice:main', code: 2004 } });
    await bob.ok('report', { report: { kind: 'player-net', stream: 'alice:main', info: { videoFPS: 14 } } });
    await alice.sync();
    expect(alice.pushTypes()).toEqual(['peer-joined']);
  });

  it('ping is answered by a pong with the same id, joined or not', async () => {
    const client = await Client.open(server.url);
    expect(await client.requestWithId('ping', {}, 2 ** 31 - 1)).toEqual({ v: 1, t: 'pong', id: 2 ** 31 - 1 });
  });

  it('leave acks, closes with 1000; others get stream-removed then peer-left (leave); empty rooms go', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: bob } = await Client.join(server, r, 'bob');
    await alice.ok('publish', { audio: true, video: true });
    await bob.next('stream-added');
    expect(await alice.ok('leave', {})).toEqual({});
    expect((await alice.waitClose()).code).toBe(1000);
    await bob.next('peer-left');
    expect(bob.pushTypes()).toEqual(['stream-added', 'stream-removed', 'peer-left']);
    expect(bob.pushes('stream-removed')[0]).toMatchObject({ stream: 'alice:main', reason: 'peer-left' });
    expect(bob.pushes('peer-left')[0]).toMatchObject({ user: 'alice', reason: 'leave' });
    expect((await http(server, 'GET', `/admin/rooms/${r}`, { secret: 'admin' })).status).toBe(200);
    await bob.ok('leave', {});
    await bob.waitClose();
    // This room, not a count: rooms of earlier tests end their grace windows at any time.
    expect((await http(server, 'GET', `/admin/rooms/${r}`, { secret: 'admin' })).status).toBe(404);
  });
});
