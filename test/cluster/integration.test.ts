/**
 * The multi-node server end to end (issue 18): a throwaway Redis, three rxroom-server node
 * processes, real rxroom clients on the Node platform. Client i talks straight to node i % 3, or
 * goes through a fault proxy in front of every live node (a load balancer) where a node is killed.
 * Needs redis-server (`.ci/run` installs it): without it every test fails, naming the install
 * command. Set DEBUG=1 to see the nodes' logs as they come; a failing test carries them anyway.
 *
 * Waits are for conditions on the clients' streams or the admin API; no assertion is about time.
 */
import WebSocket from 'ws';
import { createToken } from '../../server';
import { filter, firstValueFrom, take, toArray, type OperatorFunction } from 'rxjs';
import type { ClusterStats, RoomView } from '../../server/admin';
import { autoSubscribe } from '../../src/operators/auto-subscribe';
import { exponentialReconnectPolicy } from '../../src/operators/reconnect-policy';
import type { ConnectionState } from '../../src/streams/model';
import type { RoomEvent } from '../../src/streams/room-event';
import { startCluster, withClusterLogs, type Cluster, type ClusterNode } from '../support/cluster';
import { FaultProxy } from '../support/fault-proxy';
import { joinRoom, testClient, until, view, waitFor, type TestClient } from '../support/integration';

/** Long enough for a loaded 2-core machine; every wait ends as soon as its condition holds. */
const WAIT = 30_000;
jest.setTimeout(120_000);

let cluster: Cluster | undefined;
let proxy: FaultProxy;
const clients: TestClient[] = [];
const subs: { unsubscribe(): void }[] = [];
/** Raw sockets of a test, terminated after it. */
const raw: WebSocket[] = [];

beforeAll(async () => {
  // Heartbeats well inside the grace window, as with the defaults (10 s and 20 s).
  cluster = await startCluster({
    nodes: 3,
    grace: 8000,
    nodeTtl: 1000,
    flags: { 'heartbeat-interval': 2000, 'heartbeat-timeout': 6000 },
  });
  proxy = new FaultProxy(() => cluster!.urls(), 18);
  await proxy.start();
}, 120_000);

afterEach(async () => {
  for (const s of subs.splice(0)) s.unsubscribe();
  for (const c of clients.splice(0)) c.client.destroy();
  for (const ws of raw.splice(0)) ws.terminate();
  // A test that killed a node: start it again (same id, same port) for the next one.
  for (const node of cluster?.nodes ?? []) if (!node.alive()) await node.restart();
});

afterAll(async () => {
  await proxy?.close();
  await cluster?.stop();
});

/** A test whose failure message carries the nodes' logs. */
function scenario(name: string, body: () => Promise<void>, ms?: number): void {
  it(
    name,
    withClusterLogs(() => cluster, body),
    ms,
  );
}

const nodes = (): readonly ClusterNode[] => cluster!.nodes;

/** Quick reconnection, so a test waits for the cluster rather than for backoff. */
const options = {
  reconnect: { policy: exponentialReconnectPolicy({ initialDelay: 50, maxDelay: 1000 }) },
  reportStats: false,
  mediaRecovery: false,
} as const;

/** A client connected straight to node `i % 3`. */
function onNode(i: number, user: string): TestClient {
  const c = testClient(nodes()[i % nodes().length]!.url, user, options);
  clients.push(c);
  return c;
}

/** A client connected through the proxy (the load balancer in front of every live node). */
function balanced(user: string): TestClient {
  const c = testClient(proxy.url, user, options);
  clients.push(c);
  return c;
}

/** Every connection state `c` goes through from now on. */
function statesOf(c: TestClient): ConnectionState['status'][] {
  const seen: ConnectionState['status'][] = [];
  subs.push(c.client.connection$.subscribe((s) => seen.push(s.status)));
  return seen;
}

/** `GET /admin/rooms/:id`, as the server describes a room. */
type AdminRoom = RoomView;

