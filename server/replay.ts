/**
 * The replay log of a room: the room's last N pushes, each encoded once and shared by every
 * session, so a resume can replay what one client missed (docs/protocol.md §6–7).
 *
 * Pushes are numbered per session (§6: a client sees no gaps, so a gap means a loss). A push is
 * therefore encoded once without its number, as the {@link PushText.tail} after `"seq":<n>`, and
 * each recipient gets {@link PUSH_HEAD} + its own number + that tail: the body is serialised once
 * per room, not once per recipient, and kept once, not once per session.
 */

import { encodeFrame, PROTOCOL_VERSION, type PushFrame } from '../src/protocol';
import type { PushBody } from './session';

/** What every push frame starts with, up to its `seq` value (the encoder writes `v`, `seq`, then the rest). */
export const PUSH_HEAD = JSON.stringify({ v: PROTOCOL_VERSION, seq: 0 }).slice(0, -2);
const WIDEST = PUSH_HEAD + String(Number.MAX_SAFE_INTEGER);

/**
 * Encodes a push once for all its recipients. Checked against the frame size limit with the
 * widest number, so it fits whatever number a session gives it.
 *
 * @throws RtcError `FRAME_TOO_LARGE`.
 */
export function encodePush(body: PushBody): PushText {
  // The one cast of the server: a mapped push body plus v and seq is a PushFrame, which TS cannot
  // prove for a union.
  const text = encodeFrame({ v: PROTOCOL_VERSION, seq: Number.MAX_SAFE_INTEGER, ...body } as PushFrame);
  return text.slice(WIDEST.length);
}

/** A push encoded once for every recipient: the text after its `seq` value. */
export type PushText = string;

/** The frame of `tail` numbered `seq` for one session. */
export function numbered(seq: number, tail: PushText): string {
  return PUSH_HEAD + seq + tail;
}

/** Who a logged push was for: everyone, everyone but one session, or one session alone. */
export interface Audience {
  /** Every session of the room except this one (the session whose request caused the push). */
  readonly except?: string | undefined;
  /** Only this session (a private push). */
  readonly to?: string | undefined;
}

/** One logged push. Session ids, not sessions, so the log keeps no left session alive. */
export interface LoggedPush extends Audience {
  readonly tail: PushText;
}
type LogEntry = LoggedPush;

/** Whether a logged push was addressed to `session`. */
export function addressedTo(entry: Audience, session: string): boolean {
  return entry.to === undefined ? entry.except !== session : entry.to === session;
}

/** A ring of the room's last pushes with their audiences. */
export class RoomLog {
  private readonly ring: (LogEntry | undefined)[];
  /** Pushes appended so far; the newest is at `count - 1` (mod capacity). */
  private count = 0;

  /** @param capacity - how many pushes of the room to keep; 0 keeps none (a resume that missed anything gets a snapshot). */
  constructor(readonly capacity: number) {
    this.ring = new Array<LogEntry | undefined>(capacity);
  }

  /** Stores one push of the room. */
  append(tail: PushText, audience: Audience = {}): void {
    if (this.capacity === 0) return;
    this.ring[this.count % this.capacity] = { tail, except: audience.except, to: audience.to };
    this.count++;
  }

  /**
   * The last `n` pushes addressed to `session`, oldest first, or `undefined` when the log no
   * longer reaches back that far.
   */
  lastFor(session: string, n: number): PushText[] | undefined {
    if (n < 0) return undefined;
    const out: PushText[] = [];
    const held = Math.min(this.count, this.capacity);
    for (let i = 1; i <= held && out.length < n; i++) {
      const entry = this.ring[(this.count - i) % this.capacity];
      if (entry && addressedTo(entry, session)) out.push(entry.tail);
    }
    return out.length === n ? out.reverse() : undefined;
  }
}
