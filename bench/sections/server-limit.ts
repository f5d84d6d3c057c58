/**
 * Benchmark 4c (issue 18): one rxroom node against the limit of its transport, a bare `ws` room
 * server written for this bench, under the same load in the same run.
 *
 * The bare server does the minimum a room server must: parse each frame (JSON.parse); for a
 * `join` or a `message`, serialise one push for the room (JSON.stringify, with a per-room counter
 * as `seq`: `peer-joined` or `message`) and send it to the other members; then ack. No tokens, no
 * validation, no state snapshot in the join ack, no replay. Whatever rxroom spends beyond it is
 * rxroom's cost.
 *
 * Each server runs in its own child process (forked from bench/run.ts), one after the other, and
 * reports its heap (after GC) and CPU time over IPC. This process plays the clients with raw `ws`
 * sockets:
 * - join: `join` sent → ack, {@link IN_FLIGHT} in flight; the server's CPU time per join;
 * - fan-out: rooms send `message`s at a paced rate (sends/s × 9 receivers = deliveries/s above
 *   3,000), latency from send to each receiver's push; the server's CPU time per delivered push;
 * - heap per socket after the load: heap after GC minus heap before any socket, per socket.
 * Both servers get the same warm-up first (its sockets closed before the heap baseline).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { round, summarize } from '../lib/common';
import { answerUsage, type Usage } from '../lib/usage';
import { inBatches, ms, RawClient, type RawFrame } from './server-load';

/** The token secret of every server of 4c and 4d. */
export const LIMIT_SECRET = 'bench-limit-secret';
export const LIMIT_LOAD = {
  rooms: 100,
  perRoom: 10,
  inFlight: 50,
  /** Messages sent per second over all rooms; each reaches perRoom − 1 receivers. */
  sendsPerSecond: 375,
  /** Length of the paced fan-out phase. */
  seconds: 8,
} as const;

export type ServerKind = 'bare' | 'rxroom';

/** The bare room server: parse, re-serialise once per room, send to the room. */
function startBare(): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  const rooms = new Map<string, { seq: number; members: Set<WebSocket> }>();
  wss.on('connection', (ws) => {
    let room: { seq: number; members: Set<WebSocket> } | undefined;
    let user = '';
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as {
        t: string;
        id: number;
        room?: string;
        user?: string;
        name?: string;
        content?: string;
      };
      if (frame.t === 'join' && frame.room !== undefined) {
        room = rooms.get(frame.room);
        if (!room) rooms.set(frame.room, (room = { seq: 0, members: new Set() }));
        user = frame.user ?? '';
        const push = JSON.stringify({
          v: 1,
          seq: ++room.seq,
          t: 'peer-joined',
          peer: { user, role: 'broadcaster', visible: true },
        });
        for (const m of room.members) m.send(push);
        room.members.add(ws);
      } else if (frame.t === 'message' && room) {
        const push = JSON.stringify({
          v: 1,
          seq: ++room.seq,
          t: 'message',
          from: user,
          name: frame.name,
          content: frame.content,
          private: false,
        });
        for (const m of room.members) if (m !== ws) m.send(push);
      }
      ws.send(JSON.stringify({ v: 1, t: 'ack', id: frame.id, ok: true, data: {} }));
    });
    ws.on('close', () => room?.members.delete(ws));
  });
  return new Promise((resolve) =>
    wss.on('listening', () => resolve(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)),
  );
}

/** The child: start one server, answer `usage` and `close`. */
export async function serveLimitChild(kind: ServerKind): Promise<void> {
  let url: string;
  if (kind === 'bare') url = await startBare();
  else {
    const { startServer } = await import('../../server');
    // All clients come from 127.0.0.1, as behind a proxy: no per-address caps.
    const server = await startServer({
      port: 0,
      secret: LIMIT_SECRET,
      logLevel: 'silent',
      maxConnectionsPerIp: 0,
      maxPendingPerIp: 0,
    });
    url = server.url;
  }
  answerUsage();
  process.on('message', (msg) => {
    if (msg === 'close') process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ url });
}

/**
 * The same warm-up for every server before anything is measured: {@link WARM_UP_SOCKETS} sockets
 * join rooms of their own, send a few messages, and leave, so that p99 figures measure the
 * server, not its first compilation. With several nodes, the sockets of each warm-up room are
 * spread over them as in the load.
 */
const WARM_UP_SOCKETS = 200;

async function warmUp(urls: readonly string[], createToken: CreateToken): Promise<void> {
  const clients: RawClient[] = [];
  await inBatches([...Array(WARM_UP_SOCKETS).keys()], LIMIT_LOAD.inFlight, async (i) => {
    const room = `warm-${i % 20}`;
    const user = `warm-${i}`;
    const client = await RawClient.open(urls[i % urls.length]!);
    clients.push(client);
    await client.request({
      t: 'join',
      token: await createToken({ room, user, secret: LIMIT_SECRET }),
      room,
      user,
    });
  });
  for (let round = 0; round < 5; round++) {
    await Promise.all(
      clients.map((c, i) => c.request({ t: 'message', name: 'warm', content: `w${round}-${i}` })),
    );
  }
  await Promise.all(clients.map((c) => (c.ws.close(), once(c.ws, 'close'))));
}