/** `GET /admin/rooms/:id` from every live node. */
async function roomFromEvery(room: string): Promise<Map<string, { status: number; body: AdminRoom }>> {
  const out = new Map<string, { status: number; body: AdminRoom }>();
  for (const node of cluster!.live())
    out.set(node.id, await cluster!.admin<AdminRoom>(`/admin/rooms/${room}`, node));
  return out;
}

/** What a client should see of `truth`, in the form of {@link view}. */
function viewOfTruth(truth: AdminRoom) {
  return {
    users: truth.peers.map((p) => p.user).sort(),
    streams: truth.streams
      .map((s) => `${s.id}/${s.audioMuted ? 'a' : 'A'}${s.videoMuted ? 'v' : 'V'}`)
      .sort(),
    attributes: truth.attributes,
  };
}

/** Polls the admin API of every live node until `test` holds for each answer. */
async function truthEverywhere(room: string, test: (truth: AdminRoom) => boolean): Promise<AdminRoom> {
  const deadline = Date.now() + WAIT;
  let last = new Map<string, { status: number; body: AdminRoom }>();
  while (Date.now() < deadline) {
    last = await roomFromEvery(room);
    const answers = [...last.values()];
    if (answers.length > 0 && answers.every((a) => a.status === 200 && test(a.body))) return answers[0]!.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the nodes never agreed on ${room}: ${JSON.stringify([...last])}`);
}

/** Waits until every client shows the same room as the admin API of every live node. */
async function converged(room: string, members: readonly TestClient[]): Promise<void> {
  const deadline = Date.now() + WAIT;
  let detail = '';
  while (Date.now() < deadline) {
    const answers = [...(await roomFromEvery(room)).values()];
    const truths = answers.map((a) => (a.status === 200 ? canonical(viewOfTruth(a.body)) : `${a.status}`));
    const seen = members.map((m) => canonical(view(m.client.state)));
    if (new Set([...truths, ...seen]).size === 1) return;
    detail = `nodes ${truths.join(' | ')}; clients ${seen.join(' | ')}`;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no convergence in ${room}: ${detail}`);
}

