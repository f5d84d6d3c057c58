/**
 * One node of a cluster of reference servers sharing a Redis (docs/deploy.md).
 *
 * Every room has one home node, which runs the room exactly as a single server does (./store.ts
 * writes it through to Redis). A client may connect to any node, its *door*: when its first `join`
 * names a room homed elsewhere, the door relays the client's frames to the home over Redis pub/sub
 * and the home's frames back, so the home serves the client as if it were connected there.
 *
 * Nodes announce themselves with a key that expires after the node TTL. Each node refreshes its own
 * and sweeps the others: the rooms of a dead node are taken over by one survivor (compare-and-set on
 * the room's owner key), their sessions loaded into their grace window to resume or be removed;
 * clients relayed to a dead home, and sessions whose door died, reconnect and resume.
 */
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { CLOSE } from '../close-codes';
import type { SocketLike } from '../connection';
import type { ResolvedOptions } from '../options';
import type { ServerTimers, TimerHandle } from '../timers';
import {
  type RedisClient,
  type Scripts,
  NODES_KEY,
  nodeChannel,
  nodeKey,
  ownerRoomsKey,
  ownerTag,
  parseTag,
  sweepKey,
} from './keys';
import { RedisRoomStore, type StoreHost } from './store';

/** Bytes queued to a client beyond which it is not reading (as for a local socket). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** How long an admin call to another node may take. */
const CALL_TIMEOUT_MS = 3000;

/** A frame or a close, in order, from a home to a door: `[conn, text]` or `[conn, null, code, reason]` (code -1: terminate). */
type Out = [string, string] | [string, null, number, string];

/** What nodes say to each other on their channels. */
type Message =
  /** Door → home: a client socket that will join a room homed there. */
  | { k: 'o'; c: string }
  /** Door → home: a client frame (`b`: base64 of a binary frame that is not UTF-8). */
  | { k: 'm'; c: string; d: string; b?: 1 }
  /** Door → home: the client socket closed (or home → door's answer for a connection it does not know). */
  | { k: 'x'; c: string }
  /** Home `f` → door: frames and closes in order. */
  | { k: 'S'; f: string; l: Out[] }
  /** An admin call and its answer. */
  | { k: 'q'; id: number; from: string; op: string; a: unknown[] }
  | { k: 'r'; id: number; ok: boolean; v?: unknown; e?: string };

/** What the server gives its cluster node. */
export interface NodeHost extends StoreHost {
  /** Starts a connection (as for a new WebSocket) over `socket`; returns it. */
  accept(socket: SocketLike, id: string, relayed?: boolean): { abandon(): void };
  readonly timers: ServerTimers;
  /** Answers an admin call from another node. */
  answer(op: string, args: unknown[]): unknown;
}

/** The door's side of a client socket, while the door has not decided where it goes. */
class DoorSocket extends EventEmitter implements SocketLike {
  private detached = false;
  constructor(private readonly ws: WebSocket) {
    super();
  }
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
  send(text: string): void {
    if (!this.detached) this.ws.send(text);
  }
  close(code: number, reason: string): void {
    if (!this.detached) this.ws.close(code, reason);
  }
  terminate(): void {
    if (!this.detached) this.ws.terminate();
  }
  /** Hands the socket over to a relay: the local connection ends without touching it. */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.emit('close', CLOSE.normal);
  }
  closed(code: number): void {
    if (!this.detached) this.emit('close', code);
    this.detached = true;
  }
}

/** The home's side of a client socket held by another node. */
class RemoteSocket extends EventEmitter implements SocketLike {
  readonly bufferedAmount = 0;
  private ended = false;
  constructor(
    readonly id: string,
    readonly door: string,
    private readonly node: ClusterNode,
  ) {
    super();
  }
  send(text: string): void {
    if (!this.ended) this.node.out(this.door, [this.id, text]);
  }
  close(code: number, reason: string): void {
    this.end([this.id, null, code, reason], code);
  }
  terminate(): void {
    this.end([this.id, null, -1, ''], 1006);
  }
  /** The client socket is gone (closed at the door, or the door died). */
  gone(): void {
    this.end(undefined, 1006);
  }
  private end(out: Out | undefined, code: number): void {
    if (this.ended) return;
    this.ended = true;
    if (out) this.node.out(this.door, out);
    this.node.forgetRemote(this);
    queueMicrotask(() => this.emit('close', code));
  }
}

