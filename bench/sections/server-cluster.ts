/**
 * Benchmark 4d (issue 18): three rxroom nodes on one Redis under the load of benchmark 4c, beside
 * the same load on one node (in memory, no Redis) and on the bare `ws` room server of 4c, in the
 * same run.
 *
 * The load is 4c's ({@link runLoad}): 1,000 sockets in 100 rooms of 10, joins 50 in flight, then
 * messages at 4c's paced rate. Against the cluster, member u of room r connects to node
 * (r + u) mod 3, so every room has members on all three nodes (4/3/3): the room lives on one of
 * them (its home, claimed by the first join) and the other two are doors that relay their clients'
 * frames to the home and its pushes back over Redis pub/sub. Most deliveries cross nodes; the
 * section counts how many from the homes it reads in Redis.
 *
 * The nodes are started the way an operator starts them: `rxroom-server` from its command line
 * (`node --import tsx server/cli.ts …`, the source, like every other row of the bench, so the
 * figures belong to the checked-out code and no build is needed), each forked with an IPC channel
 * and bench/lib/usage-probe.ts preloaded so it can report its heap and CPU time. The one-node row
 * is the same command without `--redis`. Redis is a throwaway `redis-server` on a free port of
 * 127.0.0.1 without persistence. Every process is started here and stopped by its PID.
 */
import { spawn, fork, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, round } from '../lib/common';
import type { Usage } from '../lib/usage';
import {
  askUsage,
  forkServer,
  LIMIT_LOAD,
  LIMIT_SECRET,
  medianOf,
  runLoad,
  stopChild,
  type Load,
  type LoadTarget,
} from './server-limit';

const ROOT = join(__dirname, '..', '..');

export const CLUSTER_NODES = 3;
/** Runs of each of the three servers, alternating (bare, one node, cluster, bare, …). */
export const CLUSTER_RUNS = 3;

/** A port free on 127.0.0.1 a moment ago (for redis-server, which cannot report one it chose). */
async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

/** Reads lines of a child's stdout until one matches; rejects if it exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        child.stdout!.resume(); // keep draining whatever else it prints
        resolve(match);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`${what} exited (code ${code}) before it was ready; it printed: ${seen.slice(-500)}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

let clockTicks: number | undefined;

/** User + system CPU time and RSS of any process of this machine, from /proc. */
function procUsage(pid: number): { cpuUs: number; rss: number } {
  // Fields after the command name (which may hold spaces) start at field 3, `state`.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return { cpuUs: (ticks * 1e6) / clockTicks, rss: rssKiB * 1024 };
}

interface RedisTraffic {
  /** Bytes Redis has read from its clients (INFO stats `total_net_input_bytes`). */
  readonly inputBytes: number;
  /** Commands it has run (`total_commands_processed`). */
  readonly commands: number;
}

interface RedisServer {
  readonly url: string;
  readonly child: ChildProcess;
  /** Redis's CPU time and RSS, its `used_memory` as its heap, and its traffic so far. */
  usage(): Promise<Usage & RedisTraffic>;
  /** The id of each room's home node, from the rooms' owner keys. */
  owners(rooms: readonly string[]): Promise<(string | null)[]>;
  stop(): Promise<void>;
}

/** A throwaway Redis: free port, 127.0.0.1 only, no snapshot, no append-only file. */
async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (e) => reject(new Error(`redis-server could not be started: ${e.message}`)));
  });
  await spawned;
  await waitForLine(child, /Ready to accept connections/, 'redis-server');
  const url = `redis://127.0.0.1:${port}`;
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  const { parseTag, roomKeys } = await import('../../server/cluster/keys');
  return {
    url,
    child,
    async usage() {
      const info = await client.info();
      const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
      const { cpuUs, rss } = procUsage(child.pid!);
      return {
        heapUsed: field('used_memory'),
        rss,
        cpuUs,
        inputBytes: field('total_net_input_bytes'),
        commands: field('total_commands_processed'),
      };
    },
    owners: (rooms) =>
      Promise.all(
        rooms.map(async (room) => {
          // The owner is a tag of one run of a node, `<node>/<incarnation>`.
          const tag = await client.get(roomKeys(room).owner);
          return tag === null ? null : parseTag(tag).node;
        }),
      ),
    async stop() {
      client.disconnect();
      await stopChild(child, 'SIGTERM');
    },
  };
}

interface Nodes {
  readonly urls: string[];
  readonly ids: string[];
  readonly children: ChildProcess[];
  /** What each node printed on stderr last (for an error report; a quiet node prints nothing). */
  readonly stderr: string[];
  stop(): Promise<void>;
}

