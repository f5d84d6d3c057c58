/**
 * join (docs/protocol.md §5 join, §9 tokens): acks, snapshots, tokens, limits, duplicates.
 */
import { SignJWT } from 'jose';
import type { RunningServer } from '../../server';
import { Client, closeClients, SECRET, startTestServer, token } from './support';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ maxVisible: 3 });
});
afterEach(closeClients);
afterAll(() => server.close());

let roomCounter = 0;
/** A fresh room per test, so tests sharing a server do not see each other. */
const room = () => `join-${++roomCounter}`;

describe('a fresh join', () => {
  it('answers mode joined with seq 0, self, heartbeat and grace, and the room state', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice', { businessId: 'teacher' });
    await alice.ok('publish', { audio: true, video: true });
    await alice.ok('attrs-set', { attributes: { topic: 'maths' } });
    const { ack } = await Client.join(server, r, 'bob', { role: 'audience' });
    expect(ack).toEqual({
      mode: 'joined',
      session: expect.any(String),
      seq: 0,
      self: { user: 'bob', role: 'audience', visible: true },
      peers: [{ user: 'alice', role: 'broadcaster', visible: true, businessId: 'teacher' }],
      streams: [
        {
          id: 'alice:main',
          user: 'alice',
          kind: 'main',
          audio: true,
          video: true,
          small: false,
          audioMuted: false,
          videoMuted: false,
        },
      ],
      publications: [],
      subscriptions: [],
      attributes: { topic: 'maths' },
      heartbeat: { interval: expect.any(Number), timeout: 5000 },
      grace: 300,
      // The exp claim of the join token (docs/protocol.md §5 join).
      exp: expect.any(Number),
    });
  });

  it('tells the others with peer-joined, and nothing to the joiner before its ack', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: bob } = await Client.join(server, r, 'bob');
    const push = await alice.next('peer-joined');
    expect(push).toMatchObject({ seq: 1, peer: { user: 'bob', role: 'broadcaster', visible: true } });
    await bob.sync();
    expect(bob.pushes()).toEqual([]);
  });

  it('gives every session its own id', async () => {
    const r = room();
    const a = await Client.join(server, r, 'alice');
    const b = await Client.join(server, r, 'bob');
    expect(a.ack.session).not.toEqual(b.ack.session);
  });

  it('lets an invisible user in silently: no peer-joined, not in peers, but it sees pushes', async () => {
    const r = room();
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: ghost, ack } = await Client.join(server, r, 'ghost', { visible: false });
    expect(ack.mode === 'resumed' ? undefined : ack.self).toEqual({
      user: 'ghost',
      role: 'broadcaster',
      visible: false,
    });
    const { client: bob, ack: bobAck } = await Client.join(server, r, 'bob');
    expect(bobAck.mode !== 'resumed' && bobAck.peers.map((p) => p.user)).toEqual(['alice']);
    await ghost.next('peer-joined', (p) => p.peer.user === 'bob');
    await alice.next('peer-joined', (p) => p.peer.user === 'bob');
    await alice.sync();
    await bob.sync();
    expect(alice.pushes('peer-joined').map((p) => p.peer.user)).toEqual(['bob']);
  });

  it('treats an empty businessId as none', async () => {
    const { ack } = await Client.join(server, room(), 'alice', { businessId: '' });
    expect(ack.mode !== 'resumed' && ack.self).toEqual({ user: 'alice', role: 'broadcaster', visible: true });
  });
});