/** JSON of a view with its attributes in key order (the order of writes differs from place to place). */
function canonical(v: {
  users: string[];
  streams: string[];
  attributes: Readonly<Record<string, string>>;
}): string {
  const attributes = Object.fromEntries(Object.entries(v.attributes).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify({ ...v, attributes });
}

const messages = (): OperatorFunction<RoomEvent, Extract<RoomEvent, { type: 'message' }>> =>
  filter((e): e is Extract<RoomEvent, { type: 'message' }> => e.type === 'message');

/** The upstream node of the proxy's only link (one client through the proxy at that moment). */
function upstreamOfOnlyLink(): ClusterNode {
  const urls = [...proxy.linksByUpstream().keys()];
  expect(urls).toHaveLength(1);
  return nodes().find((n) => n.url === urls[0])!;
}

describe('a 3-node cluster on one Redis', () => {
  scenario(
    'every node answers GET /admin/rooms/:id, /admin/rooms and /admin/stats with the same truth',
    async () => {
      const [a, b, c] = [onNode(0, 'a'), onNode(1, 'b'), onNode(2, 'c')];
      for (const x of [a, b, c]) await joinRoom(x, 'adm');
      await firstValueFrom(a.client.publish());
      await firstValueFrom(c.client.setAttributes({ k: 'v' }));
      const truth = await truthEverywhere('adm', (t) => t.sessions.length === 3 && t.streams.length === 1);
      expect(viewOfTruth(truth)).toEqual({
        users: ['a', 'b', 'c'],
        streams: ['a:main/AV'],
        attributes: { k: 'v' },
      });
      // the whole description, session ids included, is the same from every node
      const bodies = [...(await roomFromEvery('adm')).values()].map((r) => r.body);
      expect(bodies).toHaveLength(3);
      expect(bodies[1]).toEqual(bodies[0]);
      expect(bodies[2]).toEqual(bodies[0]);
      expect(bodies[0]!.sessions.map((s) => s.user).sort()).toEqual(['a', 'b', 'c']);
      expect(bodies[0]!.node).toBe('n1'); // a, on n1, joined first

      const lists = await Promise.all(
        nodes().map((n) => cluster!.admin<{ rooms: { room: string; node: string }[] }>('/admin/rooms', n)),
      );
      for (const list of lists) {
        expect(list.status).toBe(200);
        expect(list.body.rooms).toEqual([expect.objectContaining({ room: 'adm', node: 'n1', sessions: 3 })]);
      }

      const stats = await Promise.all(nodes().map((n) => cluster!.admin<ClusterStats>('/admin/stats', n)));
      for (const s of stats) {
        expect(s.status).toBe(200);
        expect(s.body.nodes.map((n) => n.node).sort()).toEqual(['n1', 'n2', 'n3']);
        expect(s.body.total).toMatchObject({
          rooms: 1,
          sessions: 3,
          connectedSessions: 3,
          graceSessions: 0,
          connections: 3,
          streams: 1,
        });
        // the room and its sessions are counted once, at its home: n1, where a joined first; each
        // socket by the node holding it
        const split = Object.fromEntries(
          s.body.nodes.map((n) => [n.node, [n.rooms, n.sessions, n.streams, n.connections]]),
        );
        expect(split).toEqual({ n1: [1, 3, 1, 1], n2: [0, 0, 0, 1], n3: [0, 0, 0, 1] });
      }
      // unknown rooms are unknown everywhere
      for (const n of nodes()) expect((await cluster!.admin('/admin/rooms/nope', n)).status).toBe(404);
    },
  );

  scenario(
    'join, publish, subscribe (explicit and autoSubscribe), mute and attributes across nodes',
    async () => {
      const [a, b, c] = [onNode(0, 'a'), onNode(1, 'b'), onNode(2, 'c')];
      subs.push(autoSubscribe(c.client).subscribe());
      for (const x of [a, b, c]) await joinRoom(x, 'basic');
      await until(a, (r) => r.peers.size === 2, WAIT);

      await firstValueFrom(a.client.publish());
      await until(b, (r) => !!r.streams.get('a:main'), WAIT);
      const sub = await firstValueFrom(b.client.subscribe('a:main', { small: false }));
      expect(sub.url).toMatch(/^rtmp:\/\//);
      await until(c, (r) => !!r.streams.get('a:main')?.subscription, WAIT);

      await firstValueFrom(a.client.muteLocal({ audio: true }));
      await until(b, (r) => r.streams.get('a:main')?.audioMuted === true, WAIT);
      await until(c, (r) => r.streams.get('a:main')?.audioMuted === true, WAIT);
      const remote = await firstValueFrom(b.client.muteRemote('a:main', { video: true }));
      expect(remote.videoMuted).toBe(true);

      await firstValueFrom(c.client.setAttributes({ topic: 'maths' }));
      await until(a, (r) => r.attributes.topic === 'maths', WAIT);
      await until(b, (r) => r.attributes.topic === 'maths', WAIT);

      await converged('basic', [a, b, c]);
      expect(view(a.client.state)).toEqual({
        users: ['a', 'b', 'c'],
        streams: ['a:main/aV'],
        attributes: { topic: 'maths' },
      });
      const truth = await truthEverywhere('basic', () => true);
      const subsOf = (u: string) => truth.sessions.find((s) => s.user === u)?.subscriptions;
      expect(subsOf('b')).toEqual(['a:main']);
      expect(subsOf('c')).toEqual(['a:main']);
      expect(b.client.state.streams.get('a:main')?.subscription).toMatchObject({
        url: sub.url,
        videoMuted: true,
      });

      await firstValueFrom(a.client.unpublish());
      await until(b, (r) => !r.streams.get('a:main'), WAIT);
      await until(c, (r) => !r.streams.get('a:main'), WAIT);
      await firstValueFrom(b.client.leave());
      await until(a, (r) => !r.peers.get('b'), WAIT);
      await until(c, (r) => !r.peers.get('b'), WAIT);
    },
  );

  scenario('messages across nodes: broadcast to all, private to one, in order', async () => {
    const [a, b, c] = [onNode(0, 'a'), onNode(1, 'b'), onNode(2, 'c')];
    for (const x of [a, b, c]) await joinRoom(x, 'chat');
    const atB = firstValueFrom(b.client.events$.pipe(messages(), take(3), toArray()));
    const atC = firstValueFrom(c.client.events$.pipe(messages(), take(2), toArray()));
    const atA = firstValueFrom(a.client.events$.pipe(messages(), take(1), toArray()));
    await firstValueFrom(a.client.sendMessage('chat', 'one'));
    await firstValueFrom(a.client.sendMessage('whisper', 'just you', { to: 'b' }));
    await firstValueFrom(a.client.sendMessage('chat', 'two'));
    await firstValueFrom(c.client.sendMessage('whisper', 'back to a', { to: 'a' }));
    expect((await atB).map((m) => [m.name, m.content, m.private])).toEqual([
      ['chat', 'one', false],
      ['whisper', 'just you', true],
      ['chat', 'two', false],
    ]);
    expect((await atC).map((m) => m.content)).toEqual(['one', 'two']);
    expect((await atA).map((m) => [m.content, m.private])).toEqual([['back to a', true]]);
  });

  scenario('room attributes across nodes: silent writes, get, delete', async () => {
    const [a, b] = [onNode(0, 'a'), onNode(1, 'b')];
    await joinRoom(a, 'attrs');
    await joinRoom(b, 'attrs');
    await firstValueFrom(a.client.setAttributes({ x: '1', y: '2' }, { notify: false }));
    expect(a.client.state.attributes).toEqual({ x: '1', y: '2' });
    expect(await firstValueFrom(b.client.getAttributes())).toEqual({ x: '1', y: '2' });
    await firstValueFrom(b.client.deleteAttributes(['x']));
    await until(a, (r) => !('x' in r.attributes) && r.attributes.y === '2', WAIT);
    await converged('attrs', [a, b]);
  });

  scenario(
    'a cut connection resumes through another node: same session, missed pushes replayed once',
    async () => {
      const a = balanced('a');
      const b = onNode(1, 'b');
      await joinRoom(a, 'cut');
      const before = upstreamOfOnlyLink();
      await joinRoom(b, 'cut');
      await firstValueFrom(b.client.publish());
      await until(a, (r) => !!r.streams.get('b:main'), WAIT);
      await firstValueFrom(a.client.subscribe('b:main', { video: false }));
      const session = a.client.state.sessionId;
      const url = a.client.state.streams.get('b:main')?.subscription?.url;
      const states = statesOf(a);
      const events: RoomEvent[] = [];
      subs.push(a.client.events$.subscribe((e) => events.push(e)));

      expect(proxy.cut(true)).toBe(1);
      await firstValueFrom(b.client.muteLocal({ audio: true })); // a may miss this push while away
      await waitFor(a.client.connection$, (s) => s.status === 'resumed', WAIT);
      await until(a, (r) => r.streams.get('b:main')?.audioMuted === true, WAIT);

      expect(upstreamOfOnlyLink().id).not.toBe(before.id);
      expect(states).toEqual(['connected', 'reconnecting', 'resumed']);
      expect(a.client.state.sessionId).toBe(session);
      expect(a.client.state.streams.get('b:main')?.subscription?.url).toBe(url);
      expect(events.filter((e) => e.type === 'stream-updated')).toHaveLength(1);
      expect(events.some((e) => e.type === 'joined')).toBe(false);
      expect([...b.client.state.peers.keys()]).toEqual(['a']);
      await converged('cut', [a, b]);
    },
  );

  scenario(
    "the room's home node is SIGKILLed: its clients resume on the other nodes and everyone converges",
    async () => {
      // Through the proxy: x lands on one node and creates the room there (its home), y and z on the others.
      const [x, y, z] = [balanced('x'), balanced('y'), balanced('z')];
      await joinRoom(x, 'home');
      const home = upstreamOfOnlyLink();
      await joinRoom(y, 'home');
      await joinRoom(z, 'home');
      expect(new Set([...proxy.linksByUpstream().keys()]).size).toBe(3);
      await firstValueFrom(x.client.publish());
      await firstValueFrom(z.client.publish({ video: false }));
      await until(y, (r) => !!r.streams.get('x:main') && !!r.streams.get('z:main'), WAIT);
      await firstValueFrom(y.client.subscribe('x:main'));
      await firstValueFrom(z.client.muteLocal({ audio: true }));
      await firstValueFrom(x.client.setAttributes({ phase: 'before' }));
      await converged('home', [x, y, z]);
      const sessions = [x, y, z].map((c) => c.client.state.sessionId);
      const states = [x, y, z].map(statesOf);

      await home.kill();
      for (const c of [x, y, z]) {
        await waitFor(c.client.connection$, (s) => s.status === 'resumed' || s.status === 'rejoined', WAIT);
      }
      expect(states.map((s) => s[s.length - 1])).toEqual(['resumed', 'resumed', 'resumed']);
      for (const s of states) expect(s.slice(0, 2)).toEqual(['connected', 'reconnecting']);
      expect([x, y, z].map((c) => c.client.state.sessionId)).toEqual(sessions);
      expect(cluster!.live().map((n) => n.id)).not.toContain(home.id);

      // the room goes on, on its new home
      await firstValueFrom(y.client.setAttributes({ phase: 'after' }));
      await converged('home', [x, y, z]);
      expect(view(y.client.state)).toEqual({
        users: ['x', 'y', 'z'],
        streams: ['x:main/AV', 'z:main/aV'],
        attributes: { phase: 'after' },
      });
      const truth = await truthEverywhere('home', () => true);
      expect(truth.sessions.find((s) => s.user === 'y')?.subscriptions).toEqual(['x:main']);
      expect(truth.sessions.every((s) => s.connected)).toBe(true);
      expect(y.client.state.streams.get('x:main')?.subscription).not.toBeNull();
    },
  );

  scenario(
    'a door node (not the home) is SIGKILLed: its client resumes elsewhere, the others never lose it',
    async () => {
      const [x, y] = [balanced('x'), balanced('y')];
      await joinRoom(x, 'door');
      const home = upstreamOfOnlyLink();
      await joinRoom(y, 'door');
      const door = nodes().find((n) => n !== home && proxy.linksByUpstream().has(n.url))!;
      const z = onNode(nodes().indexOf(home), 'z'); // straight on the home: never disturbed
      await joinRoom(z, 'door');
      await firstValueFrom(y.client.publish());
      await until(z, (r) => !!r.streams.get('y:main'), WAIT);
      const session = y.client.state.sessionId;
      const seenByZ: string[] = [];
      subs.push(
        z.client.events$.subscribe((e) => {
          if (e.type === 'peer-left' || e.type === 'stream-removed' || e.type === 'peer-joined')
            seenByZ.push(e.type);
        }),
      );
      const zStates = statesOf(z);

      await door.kill();
      await waitFor(y.client.connection$, (s) => s.status === 'resumed', WAIT);
      expect(y.client.state.sessionId).toBe(session);
      await firstValueFrom(y.client.muteLocal({ video: true }));
      await until(z, (r) => r.streams.get('y:main')?.videoMuted === true, WAIT);
      await converged('door', [x, y, z]);
      expect(seenByZ).toEqual([]);
      expect(zStates).toEqual(['connected']);
    },
  );

  scenario(
    'when a home dies, every door closes the clients it relays there with 1012, silent ones too',
    async () => {
      // Raw sockets that send nothing after their join: no frame of theirs finds the home gone.
      const silent = async (node: ClusterNode, user: string) => {
        const ws = new WebSocket(node.url);
        raw.push(ws);
        const closed = new Promise<number>((resolve) => ws.on('close', resolve));
        await new Promise((resolve) => ws.on('open', resolve));
        const ack = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
        const token = await createToken({ room: 'relay', user });
        ws.send(JSON.stringify({ v: 1, t: 'join', id: 1, token, room: 'relay', user }));
        expect(JSON.parse(await ack)).toMatchObject({ t: 'ack', ok: true });
        return { closed };
      };
      const [n1, n2, n3] = nodes();
      await silent(n1!, 'h'); // joins first: n1 is the home
      const relayed = [await silent(n2!, 'b'), await silent(n3!, 'c')];
      expect((await roomFromEvery('relay')).get('n2')?.body.node).toBe('n1');
      await n1!.kill();
      // only one survivor takes the room over; both doors must cut their relays loose
      expect(await Promise.all(relayed.map((r) => r.closed))).toEqual([1012, 1012]);
    },
  );

  scenario('an admin kick sent to any node reaches the user wherever it is connected', async () => {
    const [a, b, c] = [onNode(0, 'a'), onNode(1, 'b'), onNode(2, 'c')];
    for (const x of [a, b, c]) await joinRoom(x, 'kick');
    const kicked: RoomEvent[] = [];
    subs.push(c.client.events$.pipe(filter((e) => e.type === 'kicked')).subscribe((e) => kicked.push(e)));
    // a (on n1) joined first, so n1 is the room's home: ask n2, which forwards it
    const res = await cluster!.admin('/admin/rooms/kick/kick', nodes()[1], {
      method: 'POST',
      body: { user: 'c', reason: 'banned', message: 'bye' },
    });
    expect(res.status).toBe(200);
    await waitFor(c.client.connection$, (s) => s.status === 'kicked', WAIT);
    expect(c.client.state.connection.kickReason).toBe('banned');
    expect(kicked).toEqual([{ type: 'kicked', reason: 'banned', message: 'bye' }]);
    await until(a, (r) => !r.peers.get('c'), WAIT);
    await until(b, (r) => !r.peers.get('c'), WAIT);
    await converged('kick', [a, b]);
  });

  scenario('a kick without a message, forwarded from another node, is a plain kick', async () => {
    const [a, b] = [onNode(0, 'a'), onNode(2, 'b')];
    for (const x of [a, b]) await joinRoom(x, 'kick-plain');
    const kicked: RoomEvent[] = [];
    subs.push(b.client.events$.pipe(filter((e) => e.type === 'kicked')).subscribe((e) => kicked.push(e)));
    // n1 is the home (a joined there first); the call goes to n2, the message left out
    const res = await cluster!.admin('/admin/rooms/kick-plain/kick', nodes()[1], {
      method: 'POST',
      body: { user: 'b', reason: 'banned' },
    });
    expect(res.status).toBe(200);
    await waitFor(b.client.connection$, (s) => s.status === 'kicked', WAIT);
    expect(kicked).toEqual([{ type: 'kicked', reason: 'banned' }]);
    await until(a, (r) => !r.peers.get('b'), WAIT);
  });

  scenario(
    'Redis restarts and loses everything: clients rejoin, restore what they had, and converge',
    async () => {
      const [a, b] = [onNode(0, 'a'), onNode(1, 'b')];
      await joinRoom(a, 'lost');
      await joinRoom(b, 'lost');
      await firstValueFrom(a.client.publish());
      await until(b, (r) => !!r.streams.get('a:main'), WAIT);
      await firstValueFrom(b.client.subscribe('a:main'));
      const states = [a, b].map(statesOf);

      await cluster!.redis.restart();
      // Each client rejoins (its session is gone with Redis). The nodes notice the loss one by one,
      // so a client may be sent away once more after its rejoin: the history is what counts.
      for (const [i, c] of [a, b].entries()) {
        await waitFor(c.client.connection$, () => states[i]!.includes('rejoined'), WAIT);
      }
      await until(b, (r) => !!r.streams.get('a:main')?.subscription, WAIT);
      await converged('lost', [a, b]);
      for (const s of states) expect(s).toContain('reconnecting');
      const truth = await truthEverywhere('lost', () => true);
      expect(truth.sessions.find((s) => s.user === 'b')?.subscriptions).toEqual(['a:main']);
      // nothing stuck: every node registered again, and each says so
      const ids = async (node: ClusterNode) =>
        (await cluster!.admin<{ nodes: { node: string }[] }>('/admin/stats', node)).body.nodes
          .map((n) => n.node)
          .sort()
          .join();
      const deadline = Date.now() + WAIT;
      let seen: string[] = [];
      while (Date.now() < deadline) {
        seen = await Promise.all(nodes().map(ids));
        if (seen.every((x) => x === 'n1,n2,n3')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seen).toEqual(['n1,n2,n3', 'n1,n2,n3', 'n1,n2,n3']);
    },
  );
});
