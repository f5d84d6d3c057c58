/**
 * Grace window and resume (docs/protocol.md §7): replay of missed pushes, snapshot when they are
 * no longer buffered, fresh join with resumeError after the window, half-open sockets.
 */
import type { JoinAckData } from '../../src/protocol';
import type { RunningServer } from '../../server';
import { Client, closeClients, eventually, http, startTestServer, token } from './support';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ grace: 400, replayBuffer: 8, adminSecret: 'admin' });
});
afterEach(closeClients);
afterAll(() => server.close());

let roomCounter = 0;
const room = () => `resume-${++roomCounter}`;

/** Whether `user` has a session in room `r` and whether a socket carries it, per the admin API. */
async function sessionState(r: string, user: string): Promise<'connected' | 'grace' | 'none'> {
  const res = await http(server, 'GET', `/admin/rooms/${r}`, { secret: 'admin' });
  if (res.status === 404) return 'none';
  const body = res.body as { sessions: { user: string; connected: boolean }[] };
  const session = body.sessions.find((s) => s.user === user);
  return session ? (session.connected ? 'connected' : 'grace') : 'none';
}

/** Polls the admin API until `user`'s session is in the given state. */
function until(r: string, user: string, state: 'connected' | 'grace' | 'none'): Promise<void> {
  return eventually(async () => (await sessionState(r, user)) === state, `${user} to be ${state}`);
}

/** Opens a new socket and joins `room` as `user` with `resume`. */
async function resume(r: string, user: string, session: string, seq: number) {
  const client = await Client.open(server.url);
  const ack: JoinAckData = await client.ok('join', {
    token: await token(r, user),
    room: r,
    user,
    resume: { session, seq },
  });
  return { client, ack };
}

/** alice publishing and subscribed to bob's stream, bob publishing; both connected. */
async function setup() {
  const r = room();
  const { client: alice, ack } = await Client.join(server, r, 'alice');
  const { client: bob } = await Client.join(server, r, 'bob');
  await alice.ok('publish', { audio: true, video: true });
  await bob.ok('publish', { audio: true, video: true });
  await alice.next('stream-added');
  await alice.ok('subscribe', { stream: 'bob:main' });
  await bob.next('stream-added');
  return { r, alice, bob, session: ack.session };
}

/** Drops a client's TCP connection and waits until the server has put its session in grace. */
async function dropAndWait(r: string, user: string, client: Client) {
  client.drop();
  await until(r, user, 'grace');
}

