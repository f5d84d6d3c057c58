/**
 * The hub: every room and session of one server, and the session lifecycle of docs/protocol.md
 * (join, resume, grace window, leave, kick, room close, media URL refresh). Request handlers for
 * joined sessions are in ./handlers.ts; sockets are in ./connection.ts.
 *
 * Concurrency rule: every method that changes state runs its checks and its changes in one
 * synchronous stretch (after its last `await`), so no other request can interleave between a
 * check and the change it guards, and the ack goes out before any later push.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type {
  JoinAckData,
  KickReason,
  PeerLeftReason,
  RequestFrame,
  StreamRemovedReason,
  TokenClaims,
} from '../src/protocol';
import { RtcError } from '../src/errors';
import { mediaUrl, type MediaUrlInput, type MediaUrlSettings } from './media';
import { MediaWatch } from './media-hooks';
import type { ResolvedOptions } from './options';
import type { Room } from './room';
import { MemoryRoomStore, type RoomStore } from './room-store';
import { Session, type SessionLink } from './session';
import { CLOSE } from './close-codes';
import { ServerTimers } from './timers';
import { checkTokenMatch, verifyToken } from './tokens';
import { holdToken } from './handlers';

/** Sends the successful ack of a request. Handlers call it exactly once, right after their changes. */
export type Respond<T> = (data: T) => void;

/** A connection as the hub sees it while joining. */
export interface JoiningLink extends SessionLink {
  /** True once the socket is closing or closed. */
  readonly closed: boolean;
  /** The session this socket carries (or carried). */
  session: Session | null;
}

/** Counters for {@link Hub.stats}. */
export interface HubCounters {
  framesIn: number;
  rateLimited: number;
  joins: number;
  resumes: number;
}

/** Share of the media token lifetime after which URLs are re-issued. */
const MEDIA_REFRESH_AT = 0.8;

/** The state of one server. */
export class Hub {
  readonly rooms: RoomStore;
  /** Every live session (connected or in grace), by session id, for resume. */
  readonly sessions = new Map<string, Session>();
  readonly counters: HubCounters = { framesIn: 0, rateLimited: 0, joins: 0, resumes: 0 };
  /** Every timer of this server (sockets, sessions, media). */
  readonly timers = new ServerTimers();
  private closing = false;
  private readonly media: MediaUrlSettings;
  /** Media hooks and the media state of streams (inert unless `mediaHooks`). */
  readonly mediaWatch: MediaWatch;

  /**
   * @param rooms - where rooms live: this process's memory by default, or a store shared by the
   *   nodes of a cluster (server/cluster).
   */
  constructor(
    readonly options: ResolvedOptions,
    readonly log: Logger,
    rooms?: RoomStore,
  ) {
    this.media = {
      appId: options.appId,
      secret: options.secret,
      ttl: options.mediaTokenTtl,
      pushTemplate: options.pushTemplate,
      playTemplate: options.playTemplate,
    };
    this.mediaWatch = new MediaWatch(this, options, log);
    this.rooms = rooms ?? new MemoryRoomStore(options.replayBuffer);
  }

  /** True once {@link Hub.shutdown} ran. */
  get shuttingDown(): boolean {
    return this.closing;
  }

  /** Whether `session` is still in the hub (not left, kicked or timed out). */
  isLive(session: Session): boolean {
    return this.sessions.get(session.id) === session;
  }

  /** The room of a live session. */
  roomOf(session: Session): Room {
    const room = this.rooms.get(session.room);
    if (!room) throw new RtcError('INTERNAL', 'session without a room');
    return room;
  }

  // ── join and resume ──────────────────────────────────────────────────

