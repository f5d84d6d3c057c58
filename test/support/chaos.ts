/**
 * The chaos run: clients in two rooms doing random things through the fault proxy while it
 * injects a seeded schedule of faults (including server restarts); then the faults stop and every
 * client's room must converge to the server's truth. Used by the CI chaos test and the soak.
 *
 * The backend is one in-process server (restarted mid-run), or a cluster: a throwaway Redis and
 * three node processes behind the proxy acting as a load balancer, with one node SIGKILLed and
 * another restarted (SIGTERM, then started again) mid-run; the truth is then read from the admin
 * API of every live node, which must agree.
 */
import { firstValueFrom } from 'rxjs';
import { createToken, startServer, type RunningServer, type ServerOptions } from '../../server';
import { createClient, type RtcClient } from '../../src/streams/create-client';
import { nodePlatform } from '../../src/bindings/node-platform';
import { autoSubscribe } from '../../src/operators/auto-subscribe';
import { exponentialReconnectPolicy } from '../../src/operators/reconnect-policy';
import { isConnected, type RoomState } from '../../src/streams/model';
import { startCluster } from './cluster';
import { FaultProxy, seededRandom, type Upstreams } from './fault-proxy';

export interface ChaosOptions {
  readonly seed: number;
  /** How long faults and random actions go on, ms. */
  readonly chaosMs: number;
  /** How long the room may take to converge once they stop, ms. */
  readonly convergeMs: number;
  readonly clients?: number;
  /** Disruptions of the backend: server restarts, or for a cluster node kills and restarts. */
  readonly restarts?: number;
  /** `single` (default): one in-process server. `cluster`: Redis and three node processes. */
  readonly backend?: 'single' | 'cluster';
}

export interface ChaosResult {
  readonly seed: number;
  readonly faults: Record<string, number>;
  readonly actions: number;
  readonly restarts: number;
  /** What each disruption did, in order (`restart`, or `kill n2` / `restart n3` in a cluster). */
  readonly disruptions: readonly string[];
  readonly reconnects: number;
  /** ms from the end of the faults to every client matching the server. */
  readonly convergeMs: number | null;
  /** Differences still there at the deadline (empty when converged). */
  readonly mismatches: readonly string[];
  /** The node processes' output, when there are mismatches (cluster only). */
  readonly serverLogs?: string;
}

const SERVER: ServerOptions = {
  grace: 2000,
  heartbeatInterval: 400,
  heartbeatTimeout: 1500,
  joinTimeout: 2000,
  adminSecret: 'chaos',
};

interface Member {
  readonly user: string;
  readonly room: string;
  readonly client: RtcClient;
  joining: boolean;
  /** The last events and commands of this member, for the report of a mismatch. */
  readonly trail: string[];
}

interface Truth {
  peers: { user: string }[];
  streams: {
    id: string;
    user: string;
    audioMuted: boolean;
    videoMuted: boolean;
    audio: boolean;
    video: boolean;
  }[];
  attributes: Record<string, string>;
  sessions: { user: string; connected: boolean; subscriptions: string[] }[];
}

async function truthOf(httpUrl: string, room: string): Promise<Truth | null> {
  const res = await fetch(`${httpUrl}/admin/rooms/${room}`, {
    headers: { authorization: 'Bearer chaos' },
  });
  if (res.status === 404) return null;
  return (await res.json()) as Truth;
}

/** What the chaos run needs of a backend. */
interface Backend {
  /** What the proxy fronts. */
  readonly upstreams: Upstreams;
  /** The truth of `room` from every live server (by name); a server that does not answer is left out. */
  truths(room: string): Promise<Map<string, Truth | null>>;
  /** Disruption number `i` of the run; says what it did. */
  disrupt(i: number, random: () => number): Promise<string>;
  close(): Promise<void>;
  /** The servers' own output, for the report of a mismatch. */
  logs(): string;
}

/** One in-process server on a fixed port; a disruption restarts it. */
async function singleBackend(): Promise<Backend> {
  let server: RunningServer = await startServer({ port: 0, ...SERVER });
  const port = server.port;
  return {
    upstreams: server.url,
    truths: async (room) => new Map([['server', await truthOf(server.httpUrl, room)]]),
    async disrupt(_i, random) {
      await server.close();
      await sleep(100 + random() * 300);
      server = await startServer({ port, ...SERVER });
      return 'restart';
    },
    close: () => server.close(),
    logs: () => '',
  };
}

