/**
 * The one code table of rxroom. Every failure anywhere in the SDK or the reference server is an
 * {@link RtcError} whose `code` is a key of this table. `docs/errors.md` documents the same table;
 * a test keeps the two in step.
 *
 * `vendors` lists the codes of the seed SDKs that mean the same thing, so vendor drivers can map
 * them and users migrating from a vendor can find their old code.
 */
export const RTC_ERROR_CODES = {
  // ── frames and protocol ──────────────────────────────────────────────
  MALFORMED_JSON: {
    category: 'protocol',
    description: 'The frame is not valid JSON text (or not UTF-8 text at all).',
  },
  INVALID_FRAME: {
    category: 'protocol',
    description:
      'The frame is JSON but not a valid frame: not an object, or a field is missing, mistyped or out of range.',
  },
  UNKNOWN_TYPE: {
    category: 'protocol',
    description: 'The frame type `t` is not one this side accepts.',
  },
  UNSUPPORTED_VERSION: {
    category: 'protocol',
    description: 'The frame has a protocol version `v` other than 1.',
  },
  FRAME_TOO_LARGE: {
    category: 'protocol',
    description: 'The frame is larger than the maximum frame size (64 KiB by default).',
  },
  // ── tokens and privileges ────────────────────────────────────────────
  TOKEN_MISSING: {
    category: 'auth',
    description: 'The join request carries no token.',
  },
  TOKEN_INVALID: {
    category: 'auth',
    description: 'The token is malformed, forged (bad signature) or lacks a required claim.',
    vendors: { volcengine: [200004], rongcloud: [50006] },
  },
  TOKEN_EXPIRED: {
    category: 'auth',
    description: 'The token `exp` is in the past.',
  },
  TOKEN_NOT_YET_VALID: {
    category: 'auth',
    description: 'The token `nbf` is in the future.',
  },
  TOKEN_MISMATCH: {
    category: 'auth',
    description: 'The token names another app, room or user than the join request.',
    vendors: { agora: [401] },
  },
  NOT_ALLOWED: {
    category: 'auth',
    description:
      'The session lacks the privilege or role for this request (e.g. publishing with a subscribe-only token, as an audience member, or while invisible).',
  },
  // ── room state ───────────────────────────────────────────────────────
  NOT_JOINED: {
    category: 'state',
    description: 'The request needs a joined room and there is none.',
    vendors: { volcengine: [100002], rongcloud: [50003] },
  },
  ALREADY_JOINED: {
    category: 'state',
    description: 'A join was requested while already joined (or joining).',
    vendors: { volcengine: [100003], rongcloud: [50002] },
  },
  ROOM_FULL: {
    category: 'state',
    description: 'The room already has the maximum number of visible users (20 by default).',
  },
  PUBLISHER_LIMIT: {
    category: 'state',
    description:
      'The room already has the maximum number of publishers (8 by default), or the user already publishes the maximum number of streams (8).',
    vendors: { rongcloud: [53026] },
  },
  DUPLICATE_SESSION: {
    category: 'state',
    description:
      'The same user is already in the room and the server is configured to refuse a second session.',
    vendors: { rongcloud: [53029] },
  },
  USER_NOT_FOUND: {
    category: 'state',
    description: 'No visible user with that id is in the room.',
    vendors: { volcengine: [100007] },
  },
  STREAM_NOT_FOUND: {
    category: 'state',
    description: 'No stream with that id is in the room.',
    vendors: { volcengine: [200001] },
  },
  ALREADY_PUBLISHED: {
    category: 'state',
    description: 'A stream of that kind is already published by this session.',
    vendors: { volcengine: [100005] },
  },
  NOT_PUBLISHED: {
    category: 'state',
    description: 'The stream is not published by this session.',
    vendors: { volcengine: [100006] },
  },
  NOT_SUBSCRIBED: {
    category: 'state',
    description: 'The stream is not subscribed by this session.',
  },
  SESSION_NOT_FOUND: {
    category: 'state',
    description:
      'A resume named a session the server no longer has (grace window over, or server restarted).',
  },
  INVALID_ARGUMENT: {
    category: 'state',
    description: 'A client method was called with an argument that can never be valid.',
    vendors: { volcengine: [100001], rongcloud: [50001] },
  },
  INVALID_STATE: {
    category: 'state',
    description: 'A client method was called in a state where it cannot run (e.g. publish before join).',
    vendors: { volcengine: [100004, 100009] },
  },
  UNSUPPORTED: {
    category: 'state',
    description: 'The backend (driver) does not support this capability.',
  },
  // ── connection ───────────────────────────────────────────────────────
  TIMEOUT: {
    category: 'connection',
    description: 'No answer within the request timeout.',
    vendors: { agora: [903] },
  },
  CONNECT_FAILED: {
    category: 'connection',
    description: 'The socket could not be opened.',
    vendors: { agora: [901, 905], volcengine: [200003] },
  },
  CONNECTION_LOST: {
    category: 'connection',
    description: 'The socket closed while a request was in flight or the room was joined.',
    vendors: { agora: [904], rongcloud: [50000] },
  },
  HEARTBEAT_TIMEOUT: {
    category: 'connection',
    description: 'No frame arrived within the heartbeat timeout: the connection is dead or half-open.',
  },
  RECONNECT_FAILED: {
    category: 'connection',
    description: 'The reconnect policy gave up.',
  },
  KICKED: {
    category: 'connection',
    description: 'The server removed this session (replaced, kicked, banned, room closed).',
    vendors: { agora: [430], rongcloud: [53008] },
  },
  RATE_LIMITED: {
    category: 'connection',
    description: 'Too many requests on this connection within the rate window.',
    vendors: { agora: [429] },
  },
  DESTROYED: {
    category: 'connection',
    description: 'The client was destroyed; pending and later calls fail with this code.',
    vendors: { rongcloud: [53008] },
  },
  // ── media (native components) ────────────────────────────────────────
  MEDIA_PERMISSION_DENIED: {
    category: 'media',
    description: 'Camera or microphone permission was denied (live-pusher errCode 10001/10002).',
  },
  PUSH_FAILED: {
    category: 'media',
    description: 'The live-pusher could not push and its own retries are exhausted.',
  },
  PLAY_FAILED: {
    category: 'media',
    description: 'A live-player could not play and its own retries are exhausted.',
  },
  // ── server ───────────────────────────────────────────────────────────
  INTERNAL: {
    category: 'server',
    description: 'An unexpected failure inside the server or SDK. Please report it.',
    vendors: { agora: [500, 501, 502] },
  },
} as const satisfies Record<string, RtcErrorCodeInfo>;