  /**
   * Handles `join` (§5, §7, §9): verifies the token, then resumes the named session or creates a
   * new one, and answers through `respond`. Throws an {@link RtcError} for every refusal.
   */
  async join(link: JoiningLink, frame: RequestFrame<'join'>, respond: Respond<JoinAckData>): Promise<void> {
    if (link.session) throw new RtcError('ALREADY_JOINED', 'this connection has joined already');
    const claims = await verifyToken(frame.token, this.options.secret);
    const mismatch = checkTokenMatch(claims, {
      appId: this.options.appId,
      room: frame.room,
      user: frame.user,
    });
    if (mismatch) throw mismatch;
    // A room shared by several nodes is joined on its home node only.
    if (this.rooms.prepare && !(await this.rooms.prepare(frame.room))) {
      link.close(CLOSE.restart, 'the room is served by another node; reconnect');
      throw new RtcError('CONNECTION_LOST', 'the room is served by another node');
    }
    // The connection runs one request at a time, so no other join of this socket ran meanwhile;
    // but the socket may have closed (join timeout) or the server may be shutting down.
    if (link.closed || this.closing) {
      throw new RtcError('CONNECTION_LOST', 'the connection closed while joining');
    }
    // From here on everything is synchronous: the checks below see the room as it is changed.
    if (frame.resume) {
      const session = this.sessions.get(frame.resume.session);
      // A session of another room or user is "not found" too: the token proves nothing about it.
      if (session && session.room === frame.room && session.user === frame.user) {
        this.resume(link, session, frame.resume.seq, claims, respond, frame.resume.snapshot === true);
        return;
      }
      const resumeError = new RtcError(
        'SESSION_NOT_FOUND',
        'the session is unknown or its grace window is over',
      );
      this.freshJoin(link, frame, claims, respond, resumeError);
      return;
    }
    this.freshJoin(link, frame, claims, respond);
  }

  private freshJoin(
    link: JoiningLink,
    frame: RequestFrame<'join'>,
    claims: TokenClaims,
    respond: Respond<JoinAckData>,
    resumeError?: RtcError,
  ): void {
    const { maxVisible, duplicateUser } = this.options;
    const current = this.rooms.get(frame.room);
    const existing = current?.byUser.get(frame.user);
    // `refuse` protects a connected session; one in its grace window is replaced, or a user who
    // lost their session id would be locked out for the whole window.
    if (existing && duplicateUser === 'refuse' && existing.connected) {
      throw new RtcError('DUPLICATE_SESSION', 'this user already has a session in the room');
    }
    const visible = frame.visible ?? true;
    // The session about to be replaced frees its place.
    if (visible && current && current.visibleCount(existing) >= maxVisible) {
      throw new RtcError('ROOM_FULL', `the room has ${maxVisible} visible users already`);
    }
    // Others see the old session leave (reason `replaced`) before the new one joins.
    if (existing) this.kick(existing, 'replaced', 'the same user joined from another connection', true);
    const room = this.rooms.open(frame.room);
    const session = new Session({
      id: randomUUID(),
      room: frame.room,
      user: frame.user,
      visible,
      role: frame.role ?? 'broadcaster',
      businessId: frame.businessId === undefined || frame.businessId === '' ? undefined : frame.businessId,
      privileges: claims.privileges,
    });
    room.add(session);
    this.sessions.set(session.id, session);
    holdToken(this, session, claims.exp);
    this.attach(link, session);
    if (visible) room.broadcast({ t: 'peer-joined', peer: session.peerInfo() }, session);
    this.counters.joins++;
    this.log.info({ room: room.id, user: session.user, session: session.id, visible }, 'joined');
    respond(this.snapshot(room, session, 'joined', resumeError));
  }

  private resume(
    link: JoiningLink,
    session: Session,
    seq: number,
    claims: TokenClaims,
    respond: Respond<JoinAckData>,
    wantSnapshot = false,
  ): void {
    const old = session.link;
    if (old) {
      // A half-open socket the client gave up on. Unlink first, so its close starts no grace window.
      session.link = null;
      old.close(1000, 'session resumed on another connection');
    }
    // The new token may carry other privileges; they govern the requests from now on.
    session.privileges = claims.privileges;
    holdToken(this, session, claims.exp);
    this.attach(link, session);
    this.counters.resumes++;
    this.roomOf(session).touch();
    // A client unsure of its own state (a request it sent was never answered) asks for a snapshot;
    // a session taken over from a lost node gets one, as its last changes may not have been kept.
    const snapshot = wantSnapshot || session.snapshotNext;
    session.snapshotNext = false;
    const missed = !snapshot && seq <= session.seq ? session.missedSince(seq) : undefined;
    const room = this.roomOf(session);
    if (missed) {
      this.log.info({ room: room.id, user: session.user, replayed: missed.length }, 'resumed');
      respond({
        mode: 'resumed',
        session: session.id,
        seq,
        heartbeat: this.heartbeat(),
        grace: this.options.grace,
        exp: session.tokenExp,
      });
      for (const text of missed) link.send(text);
      return;
    }
    this.log.info({ room: room.id, user: session.user, from: seq, at: session.seq }, 'resumed with snapshot');
    respond(this.snapshot(room, session, 'snapshot'));
  }

