/**
 * A session: one user's presence in one room, which outlives its socket for the grace window.
 * It numbers its pushes (docs/protocol.md §6); the room encodes and logs them once for all its
 * sessions (§7).
 */
import type {
  PeerInfo,
  PublicationInfo,
  PushFrame,
  PushType,
  Role,
  SubscriptionInfo,
  TokenClaims,
} from '../src/protocol';
import { numbered, type PushText, type RoomLog } from './replay';
import type { ServerTimers, TimerHandle } from './timers';

/** setTimeout's largest delay; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The room of a session as the session sees it: it sends private pushes and keeps the log. */
export interface SessionHome {
  readonly log: RoomLog;
  pushTo(session: Session, body: PushBody): void;
}

/** A push as handlers write it: without `v` and `seq`, which the session fills in. */
export type PushBody<T extends PushType = PushType> = {
  [K in PushType]: Omit<PushFrame<K>, 'v' | 'seq'>;
}[T];

/** The socket side of a session, as the session sees it. */
export interface SessionLink {
  /** Sends one encoded frame (no-op once the socket is closing). */
  send(text: string): void;
  /**
   * Closes the socket. Whoever calls this for a reason other than a lost connection first sets
   * the session's `link` to something else, so the close does not start the grace window.
   */
  close(code: number, reason: string): void;
}

/** The rights a token grants. */
export type Privileges = TokenClaims['privileges'];

/** Creation parameters of a {@link Session}. */
export interface SessionInit {
  readonly id: string;
  readonly room: string;
  readonly user: string;
  readonly visible: boolean;
  readonly role: Role;
  readonly businessId: string | undefined;
  readonly privileges: Privileges;
  /** When the session joined (a session loaded from a room store keeps its own). */
  readonly joinedAt?: number;
}

/** One user's session in a room. State only; the rules live in the request handlers. */
export class Session {
  readonly id: string;
  readonly room: string;
  readonly user: string;
  visible: boolean;
  role: Role;
  businessId: string | undefined;
  privileges: Privileges;
  /** Streams this session publishes, by kind (a stream id is `user:kind`). */
  /** By stream tag (`main`, `screen` or a custom tag: the part of the stream id after `:`). */
  readonly publications = new Map<string, PublicationInfo>();
  /** Streams this session subscribes to, by stream id. */
  readonly subscriptions = new Map<string, SubscriptionInfo>();
  /** The socket currently carrying the session; null while in the grace window. */
  link: SessionLink | null = null;
  /** Runs out the grace window while {@link Session.link} is null. */
  graceTimer: TimerHandle | undefined;
  /** Re-issues media URLs before their tokens expire. */
  mediaTimer: TimerHandle | undefined;
  /** The `exp` claim (seconds) of the token the session holds (join, resume or `renew-token`). */
  tokenExp = 0;
  /** Sends `token-expiring`, then ends the session, as its token runs out (see {@link Session.holdToken}). */
  tokenTimer: TimerHandle | undefined;
  /** Counts held tokens and cleared timers, so a stale token callback does nothing. */
  private tokenGeneration = 0;
  /** When the socket went away (for the admin API). */
  detachedAt: number | undefined;
  readonly joinedAt: number;
  /** The room that encodes and logs this session's pushes (set when the room adds it). */
  home: SessionHome | null = null;
  /** Number of the last push; the next one is `seq + 1`. */
  private lastSeq = 0;
  /**
   * Set on a session loaded from a shared room store: its next resume is answered with a snapshot,
   * since what its node sent or acknowledged last may not have reached the store before it died.
   */
  snapshotNext = false;

  constructor(init: SessionInit) {
    this.id = init.id;
    this.room = init.room;
    this.user = init.user;
    this.visible = init.visible;
    this.role = init.role;
    this.businessId = init.businessId;
    this.privileges = init.privileges;
    this.joinedAt = init.joinedAt ?? Date.now();
  }

  /** Continues the numbering at `seq` (a session loaded from a room store). */
  restoreSeq(seq: number): void {
    this.lastSeq = seq;
  }

  /** Number of the last push sent (or buffered) to this session. */
  get seq(): number {
    return this.lastSeq;
  }

  /** Whether a socket carries the session right now. */
  get connected(): boolean {
    return this.link !== null;
  }

  /** The session as others see it. `businessId` is left out while unset. */
  peerInfo(): PeerInfo {
    const peer: PeerInfo = { user: this.user, role: this.role, visible: this.visible };
    if (this.businessId !== undefined) peer.businessId = this.businessId;
    return peer;
  }

  /** Whether the session publishes at least one stream (counts against the publisher limit). */
  get publishing(): boolean {
    return this.publications.size > 0;
  }

  /** Sends one push to this session alone (encoded and logged by its room). */
  push(body: PushBody): void {
    this.home?.pushTo(this, body);
  }

  /**
   * Numbers and (when connected) sends one push the room encoded. Pushes are numbered per
   * session, so a private push leaves no gap anyone else could see (§6).
   */
  deliver(tail: PushText): void {
    const seq = ++this.lastSeq;
    this.link?.send(numbered(seq, tail));
  }

  /** The pushes after `seq`, or undefined when they are no longer all in the room's log. */
  missedSince(seq: number): string[] | undefined {
    if (seq > this.lastSeq || seq < 0 || !this.home) return undefined;
    return this.home.log.lastFor(this.id, this.lastSeq - seq)?.map((tail, i) => numbered(seq + 1 + i, tail));
  }

  /**
   * Holds a token that expires at `exp` (seconds): replaces the timers of the previous one, runs
   * `expiring` `lead` ms before `exp` (at once when less is left) and `expired` once the token is
   * no longer honoured, `tolerance` ms after `exp` (the clock skew a join is allowed).
   */
  holdToken(
    timers: ServerTimers,
    exp: number,
    timing: { readonly lead: number; readonly tolerance: number },
    expiring: () => void,
    expired: () => void,
  ): void {
    this.tokenTimer = timers.cancel(this.tokenTimer);
    this.tokenExp = exp;
    const held = ++this.tokenGeneration;
    const expiresAt = exp * 1000;
    this.at(timers, expiresAt - timing.lead, () => {
      expiring();
      // `expiring` may have ended the session (timers cleared) or a new token may be held.
      if (this.tokenGeneration === held) this.at(timers, expiresAt + timing.tolerance, expired);
    });
  }

  /** Runs `fn` at `time` (ms since the epoch) as the token timer, in steps setTimeout can take. */
  private at(timers: ServerTimers, time: number, fn: () => void): void {
    const wait = Math.max(0, time - Date.now());
    const step = Math.min(wait, MAX_TIMER_MS);
    this.tokenTimer = timers.after('token', step, () => {
      this.tokenTimer = undefined;
      if (step < wait) this.at(timers, time, fn);
      else fn();
    });
  }

  /** Stops the session's timers. */
  clearTimers(timers: ServerTimers): void {
    this.graceTimer = timers.cancel(this.graceTimer);
    this.mediaTimer = timers.cancel(this.mediaTimer);
    this.tokenTimer = timers.cancel(this.tokenTimer);
    this.tokenGeneration++;
  }
}
