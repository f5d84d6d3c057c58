import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../server';
import { FaultProxy, seededRandom } from './fault-proxy';

let server: RunningServer;
let proxy: FaultProxy;
beforeEach(async () => {
  server = await startServer({ port: 0 });
  proxy = new FaultProxy(server.url, 7);
  await proxy.start();
});
afterEach(async () => {
  await proxy.close();
  await server.close();
});

/** A raw client through the proxy that pings and collects pongs. */
async function rawClient(): Promise<{ ws: WebSocket; got: string[]; closed: Promise<number> }> {
  const ws = new WebSocket(proxy.url);
  const got: string[] = [];
  ws.on('message', (d) => got.push(d.toString()));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve) => ws.on('open', resolve));
  return { ws, got, closed };
}
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};
const ping = (id: number) => JSON.stringify({ v: 1, t: 'ping', id });

describe('FaultProxy', () => {
  it('relays faithfully with no faults', async () => {
    const c = await rawClient();
    for (let i = 1; i <= 5; i++) c.ws.send(ping(i));
    await until(() => c.got.length === 5);
    expect(c.got.map((g) => JSON.parse(g).id)).toEqual([1, 2, 3, 4, 5]);
  });

  const idsOf = (got: string[]) =>
    got.map((g) => {
      try {
        return (JSON.parse(g) as { id?: number }).id;
      } catch {
        return 'corrupt';
      }
    });

  it('drops frames', async () => {
    const c = await rawClient();
    proxy.setFaults({ drop: 1 });
    c.ws.send(ping(1));
    await until(() => proxy.stats.dropped === 1);
    proxy.setFaults({});
    c.ws.send(ping(2));
    await until(() => c.got.length === 1);
    expect(idsOf(c.got)).toEqual([2]);
    expect(proxy.stats.dropped).toBe(1);
  });

  it('duplicates frames', async () => {
    const c = await rawClient();
    proxy.setFaults({ duplicate: 1 });
    c.ws.send(ping(1));
    // the ping arrives twice (the server runs a repeated id once), the pong is doubled on the way down
    await until(() => c.got.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(idsOf(c.got)).toEqual([1, 1]);
    expect(proxy.stats.duplicated).toBe(2);
  });

  it('reorders frames: a held frame is overtaken by the next one', async () => {
    const c = await rawClient();
    proxy.setFaults({ reorder: 1 });
    c.ws.send(ping(1)); // held back
    await until(() => proxy.stats.reordered === 1);
    proxy.setFaults({});
    c.ws.send(ping(2)); // goes out, then the held one
    await until(() => c.got.length === 2);
    expect(idsOf(c.got)).toEqual([2, 1]);
  });

  it('corrupts frames, and the server survives them', async () => {
    const c = await rawClient();
    proxy.setFaults({ corrupt: 1 });
    c.ws.send(ping(1));
    await until(() => c.got.length === 1);
    proxy.setFaults({});
    c.ws.send(ping(2));
    await until(() => c.got.includes(JSON.stringify({ v: 1, t: 'pong', id: 2 })));
    expect(proxy.stats.corrupted).toBeGreaterThan(0);
  });

  it('delays in order', async () => {
    const c = await rawClient();
    proxy.setFaults({ delayMs: 30 });
    for (let i = 1; i <= 20; i++) c.ws.send(ping(i));
    await until(() => c.got.length === 20);
    expect(c.got.map((g) => JSON.parse(g).id)).toEqual([...Array(20).keys()].map((i) => i + 1));
  });

  it('cuts a connection and holds another half-open', async () => {
    const a = await rawClient();
    expect(proxy.cut()).toBe(1);
    expect(await a.closed).toBe(1006);
    const b = await rawClient();
    expect(proxy.holdHalfOpen()).toBe(1);
    b.ws.send(ping(1));
    await new Promise((r) => setTimeout(r, 100));
    expect(b.got).toEqual([]);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('is repeatable: the same seed gives the same numbers', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('FaultProxy in front of several servers', () => {
  let servers: RunningServer[];
  let lb: FaultProxy;
  let live: string[];
  beforeEach(async () => {
    servers = [];
    for (let i = 0; i < 3; i++) servers.push(await startServer({ port: 0 }));
    live = servers.map((s) => s.url);
    lb = new FaultProxy(() => live, 3);
    await lb.start();
  });
  afterEach(async () => {
    await lb.close();
    for (const s of servers) await s.close();
  });

  /** A raw client through `lb` that has had an answer to a ping (so its upstream is connected). */
  async function pinged(): Promise<WebSocket> {
    const ws = new WebSocket(lb.url);
    const pong = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(ping(1));
    expect(JSON.parse(await pong)).toEqual({ v: 1, t: 'pong', id: 1 });
    return ws;
  }
  const spread = () => servers.map((s) => lb.linksByUpstream().get(s.url) ?? 0);
  const serverSockets = () => servers.map((s) => s.stats().connections);

  it('sends each new connection to the next server in turn', async () => {
    const clients = [];
    for (let i = 0; i < 6; i++) clients.push(await pinged());
    expect(spread()).toEqual([2, 2, 2]);
    expect(serverSockets()).toEqual([2, 2, 2]);
    for (const ws of clients) ws.close();
  });

  it('skips a server that refuses the connection and uses the next one', async () => {
    await servers[1]!.close(); // still listed, as a load balancer still lists a node that just died
    const clients = [];
    for (let i = 0; i < 4; i++) clients.push(await pinged());
    // turns: 0 → s0; 1 → s1 refused, 2 → s2; 3 → s0; 4 → s1 refused, 5 → s2
    expect(spread()).toEqual([2, 0, 2]);
    expect(serverSockets()).toEqual([2, 0, 2]);
    for (const ws of clients) ws.close();
  });

  it('reads the list for every connection, and fails the client when no server answers', async () => {
    live = [servers[2]!.url];
    const a = await pinged();
    expect(spread()).toEqual([0, 0, 1]);
    await servers[2]!.close();
    expect(await new Promise<number>((resolve) => a.on('close', resolve))).toBe(1000);
    const b = new WebSocket(lb.url);
    b.on('error', () => undefined);
    const code = await new Promise<number>((resolve) => b.on('close', resolve));
    expect(code).toBe(1006);
    expect(lb.size).toBe(0);
  });
});