/**
 * Redis and three node processes; the proxy spreads connections over the live ones. Disruptions
 * alternate: a SIGKILL of a live node (or, with one already dead, starting it again) and a
 * restart (SIGTERM, a pause, a start) of another.
 */
async function clusterBackend(): Promise<Backend> {
  const cluster = await startCluster({
    nodes: 3,
    grace: SERVER.grace!,
    nodeTtl: 1000,
    adminSecret: 'chaos',
    flags: {
      'heartbeat-interval': SERVER.heartbeatInterval!,
      'heartbeat-timeout': SERVER.heartbeatTimeout!,
      'join-timeout': SERVER.joinTimeout!,
    },
  });
  const pick = <T>(list: readonly T[], random: () => number) => list[Math.floor(random() * list.length)]!;
  return {
    upstreams: () => cluster.urls(),
    async truths(room) {
      const out = new Map<string, Truth | null>();
      for (const node of cluster.live()) {
        try {
          out.set(node.id, await truthOf(node.httpUrl, room));
        } catch {
          // a node stopping right now
        }
      }
      return out;
    },
    async disrupt(i, random) {
      const live = cluster.live();
      const dead = cluster.nodes.filter((n) => !n.alive());
      if (i % 2 === 0 && live.length === cluster.nodes.length) {
        const victim = pick(live, random);
        await victim.kill();
        return `kill ${victim.id}`;
      }
      const node = i % 2 === 0 && dead.length > 0 ? pick(dead, random) : pick(live, random);
      await node.stop();
      await sleep(100 + random() * 300);
      await node.restart();
      return `restart ${node.id}`;
    },
    close: () => cluster.stop(),
    logs: () => cluster.logs(),
  };
}

/** The part of a truth every server must agree on (their own counters differ). */
function agreed(truth: Truth | null): string {
  if (!truth) return 'no room';
  return JSON.stringify({
    peers: truth.peers.map((p) => p.user).sort(),
    streams: truth.streams.map((s) => `${s.id}/${s.audioMuted}/${s.videoMuted}`).sort(),
    attributes: sortKeys(truth.attributes),
    sessions: truth.sessions
      .map((s) => `${s.user}/${s.connected}/${[...s.subscriptions].sort().join('+')}`)
      .sort(),
  });
}

/** What differs between a client's room and the server's truth; empty when they agree. */
export function compare(m: Member, state: RoomState, truth: Truth | null): string[] {
  const out: string[] = [];
  const who = `${m.user}@${m.room}`;
  if (!state.roomId || !isConnected(state.connection))
    return [`${who}: not joined (${state.connection.status})`];
  if (!truth) return [`${who}: the server has no room ${m.room}`];
  const peers = truth.peers
    .map((p) => p.user)
    .filter((u) => u !== m.user)
    .sort();
  const seenPeers = [...state.peers.keys()].sort();
  if (peers.join() !== seenPeers.join()) out.push(`${who}: peers ${seenPeers} ≠ server ${peers}`);
  const fmt = (s: { id: string; audioMuted: boolean; videoMuted: boolean }) =>
    `${s.id}/${s.audioMuted ? 'a' : 'A'}${s.videoMuted ? 'v' : 'V'}`;
  const remote = truth.streams
    .filter((s) => s.user !== m.user)
    .map(fmt)
    .sort();
  const seenRemote = [...state.streams.values()].map(fmt).sort();
  if (remote.join() !== seenRemote.join()) out.push(`${who}: streams ${seenRemote} ≠ server ${remote}`);
  const own = truth.streams
    .filter((s) => s.user === m.user)
    .map(fmt)
    .sort();
  const seenOwn = Object.values(state.self?.publications ?? {})
    .map((p) => fmt(p.stream))
    .sort();
  if (own.join() !== seenOwn.join()) out.push(`${who}: publications ${seenOwn} ≠ server ${own}`);
  const session = truth.sessions.find((s) => s.user === m.user);
  const serverSubs = [...(session?.subscriptions ?? [])].sort();
  const seenSubs = [...state.streams.values()]
    .filter((s) => s.subscription)
    .map((s) => s.id)
    .sort();
  if (serverSubs.join() !== seenSubs.join())
    out.push(`${who}: subscriptions ${seenSubs} ≠ server ${serverSubs}`);
  // the policy is subscribeAll: every remote stream subscribed
  const wanted = truth.streams
    .filter((s) => s.user !== m.user)
    .map((s) => s.id)
    .sort();
  if (wanted.join() !== seenSubs.join()) out.push(`${who}: subscribeAll wants ${wanted}, has ${seenSubs}`);
  if (JSON.stringify(sortKeys(state.attributes)) !== JSON.stringify(sortKeys(truth.attributes))) {
    out.push(
      `${who}: attributes ${JSON.stringify(state.attributes)} ≠ server ${JSON.stringify(truth.attributes)}`,
    );
  }
  return out;
}