  private attach(link: JoiningLink, session: Session): void {
    const wasInGrace = session.graceTimer !== undefined;
    session.graceTimer = this.timers.cancel(session.graceTimer);
    session.detachedAt = undefined;
    session.link = link;
    link.session = session;
    if (wasInGrace) this.graceLeft(session);
  }

  /**
   * Hooks of the grace window (§7): the others see the peer `reconnecting` while its session
   * waits for a resume, and back once it resumes (a window that runs out ends in `peer-left`,
   * reason `timeout`). Invisible sessions are never seen, so nothing is said about them.
   */
  private graceEntered(session: Session): void {
    if (session.visible)
      this.roomOf(session).broadcast({ t: 'peer-reconnecting', user: session.user }, session);
  }

  private graceLeft(session: Session): void {
    if (session.visible)
      this.roomOf(session).broadcast({ t: 'peer-reconnected', user: session.user }, session);
  }

  private heartbeat(): { interval: number; timeout: number } {
    return { interval: this.options.heartbeatInterval, timeout: this.options.heartbeatTimeout };
  }

  /** The full-state join ack of `session` (modes `joined` and `snapshot`). */
  snapshot(room: Room, session: Session, mode: 'joined' | 'snapshot', resumeError?: RtcError): JoinAckData {
    const peers = [];
    for (const s of room.sessions.values())
      if (s !== session && s.visible)
        peers.push(s.graceTimer !== undefined ? { ...s.peerInfo(), reconnecting: true } : s.peerInfo());
    const data: JoinAckData = {
      mode,
      session: session.id,
      seq: session.seq,
      self: session.peerInfo(),
      peers,
      streams: room.streams(session),
      publications: [...session.publications.values()].map((p) => ({ stream: { ...p.stream }, url: p.url })),
      subscriptions: [...session.subscriptions.values()].map((s) => ({ ...s })),
      attributes: Object.fromEntries(room.attributes),
      heartbeat: this.heartbeat(),
      grace: this.options.grace,
      exp: session.tokenExp,
    };
    if (resumeError) data.resumeError = resumeError.toJSON();
    return data;
  }

  /** Says that a request of `session` may have changed its room (written through by a shared store). */
  touch(session: Session): void {
    this.rooms.get(session.room)?.touch();
  }

  /**
   * Takes in a session loaded from a shared room store (its node is gone): it waits in its grace
   * window for its client to resume here, and the others see it reconnecting.
   */
  adopt(session: Session): void {
    this.sessions.set(session.id, session);
    holdToken(this, session, session.tokenExp);
    this.linkLost(session);
  }

  /**
   * Forgets a room without telling anyone (another node serves it now, or the shared store lost
   * it): its sockets are closed with `code`, so their clients reconnect and resume where it lives.
   */
  evictRoom(id: string, code: number, reason: string): void {
    const room = this.rooms.get(id);
    if (!room) return;
    room.changed = undefined;
    for (const session of room.sessions.values()) this.endHere(session, code, reason);
    this.rooms.forget(id);
    this.log.warn({ room: id, reason }, 'room evicted');
  }

  // ── leaving ──────────────────────────────────────────────────────────