/** The door's relay of one client socket to the home of its room. */
interface Relay {
  readonly ws: WebSocket;
  readonly home: string;
  /** The home closed it: its close needs no word back. */
  closedByHome: boolean;
}

/** The owner tag of the door of a connection id (`<node>/<incarnation>/<n>`). */
const doorOf = (conn: string) => conn.slice(0, conn.lastIndexOf('/'));

/** Reads the room of a `join` frame without the full decoder (the home decodes it properly). */
function joinRoom(data: RawData): string | undefined {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  try {
    const frame = JSON.parse(bytes.toString('utf8')) as { t?: unknown; room?: unknown };
    return frame.t === 'join' && typeof frame.room === 'string' && /^[A-Za-z0-9_.@+-]{1,64}$/.test(frame.room)
      ? frame.room
      : undefined;
  } catch {
    return undefined;
  }
}

/** The close reason of the sockets of a run that stepped down (see `ClusterNode.retired`). */
const CLOSE_RETIRED = 'node retired; reconnect';

/** How every connection to Redis behaves: connect when asked, wait through outages, pipeline. */
const REDIS_OPTIONS = { lazyConnect: true, maxRetriesPerRequest: null, enableAutoPipelining: true } as const;

/** A Redis Cluster client seeded with the node `url` names (its password and TLS for every node). */
function clusterClient(url: string): Cluster {
  const u = new URL(url);
  const tls = u.protocol === 'rediss:' ? {} : undefined;
  return new Cluster([{ host: u.hostname, port: Number(u.port || 6379) }], {
    lazyConnect: true,
    enableAutoPipelining: true,
    // Node channels are sharded (SPUBLISH / SSUBSCRIBE): see `ClusterNode.publish`.
    shardedSubscribers: true,
    redisOptions: {
      maxRetriesPerRequest: null,
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(tls ? { tls } : {}),
    },
  });
}

/** Logs the first error of each outage of a Redis connection (it retries every few ms meanwhile). */
function quietErrors(redis: RedisClient, log: Logger, what: string): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ err: err.message }, what);
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.warn(`${what}: connected again`);
    down = false;
  });
}