const sortKeys = (o: Record<string, string>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const random = seededRandom(options.seed);
  const backend = options.backend === 'cluster' ? await clusterBackend() : await singleBackend();
  const proxy = new FaultProxy(backend.upstreams, options.seed);
  await proxy.start();
  const members: Member[] = [];
  const count = options.clients ?? 8;
  let actions = 0;
  let reconnects = 0;
  let restarts = 0;
  const disruptions: string[] = [];
  const subs: { unsubscribe(): void }[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const client = createClient({
        url: proxy.url,
        platform: nodePlatform(),
        requestTimeout: 800,
        reconnect: { policy: exponentialReconnectPolicy({ initialDelay: 50, maxDelay: 400, random }) },
        heartbeat: { interval: 300, timeout: 700 },
        reportStats: false,
        mediaRecovery: false,
      });
      const m: Member = { user: `u${i}`, room: `room-${i % 2}`, client, joining: false, trail: [] };
      const note = (line: string) => {
        m.trail.push(`${Date.now() % 100000} ${line}`);
        if (m.trail.length > 80) m.trail.shift();
      };
      subs.push(
        client.events$.subscribe((e) => {
          if (e.type === 'native' || e.type === 'message') return;
          note(JSON.stringify(e).slice(0, 160));
        }),
      );
      members.push(m);
      subs.push(autoSubscribe(client).subscribe());
      subs.push(
        client.connection$.subscribe((c) => {
          if (c.status === 'reconnecting' && c.attempt === 1) reconnects++;
        }),
      );
    }
    const join = async (m: Member) => {
      if (m.joining || m.client.state.roomId) return;
      m.joining = true;
      try {
        const token = await createToken({ room: m.room, user: m.user, publish: true });
        await firstValueFrom(m.client.join({ token, roomId: m.room, userId: m.user }));
      } catch (e) {
        // a join lost in the faults; the healer tries again
        if (process.env.CHAOS_DEBUG)
          process.stdout.write(
            `join ${m.user} failed: ${String(e)} state=${JSON.stringify(m.client.state.connection)}\n`,
          );
      } finally {
        m.joining = false;
      }
    };
    await Promise.all(members.map(join));

    const act = async (m: Member) => {
      const c = m.client;
      const s = c.state;
      const r = random();
      const me = `${m.user}:main`;
      const publishing = !!s.self?.publications[me];
      try {
        if (!s.roomId) await join(m);
        else if (r < 0.25)
          await (publishing
            ? firstValueFrom(c.unpublish())
            : firstValueFrom(c.publish({ video: random() < 0.7 })));
        else if (r < 0.45 && publishing)
          await firstValueFrom(c.muteLocal({ audio: random() < 0.5, video: random() < 0.5 }));
        else if (r < 0.65)
          await firstValueFrom(
            c.setAttributes({ [`k${Math.floor(random() * 4)}`]: `${m.user}-${actions}` }, { notify: true }),
          );
        else if (r < 0.75) await firstValueFrom(c.deleteAttributes([`k${Math.floor(random() * 4)}`]));
        else if (r < 0.9) await firstValueFrom(c.sendMessage('chat', `hello from ${m.user}`));
        else if (r < 0.95) await firstValueFrom(c.leave());
      } catch {
        // commands fail under faults; that is the point
      }
      actions++;
    };

    // The chaos phase: random actions everywhere, a changing fault model, cuts, half-opens, restarts.
    const end = Date.now() + options.chaosMs;
    const restartAt = new Set(
      Array.from({ length: options.restarts ?? 1 }, (_, i) =>
        Math.floor(((i + 1) * options.chaosMs) / ((options.restarts ?? 1) + 1)),
      ),
    );
    const start = Date.now();
    const loops = members.map(async (m) => {
      while (Date.now() < end) {
        await act(m);
        await sleep(50 + random() * 250);
      }
    });
    const faults = (async () => {
      while (Date.now() < end) {
        proxy.setFaults({
          drop: random() * 0.05,
          duplicate: random() * 0.05,
          reorder: random() * 0.05,
          corrupt: random() * 0.02,
          delayMs: random() * 80,
        });
        const r = random();
        if (r < 0.3) proxy.cut();
        else if (r < 0.4) proxy.holdHalfOpen();
        const elapsed = Date.now() - start;
        for (const at of [...restartAt]) {
          if (elapsed >= at) {
            restartAt.delete(at);
            disruptions.push(await backend.disrupt(restarts, random));
            restarts++;
          }
        }
        await sleep(200 + random() * 400);
      }
    })();
    await Promise.all([...loops, faults]);

    // Faults stop. Everyone who left or was lost joins again; then wait for agreement.
    proxy.setFaults({});
    const stopAt = Date.now();
    const deadline = stopAt + options.convergeMs;
    let mismatches: string[] = [];
    let convergeMs: number | null = null;
    while (Date.now() < deadline) {
      await Promise.all(members.filter((m) => !m.client.state.roomId).map(join));
      const truths = new Map<string, Truth | null>();
      mismatches = [];
      for (const room of ['room-0', 'room-1']) {
        const byServer = await backend.truths(room);
        const [first] = byServer.values();
        truths.set(room, first ?? null);
        const views = new Set([...byServer.values()].map(agreed));
        if (byServer.size === 0) mismatches.push(`${room}: no server answered`);
        if (views.size > 1)
          mismatches.push(
            `${room}: the servers disagree: ${[...byServer].map(([n, t]) => `${n} ${agreed(t)}`).join(' ≠ ')}`,
          );
      }
      mismatches.push(...members.flatMap((m) => compare(m, m.client.state, truths.get(m.room) ?? null)));
      if (process.env.CHAOS_DEBUG && mismatches.length && Date.now() + 150 >= deadline) {
        for (const m of members) {
          if (mismatches.some((x) => x.startsWith(`${m.user}@`)))
            process.stdout.write(`trail of ${m.user}:\n  ${m.trail.join('\n  ')}\n`);
        }
      }
      if (mismatches.length === 0) {
        convergeMs = Date.now() - stopAt;
        break;
      }
      await sleep(100);
    }
    return {
      seed: options.seed,
      faults: { ...proxy.stats },
      actions,
      restarts,
      disruptions,
      reconnects,
      convergeMs,
      mismatches,
      ...(mismatches.length > 0 && backend.logs() ? { serverLogs: backend.logs() } : {}),
    };
  } finally {
    subs.forEach((s) => s.unsubscribe());
    members.forEach((m) => m.client.destroy());
    await proxy.close();
    await backend.close();
  }
}

