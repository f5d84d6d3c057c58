/**
 * How a session's connection loop ending becomes the room's last events, the same for the
 * built-in driver and the vendor driver kit: a kick is `kicked` (never retried), a reconnect
 * policy giving up is `failed`, anything else is `disconnected` with the error.
 */
import { asRtcError, type RtcError } from '../errors';
import type { ConnectionState, KickReason } from '../streams/model';

/** What the driver does when the loop of a session errors. */
export interface SessionEnding {
  readonly error: RtcError;
  /** The `left` reason. */
  readonly reason: 'kicked' | 'connection-lost';
  /** The last connection state. */
  readonly state: ConnectionState;
}

/** Maps the error that ended a session's loop (and the kick reason the server sent, if any). */
export function sessionEnding(err: unknown, kickReason?: KickReason | null): SessionEnding {
  const error = asRtcError(err);
  if (error.code === 'KICKED') {
    return { error, reason: 'kicked', state: { status: 'kicked', ...(kickReason ? { kickReason } : {}) } };
  }
  const status = error.code === 'RECONNECT_FAILED' ? 'failed' : 'disconnected';
  return { error, reason: 'connection-lost', state: { status, error: error.toJSON() } };
}
