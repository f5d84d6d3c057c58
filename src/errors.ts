/**
 * rxroom's error codes and the error type. Every failure anywhere in the SDK or the reference
 * server is an {@link RtcError} whose `code` is one of {@link RTC_ERROR_CODE_LIST}. What each code
 * means (one sentence, a category, the vendor codes with the same meaning) is in
 * `src/error-codes.ts` (`RTC_ERROR_CODES`), which the runtime never imports, so a page does not
 * ship those sentences; `docs/errors.md` documents the same table and a test keeps the two in step.
 */

const LIST = [
  // ── frames and protocol ──────────────────────────────────────────────
  'MALFORMED_JSON',
  'INVALID_FRAME',
  'UNKNOWN_TYPE',
  'UNSUPPORTED_VERSION',
  'FRAME_TOO_LARGE',
  // ── tokens and privileges ────────────────────────────────────────────
  'TOKEN_MISSING',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_YET_VALID',
  'TOKEN_MISMATCH',
  'TOKEN_RENEW_FAILED',
  'NOT_ALLOWED',
  // ── room state ───────────────────────────────────────────────────────
  'NOT_JOINED',
  'ALREADY_JOINED',
  'ROOM_FULL',
  'PUBLISHER_LIMIT',
  'DUPLICATE_SESSION',
  'USER_NOT_FOUND',
  'STREAM_NOT_FOUND',
  'ALREADY_PUBLISHED',
  'NOT_PUBLISHED',
  'NOT_SUBSCRIBED',
  'SESSION_NOT_FOUND',
  'INVALID_ARGUMENT',
  'INVALID_STATE',
  'UNSUPPORTED',
  // ── connection ───────────────────────────────────────────────────────
  'TIMEOUT',
  'CONNECT_FAILED',
  'CONNECTION_LOST',
  'HEARTBEAT_TIMEOUT',
  'RECONNECT_FAILED',
  'KICKED',
  'RATE_LIMITED',
  'DESTROYED',
  'DOMAIN_NOT_ALLOWED',
  // ── media (native components) ────────────────────────────────────────
  'MEDIA_PERMISSION_DENIED',
  'PUSH_FAILED',
  'PLAY_FAILED',
  'MEDIA_CALL_FAILED',
  'PERMISSION_REFUSED',
  'SYSTEM_PERMISSION_DENIED',
  'LIVE_COMPONENT_NOT_ENABLED',
  // ── server ───────────────────────────────────────────────────────────
  'INTERNAL',
] as const;

/** Every documented error code. */
export type RtcErrorCode = (typeof LIST)[number];

/** The list of every documented error code, in table order. */
export const RTC_ERROR_CODE_LIST: readonly RtcErrorCode[] = LIST;

const CODES: ReadonlySet<string> = new Set(LIST);

/** Returns true when `code` is a documented {@link RtcErrorCode}. */
export function isRtcErrorCode(code: unknown): code is RtcErrorCode {
  return typeof code === 'string' && CODES.has(code);
}

/** The plain, JSON-safe shape of an error, as it travels in frames. */
export interface RtcErrorShape {
  readonly code: RtcErrorCode;
  readonly reason: string;
}

/**
 * The error type of rxroom. Every failure is one of these, with a documented `code`
 * (see {@link RTC_ERROR_CODE_LIST}; their meanings are `RTC_ERROR_CODES`) and a human `reason`.
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