describe('join refusals', () => {
  it('refuses a second join on a joined connection with ALREADY_JOINED', async () => {
    const r = room();
    const { client } = await Client.join(server, r, 'alice');
    const error = await client.fail('join', { token: await token(r, 'alice'), room: r, user: 'alice' });
    expect(error.code).toBe('ALREADY_JOINED');
  });

  it('answers requests before join with NOT_JOINED and keeps the connection', async () => {
    const client = await Client.open(server.url);
    expect((await client.fail('publish', { audio: true, video: true })).code).toBe('NOT_JOINED');
    expect((await client.fail('leave', {})).code).toBe('NOT_JOINED');
    expect((await client.fail('attrs-get', {})).code).toBe('NOT_JOINED');
    await client.sync(); // ping works before join
    const r = room();
    await client.ok('join', { token: await token(r, 'alice'), room: r, user: 'alice' });
  });

  it('refuses ROOM_FULL above maxVisible visible users, but admits invisible users', async () => {
    const r = room();
    await Client.join(server, r, 'u1');
    await Client.join(server, r, 'u2');
    await Client.join(server, r, 'u3', { role: 'audience' });
    const late = await Client.open(server.url);
    const error = await late.fail('join', { token: await token(r, 'u4'), room: r, user: 'u4' });
    expect(error.code).toBe('ROOM_FULL');
    // The refused connection can still join invisibly.
    await late.ok('join', { token: await token(r, 'u4'), room: r, user: 'u4', visible: false });
  });

  it('frees a visible slot when a user leaves', async () => {
    const r = room();
    const { client: u1 } = await Client.join(server, r, 'u1');
    await Client.join(server, r, 'u2');
    await Client.join(server, r, 'u3');
    await u1.ok('leave', {});
    const { ack } = await Client.join(server, r, 'u4');
    expect(ack.mode !== 'resumed' && ack.peers.map((p) => p.user)).toEqual(['u2', 'u3']);
  });
});

describe('tokens (§9)', () => {
  const attempt = async (tok: string, r = 'tok-room', user = 'alice') => {
    const client = await Client.open(server.url);
    const error = await client.fail('join', { token: tok, room: r, user });
    // A refused join leaves the connection usable.
    await client.sync();
    return error.code;
  };
  const jwt = (payload: Record<string, unknown>, secret = SECRET, alg = 'HS256') =>
    new SignJWT(payload).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({
    app: 'rxroom',
    room: 'tok-room',
    user: 'alice',
    exp: now() + 60,
    privileges: { publish: true, subscribe: true },
  });

  it('TOKEN_MISSING for an empty token', async () => {
    expect(await attempt('')).toBe('TOKEN_MISSING');
  });
  it('TOKEN_INVALID for a token signed with another secret (forged)', async () => {
    expect(await attempt(await token('tok-room', 'alice', { secret: 'not-the-secret' }))).toBe(
      'TOKEN_INVALID',
    );
  });
  it('TOKEN_INVALID for a token with a tampered payload', async () => {
    const [h, , s] = (await token('tok-room', 'mallory')).split('.');
    const payload = Buffer.from(JSON.stringify(claims())).toString('base64url');
    expect(await attempt(`${h}.${payload}.${s}`)).toBe('TOKEN_INVALID');
  });
  it('TOKEN_INVALID for another algorithm, even with the right secret', async () => {
    expect(await attempt(await jwt(claims(), SECRET, 'HS512'))).toBe('TOKEN_INVALID');
  });
  it('TOKEN_INVALID for an unsigned (alg none) token', async () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(await attempt(`${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims())}.`)).toBe('TOKEN_INVALID');
  });
  it('TOKEN_INVALID for text that is not a JWT', async () => {
    expect(await attempt('hello')).toBe('TOKEN_INVALID');
  });
  it('TOKEN_INVALID for missing claims (privileges, exp)', async () => {
    const { privileges: _p, ...noPrivileges } = claims();
    expect(await attempt(await jwt(noPrivileges))).toBe('TOKEN_INVALID');
    const { exp: _e, ...noExp } = claims();
    expect(await attempt(await jwt(noExp))).toBe('TOKEN_INVALID');
  });
  it('TOKEN_EXPIRED when exp has passed', async () => {
    expect(await attempt(await token('tok-room', 'alice', { exp: -60 }))).toBe('TOKEN_EXPIRED');
  });
  it('TOKEN_NOT_YET_VALID when nbf is in the future', async () => {
    expect(await attempt(await token('tok-room', 'alice', { nbf: 600 }))).toBe('TOKEN_NOT_YET_VALID');
  });
  it('TOKEN_MISMATCH for another room, user or app', async () => {
    expect(await attempt(await token('other-room', 'alice'))).toBe('TOKEN_MISMATCH');
    expect(await attempt(await token('tok-room', 'bob'))).toBe('TOKEN_MISMATCH');
    expect(await attempt(await token('tok-room', 'alice', { app: 'other-app' }))).toBe('TOKEN_MISMATCH');
  });
  it('accepts a valid token after refusals on the same connection', async () => {
    const client = await Client.open(server.url);
    expect((await client.fail('join', { token: '', room: 'tok-room', user: 'alice' })).code).toBe(
      'TOKEN_MISSING',
    );
    const ack = await client.ok('join', {
      token: await token('tok-room', 'alice'),
      room: 'tok-room',
      user: 'alice',
    });
    expect(ack.mode).toBe('joined');
  });
});

