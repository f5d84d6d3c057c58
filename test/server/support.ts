/**
 * Test support for the reference server: a raw WebSocket client (not the SDK) that speaks
 * protocol v1 through src/protocol, checks every frame the server sends against the schemas and
 * the per-session `seq` rule, and records which frame types the tests exercised.
 */
import { request } from 'node:http';
import WebSocket from 'ws';
import {
  decodeAckData,
  decodeServerFrame,
  type AckData,
  type AckFrame,
  type ErrorFrame,
  type JoinAckData,
  type PushFrame,
  type PushType,
  type RequestFrame,
  type RequestType,
  type ServerFrame,
  type TokenClaims,
} from '../../src/protocol';
import type { RtcErrorShape } from '../../src/errors';
import { signToken, startServer, type RunningServer, type ServerOptions } from '../../server';

/** The secret of every test server. */
export const SECRET = 'test-secret-0123456789';

/** Starts a server on a free port with test-friendly defaults (short grace, quiet logs). */
export function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    secret: SECRET,
    grace: 300,
    heartbeatTimeout: 5000,
    joinTimeout: 5000,
    ...options,
  });
}

/** Options of {@link token}. */
export interface TokenOptions {
  publish?: boolean;
  subscribe?: boolean;
  app?: string;
  secret?: string;
  /** Seconds from now. Default 3600. */
  exp?: number;
  /** Seconds from now. */
  nbf?: number;
}

/** Signs a join token for `room`/`user` (publish and subscribe allowed unless told otherwise). */
export function token(room: string, user: string, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: TokenClaims = {
    app: options.app ?? 'rxroom',
    room,
    user,
    iat: now,
    exp: now + (options.exp ?? 3600),
    privileges: { publish: options.publish ?? true, subscribe: options.subscribe ?? true },
  };
  if (options.nbf !== undefined) claims.nbf = now + options.nbf;
  return signToken(claims, options.secret ?? SECRET);
}

/** Frame types seen by any client of this test file: requests acked ok, pushes received. */
export const exercised = { requests: new Set<string>(), pushes: new Set<string>() };

const clients = new Set<Client>();

/**
 * How long waits last before failing. Generous (a loaded 2-core machine can stall a loopback
 * answer for seconds): they end as soon as the awaited thing happens.
 */
const WAIT_MS = 15_000;

/** A request without its envelope (`v`, `t`, `id`): the client adds those. */
export type Body<T extends RequestType> = Omit<RequestFrame<T>, 'v' | 'id' | 't'>;

/** A close as the client saw it. */
export interface CloseInfo {
  code: number;
  reason: string;
}

type Waiter = { test: () => boolean; resolve: () => void };