/** Runs seeds 1…`seeds`, printing each one's mismatches and then the figures of all. */
export async function runChaosSeeds(
  seeds: number,
  options: Omit<ChaosOptions, 'seed'>,
): Promise<ChaosResult[]> {
  const results: ChaosResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const result = await runChaos({ ...options, seed });
    results.push(result);
    if (result.mismatches.length)
      process.stdout.write(`seed ${seed} mismatches:\n  ${result.mismatches.join('\n  ')}\n`);
    if (result.serverLogs) process.stdout.write(`seed ${seed} server logs:\n${result.serverLogs}\n`);
  }
  process.stdout.write(`${chaosSummary(results, options.chaosMs)}\n`);
  return results;
}

/** The figures of chaos runs of `chaosMs` each, as printed by the chaos tests. */
export function chaosSummary(results: readonly ChaosResult[], chaosMs: number): string {
  const times = results.map((r) => r.convergeMs ?? Infinity).sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const total = (k: string) => results.reduce((n, r) => n + (r.faults[k] ?? 0), 0);
  const disruptions = results.flatMap((r) => r.disruptions);
  const restarts = disruptions.filter((d) => d === 'restart').length;
  const nodes = disruptions.filter((d) => d !== 'restart');
  return [
    `chaos: ${results.length} seed(s) × ${chaosMs} ms`,
    `faults: dropped ${total('dropped')}, duplicated ${total('duplicated')}, reordered ${total('reordered')}, corrupted ${total('corrupted')}, delayed ${total('delayed')}, cuts ${total('cuts')}, half-open ${total('halfOpens')}, ` +
      (nodes.length
        ? `node disruptions ${nodes.length} (${nodes.join(', ')})`
        : `server restarts ${restarts}`),
    `actions ${results.reduce((n, r) => n + r.actions, 0)}, reconnects ${results.reduce((n, r) => n + r.reconnects, 0)}`,
    `time to converge: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${times[times.length - 1]} ms`,
    `state mismatches at the deadline: ${results.reduce((n, r) => n + r.mismatches.length, 0)}`,
  ].join('\n');
}