type CreateToken = (o: { room: string; user: string; secret: string }) => Promise<string>;

/** Ask a process that runs {@link answerUsage} for its usage. */
export async function askUsage(child: ChildProcess): Promise<Usage> {
  child.send('usage');
  for (;;) {
    const [msg] = (await once(child, 'message')) as [{ usage?: Usage }];
    if (msg.usage) return msg.usage;
  }
}

/** Where the load goes: one server, or the nodes of a cluster. */
export interface LoadTarget {
  /**
   * One URL per node. Member u of room r connects to `urls[(r + u) % urls.length]`, so with
   * several nodes every room has members on each of them.
   */
  readonly urls: readonly string[];
  /** Heap (after GC), RSS and CPU time of the server: with several processes, their sum. */
  usage(): Promise<Usage>;
}

/** The shape of {@link LIMIT_LOAD}, with any numbers. */
export type Load = { readonly [K in keyof typeof LIMIT_LOAD]: number };

/**
 * {@link LIMIT_LOAD} against one target, already started: warm-up, connect, join, paced fan-out.
 * Every socket it opened is closed when it returns or throws.
 */
export async function runLoad(target: LoadTarget) {
  const { createToken } = await import('../../server');
  const { rooms, perRoom, inFlight, sendsPerSecond, seconds } = LIMIT_LOAD;
  const { urls } = target;
  const members: { room: string; user: string; token: string; url: string; client?: RawClient }[] = [];
  try {
    for (let r = 0; r < rooms; r++) {
      for (let u = 0; u < perRoom; u++) {
        const room = `room-${r}`;
        const user = `user-${u}`;
        const url = urls[(r + u) % urls.length]!;
        members.push({ room, user, url, token: await createToken({ room, user, secret: LIMIT_SECRET }) });
      }
    }
    await warmUp(urls, createToken);
    const before = await target.usage();
    await inBatches(members, inFlight, async (m) => {
      m.client = await RawClient.open(m.url);
    });
    const beforeJoin = await target.usage();
    const join: number[] = [];
    await inBatches(members, inFlight, async (m) => {
      const t0 = performance.now();
      const ack = await m.client!.request({ t: 'join', token: m.token, room: m.room, user: m.user });
      join.push(performance.now() - t0);
      if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack.error)}`);
    });
    const afterJoin = await target.usage();

    // Paced fan-out: every tick, the next rooms (round robin) send one message each.
    const byRoom = new Map<string, typeof members>();
    for (const m of members) byRoom.set(m.room, [...(byRoom.get(m.room) ?? []), m]);
    const roomList = [...byRoom.values()];
    const sentAt = new Map<string, number>();
    const latency: number[] = [];
    let delivered = 0;
    for (const m of members) {
      m.client!.onPush = (push, at) => {
        if (push.t !== 'message' || push.content === undefined) return;
        const t0 = sentAt.get(push.content);
        if (t0 === undefined) return;
        latency.push(at - t0);
        delivered++;
      };
    }
    const tickMs = 10;
    const total = sendsPerSecond * seconds;
    let sent = 0;
    let owed = 0;
    const acks: Promise<RawFrame>[] = [];
    const startCpu = (await target.usage()).cpuUs;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        // Catch up when a tick came late, so the rate holds on a loaded machine.
        owed = Math.min(total, ((performance.now() - started) / 1000) * sendsPerSecond) - sent;
        for (; owed >= 1 && sent < total; owed--) {
          const list = roomList[sent % roomList.length]!;
          const sender = list[Math.floor(sent / roomList.length) % list.length]!;
          const tag = `m${sent}`;
          sentAt.set(tag, performance.now());
          acks.push(sender.client!.request({ t: 'message', name: 'bench', content: tag }));
          sent++;
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, tickMs);
    });
    await Promise.all(acks);
    const expected = total * (perRoom - 1);
    const deadline = performance.now() + 10_000;
    while (delivered < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const elapsed = (performance.now() - started) / 1000;
    const afterFanout = await target.usage();
    for (const m of members) m.client?.ws.close();
    const sockets = members.length;
    return {
      sockets,
      joinMs: ms(summarize(join)),
      cpuPerJoinUs: round((afterJoin.cpuUs - beforeJoin.cpuUs) / sockets, 1),
      sends: sent,
      delivered,
      expected,
      deliveriesPerSecond: round(delivered / elapsed, 0),
      fanoutMs: ms(summarize(latency)),
      cpuPerDeliveryUs: round((afterFanout.cpuUs - startCpu) / Math.max(1, delivered), 2),
      heapPerSocketKiB: round((afterFanout.heapUsed - before.heapUsed) / sockets / 1024, 2),
      rssPerSocketKiB: round((afterFanout.rss - before.rss) / sockets / 1024, 2),
    };
  } finally {
    for (const m of members) m.client?.ws.terminate();
  }
}

/** Ends a child process: `close` over IPC when it has a channel, SIGKILL after 3 s. */
export async function stopChild(child: ChildProcess, signal?: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  if (signal) child.kill(signal);
  else if (child.connected) child.send('close');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Forks bench/run.ts as one server ({@link serveLimitChild}); resolves once it listens. */
export async function forkServer(
  childScript: string,
  execArgv: readonly string[],
  kind: ServerKind,
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(childScript, [`--limit-child=${kind}`], {
    execArgv: [...execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const [hello] = (await once(child, 'message')) as [{ url: string }];
    return { child, url: hello.url };
  } catch (e) {
    await stopChild(child);
    throw e;
  }
}

/** One server under the load, in a child process of its own. */
export async function loadOne(childScript: string, execArgv: readonly string[], kind: ServerKind) {
  const { child, url } = await forkServer(childScript, execArgv, kind);
  try {
    return { kind, ...(await runLoad({ urls: [url], usage: () => askUsage(child) })) };
  } finally {
    await stopChild(child);
  }
}

/** The section: bare server, then one rxroom node, same load, and the ratios. */
type One = Awaited<ReturnType<typeof loadOne>>;

/** Runs of each server, alternating (bare, rxroom, bare, …): the machine's other load hits both alike. */
export const LIMIT_RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Every figure of several runs of one server, each the median of the runs. */
export function medianOf<T extends Awaited<ReturnType<typeof runLoad>>>(runs: readonly T[]): T {
  const first = runs[0]!;
  const lat = (pick: (r: T) => T['joinMs']) => ({
    p50: median(runs.map((r) => pick(r).p50)),
    p99: median(runs.map((r) => pick(r).p99)),
    max: median(runs.map((r) => pick(r).max)),
    n: first.joinMs.n,
  });
  const num = (pick: (r: T) => number) => median(runs.map(pick));
  return {
    ...first,
    joinMs: lat((r) => r.joinMs),
    fanoutMs: { ...lat((r) => r.fanoutMs), n: first.fanoutMs.n },
    cpuPerJoinUs: num((r) => r.cpuPerJoinUs),
    deliveriesPerSecond: num((r) => r.deliveriesPerSecond),
    cpuPerDeliveryUs: num((r) => r.cpuPerDeliveryUs),
    heapPerSocketKiB: num((r) => r.heapPerSocketKiB),
    rssPerSocketKiB: num((r) => r.rssPerSocketKiB),
  };
}

export async function runServerLimit(childScript: string, execArgv: readonly string[]) {
  const runs: { bare: One; rxroom: One }[] = [];
  for (let i = 0; i < LIMIT_RUNS; i++) {
    const bareRun = await loadOne(childScript, execArgv, 'bare');
    runs.push({ bare: bareRun, rxroom: await loadOne(childScript, execArgv, 'rxroom') });
  }
  const bare = medianOf(runs.map((r) => r.bare));
  const rxroom = medianOf(runs.map((r) => r.rxroom));
  const ratio = (a: number, b: number) => round(a / b, 2);
  return {
    load: LIMIT_LOAD,
    runs: LIMIT_RUNS,
    bare,
    rxroom,
    perRun: runs.map((r) => ({
      joinP99: [r.rxroom.joinMs.p99, r.bare.joinMs.p99],
      fanoutP99: [r.rxroom.fanoutMs.p99, r.bare.fanoutMs.p99],
      heapPerSocketKiB: [r.rxroom.heapPerSocketKiB, r.bare.heapPerSocketKiB],
      cpuPerDeliveryUs: [r.rxroom.cpuPerDeliveryUs, r.bare.cpuPerDeliveryUs],
    })),
    ratios: {
      joinP99: ratio(rxroom.joinMs.p99, bare.joinMs.p99),
      joinP50: ratio(rxroom.joinMs.p50, bare.joinMs.p50),
      fanoutP99: ratio(rxroom.fanoutMs.p99, bare.fanoutMs.p99),
      fanoutP50: ratio(rxroom.fanoutMs.p50, bare.fanoutMs.p50),
      heapPerSocket: ratio(rxroom.heapPerSocketKiB, bare.heapPerSocketKiB),
      cpuPerDelivery: ratio(rxroom.cpuPerDeliveryUs, bare.cpuPerDeliveryUs),
      cpuPerJoin: ratio(rxroom.cpuPerJoinUs, bare.cpuPerJoinUs),
    },
  };
}