/** A node of a cluster: rooms in Redis, frames relayed between nodes, dead nodes swept. */
export class ClusterNode {
  readonly store: RedisRoomStore;
  readonly node: string;
  /**
   * Changes on every start (and when the node rejoins after being dropped), so rooms and frames of
   * an earlier run of the same node id are told apart.
   */
  private incarnation = randomBytes(4).toString('hex');
  private host: NodeHost | undefined;
  private readonly sub: RedisClient;
  private nextConn = 0;
  private readonly relays = new Map<string, Relay>();
  private readonly remotes = new Map<string, RemoteSocket>();
  private readonly outbox = new Map<string, Out[]>();
  private outboxQueued = false;
  private readonly sends = new Set<Promise<unknown>>();
  private readonly calls = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void; timer: TimerHandle }
  >();
  private nextCall = 0;
  private ticker: TimerHandle | undefined;
  private stopping = false;
  private sweeping = false;
  private announced = false;
  private rejoining: Promise<void> | undefined;

  private constructor(
    private readonly redis: RedisClient,
    private readonly options: ResolvedOptions,
    private readonly log: Logger,
  ) {
    this.node = options.nodeId;
    this.store = new RedisRoomStore(redis, this.node, this.tag, options.replayBuffer, log);
    this.sub = redis.duplicate();
    this.scripts = this.store.scripts;
    this.sharded = options.redisCluster;
  }

  /**
   * Whether node channels are sharded channels (on a Redis Cluster). Classic PUBLISH there goes to
   * any shard and spreads over the cluster bus, so two frames published one after the other may
   * reach a subscriber in the other order (a room's pushes arrived out of `seq` order). A sharded
   * channel lives on the one shard of its slot: what one connection publishes there arrives in
   * order.
   */
  private readonly sharded: boolean;

  /**
   * Whether a publish's answer may be read as "the node addressed is gone" when it is 0. On one
   * Redis it counts every subscriber. A sharded channel's count is exact too, but drops to 0 for a
   * moment while its slot moves between shards: there only the liveness keys tell.
   */
  private get countsReceivers(): boolean {
    return !this.sharded;
  }

  private readonly scripts: Scripts;

  /**
   * Connects to Redis (both connections: commands and pub/sub).
   *
   * @throws Error when Redis cannot be reached.
   */
  static async connect(options: ResolvedOptions, log: Logger): Promise<ClusterNode> {
    const url = options.redis;
    if (url === undefined) throw new TypeError('no redis URL');
    const redis: RedisClient = options.redisCluster ? clusterClient(url) : new Redis(url, REDIS_OPTIONS);
    // ioredis reconnects by itself; errors while it does are logged once per outage, not thrown.
    quietErrors(redis, log, 'redis connection error');
    try {
      await redis.connect();
    } catch (e) {
      redis.disconnect();
      throw new Error(`cannot reach Redis at ${url}: ${(e as Error).message}`);
    }
    const node = new ClusterNode(redis, options, log);
    quietErrors(node.sub, log, 'redis subscriber error');
    await node.sub.connect();
    return node;
  }

  /** Client sockets this node holds and relays to the home of their room. */
  get relayCount(): number {
    return this.relays.size;
  }

  /** This run's owner tag (`<node>/<incarnation>`). */
  get tag(): string {
    return ownerTag(this.node, this.incarnation);
  }

  /** Starts serving: listens on its channel, announces itself, takes back rooms of an earlier run. */
  async start(host: NodeHost): Promise<void> {
    this.host = host;
    this.store.host = host;
    await this.checkIdFree();
    this.sub.on(this.sharded ? 'smessageBuffer' : 'messageBuffer', (_channel: Buffer, message: Buffer) =>
      this.onMessage(message.toString('utf8')),
    );
    if (this.sharded) {
      await this.sub.ssubscribe(nodeChannel(this.node)).catch((e: unknown) => {
        const message = (e as Error).message;
        throw new Error(
          /unknown command/i.test(message)
            ? `a Redis Cluster needs Redis 7 or later here (sharded pub/sub, SSUBSCRIBE): ${message}`
            : message,
        );
      });
    } else {
      await this.sub.subscribe(nodeChannel(this.node));
    }
    const earlier = await this.redis.hget(NODES_KEY, this.node);
    await this.announce();
    // A node restarted under the same id sweeps its earlier run (if no survivor did): its rooms come
    // back with their sessions waiting to resume.
    if (earlier !== null && earlier !== this.incarnation) await this.ownerDead(ownerTag(this.node, earlier));
    this.tick();
  }

  /**
   * Refuses to start when a running process already serves this node id: two nodes under one id
   * would overwrite each other's liveness key, and the others would take their rooms over again
   * and again. An earlier run that died is no obstacle: its connections closed with its process,
   * so nobody listens on the node's channel and the start goes on at once. If somebody does listen
   * (a live run, or the lingering connection of a host that vanished), this waits up to one TTL: a
   * live run refreshes its key within a third of it, a dead one's key expires.
   *
   * @throws Error naming the node id when another live run holds it.
   */
  private async checkIdFree(): Promise<void> {
    const key = nodeKey(this.node);
    const holder = await this.redis.get(key);
    if (holder === null) return;
    // A no-op frame (it names no connection): the answer counts who listens on the channel.
    if ((await this.publish(this.node, { k: 'x', c: '' })) === 0) return;
    const ttl = this.options.nodeTtl;
    let last = await this.redis.pttl(key);
    for (let waited = 0; waited <= ttl && last > 0; waited += ttl / 10) {
      await new Promise<void>((resolve) => this.host?.timers.after('cluster', ttl / 10, resolve));
      const [value, left] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
      if (value !== holder) return;
      if (left > last) {
        throw new Error(
          `node id ${this.node} is in use by a running node (run ${holder}): give each node its own --node-id`,
        );
      }
      last = left;
    }
  }

  private async announce(): Promise<void> {
    this.announced = true;
    await this.redis.set(nodeKey(this.node), this.incarnation, 'PX', this.options.nodeTtl);
    await this.redis.hset(NODES_KEY, this.node, this.incarnation);
  }

  private tick(): void {
    if (this.stopping || this.retired || !this.host) return;
    this.ticker = this.host.timers.after(
      'cluster',
      Math.max(100, Math.floor(this.options.nodeTtl / 3)),
      () => {
        this.ticker = undefined;
        void this.heartbeat().finally(() => this.tick());
      },
    );
  }

  private async heartbeat(): Promise<void> {
    try {
      const kept = (await this.scripts.refreshNode(
        nodeKey(this.node),
        this.incarnation,
        this.options.nodeTtl,
      )) as number | string;
      if (typeof kept === 'string') {
        this.retire(kept);
        return;
      }
      if (kept === 0) await this.rejoin();
      if (!this.sweeping) {
        this.sweeping = true;
        try {
          await this.sweep();
        } finally {
          this.sweeping = false;
        }
      }
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'cluster heartbeat failed');
    }
  }

  /**
   * Redis lost this node's key: it restarted without its data, or the node was silent past the TTL
   * and its rooms moved. Either way what it holds is no longer the truth: every client reconnects,
   * and the node comes back as a new run (whatever a survivor does with the old run's rooms cannot
   * touch the new ones). Found by the heartbeat or by a join's routing, whichever looks first; both
   * share one rejoin.
   */
  private rejoin(): Promise<void> {
    if (this.stopping || this.retired) return Promise.resolve();
    this.rejoining ??= (async () => {
      this.log.warn('this node was dropped from the cluster; its clients reconnect');
      this.dropEverything('the node rejoins the cluster; reconnect');
      this.incarnation = randomBytes(4).toString('hex');
      this.store.tag = this.tag;
      await this.announce();
    })().finally(() => {
      this.rejoining = undefined;
    });
    return this.rejoining;
  }

  /**
   * Why this run stepped down, if it did: another process took its node id while it was away
   * (frozen or cut off past its TTL, then the id reused). Two runs under one id would each
   * overwrite the other's key and share one channel, so the older one serves nothing more: its
   * clients reconnect elsewhere, new sockets are closed, `/health` answers 503 with this text.
   */
  retired: string | undefined;

  private retire(holder: string): void {
    if (this.retired) return;
    this.retired = `node id ${this.node} was taken by another process (run ${holder}) while this one was away; this one serves nothing more: stop it, or give it its own --node-id`;
    this.log.error(this.retired);
    this.ticker = this.host?.timers.cancel(this.ticker);
    // The key, the node hash and the channel are the other run's now.
    this.announced = false;
    const channel = nodeChannel(this.node);
    void (this.sharded ? this.sub.sunsubscribe(channel) : this.sub.unsubscribe(channel)).catch(
      () => undefined,
    );
    this.dropEverything(CLOSE_RETIRED);
  }

  private dropEverything(reason: string): void {
    for (const room of [...this.store.values()]) this.host?.lost(room.id, reason);
    for (const [, relay] of this.relays) relay.ws.close(CLOSE.restart, reason);
  }

  /**
   * Finds dead runs of nodes (key expired, or the node restarted): cuts this node's links to them,
   * and takes part in sweeping them (one survivor takes each one's rooms over).
   */
  private async sweep(): Promise<void> {
    // The runs this node relays clients to or holds clients for: each is checked here, since a
    // survivor may sweep a dead run out of the node hash before this node looks at the hash.
    const linked = new Set<string>();
    for (const relay of this.relays.values()) linked.add(relay.home);
    for (const remote of this.remotes.values()) linked.add(remote.door);
    linked.delete(this.tag);
    for (const tag of linked) if (!(await this.alive(tag))) this.cutLinks(tag);
    const nodes = Object.entries(await this.redis.hgetall(NODES_KEY)).filter(([n]) => n !== this.node);
    if (nodes.length === 0) return;
    const live = await Promise.all(nodes.map(([n]) => this.redis.get(nodeKey(n))));
    for (const [i, [n, incarnation]] of nodes.entries()) {
      if (live[i] !== incarnation) await this.ownerDead(ownerTag(n, incarnation));
    }
  }

  /** One run of a node is gone: its clients here lost their home; its clients' sessions here, their door. */
  private cutLinks(dead: string): void {
    for (const [, relay] of this.relays)
      if (relay.home === dead) relay.ws.close(CLOSE.restart, 'home node lost');
    for (const remote of [...this.remotes.values()]) if (remote.door === dead) remote.gone();
  }

  /** One run of a node is gone: its links here are cut, and one survivor takes its rooms over. */
  private async ownerDead(dead: string): Promise<void> {
    this.cutLinks(dead);
    const mine = await this.redis.set(sweepKey(dead), this.tag, 'PX', this.options.nodeTtl * 10, 'NX');
    if (mine === null) return;
    const rooms = await this.redis.smembers(ownerRoomsKey(dead));
    this.log.warn({ owner: dead, rooms: rooms.length }, 'node gone; taking its rooms over');
    for (const room of rooms) await this.store.prepare(room, dead, false);
    await this.redis.del(ownerRoomsKey(dead));
    const { node, incarnation } = parseTag(dead);
    await this.scripts.forgetNode(NODES_KEY, node, incarnation);
  }

  // ── door ─────────────────────────────────────────────────────────────

  /**
   * Serves a new client socket: locally until its first `join`, then where that join's room lives
   * (here, or relayed to its home).
   */
  door(ws: WebSocket): void {
    const host = this.host;
    if (!host) {
      ws.terminate();
      return;
    }
    if (this.retired) {
      ws.close(CLOSE.restart, CLOSE_RETIRED);
      return;
    }
    const id = `${this.node}/${this.incarnation}/${++this.nextConn}`;
    const local = new DoorSocket(ws);
    const conn = host.accept(local, id);
    let state: 'open' | 'routing' | 'local' | 'relayed' = 'open';
    const held: [RawData, boolean][] = [];
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (state === 'local' || (state === 'open' && joinRoom(data) === undefined)) {
        local.emit('message', data, isBinary);
        return;
      }
      if (state === 'relayed') {
        this.forward(id, data, isBinary);
        return;
      }
      held.push([data, isBinary]);
      if (state === 'routing') return;
      state = 'routing';
      const room = joinRoom(data) ?? '';
      const replayLocally = () => {
        state = 'local';
        for (const [d, b] of held.splice(0)) local.emit('message', d, b);
      };
      this.route(room).then(
        (home) => {
          if (ws.readyState !== ws.OPEN) return;
          if (home === this.tag) {
            replayLocally();
            return;
          }
          state = 'relayed';
          conn.abandon();
          local.detach();
          this.relays.set(id, { ws, home, closedByHome: false });
          this.publish(home, { k: 'o', c: id });
          for (const [d, b] of held.splice(0)) this.forward(id, d, b);
        },
        (e: unknown) => {
          if (this.retired) {
            ws.close(CLOSE.restart, CLOSE_RETIRED);
            return;
          }
          this.log.warn({ err: (e as Error).message, room }, 'routing a join failed; served here');
          replayLocally();
        },
      );
    });
    ws.on('error', (err) => local.emit('error', err));
    ws.once('close', (code: number) => {
      local.closed(code);
      const relay = this.relays.get(id);
      if (relay) {
        this.relays.delete(id);
        if (!relay.closedByHome) this.publish(relay.home, { k: 'x', c: id });
      }
    });
  }

  /**
   * The owner tag of the node a join for `room` goes to: this run's own when the room lives here or
   * nobody alive holds it (then it is claimed here).
   */
  async route(room: string): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this.store.get(room)) return this.tag;
      // This node's own key is read with the owner: a node that Redis forgot (restarted empty)
      // must not take rooms under its old run before its heartbeat notices, or their clients
      // would be sent away a second time when it does.
      const [owner, run] = await Promise.all([this.store.owner(room), this.redis.get(nodeKey(this.node))]);
      if (run !== this.incarnation && !this.stopping) {
        if (run !== null) {
          this.retire(run);
          throw new Error(this.retired);
        }
        await this.rejoin();
        continue;
      }
      if (owner !== null && owner !== this.tag && (await this.alive(owner))) return owner;
      if (await this.store.prepare(room, owner ?? '')) return this.tag;
    }
    throw new Error(`the home of room ${room} keeps moving`);
  }

  private forward(id: string, data: RawData, isBinary: boolean): void {
    const relay = this.relays.get(id);
    if (!relay) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const binary = isBinary && !isUtf8(bytes);
    const sent = this.publish(
      relay.home,
      binary
        ? { k: 'm', c: id, d: bytes.toString('base64'), b: 1 }
        : { k: 'm', c: id, d: bytes.toString('utf8') },
    );
    void sent.then((receivers) => {
      // Nobody listens on the home's channel: it died. The client reconnects and finds the new home.
      if (receivers === 0 && this.countsReceivers && this.relays.get(id) === relay)
        relay.ws.close(CLOSE.restart, 'home node lost');
    });
  }

  // ── home ─────────────────────────────────────────────────────────────

  /** Queues a frame or close for a client socket held by `door`; sent in order at the end of the tick. */
  out(door: string, item: Out): void {
    let list = this.outbox.get(door);
    if (!list) {
      list = [];
      this.outbox.set(door, list);
    }
    list.push(item);
    if (this.outboxQueued) return;
    this.outboxQueued = true;
    queueMicrotask(() => this.flushOutbox());
  }

  private flushOutbox(): void {
    this.outboxQueued = false;
    for (const [door, list] of this.outbox) {
      this.outbox.delete(door);
      void this.publish(door, { k: 'S', f: this.node, l: list }).then((receivers) => {
        if (receivers !== 0 || !this.countsReceivers) return;
        for (const r of [...this.remotes.values()]) if (r.door === door) r.gone();
      });
    }
  }

  forgetRemote(socket: RemoteSocket): void {
    if (this.remotes.get(socket.id) === socket) this.remotes.delete(socket.id);
  }

  private onMessage(text: string): void {
    if (this.retired) return;
    let msg: Message;
    try {
      msg = JSON.parse(text) as Message;
    } catch {
      this.log.error('unreadable cluster message');
      return;
    }
    switch (msg.k) {
      case 'o': {
        if (this.remotes.has(msg.c) || !this.host || this.stopping) return;
        const socket = new RemoteSocket(msg.c, doorOf(msg.c), this);
        this.remotes.set(msg.c, socket);
        this.host.accept(socket, msg.c, true);
        return;
      }
      case 'm': {
        const socket = this.remotes.get(msg.c);
        if (!socket) {
          // A client whose session this node no longer holds (it restarted, or gave the room up).
          void this.publish(doorOf(msg.c), {
            k: 'S',
            f: this.node,
            l: [[msg.c, null, CLOSE.restart, 'session moved; reconnect']],
          });
          return;
        }
        socket.emit('message', Buffer.from(msg.d, msg.b ? 'base64' : 'utf8'), msg.b === 1);
        return;
      }
      case 'x': {
        this.remotes.get(msg.c)?.gone();
        return;
      }
      case 'S': {
        const unknown = new Set<string>();
        for (const [c, data, code, reason] of msg.l) {
          const relay = this.relays.get(c);
          if (!relay) {
            if (data !== null) unknown.add(c);
            continue;
          }
          if (data !== null) {
            if (relay.ws.bufferedAmount > MAX_BUFFERED_BYTES) relay.ws.terminate();
            else relay.ws.send(data);
          } else {
            relay.closedByHome = true;
            this.relays.delete(c);
            if (code === -1) relay.ws.terminate();
            else relay.ws.close(code, reason);
          }
        }
        // Frames for a client gone from here (or from an earlier run of this node): the home lets go.
        for (const c of unknown) void this.publish(msg.f, { k: 'x', c });
        return;
      }
      case 'q': {
        let reply: Message;
        try {
          reply = { k: 'r', id: msg.id, ok: true, v: this.host?.answer(msg.op, msg.a) ?? null };
        } catch (e) {
          reply = { k: 'r', id: msg.id, ok: false, e: (e as Error).message };
        }
        void this.publish(msg.from, reply);
        return;
      }
      case 'r': {
        const call = this.calls.get(msg.id);
        if (!call) return;
        this.calls.delete(msg.id);
        this.host?.timers.cancel(call.timer);
        if (msg.ok) call.resolve(msg.v);
        else call.reject(new Error(msg.e ?? 'failed'));
        return;
      }
    }
  }

  // ── admin ────────────────────────────────────────────────────────────

  /** Every node alive now (this one included). */
  async nodes(): Promise<string[]> {
    const nodes = Object.entries(await this.redis.hgetall(NODES_KEY));
    const alive = await Promise.all(
      nodes.map(([n, incarnation]) => n === this.node || this.alive(ownerTag(n, incarnation))),
    );
    return nodes.flatMap(([n], i) => (alive[i] ? [n] : [])).sort();
  }

  /** Whether the run of a node an owner tag names is still alive. */
  private async alive(tag: string): Promise<boolean> {
    const { node, incarnation } = parseTag(tag);
    return (await this.redis.get(nodeKey(node))) === incarnation;
  }

  /** Runs an admin call on `node` (this one directly). */
  async call(target: string, op: string, args: unknown[] = []): Promise<unknown> {
    const { node } = parseTag(target);
    if (node === this.node) return this.host?.answer(op, args);
    const host = this.host;
    if (!host) throw new Error('not started');
    const id = ++this.nextCall;
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = host.timers.after('cluster', CALL_TIMEOUT_MS, () => {
        this.calls.delete(id);
        reject(new Error(`node ${node} did not answer`));
      });
      this.calls.set(id, { resolve, reject, timer });
    });
    await this.publish(node, { k: 'q', id, from: this.node, op, a: args });
    return answer;
  }

  /** The home node of a room, if it has one. */
  async homeOf(room: string): Promise<string | null> {
    if (this.store.get(room)) return this.node;
    return this.store.owner(room);
  }

  /** Publishes on the channel of a node, named by its id or an owner tag. */
  private publish(target: string, msg: Message): Promise<number> {
    const { node } = parseTag(target);
    const channel = nodeChannel(node);
    const frame = JSON.stringify(msg);
    const published: Promise<number> = this.sharded
      ? (this.redis.spublish(channel, frame) as Promise<number>)
      : this.redis.publish(channel, frame);
    const sent = published.catch((e: unknown) => {
      this.log.warn({ err: (e as Error).message, node }, 'cluster publish failed');
      return -1;
    });
    this.sends.add(sent);
    void sent.finally(() => this.sends.delete(sent));
    return sent;
  }

  // ── stop ─────────────────────────────────────────────────────────────

  /**
   * Hands this node's rooms over before the server closes its sockets: their state written,
   * ownership given up, so the clients resume on another node.
   */
  async handOver(): Promise<void> {
    this.stopping = true;
    this.ticker = this.host?.timers.cancel(this.ticker);
    if (!(await this.within(this.store.release(), 'handing the rooms over'))) {
      this.log.warn('rooms not handed over in time; other nodes take them over once this node expires');
    }
    for (const [, relay] of this.relays) relay.ws.close(CLOSE.restart, 'server restart');
  }

  /** Leaves the cluster and closes the Redis connections (after the sockets closed). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.ticker = this.host?.timers.cancel(this.ticker);
    for (const [id, call] of this.calls) {
      this.host?.timers.cancel(call.timer);
      call.reject(new Error('node stopping'));
      this.calls.delete(id);
    }
    this.flushOutbox();
    const left = await this.within(
      (async () => {
        await Promise.allSettled([...this.sends]);
        await this.store.settled();
        // A node that never announced itself (its start was refused) leaves the keys alone: they
        // may be another run's.
        if (!this.announced) return;
        await this.redis.del(nodeKey(this.node));
        await this.scripts.forgetNode(NODES_KEY, this.node, this.incarnation);
      })(),
      'leaving the cluster',
    );
    this.sub.disconnect();
    // With Redis unreachable, queued commands would wait for it forever: drop them.
    if (left) await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  /**
   * Waits for `work`, at most one node TTL: a stopping node must not hang on an unreachable Redis
   * (the others then treat it as dead once its key expires). False when it failed or timed out.
   */
  private async within(work: Promise<unknown>, what: string): Promise<boolean> {
    let timer: TimerHandle | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = this.host?.timers.after('cluster', this.options.nodeTtl, () => resolve(false));
    });
    try {
      return await Promise.race([
        work.then(
          () => true,
          (e: unknown) => {
            this.log.warn({ err: (e as Error).message }, `${what} failed`);
            return false;
          },
        ),
        timeout,
      ]);
    } finally {
      this.host?.timers.cancel(timer);
    }
  }
}
