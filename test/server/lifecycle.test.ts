/**
 * The server as a whole: start, close and restart on the same port, timers, stats, options,
 * logging, media URLs and their refresh (`url-updated`).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../server';
import { macMatches, parseMediaToken, type MediaTokenFields } from '../../server/media-token';
import { Client, closeClients, eventually, SECRET, startTestServer, token } from './support';

afterEach(closeClients);

describe('close and restart', () => {
  it('closes every socket with 1000, frees the port, and a new server can take it at once', async () => {
    const server = await startTestServer();
    const { client: joined } = await Client.join(server, 'r', 'alice');
    const unjoined = await Client.open(server.url);
    await server.close();
    expect(await joined.waitClose()).toEqual({ code: 1000, reason: 'server shutdown' });
    expect(await unjoined.waitClose()).toEqual({ code: 1000, reason: 'server shutdown' });

    const again = await startTestServer({ port: server.port });
    try {
      expect(again.port).toBe(server.port);
      expect(again.url).toBe(`ws://127.0.0.1:${server.port}`);
      expect(again.httpUrl).toBe(`http://127.0.0.1:${server.port}`);
      // The old sessions are gone: a resume is a fresh join.
      const { ack } = await Client.join(again, 'r', 'alice');
      expect(ack.mode).toBe('joined');
    } finally {
      await again.close();
    }
  });

  // The server's own timers (server/timers.ts), not the process's: other work in the process
  // (clients, Jest) holds timers too, and counting those against a baseline is not a test.
  it('stops every timer: grace windows, heartbeats, join timeouts, media refresh', async () => {
    const server = await startTestServer({ grace: 60_000, mediaTokenTtl: 60_000 });
    const { client: alice } = await Client.join(server, 'r', 'alice');
    const { client: bob } = await Client.join(server, 'r', 'bob');
    await alice.ok('publish', { audio: true, video: true });
    await bob.ok('subscribe', { stream: 'alice:main' });
    bob.drop(); // bob's session waits in a 60 s grace window
    await Client.open(server.url); // a join timeout runs
    await eventually(() => server.stats().graceSessions === 1, 'bob in grace');
    expect(server.stats().timers).toEqual({
      join: 1, // the socket that never joins
      heartbeat: 1, // alice's socket
      close: 0,
      grace: 1, // bob's session
      'media-refresh': 2, // alice publishes, bob subscribes
      'media-lost': 0,
      cluster: 0,
      token: 2, // alice's and bob's tokens (token-expiring)
    });
    await server.close();
    expect(server.stats().timers).toEqual({
      join: 0,
      heartbeat: 0,
      close: 0,
      grace: 0,
      'media-refresh': 0,
      'media-lost': 0,
      cluster: 0,
      token: 0,
    });
  });

  it('is idempotent', async () => {
    const server = await startTestServer();
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    await server.close();
    expect(server.stats()).toMatchObject({ rooms: 0, sessions: 0, connections: 0 });
  });

  it('refuses new connections while closed', async () => {
    const server = await startTestServer();
    await server.close();
    await expect(Client.open(server.url)).rejects.toThrow();
  });

  it('fails to start on a port in use', async () => {
    const server = await startTestServer();
    try {
      await expect(startTestServer({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await server.close();
    }
  });
});

describe('stats', () => {
  it('counts rooms, sessions, connections, grace, streams, frames', async () => {
    const server = await startTestServer({ grace: 60_000 });
    try {
      expect(server.stats()).toMatchObject({ rooms: 0, sessions: 0, connections: 0, joins: 0 });
      const { client: alice } = await Client.join(server, 'r1', 'alice');
      const { client: bob } = await Client.join(server, 'r2', 'bob');
      await alice.ok('publish', { audio: true, video: true });
      await Client.open(server.url);
      bob.drop();
      await eventually(() => server.stats().graceSessions === 1, 'bob in grace');
      expect(server.stats()).toEqual({
        rooms: 2,
        sessions: 2,
        connectedSessions: 1,
        graceSessions: 1,
        connections: 2,
        streams: 1,
        framesIn: 3,
        rateLimited: 0,
        joins: 2,
        resumes: 0,
        timers: {
          join: 1,
          heartbeat: 1,
          close: 0,
          grace: 1,
          'media-refresh': 1,
          'media-lost': 0,
          token: 2,
          cluster: 0,
        },
      });
    } finally {
      await server.close();
    }
  });
});

describe('options', () => {
  it.each([
    [{ port: -1 }, /port/],
    [{ port: 70000 }, /port/],
    [{ grace: 1.5 }, /grace/],
    [{ maxVisible: 0 }, /maxVisible/],
    [{ heartbeatInterval: 5000, heartbeatTimeout: 5000 }, /heartbeatInterval/],
    [{ maxFrameBytes: 1_000_000 }, /maxFrameBytes/],
    [{ duplicateUser: 'ignore' as 'kick' }, /duplicateUser/],
    [{ logLevel: 'loud' as 'info' }, /logLevel/],
    [{ secret: '' }, /secret/],
  ])('refuses %j', async (options, message) => {
    await expect(startServer({ port: 0, ...options })).rejects.toThrow(message);
  });

  it('announces its defaults in the join ack', async () => {
    const server = await startServer({ port: 0 });
    try {
      const client = await Client.open(server.url);
      const ack = await client.ok('join', {
        token: await token('r', 'u', { secret: 'rxroom-dev-secret' }),
        room: 'r',
        user: 'u',
      });
      expect(ack).toMatchObject({ heartbeat: { interval: 10_000, timeout: 30_000 }, grace: 20_000 });
      expect(server.options).toMatchObject({
        maxVisible: 20,
        maxPublishers: 8,
        replayBuffer: 256,
        duplicateUser: 'kick',
      });
    } finally {
      await server.close();
    }
  });

  it('checks tokens against its app id', async () => {
    const server = await startTestServer({ appId: 'my-app' });
    try {
      const client = await Client.open(server.url);
      expect((await client.fail('join', { token: await token('r', 'u'), room: 'r', user: 'u' })).code).toBe(
        'TOKEN_MISMATCH',
      );
      await client.ok('join', { token: await token('r', 'u', { app: 'my-app' }), room: 'r', user: 'u' });
    } finally {
      await server.close();
    }
  });
});

describe('logging', () => {
  const capture = () => {
    const lines: { level: number; msg: string }[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    });
    return { lines, logger: pino({ level: 'info' }, stream) };
  };

  it('warns when it runs with the public development secret, and logs joins', async () => {
    const { lines, logger } = capture();
    const server = await startServer({ port: 0, logger });
    try {
      const client = await Client.open(server.url);
      await client.ok('join', {
        token: await token('r', 'u', { secret: 'rxroom-dev-secret' }),
        room: 'r',
        user: 'u',
      });
      await eventually(() => lines.some((l) => l.msg === 'joined'), 'join log');
      expect(lines.find((l) => l.level === 40)?.msg).toMatch(/development token secret/);
    } finally {
      await server.close();
    }
  });

  it('does not warn with a secret of its own', async () => {
    const { lines, logger } = capture();
    const server = await startServer({ port: 0, logger, secret: 'mine' });
    await server.close();
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    expect(lines.map((l) => l.msg)).toEqual(['listening', 'closed']);
  });
});

describe('media URLs', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({
      mediaTokenTtl: 400,
      grace: 2000,
      pushTemplate: 'rtmp://m/{room}/{user}/{kind}/{stream}?t={token}',
      playTemplate: 'http://m/{room}/{stream}.flv?t={token}',
    });
  });
  afterAll(() => server.close());

  const tokenOf = (url: string) => new URL(url.replace(/^rtmp:/, 'http:')).searchParams.get('t') as string;
  /** The token of `url`, checked against the fields it must bind; returns its expiry. */
  const expOf = (url: string, fields: Omit<MediaTokenFields, 'app' | 'exp'>): number => {
    const parsed = parseMediaToken(tokenOf(url));
    if (!parsed) throw new Error(`not a media token: ${url}`);
    expect(parsed.direction).toBe(fields.direction);
    expect(macMatches(SECRET, parsed, { app: 'rxroom', ...fields, exp: parsed.exp })).toBe(true);
    // The same token does not pass for another holder or direction.
    expect(macMatches(SECRET, parsed, { app: 'rxroom', ...fields, holder: 'x', exp: parsed.exp })).toBe(
      false,
    );
    return parsed.exp;
  };

  it('fills every placeholder, URI-encoding ids', async () => {
    const { client } = await Client.join(server, 'room+1', 'a@b');
    const pub = await client.ok('publish', { kind: 'screen', audio: false, video: true });
    expect(pub.url).toMatch(
      /^rtmp:\/\/m\/room%2B1\/a%40b\/screen\/a%40b_screen\?t=[0-9a-z]+\.push\.[\w-]{11}\.[\w-]{22}$/,
    );
    expect(
      expOf(pub.url, { room: 'room+1', holder: 'a@b', stream: 'a@b:screen', direction: 'push' }),
    ).toBeGreaterThan(Date.now() / 1000);
  });

  it('names the subscriber in play tokens', async () => {
    const { client: alice } = await Client.join(server, 'play', 'alice');
    const { client: bob } = await Client.join(server, 'play', 'bob');
    await alice.ok('publish', { audio: true, video: true });
    const sub = await bob.ok('subscribe', { stream: 'alice:main' });
    expect(sub.url).toMatch(/^http:\/\/m\/play\/alice_main\.flv\?t=/);
    expOf(sub.url, { room: 'play', holder: 'bob', stream: 'alice:main', direction: 'play' });
  });

  it('re-issues URLs before their media token expires with url-updated, to the holder only', async () => {
    const { client: alice } = await Client.join(server, 'refresh', 'alice');
    const { client: bob } = await Client.join(server, 'refresh', 'bob');
    const pub = await alice.ok('publish', { audio: true, video: true });
    const sub = await bob.ok('subscribe', { stream: 'alice:main' });
    // 80 % of the 400 ms token lifetime.
    const pushUpdate = await alice.next('url-updated');
    expect(pushUpdate).toMatchObject({ stream: 'alice:main', direction: 'push' });
    const playUpdate = await bob.next('url-updated');
    expect(playUpdate).toMatchObject({ stream: 'alice:main', direction: 'play' });
    const push = { room: 'refresh', holder: 'alice', stream: 'alice:main', direction: 'push' } as const;
    const play = { room: 'refresh', holder: 'bob', stream: 'alice:main', direction: 'play' } as const;
    expect(expOf(pushUpdate.url, push)).toBeGreaterThanOrEqual(expOf(pub.url, push));
    expect(expOf(playUpdate.url, play)).toBeGreaterThanOrEqual(expOf(sub.url, play));
    expect(alice.pushes('url-updated').every((p) => p.direction === 'push')).toBe(true);
    expect(bob.pushes('url-updated').every((p) => p.direction === 'play')).toBe(true);
    // Still refreshing: a second round comes.
    await alice.next('url-updated');
    // Nothing left to refresh after unpublish: the timer stops (checked by the close test's timer count).
    await bob.ok('unsubscribe', { stream: 'alice:main' });
    await alice.ok('unpublish', { stream: 'alice:main' });
  });
});
