/**
 * Benchmark 4a: recovery and leaks, against the reference server on 127.0.0.1 (in this process),
 * with real clients on the Node platform.
 *
 * - Socket cut → `resumed`: a subscriber's socket is killed (`dropSockets`, as a lost network does);
 *   time until its connection is `resumed`. The reconnect policy's own delays (what the client
 *   reported in its `reconnecting` states) are subtracted: the rest is rxroom's overhead.
 * - Server restart → `rejoined` with subscriptions restored: the server is closed and a new one
 *   started on the same port (all sessions lost); time until the subscriber is `rejoined`, the
 *   publisher has published again and the subscriber's subscription to it is back. Overhead as
 *   above; the server's own downtime is reported apart.
 * - Leaks: 1,000 join/leave cycles of one client, and 1,000 create/join/publish/leave/destroy
 *   cycles; heap after GC, platform listeners and sockets, Node's live timers and sockets, and the
 *   client's own subject observers, before and after.
 */
import { performance } from 'node:perf_hooks';
import { filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import { createToken, startServer, type RunningServer } from '../../server';
import { nodePlatform, type NodePlatform } from '../../src/bindings/node-platform';
import { createClient, inspectClient, type RtcClient } from '../../src/streams/create-client';
import type { ConnectionState, RoomState } from '../../src/streams/model';
import { gc, round, sleep, summarize, type Summary } from '../lib/common';

const SECRET = 'bench-recovery-secret';

function waitFor<T>(o: Observable<T>, test: (v: T) => boolean, ms = 10_000): Promise<T> {
  return firstValueFrom(o.pipe(filter(test), timeout({ first: ms })));
}

/**
 * Resolves with the first value passing `test` that comes after a `reconnecting` state (the state
 * streams replay their latest value, which may still be the previous run's `resumed`).
 */
function afterReconnecting<T>(
  o: Observable<T>,
  status: (v: T) => string,
  test: (v: T) => boolean,
  ms = 10_000,
) {
  let seen = false;
  return waitFor(
    o,
    (v) => {
      if (status(v) === 'reconnecting') seen = true;
      return seen && test(v);
    },
    ms,
  );
}

async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(5);
  }
}

interface Member {
  readonly client: RtcClient;
  readonly platform: NodePlatform;
  readonly userId: string;
}

async function member(server: RunningServer, userId: string, room: string): Promise<Member> {
  const platform = nodePlatform();
  const client = createClient({ url: server.url, platform });
  const token = await createToken({ room, user: userId, secret: SECRET, publish: true, subscribe: true });
  await firstValueFrom(client.join({ token, roomId: room, userId }));
  return { client, platform, userId };
}

const ms = (s: Summary) => ({ p50: round(s.p50, 1), p95: round(s.p95, 1), max: round(s.max, 1), n: s.n });

/** Delays the client announced while reconnecting, summed (the policy's own wait). */
function policyWait(states: readonly ConnectionState[]): number {
  return states.filter((s) => s.status === 'reconnecting').reduce((sum, s) => sum + (s.delay ?? 0), 0);
}

