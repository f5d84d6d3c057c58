/**
 * The rxroom reference signaling server (Node only): protocol v1 of docs/protocol.md over
 * WebSocket, plus a small HTTP admin API on the same port. Built to `dist-server/index.cjs`.
 *
 * @example
 * ```ts
 * const server = await startServer({ port: 0, secret: 's3cret', adminSecret: 'admin' })
 * const token = await createToken({ room: 'r1', user: 'alice', publish: true, secret: 's3cret' })
 * // connect a client to server.url and join with the token
 * await server.close()
 * ```
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pino, type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { answerCall, clusterAdmin, nodeAdmin, singleAdmin } from './admin';
import { ClusterNode } from './cluster/node';
import { Connection, CLOSE, type SocketLike } from './connection';
import { createHttpHandler } from './http';
import { Hub } from './hub';
import { resolveOptions, type ResolvedOptions, type ServerOptions } from './options';
import type { TimerKind } from './timers';

export { PROTOCOL_VERSION } from '../src/protocol';
export { createToken, signToken, verifyToken, checkTokenMatch } from './tokens';
export type { CreateTokenOptions, TokenExpectation } from './tokens';
export { signMediaToken, streamKey, parseMediaToken } from './media-token';
export type { MediaDirection, MediaTokenFields } from './media-token';
export { resolveOptions, DEFAULTS, DEV_SECRET, LOG_LEVELS } from './options';
export type { ServerOptions, ResolvedOptions, DuplicateUserPolicy, LogLevel } from './options';
export { CLOSE } from './connection';
export { TIMER_KINDS } from './timers';
export type { TimerKind } from './timers';

/** Counters of a running server. */
export interface ServerStats {
  /** Rooms with at least one session. */
  readonly rooms: number;
  /** Sessions, connected or in their grace window. */
  readonly sessions: number;
  /** Sessions with a socket. */
  readonly connectedSessions: number;
  /** Sessions waiting in their grace window. */
  readonly graceSessions: number;
  /**
   * Open client sockets on this server, joined or not. In a cluster: the sockets this node holds,
   * whichever node serves their room (sessions are counted by the node serving the room).
   */
  readonly connections: number;
  /** Published streams. */
  readonly streams: number;
  /** Frames received since start. */
  readonly framesIn: number;
  /** Frames refused with RATE_LIMITED since start. */
  readonly rateLimited: number;
  /** Successful fresh joins and resumes since start. */
  readonly joins: number;
  readonly resumes: number;
  /** Pending timers of this server by kind (all zero once {@link RunningServer.close} resolved). */
  readonly timers: Readonly<Record<TimerKind, number>>;
}

/** A started server. */
export interface RunningServer {
  /** WebSocket URL, e.g. `ws://127.0.0.1:8080`. */
  readonly url: string;
  /** HTTP base URL of `/health` and `/admin`, e.g. `http://127.0.0.1:8080`. */
  readonly httpUrl: string;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** This server's node id (`--node-id`; random when not given). */
  readonly node: string;
  /** The options in effect. */
  readonly options: ResolvedOptions;
  /**
   * Closes every socket with 1000 ("server shutdown"), ends every session without grace, stops
   * every timer and frees the port. Idempotent.
   */
  close(): Promise<void>;
  /** Current counters. */
  stats(): ServerStats;
}

/** How long shutdown waits for clients to answer the close frame before destroying sockets. */
const SHUTDOWN_WAIT_MS = 250;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Counts, per remote address, the connections that have not yet sent complete request headers,
 * and closes a new one at once beyond `max` (0 = no limit): an attacker holding unfinished
 * upgrades cannot take a whole address's share, and each is cut by the headers timeout anyway.
 * Returns the function that marks a connection's headers complete.
 */
