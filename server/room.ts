/**
 * A room: its sessions, attributes and monitoring reports, and the queries the rules need
 * (who is visible, who publishes, which stream is whose). Created on first join, dropped when empty.
 */
import type { RequestFrame, StreamInfo } from '../src/protocol';
import { encodePush, RoomLog, type Audience, type LoggedPush, type PushText } from './replay';
import type { PushBody, Session, SessionHome } from './session';

/** A client report as kept for monitoring. */
export interface StoredReport {
  readonly report: RequestFrame<'report'>['report'];
  /** Server time of arrival, ms since epoch. */
  readonly at: number;
}

/** A stream and the session publishing it. */
export interface OwnedStream {
  readonly owner: Session;
  readonly stream: StreamInfo;
}

/**
 * What changed in a room: its state (sessions, their streams and subscriptions, attributes), or
 * only its log (a push: the numbers of its recipients move, nothing else).
 */
export type RoomChange = 'state' | 'push';

/** One room of the server. */
export class Room implements SessionHome {
  /** Sessions by session id. */
  readonly sessions = new Map<string, Session>();
  /** The same sessions by user id: a room holds at most one session per user. */
  readonly byUser = new Map<string, Session>();
  /** Room attributes. A Map, so keys like `__proto__` are plain keys. */
  readonly attributes = new Map<string, string>();
  /** Latest report per user, keyed by kind (and stream, for player reports). */
  readonly reports = new Map<string, Map<string, StoredReport>>();
  /** The room's last pushes, each encoded once, for resumes (§7). */
  readonly log: RoomLog;
  /**
   * Told of every change of the room (a session added or removed, a push, a request handled), once
   * the room store keeps rooms outside this process: it writes the room through. Unset in memory.
   */
  changed: ((room: Room, what: RoomChange) => void) | undefined;
  /** Pushes logged since the store last wrote the room through (only while {@link Room.changed} is set). */
  readonly unsaved: LoggedPush[] = [];

  /**
   * @param replayLog - how many pushes of the room to keep for resumes.
   * @param createdAt - when the room was created (a room loaded from a store keeps its own).
   */
  constructor(
    readonly id: string,
    replayLog: number,
    readonly createdAt = Date.now(),
  ) {
    this.log = new RoomLog(replayLog);
  }

  /** Adds a session. The caller has checked that the user has none. */
  add(session: Session): void {
    this.sessions.set(session.id, session);
    this.byUser.set(session.user, session);
    session.home = this;
    this.touch();
  }

  /** Removes a session and its reports. */
  delete(session: Session): void {
    this.sessions.delete(session.id);
    if (this.byUser.get(session.user) === session) this.byUser.delete(session.user);
    this.reports.delete(session.user);
    this.touch();
  }

  /** Says the room changed (see {@link Room.changed}). */
  touch(): void {
    this.changed?.(this, 'state');
  }

  get empty(): boolean {
    return this.sessions.size === 0;
  }

  /** Visible sessions, not counting `except`. Sessions in their grace window count. */
  visibleCount(except?: Session): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.visible && s !== except) n++;
    return n;
  }

  /** Sessions publishing at least one stream, not counting `except`. */
  publisherCount(except?: Session): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.publishing && s !== except) n++;
    return n;
  }

  /** The stream with this id and its owner, if published in this room. */
  stream(id: string): OwnedStream | undefined {
    const colon = id.lastIndexOf(':');
    const owner = this.byUser.get(id.slice(0, colon));
    const publication = owner?.publications.get(id.slice(colon + 1));
    return owner && publication ? { owner, stream: publication.stream } : undefined;
  }

  /** Every published stream, except those of `except`. */
  streams(except?: Session): StreamInfo[] {
    const out: StreamInfo[] = [];
    for (const s of this.sessions.values()) {
      if (s === except) continue;
      for (const p of s.publications.values()) out.push({ ...p.stream });
    }
    return out;
  }

  /**
   * Pushes `body` to every session of the room except `except` (connected or in grace): encoded
   * and logged once, each session adding only its own number.
   */
  broadcast(body: PushBody, except?: Session): void {
    // A push for nobody is neither encoded nor kept.
    if (this.sessions.size === (except && this.sessions.get(except.id) === except ? 1 : 0)) return;
    const tail = this.record(body, { except: except?.id });
    for (const s of this.sessions.values()) if (s !== except) s.deliver(tail);
  }

  /** Pushes `body` to `session` alone (a private push), logged with the room's pushes. */
  pushTo(session: Session, body: PushBody): void {
    session.deliver(this.record(body, { to: session.id }));
  }

  private record(body: PushBody, audience: Audience): PushText {
    const tail = encodePush(body);
    this.log.append(tail, audience);
    if (this.changed) {
      this.unsaved.push({ tail, ...audience });
      this.changed(this, 'push');
    }
    return tail;
  }

  /** Total sessions, visible users, publishers and streams, for stats and the admin API. */
  counts(): { sessions: number; peers: number; publishers: number; streams: number; connected: number } {
    let peers = 0;
    let publishers = 0;
    let streams = 0;
    let connected = 0;
    for (const s of this.sessions.values()) {
      if (s.visible) peers++;
      if (s.publishing) publishers++;
      if (s.connected) connected++;
      streams += s.publications.size;
    }
    return { sessions: this.sessions.size, peers, publishers, streams, connected };
  }
}