  /** The socket of `session` went away without `leave`: start its grace window (§7). */
  linkLost(session: Session): void {
    session.link = null;
    session.detachedAt = Date.now();
    if (this.closing || !this.isLive(session)) return;
    this.log.info({ room: session.room, user: session.user, grace: this.options.grace }, 'connection lost');
    const wasInGrace = session.graceTimer !== undefined;
    this.timers.cancel(session.graceTimer);
    session.graceTimer = this.timers.after('grace', this.options.grace, () => {
      session.graceTimer = undefined;
      this.log.info({ room: session.room, user: session.user }, 'grace window over');
      this.remove(session, 'timeout');
    });
    if (!wasInGrace) this.graceEntered(session);
  }

  /**
   * Removes a session from its room: `stream-removed` (reason `peer-left`) for each of its streams,
   * then `peer-left` with `reason` when it was visible. Drops the room when it becomes empty,
   * unless `keepRoom` (a replacement is about to join it).
   */
  remove(session: Session, reason: PeerLeftReason, keepRoom = false): void {
    if (!this.isLive(session)) return;
    session.clearTimers(this.timers);
    session.link = null;
    this.sessions.delete(session.id);
    const room = this.rooms.get(session.room);
    if (!room) return;
    for (const kind of [...session.publications.keys()]) this.removeStream(room, session, kind, 'peer-left');
    // Subscriptions die with the session; they are private, so nobody is told. Its players are
    // dropped at the media server.
    session.subscriptions.clear();
    this.mediaWatch.dropPlayers(room.id, session.user);
    room.delete(session);
    if (session.visible) room.broadcast({ t: 'peer-left', user: session.user, reason });
    if (room.empty && !keepRoom) {
      this.rooms.drop(room.id);
      this.log.info({ room: room.id }, 'room dropped');
    }
  }

  /**
   * Removes a session by force: `kicked` push, close 4001, then others see it leave
   * (`replaced`, or `kicked` for an admin kick or ban).
   */
  kick(session: Session, reason: KickReason, message?: string, keepRoom = false): void {
    if (!this.isLive(session)) return;
    session.push(message === undefined ? { t: 'kicked', reason } : { t: 'kicked', reason, message });
    const link = session.link;
    session.link = null;
    link?.close(4001, `kicked: ${reason}`);
    this.log.info({ room: session.room, user: session.user, reason }, 'kicked');
    this.remove(session, reason === 'replaced' ? 'replaced' : 'kicked', keepRoom);
  }

  /**
   * Closes a room: every session gets `kicked` (reason `room-closed`) and its socket is closed.
   * Nobody is left to be told who left, so there are no `peer-left` pushes.
   *
   * @returns the number of sessions removed, or undefined when there is no such room.
   */
  closeRoom(id: string): number | undefined {
    const room = this.rooms.get(id);
    if (!room) return undefined;
    const sessions = [...room.sessions.values()];
    for (const session of sessions) {
      session.push({ t: 'kicked', reason: 'room-closed' });
      this.endHere(session, CLOSE.kicked, 'room closed');
    }
    this.rooms.drop(id);
    this.log.info({ room: id, sessions: sessions.length }, 'room closed');
    return sessions.length;
  }

  /**
   * Ends a session of a room that is going away as a whole (closed, or moved to another node):
   * its timers, its socket (closed with `code`) and its media go; nobody is told.
   */
  private endHere(session: Session, code: number, reason: string): void {
    session.clearTimers(this.timers);
    const link = session.link;
    session.link = null;
    this.sessions.delete(session.id);
    link?.close(code, reason);
    for (const p of session.publications.values()) this.mediaWatch.untrack(session.room, p.stream.id);
    this.mediaWatch.dropPlayers(session.room, session.user);
  }

  // ── streams ──────────────────────────────────────────────────────────

  /**
   * Removes one publication of `owner`: drops everyone's subscriptions to it and pushes
   * `stream-removed` to the others.
   */
  removeStream(room: Room, owner: Session, tag: string, reason: StreamRemovedReason): void {
    const publication = owner.publications.get(tag);
    if (!publication) return;
    owner.publications.delete(tag);
    const id = publication.stream.id;
    this.mediaWatch.untrack(room.id, id);
    for (const s of room.sessions.values()) s.subscriptions.delete(id);
    room.broadcast({ t: 'stream-removed', stream: id, user: owner.user, reason }, owner);
  }

