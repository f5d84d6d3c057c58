/**
 * The HTTP side: /health, the admin API (auth, rooms, kick, room close, media failure hook) and
 * the development token endpoint.
 */
import type { RunningServer } from '../../server';
import { Client, closeClients, eventually, http, startTestServer } from './support';

const ADMIN = 'admin-secret-xyz';
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ adminSecret: ADMIN, devTokens: true });
});
afterEach(closeClients);
afterAll(() => server.close());

let roomCounter = 0;
const room = () => `admin-${++roomCounter}`;

/** Waits until the server has noticed that `user`'s socket in room `r` is gone. */
function inGrace(r: string, user: string): Promise<void> {
  return eventually(async () => {
    const res = await http(server, 'GET', `/admin/rooms/${r}`, { secret: ADMIN });
    const sessions = (res.body as { sessions: { user: string; connected: boolean }[] }).sessions;
    return sessions.some((s) => s.user === user && !s.connected);
  }, `${user} in grace`);
}

describe('GET /health', () => {
  it('answers without auth with room and session counts', async () => {
    const r = room();
    await Client.join(server, r, 'alice');
    const res = await http(server, 'GET', '/health');
    expect(res).toEqual({
      status: 200,
      body: { ok: true, node: server.node, rooms: expect.any(Number), sessions: expect.any(Number) },
    });
    expect((res.body as { rooms: number }).rooms).toBeGreaterThanOrEqual(1);
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    expect((await http(server, 'GET', '/nope')).status).toBe(404);
    expect((await http(server, 'POST', '/health')).status).toBe(405);
  });
});

