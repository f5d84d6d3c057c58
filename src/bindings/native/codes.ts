/**
 * The code tables of `<live-pusher>` and `<live-player>`, as data: what the runtime needs of each
 * code. What each code means, in English, is in `./code-meanings.ts`, which the runtime never
 * imports (pages ship the codes, not the sentences). `docs/native-events.md` lists the same codes
 * and meanings; a test keeps the three in step.
 *
 * The WeChat docs give only meanings. Severity, remedy and error are rxroom's reading of them:
 * - `info`: normal progress, nothing to do.
 * - `warning`: degraded, and the native component is recovering by itself.
 * - `error`: something failed that the component will not retry; the room may go on without it.
 * - `fatal`: the component has stopped for good; only the `remedy` brings it back.
 */
import type { RtcErrorCode } from '../../errors';

/**
 * How bad a native code is (see the module comment for the scale).
 *
 * @example
 * ```ts
 * const severity: NativeSeverity = pusherStateInfo(1102)?.severity ?? 'info' // 'warning'
 * ```
 */
export type NativeSeverity = 'info' | 'warning' | 'error' | 'fatal';

/**
 * What the app (or rxroom) should do about a code, when something can be done.
 * - `restart-push`: stop and start the pusher again; its own retries are exhausted.
 * - `republish`: fetch a fresh push URL (the old one expired or was refused), then push again.
 * - `restart-play`: stop and play the player again; its own retries are exhausted.
 * - `resubscribe`: fetch a fresh play URL, then play again.
 * - `reenter`: leave and enter the TRTC room again.
 * - `renew-token`: the credentials in the URL were refused; get new ones before re-entering.
 * - `permission`: ask the user for camera/microphone permission (`wx.openSetting`).
 * - `reconfigure`: the pusher attributes ask for something the device cannot do; change them.
 * - `suspended`: the mini program was suspended; expect a gap, resync on the next app show.
 * - `interrupted`: a system or WeChat call (or the floating window) took the media; resync after it.
 *
 * @example
 * ```ts
 * const remedy: NativeRemedy | undefined = playerStateInfo(-2301)?.remedy // 'restart-play'
 * ```
 */
export type NativeRemedy =
  | 'restart-push'
  | 'republish'
  | 'restart-play'
  | 'resubscribe'
  | 'reenter'
  | 'renew-token'
  | 'permission'
  | 'reconfigure'
  | 'suspended'
  | 'interrupted';

/**
 * One entry of a code table.
 *
 * @example
 * ```ts
 * const info: NativeCodeInfo = pusherStateInfo(-1307)!
 * if (info.remedy === 'restart-push') pusherContext.stop({ complete: () => pusherContext.start() })
 * ```
 */
export interface NativeCodeInfo {
  /** The code as the component reports it. */
  readonly code: number;
  /** How bad it is. */
  readonly severity: NativeSeverity;
  /** What to do about it, when anything can be done. */
  readonly remedy?: NativeRemedy;
  /** The {@link RtcErrorCode} a binding reports for it, when it is a failure of the room. */
  readonly error?: RtcErrorCode;
}

/**
 * `<live-pusher bindstatechange>` codes: the WeChat table, the legacy 1105/1106, and the codes TRTC
 * rooms emit that WeChat does not document (5000, −3301, −100018).
 *
 * @example
 * ```ts
 * const fatal = PUSHER_STATE_CODES.filter((c) => c.severity === 'fatal').map((c) => c.code)
 * ```
 */