describe('resume within the grace window', () => {
  it('answers resumed with the client seq and replays the missed pushes in order, once', async () => {
    const { r, alice, bob, session } = await setup();
    const seen = alice.lastSeq as number;
    expect(seen).toBe(2); // peer-joined bob, stream-added bob:main
    await dropAndWait(r, 'alice', alice);
    // Pushes for alice while she is away.
    await bob.ok('mute-local', { stream: 'bob:main', audio: true });
    await bob.ok('message', { name: 'chat', content: 'one' });
    await bob.ok('message', { name: 'dm', content: 'two', to: 'alice' });
    await bob.ok('attrs-set', { attributes: { k: 'v' } });
    const { client, ack } = await resume(r, 'alice', session, seen);
    expect(ack).toEqual({
      mode: 'resumed',
      session,
      seq: seen,
      heartbeat: expect.any(Object),
      grace: 400,
      exp: expect.any(Number),
    });
    await client.next('attributes-changed');
    expect(client.pushes().map((p) => [p.seq, p.t])).toEqual([
      [3, 'stream-updated'],
      [4, 'message'],
      [5, 'message'],
      [6, 'attributes-changed'],
    ]);
    // Live again: the next push follows on.
    await bob.ok('message', { name: 'chat', content: 'live' });
    expect((await client.next('message', (m) => m.content === 'live')).seq).toBe(7);
    await client.sync();
    expect(client.pushes()).toHaveLength(5);
  });

  it('keeps publications and subscriptions; the others saw her reconnecting and back, nothing else', async () => {
    const { r, alice, bob, session } = await setup();
    await dropAndWait(r, 'alice', alice);
    const { client } = await resume(r, 'alice', session, alice.lastSeq as number);
    await bob.sync();
    expect(bob.pushTypes()).toEqual(['stream-added', 'peer-reconnecting', 'peer-reconnected']);
    expect(bob.pushes().slice(1)).toMatchObject([{ user: 'alice' }, { user: 'alice' }]);
    // Her own replay holds no word about herself.
    await client.sync();
    expect(client.pushTypes()).not.toContain('peer-reconnecting');
    // Still her stream and her subscription.
    await client.ok('mute-remote', { stream: 'bob:main', audio: true });
    await client.ok('mute-local', { stream: 'alice:main', video: true });
    expect((await bob.next('stream-updated')).stream).toMatchObject({ id: 'alice:main', videoMuted: true });
    expect(await client.ok('unpublish', { stream: 'alice:main' })).toEqual({});
  });

  it('replays only what the client says it missed (seq below the last push)', async () => {
    const { r, alice, bob, session } = await setup();
    await dropAndWait(r, 'alice', alice);
    await bob.ok('message', { name: 'chat', content: 'x' });
    // The client claims it processed only seq 1: pushes 2 and 3 come again.
    const { client } = await resume(r, 'alice', session, 1);
    await client.next('message');
    expect(client.pushes().map((p) => [p.seq, p.t])).toEqual([
      [2, 'stream-added'],
      [3, 'message'],
    ]);
  });

  it('answers a snapshot with the session’s publications and subscriptions when the client asks for one', async () => {
    const { r, alice, session } = await setup();
    await dropAndWait(r, 'alice', alice);
    const client = await Client.open(server.url);
    const ack: JoinAckData = await client.ok('join', {
      token: await token(r, 'alice'),
      room: r,
      user: 'alice',
      resume: { session, seq: alice.lastSeq as number, snapshot: true },
    });
    expect(ack).toMatchObject({ mode: 'snapshot', session, seq: alice.lastSeq });
    if (ack.mode === 'resumed') throw new Error('expected a snapshot');
    expect(ack.publications.map((p) => p.stream.id)).toEqual(['alice:main']);
    expect(ack.subscriptions.map((sub) => sub.stream)).toEqual(['bob:main']);
    expect(ack.streams.map((st) => st.id)).toEqual(['bob:main']);
  });

  it('tells the latest seq in every pong, so a lost last push shows', async () => {
    const { bob } = await setup();
    await bob.ok('message', { name: 'chat', content: 'x' });
    const pong = await bob.request('ping', {});
    expect(pong).toMatchObject({ t: 'pong', seq: bob.lastSeq });
  });

  it('resumes a session whose old socket is still open (half-open) and closes that socket', async () => {
    const { r, alice, bob, session } = await setup();
    const { client, ack } = await resume(r, 'alice', session, alice.lastSeq as number);
    expect(ack.mode).toBe('resumed');
    expect((await alice.waitClose()).code).toBe(1000);
    // The old socket closing does not start a grace window for the resumed session.
    await bob.ok('message', { name: 'chat', content: 'after' });
    await client.next('message');
    expect(await sessionState(r, 'alice')).toBe('connected');
    await bob.sync();
    expect(bob.pushTypes()).toEqual(['stream-added']);
  });

  it('survives several drops in a row with a continuous seq', async () => {
    const { r, alice, bob, session } = await setup();
    let current = alice;
    for (let i = 0; i < 3; i++) {
      await dropAndWait(r, 'alice', current);
      await bob.ok('message', { name: 'n', content: String(i) });
      const seq = current.lastSeq as number;
      ({ client: current } = await resume(r, 'alice', session, seq));
      expect((await current.next('message')).seq).toBe(seq + 1);
    }
  });

  it('answers snapshot (with the current seq and full state) when the missed pushes are gone', async () => {
    const { r, alice, bob, session } = await setup();
    await alice.ok('attrs-set', { attributes: { topic: 't' }, notify: false });
    await dropAndWait(r, 'alice', alice);
    // replayBuffer is 8: ten pushes push the missed ones out.
    for (let i = 0; i < 10; i++) await bob.ok('message', { name: 'n', content: String(i) });
    const { client, ack } = await resume(r, 'alice', session, alice.lastSeq as number);
    if (ack.mode !== 'snapshot') throw new Error(`expected a snapshot, got ${ack.mode}`);
    expect(ack.session).toBe(session);
    expect(ack.seq).toBe(12);
    expect(ack.resumeError).toBeUndefined();
    expect(ack.peers).toEqual([{ user: 'bob', role: 'broadcaster', visible: true }]);
    expect(ack.streams.map((s) => s.id)).toEqual(['bob:main']);
    expect(ack.publications.map((p) => p.stream.id)).toEqual(['alice:main']);
    expect(ack.publications[0]?.url).toMatch(/^rtmp:/);
    expect(ack.subscriptions.map((s) => s.stream)).toEqual(['bob:main']);
    expect(ack.attributes).toEqual({ topic: 't' });
    await bob.ok('message', { name: 'n', content: 'live' });
    expect((await client.next('message')).seq).toBe(13);
  });

  it('answers snapshot when the client claims a seq the server never sent', async () => {
    const { r, alice, session } = await setup();
    await dropAndWait(r, 'alice', alice);
    const { ack } = await resume(r, 'alice', session, 99);
    expect(ack).toMatchObject({ mode: 'snapshot', seq: 2 });
  });

  it('still checks the token: a bad one is refused and the session stays in grace', async () => {
    const { r, alice, session } = await setup();
    await dropAndWait(r, 'alice', alice);
    const client = await Client.open(server.url);
    const error = await client.fail('join', {
      token: await token(r, 'alice', { exp: -60 }),
      room: r,
      user: 'alice',
      resume: { session, seq: 2 },
    });
    expect(error.code).toBe('TOKEN_EXPIRED');
    const { ack } = await resume(r, 'alice', session, 2);
    expect(ack.mode).toBe('resumed');
  });
});

