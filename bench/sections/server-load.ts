/**
 * Benchmark 4b: the reference server under load on loopback: 1,000 sockets in 100 rooms of 10.
 *
 * The server runs in a child process (its own event loop and heap, as in production; started from
 * server/index.ts through tsx), answering memory questions over IPC. This process plays the 1,000
 * clients with raw `ws` sockets speaking protocol v1:
 * - join latency: `join` sent → ack, 50 joins in flight;
 * - fan-out latency: a `message` sent → the push received by all 9 other members (the last of
 *   them), all 100 rooms at once, 20 rounds, a different sender each round;
 * - server memory per peer: heap (after GC) and RSS of the server process, before and after joins.
 * Both processes share this machine's 2 cores, so the client side competes with the server.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { round, summarize, type Summary } from '../lib/common';

const SECRET = 'bench-load-secret';
const ROOMS = 100;
const PER_ROOM = 10;
const ROUNDS = 20;
const IN_FLIGHT = 50;

interface MemoryReply {
  readonly memory: { heapUsed: number; rss: number };
  readonly stats: Record<string, number>;
}

/** The child: start the server, answer `memory` and `close`. */
export async function serveChild(): Promise<void> {
  const { startServer } = await import('../../server');
  // All 1,000 clients come from 127.0.0.1, as behind a proxy: no per-address connection cap.
  const server = await startServer({
    port: 0,
    secret: SECRET,
    logLevel: 'silent',
    maxConnectionsPerIp: 0,
    maxPendingPerIp: 0,
  });
  const memory = () => {
    const g = globalThis as { gc?: () => void };
    g.gc?.();
    g.gc?.();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, rss: m.rss };
  };
  process.on('message', (msg) => {
    if (msg === 'memory') process.send?.({ memory: memory(), stats: server.stats() });
    if (msg === 'close') {
      void server.close().then(() => {
        process.send?.({ closed: true });
        process.exit(0);
      });
    }
  });
  process.send?.({ url: server.url });
}

/** A frame as the load clients read it. */
export interface RawFrame {
  t: string;
  id?: number;
  ok: boolean;
  seq?: number;
  content?: string;
  error?: unknown;
}

/** A raw protocol v1 client for load runs (no SDK). Pushes come with their arrival time. */
export class RawClient {
  private nextId = 1;
  private readonly pending = new Map<number, (frame: RawFrame) => void>();
  onPush: ((frame: RawFrame, at: number) => void) | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const at = performance.now();
      const frame = JSON.parse(data.toString()) as RawFrame;
      if (frame.t === 'ack' && frame.id !== undefined) {
        const resolve = this.pending.get(frame.id);
        this.pending.delete(frame.id);
        resolve?.(frame);
      } else if (frame.seq !== undefined) {
        this.onPush?.(frame, at);
      }
    });
  }

  static async open(url: string): Promise<RawClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await once(ws, 'open');
    return new RawClient(ws);
  }

  request(body: Record<string, unknown>): Promise<RawFrame> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ v: 1, id, ...body }));
    });
  }
}

/** Runs `fn` over `items`, `size` at a time. */
export async function inBatches<T>(
  items: readonly T[],
  size: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

export const ms = (s: Summary) => ({
  p50: round(s.p50, 2),
  p99: round(s.p99, 2),
  max: round(s.max, 2),
  n: s.n,
});

export async function runServerLoad(childScript: string, execArgv: readonly string[]) {
  const { createToken } = await import('../../server');
  const child: ChildProcess = fork(childScript, ['--server-child'], {
    execArgv: [...execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = async <K extends string>(
    question: string,
    key: K,
  ): Promise<Record<K, unknown> & MemoryReply> => {
    child.send(question);
    for (;;) {
      const [msg] = (await once(child, 'message')) as [Record<string, unknown>];
      if (msg[key] !== undefined) return msg as Record<K, unknown> & MemoryReply;
    }
  };
  const members: { room: string; user: string; token: string; client?: RawClient }[] = [];
  try {
    const [hello] = (await once(child, 'message')) as [{ url: string }];
    const url = hello.url;
    const before = await ask('memory', 'memory');

    for (let r = 0; r < ROOMS; r++) {
      for (let u = 0; u < PER_ROOM; u++) {
        const room = `room-${r}`;
        const user = `user-${u}`;
        members.push({ room, user, token: await createToken({ room, user, secret: SECRET, publish: true }) });
      }
    }
    const connect: number[] = [];
    await inBatches(members, IN_FLIGHT, async (m) => {
      const t0 = performance.now();
      m.client = await RawClient.open(url);
      connect.push(performance.now() - t0);
    });
    const join: number[] = [];
    await inBatches(members, IN_FLIGHT, async (m) => {
      const t0 = performance.now();
      const ack = await m.client!.request({ t: 'join', token: m.token, room: m.room, user: m.user });
      join.push(performance.now() - t0);
      if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack.error)}`);
    });
    const afterJoin = await ask('memory', 'memory');

    const rooms = new Map<string, typeof members>();
    for (const m of members) rooms.set(m.room, [...(rooms.get(m.room) ?? []), m]);
    const fanout: number[] = [];
    const firstDelivery: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        [...rooms.values()].map(async (list) => {
          const sender = list[round % list.length]!;
          const tag = `r${round}`;
          let t0 = 0;
          let first = true;
          const all = Promise.all(
            list
              .filter((m) => m !== sender)
              .map(
                (m) =>
                  new Promise<void>((resolve) => {
                    m.client!.onPush = (push) => {
                      if (push.t === 'message' && push.content === tag) {
                        if (first) firstDelivery.push(performance.now() - t0);
                        first = false;
                        resolve();
                      }
                    };
                  }),
              ),
          );
          t0 = performance.now();
          const acked = sender.client!.request({ t: 'message', name: 'bench', content: tag });
          await all;
          fanout.push(performance.now() - t0);
          await acked;
        }),
      );
    }
    const afterFanout = await ask('memory', 'memory');
    for (const m of members) m.client?.ws.close();
    const peers = members.length;
    return {
      sockets: peers,
      rooms: ROOMS,
      perRoom: PER_ROOM,
      rounds: ROUNDS,
      joinsInFlight: IN_FLIGHT,
      connectMs: ms(summarize(connect)),
      joinMs: ms(summarize(join)),
      firstDeliveryMs: ms(summarize(firstDelivery)),
      fanoutAllMs: ms(summarize(fanout)),
      heapPerPeerKiB: round((afterJoin.memory.heapUsed - before.memory.heapUsed) / peers / 1024, 2),
      rssPerPeerKiB: round((afterJoin.memory.rss - before.memory.rss) / peers / 1024, 2),
      heapPerPeerAfterFanoutKiB: round(
        (afterFanout.memory.heapUsed - before.memory.heapUsed) / peers / 1024,
        2,
      ),
      serverStats: afterFanout.stats,
    };
  } finally {
    for (const m of members) m.client?.ws.terminate();
    if (child.connected) {
      child.send('close');
      await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