function limitPending(http: Server, max: number, log: Logger): (socket: Socket) => void {
  const pending = new Map<string, number>();
  const release = new WeakMap<Socket, () => void>();
  if (max > 0) {
    http.on('connection', (socket: Socket) => {
      const ip = socket.remoteAddress ?? 'unknown';
      const open = pending.get(ip) ?? 0;
      if (open >= max) {
        log.warn({ ip, open }, 'too many unfinished connections from one address; closed');
        socket.destroy();
        return;
      }
      pending.set(ip, open + 1);
      let counted = true;
      const done = () => {
        if (!counted) return;
        counted = false;
        const left = (pending.get(ip) ?? 1) - 1;
        if (left <= 0) pending.delete(ip);
        else pending.set(ip, left);
      };
      release.set(socket, done);
      socket.once('close', done);
    });
    http.on('request', (req: IncomingMessage) => release.get(req.socket)?.());
  }
  return (socket) => release.get(socket)?.();
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts a server. Resolves once it listens.
 *
 * @throws RangeError/TypeError for a bad option; the listen error (e.g. `EADDRINUSE`).
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const resolved = resolveOptions(options);
  const log: Logger = options.logger ?? pino({ name: 'rxroom-server', level: resolved.logLevel });
  if (resolved.defaultSecret) {
    log.warn('using the public development token secret; set a secret before exposing this server');
  }
  // With --redis this server is one node of a cluster: rooms live in Redis, frames cross nodes.
  const cluster = resolved.redis === undefined ? undefined : await ClusterNode.connect(resolved, log);
  const hub = new Hub(resolved, log, cluster?.store);
  const connections = new Set<Connection>();
  let nextId = 1;
  let closing: Promise<void> | undefined;
  // Connections of clients whose socket another node holds (their room lives here).
  const relayedIn = new Set<Connection>();
  const accept = (socket: SocketLike, id: string, relayed = false): Connection => {
    const conn = new Connection(id, socket, hub, resolved, log);
    connections.add(conn);
    if (relayed) relayedIn.add(conn);
    void conn.done.then(() => {
      connections.delete(conn);
      relayedIn.delete(conn);
    });
    return conn;
  };
  const stats = (): ServerStats => {
    let connectedSessions = 0;
    let streams = 0;
    for (const s of hub.sessions.values()) {
      if (s.connected) connectedSessions++;
      streams += s.publications.size;
    }
    return {
      rooms: hub.rooms.size,
      sessions: hub.sessions.size,
      connectedSessions,
      graceSessions: hub.sessions.size - connectedSessions,
      connections: connections.size - relayedIn.size + (cluster?.relayCount ?? 0),
      streams,
      ...hub.counters,
      timers: hub.timers.counts(),
    };
  };
  const local = nodeAdmin(hub, resolved.nodeId, stats);
  if (cluster) {
    try {
      await cluster.start({
        accept,
        timers: hub.timers,
        answer: (op, args) => answerCall(local, op, args),
        adopt: (session) => hub.adopt(session),
        lost: (room, reason) => hub.evictRoom(room, CLOSE.restart, reason),
      });
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }
  const admin = cluster ? clusterAdmin(cluster, local) : singleAdmin(local);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: resolved.maxFrameBytes,
    // Invalid UTF-8 must become MALFORMED_JSON (§3) instead of ws's close 1007.
    skipUTF8Validation: true,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const http = createServer(
    {
      // A connection that never finishes its headers (a slow upgrade) is answered 408 and closed.
      headersTimeout: resolved.headersTimeout,
      connectionsCheckingInterval: Math.min(1000, resolved.headersTimeout),
    },
    createHttpHandler(hub, admin, resolved, log, () => cluster?.retired),
  );
  const releasePending = limitPending(http, resolved.maxPendingPerIp, log);
  // Sockets per remote address: one client opening sockets without end is refused at the door.
  const perIp = new Map<string, number>();
  http.on('upgrade', (req, socket, head) => {
    releasePending(req.socket);
    if (closing) {
      socket.destroy();
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    const open = perIp.get(ip) ?? 0;
    if (resolved.maxConnectionsPerIp > 0 && open >= resolved.maxConnectionsPerIp) {
      log.warn({ ip, open }, 'too many connections from one address; refused');
      socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    perIp.set(ip, open + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left <= 0) perIp.delete(ip);
      else perIp.set(ip, left);
    };
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closing) {
        ws.terminate();
        return;
      }
      if (cluster) cluster.door(ws);
      else accept(ws, `c${nextId++}`);
    });
  });

  try {
    await listen(http, resolved.port, resolved.host);
  } catch (e) {
    hub.shutdown();
    await cluster?.stop();
    throw e;
  }
  // After listening, a server error (e.g. out of file descriptors) is logged, not thrown.
  http.on('error', (err) => log.error({ err }, 'http server error'));
  const port = (http.address() as AddressInfo).port;
  const host = displayHost(resolved.host);
  log.info({ port, host: resolved.host }, 'listening');

  const shutdown = async (): Promise<void> => {
    // A cluster node hands its rooms over first; its clients then resume on the other nodes.
    await cluster?.handOver();
    const [code, reason] = cluster ? [CLOSE.restart, 'server restart'] : [CLOSE.normal, 'server shutdown'];
    hub.shutdown(code, reason);
    for (const conn of connections) conn.close(code, reason, SHUTDOWN_WAIT_MS);
    await Promise.all([...connections].map((c) => c.done));
    await cluster?.stop();
    wss.close();
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      // Idle keep-alive connections of the admin API would hold the port open.
      http.closeAllConnections();
    });
    log.info('closed');
  };

  return {
    url: `ws://${host}:${port}`,
    httpUrl: `http://${host}:${port}`,
    port,
    node: resolved.nodeId,
    options: resolved,
    close: () => (closing ??= shutdown()),
    stats,
  };
}
