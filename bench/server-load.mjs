// Load run of the reference server (npm run bench:server): 500 sockets in 50 rooms on loopback.
//
// The server runs in a child process (its own event loop and heap, like in production); this
// process plays the 500 clients with raw `ws` sockets. Measured:
//   - join latency: `join` sent → ack received, 50 joins in flight at a time;
//   - fan-out latency: a `message` sent → the push received by every other member of the room
//     (per fan-out: the last of the 9 receivers), all 50 rooms at once, for several rounds;
//   - server memory per peer: heap and RSS of the server process after GC, before and after.
// Bounded: a watchdog ends the run after 120 s whatever happens.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout, clearTimeout } from 'node:timers';
import { URL, fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import WebSocket from 'ws';

const ROOMS = 50;
const PER_ROOM = 10;
const ROUNDS = 20;
const JOIN_CONCURRENCY = 50;
const SECRET = 'bench-secret';
const WATCHDOG_MS = 120_000;

const here = fileURLToPath(import.meta.url);
const { startServer, createToken } = await import(new URL('../dist-server/index.cjs', import.meta.url).href);

/** Child process: the server, answering memory questions over IPC. */
async function serve() {
  const server = await startServer({ port: 0, secret: SECRET, logLevel: 'silent', maxConnectionsPerIp: 0 });
  const memory = () => {
    globalThis.gc?.();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, rss: m.rss };
  };
  process.on('message', async (msg) => {
    if (msg === 'memory') process.send({ memory: memory(), stats: server.stats() });
    if (msg === 'close') {
      await server.close();
      process.send({ closed: true });
      process.exit(0);
    }
  });
  // The parent gone (finished or crashed): never outlive it.
  process.on('disconnect', () => process.exit(0));
  process.send({ url: server.url });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/** A minimal client: request/ack by id, push listeners. */
class BenchClient {
  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    this.pending = new Map();
    this.onPush = undefined;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.t === 'ack') {
        const resolve = this.pending.get(frame.id);
        this.pending.delete(frame.id);
        resolve?.(frame);
      } else if (frame.seq !== undefined) {
        this.onPush?.(frame);
      }
    });
  }

  static async open(url) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await once(ws, 'open');
    return new BenchClient(ws);
  }

  request(body) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ v: 1, id, ...body }));
    });
  }
}

async function inBatches(items, size, fn) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function run() {
  const child = fork(here, ['--server'], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const watchdog = setTimeout(() => {
    console.error(`server-load: still running after ${WATCHDOG_MS} ms, giving up`);
    child.kill('SIGKILL');
    process.exit(1);
  }, WATCHDOG_MS);
  try {
    await measure(child);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  } finally {
    clearTimeout(watchdog);
  }
}

async function measure(child) {
  const ask = async (question, key) => {
    child.send(question);
    for (;;) {
      const [msg] = await once(child, 'message');
      if (msg[key] !== undefined) return msg;
    }
  };
  const [{ url }] = await once(child, 'message');
  const before = await ask('memory', 'memory');

  // Connect everyone first: join latency should not include TCP and upgrade.
  const members = [];
  for (let r = 0; r < ROOMS; r++) {
    for (let u = 0; u < PER_ROOM; u++) members.push({ room: `room-${r}`, user: `user-${u}` });
  }
  const connectTimes = [];
  await inBatches(members, JOIN_CONCURRENCY, async (m) => {
    m.token = await createToken({ room: m.room, user: m.user, secret: SECRET, publish: true });
    const t0 = performance.now();
    m.client = await BenchClient.open(url);
    connectTimes.push(performance.now() - t0);
  });

  const joinTimes = [];
  await inBatches(members, JOIN_CONCURRENCY, async (m) => {
    const t0 = performance.now();
    const ack = await m.client.request({ t: 'join', token: m.token, room: m.room, user: m.user });
    joinTimes.push(performance.now() - t0);
    if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack.error)}`);
  });

  const afterJoin = await ask('memory', 'memory');

  // Fan-out: every room at once, one sender per room per round (a different one each round).
  const rooms = new Map();
  for (const m of members) {
    if (!rooms.has(m.room)) rooms.set(m.room, []);
    rooms.get(m.room).push(m);
  }
  const fanout = [];
  const delivery = [];
  const ackTimes = [];
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(
      [...rooms.values()].map(async (list) => {
        const sender = list[round % list.length];
        const receivers = list.filter((m) => m !== sender);
        const tag = `r${round}`;
        let t0 = 0;
        const all = Promise.all(
          receivers.map(
            (m) =>
              new Promise((resolve) => {
                m.client.onPush = (push) => {
                  if (push.t === 'message' && push.content === tag) {
                    delivery.push(performance.now() - t0);
                    resolve();
                  }
                };
              }),
          ),
        );
        t0 = performance.now();
        const acked = sender.client.request({ t: 'message', name: 'bench', content: tag }).then(() => {
          ackTimes.push(performance.now() - t0);
        });
        await all;
        fanout.push(performance.now() - t0);
        await acked;
      }),
    );
  }

  const afterFanout = await ask('memory', 'memory');
  for (const m of members) m.client.ws.close();
  await ask('close', 'closed');

  const peers = members.length;
  const ms = (x) => `${x.toFixed(2)} ms`;
  const kib = (x) => `${(x / 1024).toFixed(1)} KiB`;
  const row = (name, s) => ({ metric: name, n: s.n, p50: ms(s.p50), p99: ms(s.p99), max: ms(s.max) });
  console.log(
    `\nrxroom server load: ${peers} sockets in ${ROOMS} rooms of ${PER_ROOM}, loopback, Node ${process.version}\n`,
  );
  console.table([
    row('connect (TCP + upgrade)', summary(connectTimes)),
    row(`join → ack (${JOIN_CONCURRENCY} in flight)`, summary(joinTimes)),
    row('message → ack (sender)', summary(ackTimes)),
    row('message → one peer got the push', summary(delivery)),
    row(`fan-out: message → all ${PER_ROOM - 1} peers`, summary(fanout)),
  ]);
  console.table([
    {
      memory: 'server heap per peer',
      value: kib((afterJoin.memory.heapUsed - before.memory.heapUsed) / peers),
    },
    { memory: 'server RSS per peer', value: kib((afterJoin.memory.rss - before.memory.rss) / peers) },
    {
      memory: `server heap per peer after ${ROUNDS} fan-out rounds (replay buffers filled)`,
      value: kib((afterFanout.memory.heapUsed - before.memory.heapUsed) / peers),
    },
    { memory: 'server heap total after fan-out', value: kib(afterFanout.memory.heapUsed) },
  ]);
  console.log(`server stats at the end: ${JSON.stringify(afterFanout.stats)}`);
}

if (process.argv[2] === '--server') await serve();
else await run();
