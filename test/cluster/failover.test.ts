/**
 * Failures of the multi-node server (issue 18, what 3), with a throwaway Redis and three node
 * processes: a room's node dies (its sessions move to one survivor, and those whose clients never
 * come back leave exactly once), a node freezes past its TTL and wakes, a room empties. (A Redis
 * restart without its data is in integration.test.ts.)
 *
 * Raw protocol clients (test/server/support), so every push is counted. Nothing here asserts a
 * duration.
 */
import { Redis } from 'ioredis';
import { DEV_SECRET } from '../../server';
import { main, type CliIo } from '../../server/cli-main';
import type { JoinAckData } from '../../src/protocol';
import { nginxForm, postForm, split } from '../server/media-forms';
import { Client, closeClients, token } from '../server/support';
import { startCluster, withClusterLogs, type Cluster } from '../support/cluster';

const WAIT = 30_000;
jest.setTimeout(120_000);

let cluster: Cluster | undefined;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3, grace: 3000, nodeTtl: 1000, flags: { 'media-hooks': true } });
}, 120_000);

afterEach(async () => {
  await closeClients();
  for (const node of cluster?.nodes ?? []) if (!node.alive()) await node.restart();
});

afterAll(async () => {
  await cluster?.stop();
});

function scenario(name: string, body: () => Promise<void>): void {
  it(
    name,
    withClusterLogs(() => cluster, body),
  );
}

interface Member {
  readonly user: string;
  readonly room: string;
  client: Client;
  ack: JoinAckData;
}

/**
 * Runs `rxroom-server` in this process (the CLI's `main`) as node `id` of the cluster; its stderr
 * goes to `err`. Stop what it returns (`stop`) if it serves.
 */
function cliNode(id: string, err: string[] = []): ReturnType<typeof main> {
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (t) => void err.push(t),
    env: {},
    onSignal: () => () => undefined,
    exit: () => undefined,
  };
  const redis = cluster!.redis.url;
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--redis',
    redis,
    '--node-id',
    id,
    '--node-ttl',
    '1000',
  ];
  return main([...args, '--log-level', 'silent'], io);
}

async function join(url: string, room: string, user: string): Promise<Member> {
  const client = await Client.open(url);
  const ack = await client.ok('join', { token: await token(room, user, { secret: DEV_SECRET }), room, user });
  return { user, room, client, ack };
}

/** Opens a new socket to `url` and resumes the member's session from the last push it saw. */
async function resume(m: Member, url: string): Promise<JoinAckData> {
  const seq = m.client.lastSeq ?? m.ack.seq;
  m.client = await Client.open(url);
  m.ack = await m.client.ok('join', {
    token: await token(m.room, m.user, { secret: DEV_SECRET }),
    room: m.room,
    user: m.user,
    resume: { session: m.ack.session, seq },
  });
  return m.ack;
}

/** The join ack of a fresh join or a snapshot (which carry the room's state). */
function full(ack: JoinAckData): Extract<JoinAckData, { peers: unknown }> {
  if (ack.mode === 'resumed') throw new Error('expected a join ack with the room state, got resumed');
  return ack;
}

interface Stats {
  nodes: { node: string; rooms: number; sessions: number }[];
}

/**
 * The entries for `room` in the cluster's room list, which gathers every live node's rooms: one
 * entry when exactly one node serves it. (Rooms of earlier tests may still wait out a grace window.)
 */
async function roomsNamed(room: string): Promise<{ node: string; sessions: number; connected: number }[]> {
  const list = await cluster!.admin<{
    rooms: { room: string; node: string; sessions: number; connected: number }[];
  }>('/admin/rooms');
  return list.body.rooms.filter((r) => r.room === room);
}

