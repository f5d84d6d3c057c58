/**
 * The code table of rxroom, for humans: what each {@link RtcErrorCode} means, its category, and
 * the codes of the seed SDKs that mean the same thing (so users migrating from a vendor can find
 * their old code). `docs/errors.md` documents the same table; a test keeps the two in step. The
 * runtime never imports this module: pages ship the codes, not the sentences.
 */
import { RTC_ERROR_CODE_LIST, type RtcErrorCode } from './errors';
import { RTC_ERROR_VENDOR_CODES, type VendorErrorCodes } from './error-vendors';

/** What the code table says about one code. */
export interface RtcErrorCodeInfo {
  /** Where the failure comes from. */
  readonly category: 'protocol' | 'auth' | 'state' | 'connection' | 'media' | 'server';
  /** One sentence for humans. */
  readonly description: string;
  /** Codes of the seed vendor SDKs with the same meaning. */
  readonly vendors?: VendorErrorCodes;
}

const DESCRIPTIONS = {
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
  },
  TOKEN_RENEW_FAILED: {
    category: 'auth',
    description:
      "The app's `renewToken` function failed, completed without a token, gave an empty one, or did not answer within the request timeout.",
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
  },
  ALREADY_JOINED: {
    category: 'state',
    description: 'A join was requested while already joined (or joining).',
  },
  ROOM_FULL: {
    category: 'state',
    description: 'The room already has the maximum number of visible users (20 by default).',
  },
  PUBLISHER_LIMIT: {
    category: 'state',
    description:
      'The room already has the maximum number of publishers (8 by default), or the user already publishes the maximum number of streams (8).',
  },
  DUPLICATE_SESSION: {
    category: 'state',
    description:
      'The same user is already in the room and the server is configured to refuse a second session.',
  },
  USER_NOT_FOUND: {
    category: 'state',
    description: 'No visible user with that id is in the room.',
  },
  STREAM_NOT_FOUND: {
    category: 'state',
    description: 'No stream with that id is in the room.',
  },
  ALREADY_PUBLISHED: {
    category: 'state',
    description: 'A stream of that kind is already published by this session.',
  },
  NOT_PUBLISHED: {
    category: 'state',
    description: 'The stream is not published by this session.',
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
  },
  INVALID_STATE: {
    category: 'state',
    description: 'A client method was called in a state where it cannot run (e.g. publish before join).',
  },
  UNSUPPORTED: {
    category: 'state',
    description: 'The backend (driver) does not support this capability.',
  },
  // ── connection ───────────────────────────────────────────────────────
  TIMEOUT: {
    category: 'connection',
    description: 'No answer within the request timeout.',
  },
  CONNECT_FAILED: {
    category: 'connection',
    description: 'The socket could not be opened.',
  },
  CONNECTION_LOST: {
    category: 'connection',
    description: 'The socket closed while a request was in flight or the room was joined.',
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
  },
  RATE_LIMITED: {
    category: 'connection',
    description: 'Too many requests on this connection within the rate window.',
  },
  DESTROYED: {
    category: 'connection',
    description: 'The client was destroyed; pending and later calls fail with this code.',
  },
  DOMAIN_NOT_ALLOWED: {
    category: 'connection',
    description:
      "The server's domain is not in the mini program's socket domain list (errMsg `url not in domain list`): add it under Development → Development Management → Server Domains → socket domains in the WeChat console.",
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
  MEDIA_CALL_FAILED: {
    category: 'media',
    description:
      'A LivePusherContext/LivePlayerContext call failed (the reason keeps its errMsg), or there is no such context or method.',
  },
  PERMISSION_REFUSED: {
    category: 'media',
    description:
      'The user refused camera or microphone permission when asked (`wx.authorize`, the settings page): ask again from a tap with `openMediaSettings()`.',
  },
  SYSTEM_PERMISSION_DENIED: {
    category: 'media',
    description:
      'The phone does not let WeChat itself use the camera or microphone (errMsg `system permission denied`): the user allows it in the system settings for WeChat.',
  },
  LIVE_COMPONENT_NOT_ENABLED: {
    category: 'media',
    description:
      'The mini program may not use live-pusher/live-player (errMsg `no permission`): it needs an eligible category and the components enabled under Development → Development Management → API Settings in the WeChat console.',
  },
  // ── server ───────────────────────────────────────────────────────────
  INTERNAL: {
    category: 'server',
    description: 'An unexpected failure inside the server or SDK. Please report it.',
  },
} as const satisfies { readonly [C in RtcErrorCode]: Omit<RtcErrorCodeInfo, 'vendors'> };

/**
 * Every code with its meaning, category and vendor codes, in table order.
 *
 * @example
 * ```ts
 * import { RTC_ERROR_CODES } from 'rxroom'
 * console.log(RTC_ERROR_CODES.ROOM_FULL.description)
 * ```
 */
export const RTC_ERROR_CODES: { readonly [C in RtcErrorCode]: RtcErrorCodeInfo } = Object.fromEntries(
  RTC_ERROR_CODE_LIST.map((code) => {
    const vendors = RTC_ERROR_VENDOR_CODES[code];
    return [code, vendors ? { ...DESCRIPTIONS[code], vendors } : DESCRIPTIONS[code]];
  }),
) as { readonly [C in RtcErrorCode]: RtcErrorCodeInfo };
