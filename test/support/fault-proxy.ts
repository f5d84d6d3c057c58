/**
 * A fault-injecting WebSocket proxy for tests: clients connect to the proxy on 127.0.0.1, the
 * proxy connects each of them to the real server, and relays frames in both directions through
 * a fault model. Faults are seeded, so a run can be repeated exactly.
 *
 * It can also front several servers like a load balancer (the nodes of a cluster): each new client
 * connection goes to the next upstream in turn, and when connecting to one fails (a killed node) it
 * tries the next, until every upstream has been tried once.
 *
 * Per frame and direction it can delay, drop, duplicate, reorder (hold a frame back and let the
 * next one overtake it), corrupt bytes and throttle; per connection it can cut (both sides closed
 * abruptly) or hold half-open (neither side closed, nothing relayed).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer, type RawData } from 'ws';

/** Probabilities (0–1) and sizes of the faults, per frame. */
export interface FaultModel {
  readonly drop?: number;
  readonly duplicate?: number;
  readonly reorder?: number;
  readonly corrupt?: number;
  /** Extra delay per frame: uniform in [0, delayMs]. */
  readonly delayMs?: number;
  /** Bytes per second per direction; 0 = unlimited. */
  readonly throttleBytesPerSecond?: number;
}

export type Direction = 'up' | 'down';

/** A small seeded PRNG (mulberry32): the same seed gives the same faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One server URL, or the current list of them (read again for every new connection). */
export type Upstreams = string | (() => readonly string[]);

interface Link {
  readonly id: number;
  readonly client: WebSocket;
  /** The upstream socket: replaced while connecting fails over to the next upstream. */
  server: WebSocket;
  /** The upstream URL the link was connected to. */
  upstream: string;
  halfOpen: boolean;
  /** The frame held back per direction, to be overtaken by the next one. */
  held: Partial<Record<Direction, { data: string; isBinary: boolean }>>;
  /** When the throttled pipe per direction is free again (ms since epoch). */
  busyUntil: Record<Direction, number>;
  /** Frames buffered while the server side is still connecting. */
  pendingUp: { data: string; isBinary: boolean }[];
  /** Frames waiting for their delivery time, per direction, in order. */
  outbox: Record<Direction, { at: number; text: string; isBinary: boolean; target: WebSocket }[]>;
  timer: Partial<Record<Direction, ReturnType<typeof setTimeout>>>;
}

/** Counters of what the proxy did. */
export interface FaultStats {
  connections: number;
  relayed: number;
  dropped: number;
  duplicated: number;
  reordered: number;
  corrupted: number;
  delayed: number;
  cuts: number;
  halfOpens: number;
}

export class FaultProxy {
  private http!: Server;
  private wss!: WebSocketServer;
  private readonly links = new Set<Link>();
  private nextId = 1;
  private model: FaultModel = {};
  private random: () => number;
  readonly stats: FaultStats = {
    connections: 0,
    relayed: 0,
    dropped: 0,
    duplicated: 0,
    reordered: 0,
    corrupted: 0,
    delayed: 0,
    cuts: 0,
    halfOpens: 0,
  };
  port = 0;
  /** The round-robin position: connection n goes to upstream n (mod their number) first. */
  private turn = 0;
  private upstreams: () => readonly string[];

