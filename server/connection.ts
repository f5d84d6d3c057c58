/**
 * One WebSocket: decoding, rate limiting, join and heartbeat timeouts, and the serial request
 * queue. Knows nothing about rooms; joined requests go to ./handlers.ts, `join` to the hub.
 */
import type { Logger } from 'pino';
import type { RawData } from 'ws';
import {
  decodeClientFrame,
  encodeFrame,
  PROTOCOL_VERSION,
  type ClientFrame,
  type Frame,
} from '../src/protocol';
import { RtcError } from '../src/errors';
import { handle, READ_ONLY_REQUESTS } from './handlers';
import type { Hub, JoiningLink } from './hub';
import type { ResolvedOptions } from './options';
import { RateLimiter } from './rate-limit';
import type { Session } from './session';
import { CLOSE } from './close-codes';
import type { TimerHandle } from './timers';

/** How many recent request ids a connection remembers to drop duplicated frames. */
const RECENT_IDS = 256;
export { CLOSE } from './close-codes';

/**
 * How long a closing socket may take to answer our close frame before it is destroyed. ws would
 * wait 30 s; a peer that does not answer in a second is gone (half-open) anyway.
 */
const CLOSE_WAIT_MS = 1000;

/**
 * Bytes queued for a socket beyond which the client is not reading: it is dropped, its session
 * enters the grace window and the client can resume from the replay buffer.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** WebSocket close reasons are at most 123 bytes. */
const closeReason = (reason: string) => reason.slice(0, 100);

/**
 * What a connection needs of its socket: a `ws` WebSocket, or (in a cluster) a client socket held
 * by another node and relayed over Redis (server/cluster).
 */
export interface SocketLike {
  /** Bytes queued to the client and not yet written. */
  readonly bufferedAmount: number;
  send(text: string): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'close', listener: (code: number) => void): unknown;
}

/** One client socket. */
export class Connection implements JoiningLink {
  session: Session | null = null;
  /** Request ids seen lately on this connection, oldest first (duplicates are dropped). */
  private readonly seenIds = new Set<number>();
  /** Resolves once the socket is fully closed. */
  readonly done: Promise<void>;
  private isClosed = false;
  /** Set when the rate limit is broken: later frames are ignored, admitted ones still answered. */
  private draining = false;
  private lastSeen = Date.now();
  private readonly limiter: RateLimiter;
  /**
   * The serial request queue: requests wait here while one runs. A request whose handler is
   * synchronous (most) runs to its ack without a promise; an async one (join, publish,
   * renew-token) holds the queue until it settles.
   */
  private readonly waiting: ClientFrame[] = [];
  private running = false;
  /** Close with 1008 once the admitted requests are answered (a broken rate limit). */
  private closeWhenIdle = false;
  private joinTimer: TimerHandle | undefined;
  private heartbeatTimer: TimerHandle | undefined;
  private killTimer: TimerHandle | undefined;
  private readonly log: Logger;

  constructor(
    readonly id: string,
    private readonly ws: SocketLike,
    private readonly hub: Hub,
    private readonly options: ResolvedOptions,
    log: Logger,
  ) {
    this.log = log.child({ conn: id });
    this.limiter = new RateLimiter(options.rateLimit, options.rateBurst);
    this.done = new Promise((resolve) => {
      ws.once('close', (code: number) => {
        this.log.debug({ code }, 'socket closed');
        this.markClosed();
        this.killTimer = hub.timers.cancel(this.killTimer);
        resolve();
      });
    });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    // ws closes the socket itself after an error (e.g. 1009 above maxPayload); 'close' follows.
    ws.on('error', (err) => this.log.debug({ err: err.message }, 'socket error'));
    this.joinTimer = hub.timers.after('join', options.joinTimeout, () => {
      this.joinTimer = undefined;
      if (!this.session) this.close(CLOSE.joinTimeout, 'no join in time');
    });
  }

  /** True once the socket is closing or closed: nothing is sent or handled any more. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Sends one encoded frame. Drops a client that stopped reading. */
  send(text: string): void {
    if (this.isClosed) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log.warn({ buffered: this.ws.bufferedAmount }, 'client not reading; dropping the socket');
      this.markClosed();
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }

