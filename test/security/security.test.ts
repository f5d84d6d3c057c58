/**
 * Security of the reference server (docs/security.md): one test per threat. Each attack is
 * refused with its documented code or close code, and a bystander in the room carries on
 * unaffected. Every test here fails when its protection is removed (the mutation checks at the
 * end of docs/security.md list how each was verified).
 */
import { connect } from 'node:net';
import WebSocket from 'ws';
import type { RunningServer } from '../../server';
import { Client, closeClients, http, startTestServer, token } from '../server/support';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({
    adminSecret: 'admin-secret',
    joinTimeout: 300,
    rateLimit: 20,
    rateBurst: 20,
    maxConnectionsPerIp: 12,
    maxPendingPerIp: 8,
    headersTimeout: 1000,
  });
});
afterEach(closeClients);
afterAll(() => server.close());

let n = 0;
const room = () => `sec-${++n}`;

/** A bystander: joined, publishing, and still served normally after each attack. */
async function bystander(r: string) {
  const { client } = await Client.join(server, r, 'bystander');
  await client.ok('publish', { audio: true, video: true });
  return {
    client,
    stillServed: async () => {
      await client.ok('attrs-set', { attributes: { alive: String(Date.now()) } });
      expect(client.violations).toEqual([]);
    },
  };
}

/** Tries to join `r` as `user` with a token made by `make`, and returns the refusal's code. */
async function joinRefused(
  r: string,
  user: string,
  tok: string,
  body: Partial<{ room: string; user: string }> = {},
) {
  const client = await Client.open(server.url);
  const error = await client.fail('join', { token: tok, room: body.room ?? r, user: body.user ?? user });
  return error.code;
}

describe('tokens', () => {
  it('refuses a missing token (TOKEN_MISSING)', async () => {
    const r = room();
    const b = await bystander(r);
    expect(await joinRefused(r, 'mallory', '')).toBe('TOKEN_MISSING');
    await b.stillServed();
  });

  it('refuses a forged token: signed with another secret (TOKEN_INVALID)', async () => {
    const r = room();
    const b = await bystander(r);
    expect(
      await joinRefused(r, 'mallory', await token(r, 'mallory', { secret: 'not-the-secret-0123456789' })),
    ).toBe('TOKEN_INVALID');
    await b.stillServed();
  });

  it('refuses a token whose payload was edited after signing (TOKEN_INVALID)', async () => {
    const r = room();
    const good = await token(r, 'mallory', { publish: false });
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      privileges: { publish: boolean };
    };
    claims.privileges.publish = true;
    const edited = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expect(await joinRefused(r, 'mallory', edited)).toBe('TOKEN_INVALID');
  });

  it('refuses an expired token (TOKEN_EXPIRED)', async () => {
    const r = room();
    expect(await joinRefused(r, 'mallory', await token(r, 'mallory', { exp: -60 }))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token that is not yet valid (TOKEN_NOT_YET_VALID)', async () => {
    const r = room();
    expect(await joinRefused(r, 'mallory', await token(r, 'mallory', { nbf: 600 }))).toBe(
      'TOKEN_NOT_YET_VALID',
    );
  });

  it.each([
    ['another room', { room: 'other-room' }],
    ['another user', { user: 'someone-else' }],
  ])('refuses a token for %s (TOKEN_MISMATCH)', async (_what, body) => {
    const r = room();
    const b = await bystander(r);
    expect(await joinRefused(r, 'mallory', await token(r, 'mallory'), body)).toBe('TOKEN_MISMATCH');
    await b.stillServed();
  });

  it('refuses a token for another app (TOKEN_MISMATCH)', async () => {
    const r = room();
    expect(await joinRefused(r, 'mallory', await token(r, 'mallory', { app: 'another-app' }))).toBe(
      'TOKEN_MISMATCH',
    );
  });
});