describe('admin authentication', () => {
  it('answers 401 without, or with a wrong, or a non-Bearer secret', async () => {
    for (const options of [{}, { secret: 'wrong' }, { authorization: `Basic ${ADMIN}` }, { secret: '' }]) {
      const res = await http(server, 'GET', '/admin/rooms', options);
      expect(res).toEqual({ status: 401, body: { ok: false, error: expect.any(String) } });
    }
  });

  it('answers 404 for every admin path when no admin secret is configured', async () => {
    const plain = await startTestServer();
    try {
      expect((await http(plain, 'GET', '/admin/rooms', { secret: ADMIN })).status).toBe(404);
      expect((await http(plain, 'GET', '/admin/rooms')).status).toBe(404);
      expect((await http(plain, 'POST', '/dev/token', { body: { room: 'r', user: 'u' } })).status).toBe(404);
      expect((await http(plain, 'GET', '/health')).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});

describe('rooms', () => {
  it('lists rooms with peer counts', async () => {
    const r = room();
    await Client.join(server, r, 'alice');
    await Client.join(server, r, 'ghost', { visible: false });
    const res = await http(server, 'GET', '/admin/rooms', { secret: ADMIN });
    expect(res.status).toBe(200);
    const rooms = (res.body as { rooms: { room: string }[] }).rooms;
    expect(rooms.find((x) => x.room === r)).toEqual({
      room: r,
      createdAt: expect.any(Number),
      sessions: 2,
      peers: 1,
      publishers: 0,
      streams: 0,
      connected: 2,
      node: server.node,
    });
  });

  it('describes one room: peers, streams, sessions, attributes, latest reports per user', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: bob } = await Client.join(server, r, 'bob');
    await alice.ok('publish', { audio: true, video: true });
    await bob.ok('subscribe', { stream: 'alice:main' });
    await alice.ok('attrs-set', { attributes: { topic: 't' } });
    await alice.ok('report', { report: { kind: 'pusher-net', info: { videoBitrate: 1 } } });
    await alice.ok('report', { report: { kind: 'pusher-net', info: { videoBitrate: 2 } } });
    await bob.ok('report', { report: { kind: 'player-state', stream: 'alice:main', code: 2004 } });
    const res = await http(server, 'GET', `/admin/rooms/${r}`, { secret: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      room: r,
      peers: [
        { user: 'alice', role: 'broadcaster', visible: true },
        { user: 'bob', role: 'broadcaster', visible: true },
      ],
      streams: [{ id: 'alice:main', user: 'alice' }],
      attributes: { topic: 't' },
      sessions: [
        {
          user: 'alice',
          connected: true,
          seq: 2,
          publications: [{ stream: 'alice:main' }],
          subscriptions: [],
        },
        { user: 'bob', connected: true, seq: 2, publications: [], subscriptions: ['alice:main'] },
      ],
      reports: {
        alice: {
          'pusher-net': { report: { kind: 'pusher-net', info: { videoBitrate: 2 } }, at: expect.any(Number) },
        },
        bob: { 'player-state:alice:main': { report: { kind: 'player-state', code: 2004 } } },
      },
    });
  });

  it('answers 404 for an unknown room', async () => {
    expect((await http(server, 'GET', '/admin/rooms/none', { secret: ADMIN })).status).toBe(404);
    expect((await http(server, 'GET', '/admin/rooms/%E0%A4%A', { secret: ADMIN })).status).toBe(400);
    expect((await http(server, 'DELETE', '/admin/rooms/none', { secret: ADMIN })).status).toBe(404);
  });
});

describe('kick', () => {
  it('kicks a user: kicked push, close 4001; others see stream-removed and peer-left kicked', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: bob } = await Client.join(server, r, 'bob');
    await bob.ok('publish', { audio: true, video: true });
    await alice.next('stream-added');
    const res = await http(server, 'POST', `/admin/rooms/${r}/kick`, {
      secret: ADMIN,
      body: { user: 'bob', message: 'be nice' },
    });
    expect(res).toEqual({ status: 200, body: { ok: true } });
    expect(await bob.next('kicked')).toMatchObject({ reason: 'kicked', message: 'be nice' });
    expect((await bob.waitClose()).code).toBe(4001);
    await alice.next('peer-left');
    expect(alice.pushTypes()).toEqual(['peer-joined', 'stream-added', 'stream-removed', 'peer-left']);
    expect(alice.pushes('peer-left')[0]).toMatchObject({ user: 'bob', reason: 'kicked' });
  });

  it('bans: kicked push with reason banned', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    await http(server, 'POST', `/admin/rooms/${r}/kick`, {
      secret: ADMIN,
      body: { user: 'alice', reason: 'banned' },
    });
    expect(await alice.next('kicked')).toMatchObject({ reason: 'banned' });
    expect((await alice.waitClose()).code).toBe(4001);
  });

  it('kicks a session waiting in its grace window', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: bob } = await Client.join(server, r, 'bob');
    bob.drop();
    await inGrace(r, 'bob');
    const res = await http(server, 'POST', `/admin/rooms/${r}/kick`, {
      secret: ADMIN,
      body: { user: 'bob' },
    });
    expect(res.status).toBe(200);
    expect(await alice.next('peer-left')).toMatchObject({ user: 'bob', reason: 'kicked' });
  });

  it('answers 404 for an unknown user and 400 for a bad body', async () => {
    const r = room();
    await Client.join(server, r, 'alice');
    const path = `/admin/rooms/${r}/kick`;
    expect((await http(server, 'POST', path, { secret: ADMIN, body: { user: 'nobody' } })).status).toBe(404);
    expect((await http(server, 'POST', path, { secret: ADMIN, body: { user: 'a/b' } })).status).toBe(400);
    expect(
      (await http(server, 'POST', path, { secret: ADMIN, body: { user: 'alice', reason: 'x' } })).status,
    ).toBe(400);
    expect((await http(server, 'POST', path, { secret: ADMIN, raw: '{not json' })).status).toBe(400);
    expect((await http(server, 'GET', path, { secret: ADMIN })).status).toBe(405);
  });
});

describe('room close', () => {
  it('kicks every session with room-closed, closes the sockets and drops the room', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: bob } = await Client.join(server, r, 'bob', { visible: false });
    const { client: gone } = await Client.join(server, r, 'gone');
    gone.drop();
    await inGrace(r, 'gone');
    const res = await http(server, 'DELETE', `/admin/rooms/${r}`, { secret: ADMIN });
    expect(res).toEqual({ status: 200, body: { ok: true, sessions: 3 } });
    for (const client of [alice, bob]) {
      expect(await client.next('kicked')).toMatchObject({ reason: 'room-closed' });
      expect((await client.waitClose()).code).toBe(4001);
    }
    // gone joined, then its socket dropped (grace window); bob is invisible, so never announced.
    expect(alice.pushTypes()).toEqual(['peer-joined', 'peer-reconnecting', 'kicked']);
    expect((await http(server, 'GET', `/admin/rooms/${r}`, { secret: ADMIN })).status).toBe(404);
  });
});

