/**
 * The code tables of `<live-pusher>` and `<live-player>`, as data. `docs/native-events.md` lists the
 * same codes; a test keeps the two in step.
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
  /** One English sentence for humans. */
  readonly meaning: string;
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
  { code: 0, meaning: 'No error.', severity: 'info' },
  { code: 1001, meaning: 'Connected to the push server.', severity: 'info' },
  { code: 1002, meaning: 'Handshake done, pushing started.', severity: 'info' },
  { code: 1003, meaning: 'Camera opened.', severity: 'info' },
  { code: 1004, meaning: 'Screen capture started.', severity: 'info' },
  { code: 1005, meaning: 'Push resolution adjusted.', severity: 'info' },
  { code: 1006, meaning: 'Push bitrate adjusted.', severity: 'info' },
  { code: 1007, meaning: 'First frame captured.', severity: 'info' },
  { code: 1008, meaning: 'Encoder started.', severity: 'info' },
  { code: 1018, meaning: 'Entered the room (TRTC room protocol).', severity: 'info' },
  { code: 1019, meaning: 'Left the room (TRTC room protocol).', severity: 'info' },
  { code: 1020, meaning: 'Remote anchor list changed (TRTC room protocol).', severity: 'info' },
  {
    code: 1021,
    meaning: 'Network type changed; the room must be entered again (TRTC room protocol).',
    severity: 'warning',
    remedy: 'reenter',
  },
  {
    code: 1022,
    meaning: 'Entering the room failed (TRTC room protocol).',
    severity: 'fatal',
    remedy: 'reenter',
    error: 'PUSH_FAILED',
  },
  { code: 1031, meaning: 'A remote anchor entered the room (TRTC room protocol).', severity: 'info' },
  { code: 1032, meaning: 'A remote anchor left the room (TRTC room protocol).', severity: 'info' },
  { code: 1033, meaning: 'A remote anchor video state changed (TRTC room protocol).', severity: 'info' },
  { code: 1034, meaning: 'A remote anchor audio state changed (TRTC room protocol).', severity: 'info' },
  { code: 1101, meaning: 'Uplink bandwidth too low for the push.', severity: 'warning' },
  {
    code: 1102,
    meaning: 'Disconnected from the push server; reconnecting automatically.',
    severity: 'warning',
  },
  { code: 1103, meaning: 'Hardware encoding failed; switched to software encoding.', severity: 'warning' },
  { code: 1104, meaning: 'Video encoding failed; the encoder restarted.', severity: 'warning' },
  {
    code: 1105,
    meaning: 'Legacy: software encoding with the new beauty filter failed.',
    severity: 'warning',
  },
  {
    code: 1106,
    meaning: 'Legacy: software encoding with the new beauty filter failed.',
    severity: 'warning',
  },
  { code: 3001, meaning: 'RTMP DNS lookup failed; retrying.', severity: 'warning' },
  { code: 3002, meaning: 'RTMP connection to the server failed; retrying.', severity: 'warning' },
  { code: 3003, meaning: 'RTMP handshake with the server failed; retrying.', severity: 'warning' },
  {
    code: 3004,
    meaning: 'The server closed the connection (invalid push URL or expired anti-leech signature).',
    severity: 'error',
    remedy: 'republish',
    error: 'PUSH_FAILED',
  },
  { code: 3005, meaning: 'RTMP read or write failed; retrying.', severity: 'warning' },
  { code: 4998, meaning: 'The enable-mic attribute was toggled (iOS only).', severity: 'info' },
  { code: 4999, meaning: 'The muted attribute was toggled (iOS only).', severity: 'info' },
  {
    code: 5000,
    meaning: 'The mini program was suspended (TRTC; not in the WeChat docs).',
    severity: 'warning',
    remedy: 'suspended',
  },
  {
    code: 5001,
    meaning: 'Interrupted by a system or WeChat call (TRTC: the floating window was closed).',
    severity: 'warning',
    remedy: 'interrupted',
  },
  {
    code: 10001,
    meaning: 'Camera permission denied.',
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  {
    code: 10002,
    meaning: 'Microphone permission denied.',
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  { code: 10003, meaning: 'Background music failed to load.', severity: 'error' },
  { code: 10004, meaning: 'The waiting image failed to load.', severity: 'error' },
  {
    code: -1301,
    meaning: 'Opening the camera failed.',
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  {
    code: -1302,
    meaning: 'Opening the microphone failed.',
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  {
    code: -1303,
    meaning: 'Video encoding failed.',
    severity: 'fatal',
    remedy: 'restart-push',
    error: 'PUSH_FAILED',
  },
  {
    code: -1304,
    meaning: 'Audio encoding failed.',
    severity: 'fatal',
    remedy: 'restart-push',
    error: 'PUSH_FAILED',
  },
  {
    code: -1305,
    meaning: 'Unsupported video resolution.',
    severity: 'fatal',
    remedy: 'reconfigure',
    error: 'PUSH_FAILED',
  },
  {
    code: -1306,
    meaning: 'Unsupported audio sample rate.',
    severity: 'fatal',
    remedy: 'reconfigure',
    error: 'PUSH_FAILED',
  },
  {
    code: -1307,
    meaning: 'Network lost and reconnect retries exhausted; the push must be restarted.',
    severity: 'fatal',
    remedy: 'restart-push',
    error: 'PUSH_FAILED',
  },
  { code: -1308, meaning: 'Screen capture was refused.', severity: 'error' },
  { code: -1309, meaning: 'Screen capture needs Android 5.0 or later.', severity: 'error' },
  { code: -1310, meaning: 'Screen capture was interrupted.', severity: 'error' },
  { code: -1311, meaning: 'The microphone opened on Android but captures no data.', severity: 'error' },
  { code: -1312, meaning: 'Screen capture failed to rotate.', severity: 'error' },
  {
    code: -3301,
    meaning: 'Entering the room failed (TRTC; not in the WeChat docs).',
    severity: 'fatal',
    remedy: 'reenter',
    error: 'PUSH_FAILED',
  },
  {
    code: -100018,
    meaning: 'The room signature (userSig) is invalid (TRTC; not in the WeChat docs).',
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
    meaning: 'Camera permission denied.',
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  {
    code: 10002,
    meaning: 'Microphone permission denied.',
    severity: 'fatal',
    remedy: 'permission',
    error: 'MEDIA_PERMISSION_DENIED',
  },
  { code: 10003, meaning: 'Background music failed to load.', severity: 'error' },
  { code: 10004, meaning: 'The waiting image failed to load.', severity: 'error' },
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
  { code: 2001, meaning: 'Connected to the server.', severity: 'info' },
  { code: 2002, meaning: 'RTMP connected; pulling started.', severity: 'info' },
  { code: 2003, meaning: 'First video packet (IDR) received.', severity: 'info' },
  { code: 2004, meaning: 'Playback started.', severity: 'info' },
  { code: 2005, meaning: 'Playback progress.', severity: 'info' },
  { code: 2006, meaning: 'Playback ended.', severity: 'info' },
  { code: 2007, meaning: 'Loading.', severity: 'info' },
  { code: 2008, meaning: 'Decoder started.', severity: 'info' },
  { code: 2009, meaning: 'Video resolution changed.', severity: 'info' },
  { code: 2030, meaning: 'Audio device changed (e.g. headset unplugged).', severity: 'info' },
  { code: 2032, meaning: 'First video frame rendered.', severity: 'info' },
  { code: 2101, meaning: 'Decoding a video frame failed.', severity: 'warning' },
  { code: 2102, meaning: 'Decoding an audio frame failed.', severity: 'warning' },
  { code: 2103, meaning: 'Disconnected; reconnecting automatically.', severity: 'warning' },
  { code: 2104, meaning: 'Inbound packets are unstable.', severity: 'warning' },
  { code: 2105, meaning: 'Playback stutters.', severity: 'warning' },
  { code: 2106, meaning: 'Hardware decoding failed; switched to software decoding.', severity: 'warning' },
  { code: 2107, meaning: 'Video frames are discontinuous.', severity: 'warning' },
  {
    code: 2108,
    meaning: 'Hardware decoding of the first I-frame failed; switched to software decoding.',
    severity: 'warning',
  },
  { code: 3001, meaning: 'RTMP DNS lookup failed; retrying.', severity: 'warning' },
  { code: 3002, meaning: 'RTMP connection to the server failed; retrying.', severity: 'warning' },
  { code: 3003, meaning: 'RTMP handshake with the server failed; retrying.', severity: 'warning' },
  { code: 3005, meaning: 'RTMP read or write failed; retrying.', severity: 'warning' },
  {
    code: -2301,
    meaning: 'Disconnected and reconnect retries exhausted; playback must be restarted.',
    severity: 'fatal',
    remedy: 'restart-play',
    error: 'PLAY_FAILED',
  },
  {
    code: -2302,
    meaning: 'Getting the play URL failed.',
    severity: 'fatal',
    remedy: 'resubscribe',
    error: 'PLAY_FAILED',
  },
  { code: 6002, meaning: 'TRTC player warning 6002 (meaning undocumented).', severity: 'warning' },
  { code: 6003, meaning: 'TRTC player warning 6003 (meaning undocumented).', severity: 'warning' },
  { code: 6004, meaning: 'TRTC player warning 6004 (meaning undocumented).', severity: 'warning' },
  { code: 6005, meaning: 'TRTC player warning 6005 (meaning undocumented).', severity: 'warning' },
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