export async function runReconnect(runs: number) {
  let server = await startServer({ port: 0, secret: SECRET, logLevel: 'silent', grace: 20_000 });
  const port = server.port;
  const members: Member[] = [];
  try {
    const room = 'recovery';
    const pub = await member(server, 'pub', room);
    const sub = await member(server, 'sub', room);
    members.push(pub, sub);
    await firstValueFrom(pub.client.publish());
    await waitFor(sub.client.room$, (r) => !!r.streams.get('pub:main'));
    await firstValueFrom(sub.client.subscribe('pub:main'));

    // Socket cut → resumed.
    const cut = {
      total: [] as number[],
      wait: [] as number[],
      overhead: [] as number[],
      attempts: [] as number[],
    };
    for (let i = 0; i < runs; i++) {
      const states: ConnectionState[] = [];
      const watch = sub.client.connection$.subscribe((s) => states.push(s));
      const resumed = afterReconnecting(
        sub.client.connection$,
        (c) => c.status,
        (c) => c.status === 'resumed',
      );
      const t0 = performance.now();
      sub.platform.dropSockets();
      await resumed;
      const total = performance.now() - t0;
      watch.unsubscribe();
      const wait = policyWait(states);
      cut.total.push(total);
      cut.wait.push(wait);
      cut.overhead.push(total - wait);
      cut.attempts.push(states.filter((s) => s.status === 'reconnecting').length);
      await sleep(10);
    }
    if (!sub.client.state.streams.get('pub:main')?.subscription)
      throw new Error('subscription lost across resumes');

    // Server restart → rejoined, publication and subscription restored: an instant restart, and one
    // where the server stays away for `downtimeMs` (so the policy's delays come into play).
    const restored = (r: RoomState) =>
      r.connection.status === 'rejoined' && !!r.streams.get('pub:main')?.subscription;
    const restartRuns = async (count: number, downtimeMs: number) => {
      const out = {
        total: [] as number[],
        wait: [] as number[],
        overhead: [] as number[],
        downtime: [] as number[],
        attempts: [] as number[],
      };
      for (let i = 0; i < count; i++) {
        const states: ConnectionState[] = [];
        const watch = sub.client.connection$.subscribe((s) => states.push(s));
        const pubBack = afterReconnecting(
          pub.client.room$,
          (r) => r.connection.status,
          (r) => r.connection.status === 'rejoined' && !!r.self?.publications['pub:main'],
        );
        const subBack = afterReconnecting(sub.client.room$, (r) => r.connection.status, restored);
        const t0 = performance.now();
        await server.close();
        if (downtimeMs > 0) await sleep(downtimeMs);
        server = await startServer({ port, secret: SECRET, logLevel: 'silent', grace: 20_000 });
        const up = performance.now();
        await Promise.all([pubBack, subBack]);
        const total = performance.now() - t0;
        watch.unsubscribe();
        const wait = policyWait(states);
        out.total.push(total);
        out.wait.push(wait);
        out.overhead.push(total - Math.max(wait, up - t0));
        out.downtime.push(up - t0);
        out.attempts.push(states.filter((s) => s.status === 'reconnecting').length);
        await sleep(10);
      }
      return {
        runs: count,
        toRestoredMs: ms(summarize(out.total)),
        serverDowntimeMs: ms(summarize(out.downtime)),
        policyWaitMs: ms(summarize(out.wait)),
        overheadMs: ms(summarize(out.overhead)),
        attemptsMax: Math.max(...out.attempts),
      };
    };
    const instant = await restartRuns(runs, 0);
    const away = await restartRuns(Math.max(5, Math.round(runs / 2.5)), 500);

    return {
      runs,
      policy: 'default (0, 300, 1200, 2700, 4800 ms, …)',
      socketCut: {
        toResumedMs: ms(summarize(cut.total)),
        policyWaitMs: ms(summarize(cut.wait)),
        overheadMs: ms(summarize(cut.overhead)),
        attemptsMax: Math.max(...cut.attempts),
      },
      serverRestart: instant,
      serverRestartAway500ms: away,
    };
  } finally {
    for (const m of members) m.client.destroy();
    await server.close();
  }
}

/** Node's own count of live timers and sockets. */
function liveResources(): { timers: number; sockets: number } {
  let timers = 0;
  let sockets = 0;
  for (const r of process.getActiveResourcesInfo()) {
    if (r === 'Timeout') timers++;
    if (r === 'TCPSocketWrap') sockets++;
  }
  return { timers, sockets };
}