  /**
   * The media server gave up on a stream (admin/media-server hook). `push`: the publication is
   * removed, its owner gets `stream-failed` and the others `stream-removed` (reason `failed`).
   * `play`: `viewer`'s subscription is dropped and it gets `stream-failed`.
   *
   * @returns false when there is no such stream (or subscription).
   */
  failStream(
    roomId: string,
    streamId: string,
    direction: 'push' | 'play',
    reason: string,
    viewer?: string,
  ): boolean {
    const room = this.rooms.get(roomId);
    const target = room?.stream(streamId);
    if (!room || !target) return false;
    if (direction === 'push') {
      target.owner.push({ t: 'stream-failed', stream: streamId, direction, reason });
      this.removeStream(room, target.owner, target.stream.tag ?? target.stream.kind, 'failed');
      return true;
    }
    const session = viewer === undefined ? undefined : room.byUser.get(viewer);
    if (!session?.subscriptions.delete(streamId)) return false;
    session.push({ t: 'stream-failed', stream: streamId, direction, reason });
    return true;
  }

  /** Builds a push or play URL with a fresh media token. */
  mediaUrl(input: MediaUrlInput): string {
    return mediaUrl(this.media, input);
  }

  /**
   * Makes sure `session` has a timer re-issuing its media URLs before their tokens expire. Every
   * URL is at most 80 % of the token lifetime old when the timer fires, so none is ever stale.
   */
  scheduleMediaRefresh(session: Session): void {
    if (this.closing || session.mediaTimer || !this.isLive(session)) return;
    if (!session.publishing && session.subscriptions.size === 0) return;
    session.mediaTimer = this.timers.after(
      'media-refresh',
      Math.floor(this.options.mediaTokenTtl * MEDIA_REFRESH_AT),
      () => {
        session.mediaTimer = undefined;
        try {
          this.refreshMedia(session);
        } catch (e) {
          this.log.error({ err: e, user: session.user }, 'media URL refresh failed');
        }
      },
    );
  }

  private refreshMedia(session: Session): void {
    if (!this.isLive(session)) return;
    const pubs = [...session.publications.values()];
    const subs = [...session.subscriptions.values()];
    const pushUrls = pubs.map((p) =>
      this.mediaUrl({
        room: session.room,
        owner: session.user,
        kind: p.stream.kind,
        tag: p.stream.tag,
        holder: session.user,
        direction: 'push',
      }),
    );
    const playUrls = subs.map((s) => {
      const colon = s.stream.lastIndexOf(':');
      const owner = s.stream.slice(0, colon);
      const tag = s.stream.slice(colon + 1);
      return this.mediaUrl({
        room: session.room,
        owner,
        kind: tag === 'screen' ? 'screen' : 'main',
        ...(tag !== 'main' && tag !== 'screen' ? { tag } : {}),
        holder: session.user,
        direction: 'play',
      });
    });
    if (this.closing) return;
    pubs.forEach((p, i) => {
      const url = pushUrls[i];
      if (url === undefined) return;
      p.url = url;
      session.push({ t: 'url-updated', stream: p.stream.id, direction: 'push', url });
    });
    subs.forEach((s, i) => {
      const url = playUrls[i];
      if (url === undefined) return;
      s.url = url;
      session.push({ t: 'url-updated', stream: s.stream, direction: 'play', url });
    });
    this.scheduleMediaRefresh(session);
  }

  // ── server ───────────────────────────────────────────────────────────

  /**
   * Ends every session here without grace and closes their sockets with `code` (1000; 1012 for a
   * cluster node, whose rooms live on elsewhere).
   */
  shutdown(code: number = CLOSE.normal, reason = 'server shutdown'): void {
    this.closing = true;
    // Media sessions are left running: a restarted server picks them up from the media server.
    this.mediaWatch.close();
    for (const session of this.sessions.values()) {
      session.clearTimers(this.timers);
      const link = session.link;
      session.link = null;
      link?.close(code, reason);
    }
    this.sessions.clear();
    this.rooms.clear();
  }
}