describe('the same user twice', () => {
  it('kicks the older session (replaced, 4001); others see peer-left replaced, then peer-joined', async () => {
    const r = room();
    const { client: watcher } = await Client.join(server, r, 'watcher');
    const { client: old } = await Client.join(server, r, 'alice');
    await old.ok('publish', { audio: true, video: true });
    await watcher.next('stream-added');
    const { ack } = await Client.join(server, r, 'alice');
    expect(ack.mode).toBe('joined');
    expect(await old.next('kicked')).toMatchObject({ reason: 'replaced' });
    expect((await old.waitClose()).code).toBe(4001);
    await watcher.next('peer-joined', (p) => p.peer.user === 'alice');
    await watcher.sync();
    expect(watcher.pushTypes()).toEqual([
      'peer-joined',
      'stream-added',
      'stream-removed',
      'peer-left',
      'peer-joined',
    ]);
    expect(watcher.pushes('stream-removed')[0]).toMatchObject({ stream: 'alice:main', reason: 'peer-left' });
    expect(watcher.pushes('peer-left')[0]).toMatchObject({ user: 'alice', reason: 'replaced' });
  });

  it('replaces the only session of a room without losing the room attributes', async () => {
    const r = room();
    const { client: old } = await Client.join(server, r, 'alice');
    await old.ok('attrs-set', { attributes: { keep: 'me' } });
    const { ack } = await Client.join(server, r, 'alice');
    expect(ack.mode !== 'resumed' && ack.attributes).toEqual({ keep: 'me' });
  });

  it('a replacement does not count against the visible limit', async () => {
    const r = room();
    await Client.join(server, r, 'u1');
    await Client.join(server, r, 'u2');
    await Client.join(server, r, 'u3');
    const { ack } = await Client.join(server, r, 'u3');
    expect(ack.mode !== 'resumed' && ack.peers.map((p) => p.user)).toEqual(['u1', 'u2']);
  });

  describe("with duplicateUser 'refuse'", () => {
    let strict: RunningServer;
    beforeAll(async () => {
      strict = await startTestServer({ duplicateUser: 'refuse' });
    });
    afterAll(() => strict.close());

    it('refuses the second session with DUPLICATE_SESSION and keeps the first', async () => {
      const { client: first } = await Client.join(strict, 'r', 'alice');
      const second = await Client.open(strict.url);
      const error = await second.fail('join', { token: await token('r', 'alice'), room: 'r', user: 'alice' });
      expect(error.code).toBe('DUPLICATE_SESSION');
      await first.sync();
      expect(first.pushes()).toEqual([]);
    });

    it('replaces a session that is only waiting in its grace window', async () => {
      const { client: first } = await Client.join(strict, 'r2', 'alice');
      first.drop();
      await first.closed;
      // The server notices the drop when the TCP close arrives; retry until it has.
      const second = await Client.open(strict.url);
      const tok = await token('r2', 'alice');
      let answer = await second.request('join', { token: tok, room: 'r2', user: 'alice' });
      for (let i = 0; i < 20 && answer.t === 'ack' && !answer.ok; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        answer = await second.request('join', { token: tok, room: 'r2', user: 'alice' });
      }
      expect(answer).toMatchObject({ t: 'ack', ok: true, data: { mode: 'joined' } });
    });
  });
});