export async function runLeaks(cycles: number) {
  const server = await startServer({ port: 0, secret: SECRET, logLevel: 'silent' });
  try {
    const token = await createToken({ room: 'leak', user: 'u', secret: SECRET, publish: true });
    const settle = async (platform: NodePlatform) => {
      await eventually(() => platform.stats().sockets === 0 && server.stats().connections === 0);
      await eventually(() => server.stats().sessions === 0);
      await sleep(20);
      gc();
    };
    const snapshot = (platform: NodePlatform, client?: RtcClient) => ({
      heapUsed: process.memoryUsage().heapUsed,
      platform: platform.stats(),
      node: liveResources(),
      ...(client ? { clientObservers: inspectClient(client).observers } : {}),
    });

    // One client, joining and leaving over and over (a page kept alive across rooms).
    const platformA = nodePlatform();
    const client = createClient({ url: server.url, platform: platformA });
    const page = client.room$.subscribe();
    const joinLeave = async () => {
      await firstValueFrom(client.join({ token, roomId: 'leak', userId: 'u' }));
      await firstValueFrom(client.publish());
      await firstValueFrom(client.leave());
    };
    for (let i = 0; i < 300; i++) await joinLeave(); // warm-up: JIT, ws and V8 caches
    await settle(platformA);
    const a0 = snapshot(platformA, client);
    const tA = performance.now();
    for (let i = 0; i < cycles; i++) await joinLeave();
    const joinLeaveMs = performance.now() - tA;
    await settle(platformA);
    const a1 = snapshot(platformA, client);
    for (let i = 0; i < cycles; i++) await joinLeave(); // a second batch: does the growth go on?
    await settle(platformA);
    const a2 = snapshot(platformA, client);
    page.unsubscribe();
    client.destroy();

    // A new client per cycle (a page opened and closed).
    const platformB = nodePlatform();
    let lastObservers = 0;
    const lifecycle = async () => {
      const c = createClient({ url: server.url, platform: platformB });
      const sub = c.room$.subscribe();
      await firstValueFrom(c.join({ token, roomId: 'leak', userId: 'u' }));
      await firstValueFrom(c.publish());
      await firstValueFrom(c.leave());
      c.destroy();
      sub.unsubscribe();
      lastObservers = inspectClient(c).observers;
    };
    for (let i = 0; i < 300; i++) await lifecycle();
    await settle(platformB);
    const b0 = snapshot(platformB);
    const tB = performance.now();
    for (let i = 0; i < cycles; i++) await lifecycle();
    const lifecycleMs = performance.now() - tB;
    await settle(platformB);
    const b1 = snapshot(platformB);
    for (let i = 0; i < cycles; i++) await lifecycle();
    await settle(platformB);
    const b2 = snapshot(platformB);

    const diff = (x: ReturnType<typeof snapshot>, y: ReturnType<typeof snapshot>) => ({
      heapGrowthKiB: round((y.heapUsed - x.heapUsed) / 1024, 0),
      heapGrowthBytesPerCycle: round((y.heapUsed - x.heapUsed) / cycles, 0),
      listenersBefore: x.platform.listeners,
      listenersAfter: y.platform.listeners,
      socketsAfter: y.platform.sockets,
      nodeTimersBefore: x.node.timers,
      nodeTimersAfter: y.node.timers,
      nodeSocketsBefore: x.node.sockets,
      nodeSocketsAfter: y.node.sockets,
    });
    return {
      cycles,
      sameClientJoinLeave: {
        ...diff(a0, a1),
        heapGrowthKiBNextBatch: round((a2.heapUsed - a1.heapUsed) / 1024, 0),
        clientObserversBefore: a0.clientObservers,
        clientObserversAfter: a1.clientObservers,
        msPerCycle: round(joinLeaveMs / cycles, 2),
      },
      createJoinLeaveDestroy: {
        ...diff(b0, b1),
        heapGrowthKiBNextBatch: round((b2.heapUsed - b1.heapUsed) / 1024, 0),
        observersOfLastDestroyedClient: lastObservers,
        msPerCycle: round(lifecycleMs / cycles, 2),
      },
      serverSessionsAfter: server.stats().sessions,
    };
  } finally {
    await server.close();
  }
}