scenario(
  'the sessions of a dead node move to one survivor; those never resumed leave exactly once',
  async () => {
    const c = cluster!;
    const [n1, n2, n3] = c.nodes;
    const room = 'failover-dead-home';
    // The first join claims the room for the node it reaches: n1 is its home.
    const lost = await join(n1!.url, room, 'lost');
    await lost.client.ok('publish', { audio: true, video: true });
    const o2 = await join(n2!.url, room, 'o2');
    const o3 = await join(n3!.url, room, 'o3');
    expect(
      full(o3.ack)
        .peers.map((p) => p.user)
        .sort(),
    ).toEqual(['lost', 'o2']);
    expect((await c.admin<{ node: string }>(`/admin/rooms/${room}`, n3)).body.node).toBe('n1');

    await n1!.kill();
    // o2's and o3's doors live, their home is gone: each door closes its socket with 1012.
    expect((await o2.client.waitClose(WAIT)).code).toBe(1012);
    expect((await o3.client.waitClose(WAIT)).code).toBe(1012);
    // Resuming on their own nodes: one survivor took the room over (a snapshot, as the dead node's
    // last writes may be missing); `lost` is there, reconnecting, with its stream.
    for (const [m, url] of [
      [o2, n2!.url],
      [o3, n3!.url],
    ] as const) {
      const ack = await resume(m, url);
      expect(ack.mode).toBe('snapshot');
      expect(ack.session).toBe(m.ack.session);
      expect(full(ack).peers.find((p) => p.user === 'lost')).toMatchObject({ reconnecting: true });
      expect(full(ack).streams.map((s) => s.id)).toEqual(['lost:main']);
    }
    // `lost` never comes back: after its grace window both see its stream go and it leave, once.
    for (const m of [o2, o3]) {
      await m.client.next('peer-left', (p) => p.user === 'lost');
      await m.client.sync();
    }
    for (const m of [o2, o3]) {
      expect(m.client.pushes('stream-removed').map((p) => [p.stream, p.reason])).toEqual([
        ['lost:main', 'peer-left'],
      ]);
      expect(m.client.pushes('peer-left').map((p) => [p.user, p.reason])).toEqual([['lost', 'timeout']]);
    }
    // One node holds the room, and the cluster counts o2 and o3 only.
    const stats = (await c.admin<Stats>('/admin/stats', n2)).body;
    expect(stats.nodes.map((n) => n.node)).toEqual(['n2', 'n3']);
    expect(await roomsNamed(room)).toEqual([expect.objectContaining({ sessions: 2, connected: 2 })]);
    // Redis agrees: two members, and nothing left of the dead run of n1.
    const redis = new Redis(c.redis.url);
    try {
      expect((await redis.hkeys(`rxroom:room:{${room}}:members`)).sort()).toEqual(
        [o2.ack.session, o3.ack.session].sort(),
      );
      expect(await redis.keys('rxroom:owner:n1/*')).toEqual([]);
      expect(Object.keys(await redis.hgetall('rxroom:nodes')).sort()).toEqual(['n2', 'n3']);
    } finally {
      redis.disconnect();
    }
  },
);

scenario(
  'a node frozen past its TTL finds its room moved when it wakes: its clients resume on the new home',
  async () => {
    const c = cluster!;
    const [n1, n2] = c.nodes;
    const room = 'failover-frozen';
    const a = await join(n1!.url, room, 'a');
    await a.client.ok('attrs-set', { attributes: { topic: 'frozen' } });
    const b = await join(n2!.url, room, 'b');
    expect((await c.admin<{ node: string }>(`/admin/rooms/${room}`, n2)).body.node).toBe('n1');
    process.kill(n1!.pid, 'SIGSTOP');
    try {
      // n1 is silent past its TTL: a survivor takes the room over and b's door lets b go.
      expect((await b.client.waitClose(WAIT)).code).toBe(1012);
      const ack = await resume(b, n2!.url);
      expect(ack.mode).toBe('snapshot');
      expect(full(ack).attributes).toEqual({ topic: 'frozen' });
    } finally {
      process.kill(n1!.pid, 'SIGCONT');
    }
    // n1 wakes up, finds it was dropped from the cluster and closes what it held: a resumes (its
    // door is n1 again) on the room's new home.
    expect((await a.client.waitClose(WAIT)).code).toBe(1012);
    const again = await resume(a, n1!.url);
    expect(again.session).toBe(a.ack.session);
    expect(full(again).peers.map((p) => p.user)).toEqual(['b']);
    const truth = (
      await c.admin<{ node: string; sessions: { user: string; connected: boolean }[] }>(
        `/admin/rooms/${room}`,
        n1,
      )
    ).body;
    expect(truth.node).not.toBe('n1');
    expect(truth.sessions.map((s) => `${s.user}:${s.connected}`).sort()).toEqual(['a:true', 'b:true']);
    expect(await roomsNamed(room)).toEqual([expect.objectContaining({ sessions: 2, connected: 2 })]);
  },
);