describe('media failure hook', () => {
  it('a failed push: the owner gets stream-failed, the others stream-removed (failed)', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: bob } = await Client.join(server, r, 'bob');
    await alice.ok('publish', { audio: true, video: true });
    await bob.ok('subscribe', { stream: 'alice:main' });
    const res = await http(server, 'POST', `/admin/rooms/${r}/streams/alice:main/fail`, {
      secret: ADMIN,
      body: { reason: 'encoder gone' },
    });
    expect(res.status).toBe(200);
    expect(await alice.next('stream-failed')).toMatchObject({
      stream: 'alice:main',
      direction: 'push',
      reason: 'encoder gone',
    });
    expect(await bob.next('stream-removed')).toMatchObject({ stream: 'alice:main', reason: 'failed' });
    expect((await bob.fail('unsubscribe', { stream: 'alice:main' })).code).toBe('NOT_SUBSCRIBED');
    // The owner may publish again.
    await alice.ok('publish', { audio: true, video: true });
  });

  it('a failed play: only that viewer gets stream-failed and loses the subscription', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: bob } = await Client.join(server, r, 'bob');
    await alice.ok('publish', { audio: true, video: true });
    await bob.ok('subscribe', { stream: 'alice:main' });
    const path = `/admin/rooms/${r}/streams/alice:main/fail`;
    expect((await http(server, 'POST', path, { secret: ADMIN, body: { direction: 'play' } })).status).toBe(
      400,
    );
    const res = await http(server, 'POST', path, { secret: ADMIN, body: { direction: 'play', user: 'bob' } });
    expect(res.status).toBe(200);
    expect(await bob.next('stream-failed')).toMatchObject({ stream: 'alice:main', direction: 'play' });
    expect((await bob.fail('unsubscribe', { stream: 'alice:main' })).code).toBe('NOT_SUBSCRIBED');
    await alice.sync();
    expect(alice.pushTypes()).toEqual(['peer-joined']);
    // Again: there is no subscription left to fail.
    expect(
      (await http(server, 'POST', path, { secret: ADMIN, body: { direction: 'play', user: 'bob' } })).status,
    ).toBe(404);
  });

  it('answers 404 for an unknown stream and 400 for a malformed stream id', async () => {
    const r = room();
    await Client.join(server, r, 'alice');
    expect(
      (await http(server, 'POST', `/admin/rooms/${r}/streams/alice:main/fail`, { secret: ADMIN })).status,
    ).toBe(404);
    expect(
      (await http(server, 'POST', `/admin/rooms/${r}/streams/nope/fail`, { secret: ADMIN })).status,
    ).toBe(400);
  });
});

describe('POST /dev/token', () => {
  it('signs a token the server accepts, with the privileges asked for', async () => {
    const r = room();
    const res = await http(server, 'POST', '/dev/token', { body: { room: r, user: 'dev', publish: true } });
    expect(res).toEqual({ status: 200, body: { token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) } });
    const client = await Client.open(server.url);
    await client.ok('join', { token: (res.body as { token: string }).token, room: r, user: 'dev' });
    await client.ok('publish', { audio: true, video: true });
  });

  it('defaults to subscribe-only', async () => {
    const r = room();
    const res = await http(server, 'POST', '/dev/token', { body: { room: r, user: 'dev' } });
    const client = await Client.open(server.url);
    await client.ok('join', { token: (res.body as { token: string }).token, room: r, user: 'dev' });
    expect((await client.fail('publish', { audio: true, video: true })).code).toBe('NOT_ALLOWED');
  });

  it('is refused while the server runs without --dev-tokens, naming the flag', async () => {
    const plain = await startTestServer();
    try {
      expect(await http(plain, 'POST', '/dev/token', { body: { room: 'r', user: 'u' } })).toEqual({
        status: 404,
        body: { ok: false, error: 'development tokens are off (start the server with --dev-tokens)' },
      });
    } finally {
      await plain.close();
    }
  });

  it('answers 400 for a bad room or user', async () => {
    expect((await http(server, 'POST', '/dev/token', { body: { room: 'a b', user: 'u' } })).status).toBe(400);
    expect((await http(server, 'POST', '/dev/token', { body: { room: 'r' } })).status).toBe(400);
  });
});