describe('resume refused', () => {
  it('after the grace window: others saw reconnecting, stream-removed and peer-left timeout; fresh join with resumeError', async () => {
    const { r, alice, bob, session } = await setup();
    await dropAndWait(r, 'alice', alice);
    expect(await bob.next('peer-reconnecting')).toMatchObject({ user: 'alice' });
    expect(await bob.next('stream-removed')).toMatchObject({ stream: 'alice:main', reason: 'peer-left' });
    expect(await bob.next('peer-left')).toMatchObject({ user: 'alice', reason: 'timeout' });
    const { client, ack } = await resume(r, 'alice', session, alice.lastSeq as number);
    if (ack.mode !== 'joined') throw new Error(`expected joined, got ${ack.mode}`);
    expect(ack.session).not.toBe(session);
    expect(ack.seq).toBe(0);
    expect(ack.resumeError).toEqual({ code: 'SESSION_NOT_FOUND', reason: expect.any(String) });
    expect(ack.publications).toEqual([]);
    expect(ack.subscriptions).toEqual([]);
    expect(ack.streams.map((s) => s.id)).toEqual(['bob:main']);
    // bob's pushes: stream-added, peer-reconnecting, stream-removed, peer-left, then this one.
    expect((await bob.next('peer-joined', (p) => p.peer.user === 'alice')).seq).toBe(5);
    await client.sync();
  });

  it('for an unknown session id', async () => {
    const r = room();
    const { ack } = await resume(r, 'alice', 'no-such-session', 3);
    expect(ack).toMatchObject({ mode: 'joined', seq: 0, resumeError: { code: 'SESSION_NOT_FOUND' } });
  });

  it("for someone else's session: the other session is not touched", async () => {
    const { r, alice, session } = await setup();
    const { ack } = await resume(r, 'carol', session, 0);
    expect(ack).toMatchObject({ mode: 'joined', resumeError: { code: 'SESSION_NOT_FOUND' } });
    expect(ack.session).not.toBe(session);
    // alice still owns her session and socket.
    await alice.ok('mute-local', { stream: 'alice:main', audio: true });
  });

  it('when the room was dropped with its last session', async () => {
    const r = room();
    const { client, ack } = await Client.join(server, r, 'solo');
    await dropAndWait(r, 'solo', client);
    await until(r, 'solo', 'none');
    const again = await resume(r, 'solo', ack.session, 0);
    expect(again.ack).toMatchObject({ mode: 'joined', resumeError: { code: 'SESSION_NOT_FOUND' } });
  });
});