/** What the code table says about one code. */
export interface RtcErrorCodeInfo {
  /** Where the failure comes from. */
  readonly category: 'protocol' | 'auth' | 'state' | 'connection' | 'media' | 'server';
  /** One sentence for humans. */
  readonly description: string;
  /** Codes of the seed vendor SDKs with the same meaning. */
  readonly vendors?: {
    readonly volcengine?: readonly number[];
    readonly agora?: readonly number[];
    readonly rongcloud?: readonly number[];
  };
}

/** Every documented error code. */
export type RtcErrorCode = keyof typeof RTC_ERROR_CODES;

/** The list of every documented error code, in table order. */
export const RTC_ERROR_CODE_LIST = Object.keys(RTC_ERROR_CODES) as readonly RtcErrorCode[];

/** Returns true when `code` is a documented {@link RtcErrorCode}. */
export function isRtcErrorCode(code: unknown): code is RtcErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(RTC_ERROR_CODES, code);
}

/** The plain, JSON-safe shape of an error, as it travels in frames. */
export interface RtcErrorShape {
  readonly code: RtcErrorCode;
  readonly reason: string;
}

/**
 * The error type of rxroom. Every failure is one of these, with a documented `code`
 * (see {@link RTC_ERROR_CODES}) and a human `reason`.
 *
 * @example
 * ```ts
 * client.publish().subscribe({
 *   error: (e: RtcError) => {
 *     if (e.code === 'NOT_ALLOWED') showToast('You may only watch in this room')
 *   },
 * })
 * ```
 */
export class RtcError extends Error {
  /** The documented code. */
  readonly code: RtcErrorCode;
  /** What went wrong, for humans. */
  readonly reason: string;

  constructor(code: RtcErrorCode, reason: string, options?: { cause?: unknown }) {
    super(`${code}: ${reason}`);
    this.name = 'RtcError';
    this.code = code;
    this.reason = reason;
    if (options && 'cause' in options) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
    }
    // Keep instanceof working when compiled to ES5-style classes by some bundlers.
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** The JSON-safe form that travels in `ack` and `error` frames. */
  toJSON(): RtcErrorShape {
    return { code: this.code, reason: this.reason };
  }

  /** Rebuilds an error from its wire form; unknown codes become `INTERNAL`. */
  static from(shape: { code: unknown; reason?: unknown }): RtcError {
    const reason = typeof shape.reason === 'string' ? shape.reason : '';
    return isRtcErrorCode(shape.code)
      ? new RtcError(shape.code, reason)
      : new RtcError('INTERNAL', `unknown error code ${String(shape.code)}: ${reason}`);
  }
}

/**
 * The value as an {@link RtcError}: itself when it is one, else wrapped with `code` (default
 * `INTERNAL`), so nothing untyped ever leaves a pipeline.
 */
export function asRtcError(value: unknown, code: RtcErrorCode = 'INTERNAL'): RtcError {
  return value instanceof RtcError ? value : new RtcError(code, String(value), { cause: value });
}

/** Type guard for {@link RtcError}, optionally for one code. */
export function isRtcError(value: unknown, code?: RtcErrorCode): value is RtcError {
  return value instanceof RtcError && (code === undefined || value.code === code);
}