describe('privileges', () => {
  it('a subscribe-only token cannot publish (NOT_ALLOWED)', async () => {
    const r = room();
    const b = await bystander(r);
    const { client } = await Client.join(server, r, 'viewer', {}, { publish: false });
    expect((await client.fail('publish', { audio: true, video: true })).code).toBe('NOT_ALLOWED');
    await b.stillServed();
    expect(b.client.pushTypes()).not.toContain('stream-added');
  });

  it('an invisible user cannot publish (NOT_ALLOWED)', async () => {
    const r = room();
    const { client } = await Client.join(server, r, 'ghost', { visible: false });
    expect((await client.fail('publish', { audio: true, video: true })).code).toBe('NOT_ALLOWED');
  });

  it("a user cannot unpublish or mute another user's stream (NOT_PUBLISHED)", async () => {
    const r = room();
    const b = await bystander(r);
    const { client } = await Client.join(server, r, 'mallory');
    expect((await client.fail('unpublish', { stream: 'bystander:main' })).code).toBe('NOT_PUBLISHED');
    expect((await client.fail('mute-local', { stream: 'bystander:main', audio: true })).code).toBe(
      'NOT_PUBLISHED',
    );
    // the stream is untouched: mallory still sees it, unmuted
    const ack = await client.ok('subscribe', { stream: 'bystander:main' });
    expect(ack).toMatchObject({ stream: 'bystander:main', audioMuted: false });
    await b.stillServed();
    // the owner saw no stream-removed or stream-updated for its stream
    expect(b.client.pushTypes().filter((t) => t.startsWith('stream-'))).toEqual([]);
  });

  it('a subscribe-less token cannot subscribe (NOT_ALLOWED)', async () => {
    const r = room();
    await bystander(r);
    const { client } = await Client.join(server, r, 'blind', {}, { subscribe: false });
    expect((await client.fail('subscribe', { stream: 'bystander:main' })).code).toBe('NOT_ALLOWED');
  });
});

describe('no leakage between rooms', () => {
  it('messages, attributes and peer events stay in their room; streams of another room cannot be subscribed', async () => {
    const a = room();
    const b = room();
    const { client: alice } = await Client.join(server, a, 'alice');
    const { client: bob } = await Client.join(server, b, 'bob');
    await bob.ok('publish', { audio: true, video: true });
    await alice.ok('message', { name: 'chat', content: 'secret of room a' });
    await alice.ok('attrs-set', { attributes: { secret: 'a' } });
    expect((await alice.fail('message', { name: 'dm', content: 'psst', to: 'bob' })).code).toBe(
      'USER_NOT_FOUND',
    );
    expect((await alice.fail('subscribe', { stream: 'bob:main' })).code).toBe('STREAM_NOT_FOUND');
    expect(await bob.ok('attrs-get', {})).toEqual({ attributes: {} });
    await bob.sync();
    expect(bob.pushTypes()).toEqual([]);
    await alice.sync();
    expect(alice.pushTypes()).toEqual(['attributes-changed']);
  });

  it('a resume cannot take over a session of another user or room (the token binds the session)', async () => {
    const r = room();
    const { client: victim, ack } = await Client.join(server, r, 'victim');
    const attacker = await Client.open(server.url);
    const taken = await attacker.ok('join', {
      token: await token(r, 'attacker'),
      room: r,
      user: 'attacker',
      resume: { session: ack.session, seq: 0 },
    });
    expect(taken).toMatchObject({ mode: 'joined', resumeError: { code: 'SESSION_NOT_FOUND' } });
    expect(taken.session).not.toBe(ack.session);
    await victim.ok('attrs-get', {}); // the victim's socket was not touched
  });
});