/** A raw protocol v1 client. */
export class Client {
  /** Every frame received, in order. */
  readonly frames: ServerFrame[] = [];
  /** Problems with what the server sent (schema violations, seq gaps). Must stay empty. */
  readonly violations: string[] = [];
  /** Resolves when the socket closes. */
  readonly closed: Promise<CloseInfo>;
  /** The session's last push seq seen on this socket (undefined before the join ack). */
  lastSeq: number | undefined;
  closeInfo: CloseInfo | undefined;
  /** Set by {@link Client.sendRaw}: answers to ids the client did not register are expected then. */
  private sentRaw = false;
  private nextId = 1;
  private readonly pending = new Map<number, { type: string; resolve: (f: ServerFrame) => void }>();
  private readonly taken = new Set<ServerFrame>();
  private waiters: Waiter[] = [];

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        this.notify();
        resolve(this.closeInfo);
      });
    });
    ws.on('message', (data: Buffer) => this.onFrame(data));
    ws.on('error', () => undefined);
  }

  /** Opens a socket to `url`. */
  static open(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    const client = new Client(ws);
    clients.add(client);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Opens a socket and joins; `extra` adds or overrides join fields. */
  static async join(
    server: RunningServer,
    room: string,
    user: string,
    extra: Partial<Body<'join'>> = {},
    tokenOptions: TokenOptions = {},
  ): Promise<{ client: Client; ack: JoinAckData }> {
    const client = await Client.open(server.url);
    const ack = await client.ok('join', {
      token: await token(room, user, tokenOptions),
      room,
      user,
      ...extra,
    });
    return { client, ack };
  }

  private onFrame(data: Buffer): void {
    const result = decodeServerFrame(data);
    if (!result.ok) {
      this.violations.push(`undecodable frame ${data.toString().slice(0, 200)}: ${result.error.message}`);
      return;
    }
    const frame = result.frame;
    this.frames.push(frame);
    if (frame.t === 'ack' || frame.t === 'pong' || (frame.t === 'error' && frame.id !== undefined)) {
      const id = frame.id as number;
      const pending = this.pending.get(id);
      if (pending) {
        this.pending.delete(id);
        if (frame.t === 'ack' && frame.ok) {
          const checked = decodeAckData(pending.type as RequestType, frame.data);
          if (!checked.ok) this.violations.push(`ack of ${pending.type}: ${checked.error.message}`);
          else exercised.requests.add(pending.type);
          if (pending.type === 'join') this.lastSeq = (frame.data as JoinAckData).seq;
        }
        if (frame.t === 'pong' && pending.type === 'ping') {
          exercised.requests.add('ping');
          // A pong tells the session's latest seq: it must be the last push this socket saw.
          if (frame.seq !== undefined && this.lastSeq !== undefined && frame.seq !== this.lastSeq) {
            this.violations.push(`pong says seq ${frame.seq}, last push seen ${this.lastSeq}`);
          }
        }
        pending.resolve(frame);
      } else if (frame.t !== 'error' && !this.sentRaw)
        this.violations.push(`${frame.t} for unknown id ${id}`);
    } else if ('seq' in frame) {
      exercised.pushes.add(frame.t);
      if (this.lastSeq === undefined) this.violations.push(`push ${frame.t} before the join ack`);
      else if (frame.seq !== this.lastSeq + 1) {
        this.violations.push(`push ${frame.t} has seq ${frame.seq}, expected ${this.lastSeq + 1}`);
      }
      this.lastSeq = frame.seq;
    }
    this.notify();
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /** Waits until `test` holds (checked now and after every frame or close). */
  until(test: () => boolean, what: string, timeout = WAIT_MS): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeout} ms waiting for ${what}`));
      }, timeout);
      const waiter: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends raw text or bytes. */
  sendRaw(data: string | Buffer): void {
    this.sentRaw = true;
    this.ws.send(data);
  }

  /** Sends a request with the next id and resolves with its ack (or pong, or error frame). */
  request<T extends RequestType>(type: T, body: Body<T>): Promise<ServerFrame> {
    const id = this.nextId++;
    return this.requestWithId(type, body, id);
  }

  /** Sends a request with a given id. */
  requestWithId<T extends RequestType>(type: T, body: Body<T>, id: number): Promise<ServerFrame> {
    const frame = { v: 1, t: type, id, ...body };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${type} #${id}`)), WAIT_MS);
      this.pending.set(id, {
        type,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
      this.ws.send(JSON.stringify(frame));
    });
  }

  /** Sends a request that must succeed; resolves with its (schema-checked) ack data. */
  async ok<T extends RequestType>(type: T, body: Body<T>): Promise<AckData<T>> {
    const answer = await this.request(type, body);
    if (answer.t !== 'ack' || !answer.ok) {
      throw new Error(`${type} failed: ${JSON.stringify(answer)}`);
    }
    return answer.data as AckData<T>;
  }

  /** Sends a request that must fail; resolves with the error object of its ack. */
  async fail<T extends RequestType>(type: T, body: Body<T>): Promise<RtcErrorShape> {
    const answer = await this.request(type, body);
    if (answer.t !== 'ack' || answer.ok) throw new Error(`${type} should fail: ${JSON.stringify(answer)}`);
    return answer.error;
  }

  /** A ping round trip: every push the server sent this socket before is now received. */
  async sync(): Promise<void> {
    const answer = await this.request('ping', {});
    if (answer.t !== 'pong') throw new Error(`ping answered by ${JSON.stringify(answer)}`);
  }

  /** Pushes received so far, optionally of one type. */
  pushes<T extends PushType>(type?: T): PushFrame<T>[] {
    return this.frames.filter(
      (f): f is PushFrame<T> => 'seq' in f && f.t !== 'pong' && (type === undefined || f.t === type),
    ) as PushFrame<T>[];
  }

  /** Types of the pushes received so far, in order. */
  pushTypes(): string[] {
    return this.pushes().map((p) => p.t);
  }

  /** Error frames (without an id) received so far. */
  errors(): ErrorFrame[] {
    return this.frames.filter((f): f is ErrorFrame => f.t === 'error');
  }

  /**
   * Resolves with the first push of `type` (matching `match`) that no earlier call returned, so
   * consecutive calls walk through repeated pushes of one type.
   */
  async next<T extends PushType>(
    type: T,
    match: (p: PushFrame<T>) => boolean = () => true,
  ): Promise<PushFrame<T>> {
    const find = () =>
      this.pushes(type).find((p) => !this.taken.has(p) && match(p)) as PushFrame<T> | undefined;
    await this.until(() => find() !== undefined, `push ${type}`);
    const push = find() as PushFrame<T>;
    this.taken.add(push);
    return push;
  }

  /** Resolves with the first error frame (no id) received after `after` frames. */
  async nextError(after = 0): Promise<ErrorFrame> {
    const find = () => this.frames.slice(after).find((f): f is ErrorFrame => f.t === 'error');
    await this.until(() => find() !== undefined, 'error frame');
    return find() as ErrorFrame;
  }

  /** Waits for the socket to close; resolves with code and reason. */
  async waitClose(timeout = WAIT_MS): Promise<CloseInfo> {
    await this.until(() => this.closeInfo !== undefined, 'close', timeout);
    return this.closeInfo as CloseInfo;
  }

  /** Closes the socket from the client side. */
  close(code = 1000): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code);
  }

  /** Drops the TCP connection without a close handshake (a network loss, from the server's view). */
  drop(): void {
    this.ws.terminate();
  }
}

/** An ack frame, for tests that look at raw answers. */
export type Ack = AckFrame;

/**
 * Closes every client opened since the last call and fails when any of them received a frame
 * that broke the protocol. Call in afterEach.
 */
export async function closeClients(): Promise<void> {
  const all = [...clients];
  clients.clear();
  const violations = all.flatMap((c) => c.violations);
  for (const c of all) c.drop();
  await Promise.all(all.map((c) => c.closed));
  if (violations.length > 0) throw new Error(`protocol violations:\n${violations.join('\n')}`);
}

/** HTTP JSON request against a server. */
export function http(
  server: RunningServer,
  method: string,
  path: string,
  options: { secret?: string; body?: unknown; authorization?: string; raw?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (options.secret !== undefined) headers.authorization = `Bearer ${options.secret}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(`${server.httpUrl}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Polls `test` every few milliseconds until it holds: for server-side state that no frame
 * announces (e.g. the server noticing a dropped TCP connection).
 */
export async function eventually(
  test: () => boolean | Promise<boolean>,
  what: string,
  timeout = WAIT_MS,
): Promise<void> {
  const start = Date.now();
  while (!(await test())) {
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