scenario('a stopped node hands its room over: a resume replays what was missed from the stream', async () => {
  const c = cluster!;
  const [n1, n2, n3] = c.nodes;
  const room = 'failover-stopped';
  const a = await join(n1!.url, room, 'a');
  const b = await join(n2!.url, room, 'b');
  await a.client.ok('publish', { audio: true, video: true });
  await b.client.next('stream-added');
  // b loses its connection; while it is away (in its grace window on n1) a changes an attribute.
  const seen = b.client.lastSeq;
  b.client.drop();
  await until(async () => {
    const view = await c.admin<{ sessions: { user: string; connected: boolean }[] }>(
      `/admin/rooms/${room}`,
      n3,
    );
    return view.body.sessions.some((s) => s.user === 'b' && !s.connected);
  });
  await a.client.ok('attrs-set', { attributes: { while: 'away' } });
  // n1 writes the room through and gives it up, then closes its sockets.
  await n1!.stop();
  expect((await a.client.waitClose(WAIT)).code).toBe(1012);
  // b resumes from the number it had: the next home loaded the room's stream and replays the push.
  expect(await resume(b, n2!.url)).toMatchObject({ mode: 'resumed', session: b.ack.session, seq: seen });
  const replayed = await b.client.next('attributes-changed');
  expect(replayed).toMatchObject({ seq: (seen ?? 0) + 1, set: { while: 'away' }, by: 'a' });
  expect(await resume(a, n3!.url)).toMatchObject({ mode: 'resumed', session: a.ack.session });
  // The numbering goes on (the test client fails on any gap in seq): a was seen reconnecting (all
  // sessions of a room handed over wait for their clients) and back, then its new change.
  await a.client.ok('attrs-set', { attributes: { after: 'handover' } });
  await b.client.next('attributes-changed', (p) => 'after' in p.set);
  expect(b.client.pushes().map((p) => [p.seq, p.t])).toEqual([
    [(seen ?? 0) + 1, 'attributes-changed'],
    [(seen ?? 0) + 2, 'peer-reconnecting'],
    [(seen ?? 0) + 3, 'peer-reconnected'],
    [(seen ?? 0) + 4, 'attributes-changed'],
  ]);
  expect(await roomsNamed(room)).toEqual([expect.objectContaining({ sessions: 2, connected: 2 })]);
});