  constructor(upstreams: Upstreams, seed = 1) {
    this.upstreams = listOf(upstreams);
    this.random = seededRandom(seed);
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Open links (client connected through the proxy). */
  get size(): number {
    return this.links.size;
  }

  async start(port = 0): Promise<void> {
    this.http = createServer((_req, res) => res.writeHead(404).end());
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (client) => this.accept(client));
    await new Promise<void>((resolve) => this.http.listen(port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  /** Points new connections at another server URL or list (after a restart on another port). */
  retarget(upstreams: Upstreams): void {
    this.upstreams = listOf(upstreams);
  }

  /** How many open links go to each upstream URL. */
  linksByUpstream(): Map<string, number> {
    const out = new Map<string, number>();
    for (const link of this.links) out.set(link.upstream, (out.get(link.upstream) ?? 0) + 1);
    return out;
  }

  /** Sets the per-frame faults from now on; `{}` relays faithfully. */
  setFaults(model: FaultModel): void {
    this.model = model;
  }

  /** Closes one random link abruptly on both sides (or all of them). */
  cut(all = false): number {
    const victims = all ? [...this.links] : this.pick();
    for (const link of victims) {
      this.stats.cuts++;
      this.drop(link);
    }
    return victims.length;
  }

  /** Freezes one random link: both sockets stay open, nothing passes any more. */
  holdHalfOpen(): number {
    const victims = this.pick().filter((l) => !l.halfOpen);
    for (const link of victims) {
      link.halfOpen = true;
      this.stats.halfOpens++;
    }
    return victims.length;
  }

  async close(): Promise<void> {
    for (const link of [...this.links]) this.drop(link);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private pick(): Link[] {
    const all = [...this.links];
    if (all.length === 0) return [];
    return [all[Math.floor(this.random() * all.length)]!];
  }

  private drop(link: Link): void {
    this.links.delete(link);
    for (const t of Object.values(link.timer)) clearTimeout(t);
    link.client.terminate();
    link.server.terminate();
  }

  private accept(client: WebSocket): void {
    this.stats.connections++;
    const link: Link = {
      id: this.nextId++,
      client,
      server: undefined as unknown as WebSocket,
      upstream: '',
      halfOpen: false,
      held: {},
      busyUntil: { up: 0, down: 0 },
      pendingUp: [],
      outbox: { up: [], down: [] },
      timer: {},
    };
    this.links.add(link);
    client.on('message', (data, isBinary) => {
      const frame = { data: toText(data), isBinary };
      if (link.server.readyState === WebSocket.CONNECTING) link.pendingUp.push(frame);
      else this.relay(link, 'up', frame.data, frame.isBinary);
    });
    client.on('close', (code, reason) => this.closeBoth(link, code, reason));
    client.on('error', () => undefined);
    this.connectUpstream(link, 0);
  }

  /** Connects `link` to the next upstream; on failure to the one after, `tried` so far. */
  private connectUpstream(link: Link, tried: number): void {
    const list = this.upstreams();
    if (list.length === 0 || tried >= list.length) {
      // Nothing left to try: the client sees its connection fail.
      this.drop(link);
      return;
    }
    const upstream = list[this.turn++ % list.length]!;
    const server = new WebSocket(upstream);
    link.server = server;
    link.upstream = upstream;
    let opened = false;
    server.on('open', () => {
      opened = true;
      for (const f of link.pendingUp.splice(0)) this.relay(link, 'up', f.data, f.isBinary);
    });
    server.on('message', (data, isBinary) => this.relay(link, 'down', toText(data), isBinary));
    // A failed connection attempt emits 'error' then 'close'; the error handler fails over.
    server.on('close', (code, reason) => {
      if (opened) this.closeBoth(link, code, reason);
    });
    server.on('error', () => {
      if (!this.links.has(link)) return;
      if (opened) this.drop(link);
      else this.connectUpstream(link, tried + 1);
    });
  }

  private closeBoth(link: Link, code: number, reason: Buffer): void {
    if (!this.links.has(link) || link.halfOpen) return;
    this.links.delete(link);
    const c = code >= 1000 && code < 5000 && code !== 1005 && code !== 1006 ? code : 1000;
    for (const ws of [link.client, link.server]) {
      if (ws.readyState === WebSocket.OPEN) ws.close(c, reason.toString('utf8'));
      else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    }
  }

  private relay(link: Link, direction: Direction, data: string, isBinary: boolean): void {
    if (link.halfOpen || !this.links.has(link)) return;
    const m = this.model;
    const r = this.random;
    if (m.drop && r() < m.drop) {
      this.stats.dropped++;
      return;
    }
    let payload = data;
    if (m.corrupt && r() < m.corrupt && payload.length > 0) {
      this.stats.corrupted++;
      const i = Math.floor(r() * payload.length);
      payload = payload.slice(0, i) + String.fromCharCode(33 + Math.floor(r() * 90)) + payload.slice(i + 1);
    }
    const copies = m.duplicate && r() < m.duplicate ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    // Reorder: hold this frame back; it goes out right after the next frame of the same direction.
    const held = link.held[direction];
    if (!held && m.reorder && r() < m.reorder) {
      this.stats.reordered++;
      link.held[direction] = { data: payload, isBinary };
      return;
    }
    delete link.held[direction];
    const out = [...Array<string>(copies).fill(payload), ...(held ? [held.data] : [])];
    for (const text of out) this.send(link, direction, text, isBinary);
  }

  private send(link: Link, direction: Direction, text: string, isBinary: boolean): void {
    const m = this.model;
    const now = Date.now();
    let at = now;
    if (m.delayMs) {
      const extra = Math.floor(this.random() * m.delayMs);
      if (extra > 0) this.stats.delayed++;
      at += extra;
    }
    // A delayed link still delivers in order (it is TCP); only `reorder` swaps frames.
    at = Math.max(at, link.busyUntil[direction]);
    if (m.throttleBytesPerSecond) at += (Buffer.byteLength(text) / m.throttleBytesPerSecond) * 1000;
    link.busyUntil[direction] = at;
    const target = direction === 'up' ? link.server : link.client;
    // One queue per direction, drained by one timer: separate timers with near-equal deadlines do
    // not fire reliably in order.
    link.outbox[direction].push({ at, text, isBinary, target });
    this.drain(link, direction);
  }

  private drain(link: Link, direction: Direction): void {
    if (link.timer[direction]) return;
    const queue = link.outbox[direction];
    while (queue.length > 0 && queue[0]!.at <= Date.now()) {
      const f = queue.shift()!;
      if (link.halfOpen || !this.links.has(link) || f.target.readyState !== WebSocket.OPEN) continue;
      this.stats.relayed++;
      f.target.send(f.text, { binary: f.isBinary });
    }
    if (queue.length > 0) {
      link.timer[direction] = setTimeout(() => {
        delete link.timer[direction];
        this.drain(link, direction);
      }, queue[0]!.at - Date.now());
    }
  }
}

function listOf(upstreams: Upstreams): () => readonly string[] {
  return typeof upstreams === 'string' ? () => [upstreams] : upstreams;
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