export const PUSHER_STATE_CODES = [
  { code: 0, severity: 'info' },
  { code: 1001, severity: 'info' },
  { code: 1002, severity: 'info' },
  { code: 1003, severity: 'info' },
  { code: 1004, severity: 'info' },
  { code: 1005, severity: 'info' },
  { code: 1006, severity: 'info' },
  { code: 1007, severity: 'info' },
  { code: 1008, severity: 'info' },
  { code: 1018, severity: 'info' },
  { code: 1019, severity: 'info' },
  { code: 1020, severity: 'info' },
  {
    code: 1021,
    severity: 'warning',
    remedy: 'reenter',
  },
  {
    code: 1022,
    severity: 'fatal',
    remedy: 'reenter',
    error: 'PUSH_FAILED',
  },
  { code: 1031, severity: 'info' },
  { code: 1032, severity: 'info' },
  { code: 1033, severity: 'info' },
  { code: 1034, severity: 'info' },
  { code: 1101, severity: 'warning' },
  {
    code: 1102,
    severity: 'warning',
  },
  { code: 1103, severity: 'warning' },
  { code: 1104, severity: 'warning' },
  {
    code: 1105,
    severity: 'warning',
  },
  {
    code: 1106,
    severity: 'warning',
  },
  { code: 3001, severity: 'warning' },
  { code: 3002, severity: 'warning' },
  { code: 3003, severity: 'warning' },
  {
    code: 3004,
    severity: 'error',
    remedy: 'republish',
    error: 'PUSH_FAILED',
  },
  { code: 3005, severity: 'warning' },
  { code: 4998, severity: 'info' },
  { code: 4999, severity: 'info' },
  {
    code: 5000,
    severity: 'warning',
    remedy: 'suspended',
  },
  {
    code: 5001,
    severity: 'warning',
    remedy: 'interrupted',
  },
  {
    code: 10001,
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  {
    code: 10002,
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  { code: 10003, severity: 'error' },
  { code: 10004, severity: 'error' },
  {
    code: -1301,
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  {
    code: -1302,
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  {
    code: -1303,
    severity: 'fatal',
    remedy: 'restart-push',
    error: 'PUSH_FAILED',
  },
  {
    code: -1304,
    severity: 'fatal',
    remedy: 'restart-push',
    error: 'PUSH_FAILED',
  },
  {
    code: -1305,
    severity: 'fatal',
    remedy: 'reconfigure',
    error: 'PUSH_FAILED',
  },
  {
    code: -1306,
    severity: 'fatal',
    remedy: 'reconfigure',
    error: 'PUSH_FAILED',
  },
  {
    code: -1307,
    severity: 'fatal',
    remedy: 'restart-push',
    error: 'PUSH_FAILED',
  },
  { code: -1308, severity: 'error' },
  { code: -1309, severity: 'error' },
  { code: -1310, severity: 'error' },
  { code: -1311, severity: 'error' },
  { code: -1312, severity: 'error' },
  {
    code: -3301,
    severity: 'fatal',
    remedy: 'reenter',
    error: 'PUSH_FAILED',
  },
  {
    code: -100018,
    severity: 'fatal',
    remedy: 'renew-token',
    error: 'TOKEN_INVALID',
  },
] as const satisfies readonly NativeCodeInfo[];

/**
 * `<live-pusher binderror>` `errCode`s.
 *
 * @example
 * ```ts
 * PUSHER_ERROR_CODES.map((c) => c.code) // [10001, 10002, 10003, 10004]
 * ```
 */
export const PUSHER_ERROR_CODES = [
  {
    code: 10001,
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  {
    code: 10002,
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  { code: 10003, severity: 'error' },
  { code: 10004, severity: 'error' },
] as const satisfies readonly NativeCodeInfo[];

/**
 * `<live-player bindstatechange>` codes: the WeChat table plus the 6002–6005 warnings TRTC rooms emit.
 *
 * @example
 * ```ts
 * PLAYER_STATE_CODES.find((c) => c.code === -2301)?.remedy // 'restart-play'
 * ```
 */
export const PLAYER_STATE_CODES = [
  { code: 2001, severity: 'info' },
  { code: 2002, severity: 'info' },
  { code: 2003, severity: 'info' },
  { code: 2004, severity: 'info' },
  { code: 2005, severity: 'info' },
  { code: 2006, severity: 'info' },
  { code: 2007, severity: 'info' },
  { code: 2008, severity: 'info' },
  { code: 2009, severity: 'info' },
  { code: 2030, severity: 'info' },
  { code: 2032, severity: 'info' },
  { code: 2101, severity: 'warning' },
  { code: 2102, severity: 'warning' },
  { code: 2103, severity: 'warning' },
  { code: 2104, severity: 'warning' },
  { code: 2105, severity: 'warning' },
  { code: 2106, severity: 'warning' },
  { code: 2107, severity: 'warning' },
  {
    code: 2108,
    severity: 'warning',
  },
  { code: 3001, severity: 'warning' },
  { code: 3002, severity: 'warning' },
  { code: 3003, severity: 'warning' },
  { code: 3005, severity: 'warning' },
  {
    code: -2301,
    severity: 'fatal',
    remedy: 'restart-play',
    error: 'PLAY_FAILED',
  },
  {
    code: -2302,
    severity: 'fatal',
    remedy: 'resubscribe',
    error: 'PLAY_FAILED',
  },
  { code: 6002, severity: 'warning' },
  { code: 6003, severity: 'warning' },
  { code: 6004, severity: 'warning' },
  { code: 6005, severity: 'warning' },
] as const satisfies readonly NativeCodeInfo[];

/**
 * A code of {@link PUSHER_STATE_CODES}.
 *
 * @example
 * ```ts
 * const code: PusherStateCode = -1307
 * ```
 */
export type PusherStateCode = (typeof PUSHER_STATE_CODES)[number]['code'];
/**
 * A code of {@link PUSHER_ERROR_CODES}.
 *
 * @example
 * ```ts
 * const code: PusherErrorCode = 10001
 * ```
 */
export type PusherErrorCode = (typeof PUSHER_ERROR_CODES)[number]['code'];
/**
 * A code of {@link PLAYER_STATE_CODES}.
 *
 * @example
 * ```ts
 * const code: PlayerStateCode = 2103
 * ```
 */
export type PlayerStateCode = (typeof PLAYER_STATE_CODES)[number]['code'];

/**
 * The TRTC room codes whose `detail.message` is a JSON user list (`{"userlist":[…]}`); they decode
 * to `pusher-room` events instead of `pusher-state`.
 *
 * @example
 * ```ts
 * PUSHER_ROOM_CODES.includes(1033) // true
 * ```
 */
export const PUSHER_ROOM_CODES = [1020, 1031, 1032, 1033, 1034] as const;

/**
 * A code of {@link PUSHER_ROOM_CODES}.
 *
 * @example
 * ```ts
 * const code: PusherRoomCode = 1033
 * ```
 */
export type PusherRoomCode = (typeof PUSHER_ROOM_CODES)[number];

function indexByCode<C extends number>(
  table: readonly NativeCodeInfo[],
): ReadonlyMap<number, NativeCodeInfo & { readonly code: C }> {
  return new Map(table.map((entry) => [entry.code, entry as NativeCodeInfo & { readonly code: C }]));
}

const pusherStateByCode = indexByCode<PusherStateCode>(PUSHER_STATE_CODES);
const pusherErrorByCode = indexByCode<PusherErrorCode>(PUSHER_ERROR_CODES);
const playerStateByCode = indexByCode<PlayerStateCode>(PLAYER_STATE_CODES);

/**
 * The table entry of a `<live-pusher bindstatechange>` code, or `undefined` for a code not in it.
 *
 * @example
 * ```ts
 * pusherStateInfo(1102)?.severity // 'warning'
 * ```
 */
export function pusherStateInfo(
  code: number,
): (NativeCodeInfo & { readonly code: PusherStateCode }) | undefined {
  return pusherStateByCode.get(code);
}

/**
 * The table entry of a `<live-pusher binderror>` `errCode`, or `undefined` for a code not in it.
 *
 * @example
 * ```ts
 * pusherErrorInfo(10002)?.remedy // 'permission'
 * ```
 */
export function pusherErrorInfo(
  code: number,
): (NativeCodeInfo & { readonly code: PusherErrorCode }) | undefined {
  return pusherErrorByCode.get(code);
}

/**
 * The table entry of a `<live-player bindstatechange>` code, or `undefined` for a code not in it.
 *
 * @example
 * ```ts
 * playerStateInfo(-2301)?.error // 'PLAY_FAILED'
 * ```
 */
export function playerStateInfo(
  code: number,
): (NativeCodeInfo & { readonly code: PlayerStateCode }) | undefined {
  return playerStateByCode.get(code);
}

/**
 * True when `code` is one of the TRTC room codes that carry a JSON user list.
 *
 * @example
 * ```ts
 * isPusherRoomCode(1031) // true
 * ```
 */
export function isPusherRoomCode(code: number): code is PusherRoomCode {
  return (PUSHER_ROOM_CODES as readonly number[]).includes(code);
}