/** An error of a run with the nodes' last words added. */
function withStderr(e: unknown, nodes: Nodes): Error {
  const said = nodes.ids
    .map((id, i) =>
      nodes.stderr[i] ? `\n${id} (exit ${nodes.children[i]!.exitCode}): ${nodes.stderr[i]}` : '',
    )
    .join('');
  const error = e instanceof Error ? e : new Error(String(e));
  error.message += said;
  return error;
}

/**
 * `count` rxroom nodes from the command line, each in its own process. With `redis`, they form a
 * cluster (node ids bench-1 …); without, `count` must be 1 (the in-memory store).
 */
async function startNodes(count: number, redis?: string): Promise<Nodes> {
  const probe = pathToFileURL(join(ROOT, 'bench/lib/usage-probe.ts')).href;
  const ids = [...Array(count).keys()].map((i) => `bench-${i + 1}`);
  const children = ids.map((id) =>
    fork(
      join(ROOT, 'server/cli.ts'),
      [
        ...['--port', '0', '--host', '127.0.0.1', '--secret', LIMIT_SECRET, '--log-level', 'silent'],
        // All clients come from 127.0.0.1, as behind a proxy: no per-address caps.
        ...['--max-connections-per-ip', '0', '--max-pending-per-ip', '0'],
        ...(redis ? ['--redis', redis, '--node-id', id] : []),
      ],
      {
        cwd: ROOT,
        execArgv: ['--expose-gc', '--import', 'tsx', '--import', probe],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    ),
  );
  const stderr = children.map(() => '');
  children.forEach((c, i) =>
    c.stderr!.on('data', (chunk: Buffer) => (stderr[i] = (stderr[i] + chunk.toString()).slice(-2000))),
  );
  const stop = () => Promise.all(children.map((c) => stopChild(c, 'SIGTERM'))).then(() => undefined);
  try {
    const urls = await Promise.all(
      children.map(
        async (c, i) => (await waitForLine(c, /listening on (ws:\/\/\S+)/, `rxroom node ${ids[i]}`))[1]!,
      ),
    );
    return { urls, ids, children, stderr, stop };
  } catch (e) {
    await stop();
    throw withStderr(e, { urls: [], ids, children, stderr, stop });
  }
}

const sum = (parts: readonly Usage[]): Usage => ({
  heapUsed: parts.reduce((a, p) => a + p.heapUsed, 0),
  rss: parts.reduce((a, p) => a + p.rss, 0),
  cpuUs: parts.reduce((a, p) => a + p.cpuUs, 0),
});

/**
 * Of the deliveries the load asked for, how many reached a receiver whose door is not the room's
 * home (the push went home → Redis → door), from the homes read in Redis and 4c's fixed order of
 * senders and rooms.
 */
export function crossNodeShare(load: Load, nodeIds: readonly string[], owners: readonly (string | null)[]) {
  const { rooms, perRoom, sendsPerSecond, seconds } = load;
  let cross = 0;
  let all = 0;
  let sendersAway = 0;
  const total = sendsPerSecond * seconds;
  for (let k = 0; k < total; k++) {
    const r = k % rooms;
    const sender = Math.floor(k / rooms) % perRoom;
    const home = owners[r];
    if ((r + sender) % nodeIds.length !== nodeIds.indexOf(home ?? '')) sendersAway++;
    for (let u = 0; u < perRoom; u++) {
      if (u === sender) continue;
      all++;
      if (nodeIds[(r + u) % nodeIds.length] !== home) cross++;
    }
  }
  const homes: Record<string, number> = {};
  for (const o of owners) homes[o ?? 'none'] = (homes[o ?? 'none'] ?? 0) + 1;
  return {
    homes,
    /** Share of deliveries to a receiver on another node than the room's home. */
    crossDeliveries: round(cross / all, 3),
    /** Share of messages sent through a door that is not the room's home (relayed to it first). */
    relayedSends: round(sendersAway / total, 3),
  };
}

type Figures = Awaited<ReturnType<typeof runLoad>>;

async function bareRun(childScript: string, execArgv: readonly string[]): Promise<Figures> {
  const { child, url } = await forkServer(childScript, execArgv, 'bare');
  try {
    return await runLoad({ urls: [url], usage: () => askUsage(child) });
  } finally {
    await stopChild(child);
  }
}

async function oneNodeRun(): Promise<Figures> {
  const nodes = await startNodes(1);
  try {
    return await runLoad({ urls: nodes.urls, usage: () => askUsage(nodes.children[0]!) });
  } catch (e) {
    throw withStderr(e, nodes);
  } finally {
    await nodes.stop();
  }
}

async function clusterRun() {
  const redis = await startRedis();
  try {
    const nodes = await startNodes(CLUSTER_NODES, redis.url);
    try {
      const readings: (Usage & RedisTraffic)[] = [];
      const target: LoadTarget = {
        urls: nodes.urls,
        async usage() {
          const parts = await Promise.all(nodes.children.map(askUsage));
          const r = await redis.usage();
          readings.push(r);
          return sum([...parts, r]);
        },
      };
      const figures = await runLoad(target);
      // runLoad reads the usage before, before and after the joins, and before and after the
      // fan-out: the last two readings bracket the paced phase.
      const [start, end] = readings.slice(-2) as [Usage & RedisTraffic, Usage & RedisTraffic];
      // The sessions are in their grace window now, the rooms still at home.
      const rooms = [...Array(LIMIT_LOAD.rooms).keys()].map((r) => `room-${r}`);
      const owners = await redis.owners(rooms);
      return {
        ...figures,
        redisCpuPerDeliveryUs: round((end.cpuUs - start.cpuUs) / Math.max(1, figures.delivered), 2),
        /** Into Redis per message sent in the paced phase: bytes, and commands run. */
        redisBytesPerMessage: round((end.inputBytes - start.inputBytes) / figures.sends, 0),
        redisCommandsPerMessage: round((end.commands - start.commands) / figures.sends, 1),
        ...crossNodeShare(LIMIT_LOAD, nodes.ids, owners),
      };
    } catch (e) {
      throw withStderr(e, nodes);
    } finally {
      await nodes.stop();
    }
  } finally {
    await redis.stop();
  }
}

export async function runServerCluster(childScript: string, execArgv: readonly string[]) {
  const loadAtStart = loadavg()[0] ?? 0;
  const runs: { bare: Figures; one: Figures; cluster: Awaited<ReturnType<typeof clusterRun>> }[] = [];
  for (let i = 0; i < CLUSTER_RUNS; i++) {
    const bare = await bareRun(childScript, execArgv);
    const one = await oneNodeRun();
    runs.push({ bare, one, cluster: await clusterRun() });
  }
  const bare = medianOf(runs.map((r) => r.bare));
  const one = medianOf(runs.map((r) => r.one));
  const clusterRuns = runs.map((r) => r.cluster);
  const cluster = {
    ...medianOf(clusterRuns),
    redisCpuPerDeliveryUs: median(clusterRuns.map((r) => r.redisCpuPerDeliveryUs)),
    redisBytesPerMessage: median(clusterRuns.map((r) => r.redisBytesPerMessage)),
    redisCommandsPerMessage: median(clusterRuns.map((r) => r.redisCommandsPerMessage)),
  };
  const ratio = (a: number, b: number) => round(a / b, 2);
  const against = (x: Figures) => ({
    joinP50: ratio(x.joinMs.p50, bare.joinMs.p50),
    joinP99: ratio(x.joinMs.p99, bare.joinMs.p99),
    fanoutP50: ratio(x.fanoutMs.p50, bare.fanoutMs.p50),
    fanoutP99: ratio(x.fanoutMs.p99, bare.fanoutMs.p99),
    heapPerSocket: ratio(x.heapPerSocketKiB, bare.heapPerSocketKiB),
    cpuPerDelivery: ratio(x.cpuPerDeliveryUs, bare.cpuPerDeliveryUs),
    cpuPerJoin: ratio(x.cpuPerJoinUs, bare.cpuPerJoinUs),
  });
  return {
    load: LIMIT_LOAD,
    nodes: CLUSTER_NODES,
    runs: CLUSTER_RUNS,
    bare,
    one,
    cluster,
    perRun: runs.map((r) => ({
      joinP99: [r.cluster.joinMs.p99, r.one.joinMs.p99, r.bare.joinMs.p99],
      fanoutP99: [r.cluster.fanoutMs.p99, r.one.fanoutMs.p99, r.bare.fanoutMs.p99],
      delivered: [r.cluster.delivered, r.one.delivered, r.bare.delivered],
      homes: r.cluster.homes,
    })),
    ratios: { one: against(one), cluster: against(cluster) },
    /** The machine's 1-minute load average at the start and the end (other work shares it). */
    loadAverage: [round(loadAtStart, 1), round(loadavg()[0] ?? 0, 1)] as const,
  };
}