  /**
   * Closes the socket with `code`. If it still carries a session, the session enters its grace
   * window: whoever closes for another reason (leave, kick) unlinks the session first.
   */
  close(code: number, reason: string, waitMs = CLOSE_WAIT_MS): void {
    if (this.isClosed) return;
    this.log.debug({ code, reason }, 'closing');
    this.markClosed();
    this.ws.close(code, closeReason(reason));
    this.killTimer = this.hub.timers.after('close', waitMs, () => {
      this.killTimer = undefined;
      this.ws.terminate();
    });
  }

  /**
   * Lets go of the socket without closing it: another node serves its client from now on
   * (server/cluster). Only before a join, so no session is involved.
   */
  abandon(): void {
    if (this.session) throw new Error('a joined connection cannot be handed over');
    this.markClosed();
  }

  private markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.joinTimer = this.hub.timers.cancel(this.joinTimer);
    this.heartbeatTimer = this.hub.timers.cancel(this.heartbeatTimer);
    const session = this.session;
    if (session && session.link === this) this.hub.linkLost(session);
  }

  private onMessage(data: RawData, _isBinary: boolean): void {
    if (this.isClosed || this.draining) return;
    this.lastSeen = Date.now();
    this.hub.counters.framesIn++;
    const verdict = this.limiter.take();
    if (verdict === 'close') {
      // Every request admitted before this frame still gets its one ack (§2): stop reading, let
      // the queue answer them, then close. This frame and any later one are not answered (§8).
      this.log.warn('rate limit broken; closing once the admitted requests are answered');
      this.draining = true;
      this.closeWhenIdle = true;
      if (!this.running) this.idle();
      return;
    }
    // Binary frames are read as UTF-8 text too (§1); ws hands both over as Buffers.
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data;
    const result = decodeClientFrame(bytes, { maxBytes: this.options.maxFrameBytes });
    if (!result.ok && result.error.code === 'FRAME_TOO_LARGE') {
      this.close(CLOSE.tooLarge, 'frame too large');
      return;
    }
    if (verdict === 'reject') {
      this.hub.counters.rateLimited++;
      const limited = new RtcError('RATE_LIMITED', 'too many frames; slow down');
      // Refused like any request, ping included: an ack with ok:false (a bad ping gets the same).
      this.sendError(limited, result.ok ? result.frame.id : result.id);
      return;
    }
    if (!result.ok) {
      this.sendError(result.error, result.id);
      return;
    }
    const frame = result.frame;
    // A network (or a proxy) can deliver a frame twice. Running a request twice would answer
    // its id twice, the second time perhaps with an error (publish → ALREADY_PUBLISHED) that the
    // client could take as the only answer: a repeated id on this connection is ignored.
    if (this.seenIds.has(frame.id)) {
      this.log.debug({ id: frame.id, t: frame.t }, 'duplicate request id ignored');
      return;
    }
    this.seenIds.add(frame.id);
    if (this.seenIds.size > RECENT_IDS) this.seenIds.delete(this.seenIds.values().next().value as number);
    // One request at a time per connection, in arrival order: a join awaiting its token check
    // must finish before the requests sent after it are looked at.
    if (this.running) this.waiting.push(frame);
    else this.drive(frame);
  }

  /** Runs `frame`, then every request queued behind it, until one has to wait for a promise. */
  private drive(first: ClientFrame): void {
    this.running = true;
    let frame: ClientFrame | undefined = first;
    while (frame) {
      const pending = this.run(frame);
      if (pending) {
        // run() answers its own failures; the catch only keeps the queue alive should answering fail.
        pending
          .catch((e: unknown) => this.log.error({ err: e }, 'request handling failed'))
          .finally(() => {
            const next = this.waiting.shift();
            if (next) this.drive(next);
            else this.idle();
          });
        return;
      }
      frame = this.waiting.shift();
    }
    this.idle();
  }

  private idle(): void {
    this.running = false;
    if (this.closeWhenIdle) this.close(CLOSE.policy, 'rate limit exceeded');
  }

  /**
   * Runs one request and answers it: synchronously when its handler is, else through the promise
   * it returns (which never rejects).
   */
  private run(frame: ClientFrame): Promise<void> | undefined {
    if (this.isClosed) return undefined;
    const id = frame.id;
    let answered = false;
    const respond = (data: unknown): void => {
      answered = true;
      this.sendFrame({ v: PROTOCOL_VERSION, t: 'ack', id, ok: true, data });
    };
    const fail = (e: unknown): void => {
      if (answered) {
        this.log.error({ err: e, t: frame.t }, 'request failed after its ack');
        return;
      }
      let error: RtcError;
      if (e instanceof RtcError) error = e;
      else {
        this.log.error({ err: e, t: frame.t }, 'request failed');
        error = new RtcError('INTERNAL', 'unexpected server error');
      }
      this.sendError(error, id);
    };
    const unanswered = (): void => {
      if (!answered) fail(new RtcError('INTERNAL', `${frame.t} was not answered`));
    };
    try {
      if (frame.t === 'ping') {
        // The seq lets a client notice that the last push before a quiet period was lost.
        const seq = this.session && this.session.link === this ? this.session.seq : undefined;
        this.sendFrame({ v: PROTOCOL_VERSION, t: 'pong', id, ...(seq === undefined ? {} : { seq }) });
        return undefined;
      }
      if (frame.t === 'join') {
        return this.hub
          .join(this, frame, (data) => {
            respond(data);
            this.joined();
          })
          .catch(fail);
      }
      const session = this.session;
      if (!session || session.link !== this) throw new RtcError('NOT_JOINED', `${frame.t} before join`);
      const touch = READ_ONLY_REQUESTS.has(frame.t) ? undefined : () => this.hub.touch(session);
      let result: void | Promise<void>;
      try {
        result = handle({ hub: this.hub, session, link: this }, frame, respond);
      } finally {
        // A synchronous handler is done (or failed) here; an async one says so when it settles.
        touch?.();
      }
      if (result) {
        const settled = result.then(unanswered, fail);
        return touch ? settled.finally(touch) : settled;
      }
      unanswered();
    } catch (e) {
      fail(e);
    }
    return undefined;
  }

  /** The join succeeded: from now on silence is what ends the socket. */
  private joined(): void {
    this.joinTimer = this.hub.timers.cancel(this.joinTimer);
    this.lastSeen = Date.now();
    this.armHeartbeat(this.options.heartbeatTimeout);
  }

  private armHeartbeat(delay: number): void {
    // One timer per socket, re-armed lazily: cheaper than resetting a timer on every frame.
    this.heartbeatTimer = this.hub.timers.after('heartbeat', delay, () => {
      this.heartbeatTimer = undefined;
      if (this.isClosed) return;
      const idle = Date.now() - this.lastSeen;
      if (idle >= this.options.heartbeatTimeout) this.close(CLOSE.heartbeatTimeout, 'heartbeat timeout');
      else this.armHeartbeat(this.options.heartbeatTimeout - idle);
    });
  }

  /** An ack with `ok:false` when the request id is known, else an error push (§3). */
  private sendError(error: RtcError, id: number | undefined): void {
    const shape = { code: error.code, reason: error.reason.slice(0, 512) };
    this.sendFrame(
      id === undefined
        ? { v: PROTOCOL_VERSION, t: 'error', error: shape }
        : { v: PROTOCOL_VERSION, t: 'ack', id, ok: false, error: shape },
    );
  }

  private sendFrame(frame: Frame): void {
    let text: string;
    try {
      text = encodeFrame(frame);
    } catch (e) {
      // Only an ack can be too large (a huge join snapshot); answer it with the error instead.
      if (frame.t === 'ack' && e instanceof RtcError) {
        this.log.error({ err: e.message }, 'ack too large to send');
        text = encodeFrame({ v: PROTOCOL_VERSION, t: 'ack', id: frame.id, ok: false, error: e.toJSON() });
      } else throw e;
    }
    this.send(text);
  }
}