/** Polls an async condition (the admin API and Redis have no stream to watch), for at most {@link WAIT}. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

scenario("a media hook may reach any node: the node serving the stream's room answers it", async () => {
  const c = cluster!;
  const [n1, n2, n3] = c.nodes;
  const room = 'failover-hooks';
  const a = await join(n1!.url, room, 'a');
  const b = await join(n2!.url, room, 'b');
  const pub = await a.client.ok('publish', { audio: true, video: true });
  expect((await b.client.next('stream-added')).stream.media).toBe('pending');
  const { name, args } = split(pub.url);
  // nginx-rtmp calls n3, which neither serves the room nor holds a client of it.
  expect(await postForm(n3!, '/media/on_publish', nginxForm('publish', name, args))).toMatchObject({
    status: 200,
  });
  expect((await b.client.next('stream-updated')).stream.media).toBe('live');
  // A stream no node follows is refused, wherever the hook lands.
  const unknown = nginxForm('publish', `${name}0`, args);
  expect((await postForm(n2!, '/media/on_publish', unknown)).status).toBe(403);
});

scenario('a room whose clients all left is gone from Redis', async () => {
  const c = cluster!;
  const room = 'failover-empty';
  const a = await join(c.nodes[0]!.url, room, 'a');
  const b = await join(c.nodes[1]!.url, room, 'b');
  await b.client.ok('leave', {});
  await a.client.ok('leave', {});
  const redis = new Redis(c.redis.url);
  try {
    await until(async () => (await redis.keys(`rxroom:room:{${room}}:*`)).length === 0);
  } finally {
    redis.disconnect();
  }
});

scenario(
  "a dead run's index may list rooms it never owned: its sweep leaves a live home's room alone and forgets an ownerless one",
  async () => {
    const c = cluster!;
    const [n1, n2] = c.nodes;
    const live = 'failover-index-live';
    const ownerless = 'failover-index-ownerless';
    const a = await join(n1!.url, live, 'a');
    const b = await join(n2!.url, live, 'b');
    const redis = new Redis(c.redis.url);
    try {
      // A run that listed both rooms in its index and died before its claims (a room goes into the
      // index first): it is in the node hash, its liveness key is gone.
      await redis.sadd('rxroom:owner:ghost/0dead0:rooms', live, ownerless);
      await redis.set(`rxroom:room:{${ownerless}}:meta`, JSON.stringify({ createdAt: Date.now() }));
      await redis.hset('rxroom:nodes', 'ghost', '0dead0');
      await until(async () => (await redis.hget('rxroom:nodes', 'ghost')) === null);
      expect(await redis.keys('rxroom:owner:ghost/*')).toEqual([]);
      // The live room keeps its home and its members; the ownerless one's leftovers are gone.
      expect(await redis.get(`rxroom:room:{${live}}:owner`)).toMatch(/^n1\//);
      expect(await redis.keys(`rxroom:room:{${ownerless}}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
    await a.client.ok('message', { name: 'chat', content: 'still here' });
    expect((await b.client.next('message')).content).toBe('still here');
    await b.client.sync();
    expect(b.client.pushes('peer-left')).toEqual([]);
    expect(await roomsNamed(live)).toEqual([
      expect.objectContaining({ node: 'n1', sessions: 2, connected: 2 }),
    ]);
  },
);

scenario(
  'a second node started under the id of a running one is refused; the running one is untouched',
  async () => {
    const c = cluster!;
    const [, n2, n3] = c.nodes;
    const room = 'failover-duplicate-id';
    const a = await join(n2!.url, room, 'a');
    const b = await join(n3!.url, room, 'b');
    const redis = new Redis(c.redis.url);
    try {
      const run = await redis.get('rxroom:node:n2');
      expect(run).not.toBeNull();
      const err: string[] = [];
      const outcome = await cliNode('n2', err);
      await outcome.stop?.(); // were it started after all
      expect(outcome.exitCode).toBe(1);
      expect(err.join('')).toMatch(/node id n2 is in use by a running node/);
      // n2 keeps its run, its room and its clients.
      expect(await redis.get('rxroom:node:n2')).toBe(run);
      expect(await redis.hget('rxroom:nodes', 'n2')).toBe(run);
    } finally {
      redis.disconnect();
    }
    await b.client.ok('message', { name: 'chat', content: 'after' });
    expect((await a.client.next('message')).content).toBe('after');
    expect(await roomsNamed(room)).toEqual([
      expect.objectContaining({ node: 'n2', sessions: 2, connected: 2 }),
    ]);
  },
);

scenario(
  'a node frozen while a new process took its id steps down when it wakes: 1012 to its clients, /health 503',
  async () => {
    const c = cluster!;
    const [n1, n2] = c.nodes;
    const room = 'failover-retired';
    const a = await join(n1!.url, room, 'a');
    const b = await join(n2!.url, room, 'b');
    const redis = new Redis(c.redis.url);
    let replacement: Awaited<ReturnType<typeof main>> | undefined;
    try {
      process.kill(n1!.pid, 'SIGSTOP');
      try {
        // n1 is silent past its TTL: a survivor takes the room over, b resumes there; then a new
        // process starts under n1's id (its key is gone).
        expect((await b.client.waitClose(WAIT)).code).toBe(1012);
        await resume(b, n2!.url);
        await until(async () => (await redis.get('rxroom:node:n1')) === null);
        replacement = await cliNode('n1');
        expect(replacement.exitCode).toBe(0);
      } finally {
        process.kill(n1!.pid, 'SIGCONT');
      }
      const run = await redis.get('rxroom:node:n1');
      expect(run).not.toBeNull();
      // The old n1 wakes, finds its key held by the new run, and steps down.
      expect(await a.client.waitClose(WAIT)).toMatchObject({ code: 1012 });
      await until(async () => (await fetch(`${n1!.httpUrl}/health`)).status === 503);
      const health = (await (await fetch(`${n1!.httpUrl}/health`)).json()) as { ok: boolean; reason: string };
      expect(health).toMatchObject({ ok: false, reason: expect.stringMatching(/node id n1 was taken/) });
      const late = await Client.open(n1!.url);
      expect((await late.waitClose(WAIT)).code).toBe(1012);
      // The new run keeps its key; b's room lives on, and a resumes through the new n1.
      expect(await redis.get('rxroom:node:n1')).toBe(run);
      const again = await resume(a, replacement.server!.url);
      expect(again.session).toBe(a.ack.session);
      await a.client.ok('message', { name: 'chat', content: 'back' });
      expect((await b.client.next('message')).content).toBe('back');
    } finally {
      redis.disconnect();
      await replacement?.stop?.();
      // The old n1 process is of no use any more: afterEach starts n1 again.
      await n1!.kill();
    }
  },
);