describe('abuse of resources', () => {
  it('closes a connection that sends an oversized frame with 1009; the room goes on', async () => {
    const r = room();
    const b = await bystander(r);
    const { client } = await Client.join(server, r, 'mallory');
    client.sendRaw(JSON.stringify({ v: 1, t: 'message', id: 99, name: 'x', content: 'x'.repeat(70_000) }));
    expect((await client.waitClose()).code).toBe(1009);
    await b.stillServed();
  });

  it('answers a request flood with RATE_LIMITED and then closes with 1008; the room goes on', async () => {
    const r = room();
    const b = await bystander(r);
    const { client } = await Client.join(server, r, 'flooder');
    for (let i = 0; i < 200; i++) client.sendRaw(JSON.stringify({ v: 1, t: 'ping', id: 1000 + i }));
    expect((await client.waitClose()).code).toBe(1008);
    const refused = client.frames.filter((f) => f.t === 'ack' && !f.ok && f.error.code === 'RATE_LIMITED');
    expect(refused.length).toBeGreaterThan(0);
    await b.stillServed();
  });

  it('refuses more sockets from one address than allowed (HTTP 429), and serves again once they close', async () => {
    const r = room();
    const b = await bystander(r);
    const sockets: WebSocket[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const ws = new WebSocket(server.url);
      sockets.push(ws);
      statuses.push(
        await new Promise<number>((resolve) => {
          ws.on('open', () => resolve(101));
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('error', () => undefined);
        }),
      );
    }
    // the bystander holds one of the 12 allowed; 11 more open, the rest are refused
    expect(statuses.filter((s) => s === 101)).toHaveLength(11);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    await b.stillServed();
    await Promise.all(
      sockets.map((ws) =>
        ws.readyState === WebSocket.OPEN ? new Promise((res) => (ws.once('close', res), ws.close())) : null,
      ),
    );
    const again = await Client.open(server.url);
    await again.ok('join', { token: await token(r, 'late'), room: r, user: 'late' });
  });

  it('cuts 200 unfinished upgrades from one address: beyond 8 at once, the rest by the headers timeout (408)', async () => {
    const r = room();
    const b = await bystander(r);
    // The attacker comes from another loopback address, so the per-address limits are its own.
    const outcomes = Array.from({ length: 200 }, () => {
      const socket = connect({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.2' });
      let answer = '';
      socket.on('connect', () => socket.write(`GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n`));
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      socket.on('error', () => undefined);
      return new Promise<string>((resolve) =>
        socket.on('close', () => resolve(answer.split('\r\n')[0] || 'closed without an answer')),
      );
    });
    // Meanwhile the room goes on and a newcomer from the usual address gets in.
    await b.stillServed();
    const late = await Client.open(server.url);
    await late.ok('join', { token: await token(r, 'newcomer'), room: r, user: 'newcomer' });
    const all = await Promise.all(outcomes);
    const timedOut = all.filter((a) => a === 'HTTP/1.1 408 Request Timeout').length;
    const refused = all.filter((a) => a === 'closed without an answer').length;
    // Every one is cut. 8 at a time may wait for their headers; on a loaded machine a socket can
    // still be connecting when one of the first 8 is cut and then take its place.
    expect(timedOut + refused).toBe(200);
    expect(timedOut).toBeGreaterThanOrEqual(8);
    expect(refused).toBeGreaterThan(100);
    await b.stillServed();
    await late.ok('attrs-get', {});
  });

  it('closes a socket that never joins (slow loris) with 4003, even if it pings', async () => {
    const lazy = await Client.open(server.url);
    lazy.sendRaw(JSON.stringify({ v: 1, t: 'ping', id: 1 }));
    expect((await lazy.waitClose()).code).toBe(4003);
  });
});

describe('admin API', () => {
  it.each([
    ['no secret', {}],
    ['a wrong secret', { secret: 'guess' }],
    ['a non-Bearer scheme', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
  ])('refuses %s with 401 and does nothing', async (_what, auth) => {
    const r = room();
    const b = await bystander(r);
    for (const [method, path, body] of [
      ['GET', '/admin/rooms', undefined],
      ['POST', `/admin/rooms/${r}/kick`, { user: 'bystander' }],
      ['DELETE', `/admin/rooms/${r}`, undefined],
    ] as const) {
      const res = await http(server, method, path, { ...auth, ...(body ? { body } : {}) });
      expect(res.status).toBe(401);
    }
    await b.stillServed();
  });
});
