/**
 * Decoders from `<live-pusher>` / `<live-player>` events to one typed {@link NativeEvent} union.
 *
 * Each decoder takes the whole WeChat event object as `unknown` and never throws: a detail that cannot
 * be read becomes a `malformed` event, a code missing from the tables an `unknown-code` event
 * (ARCHITECTURE.md decision 8). They read nothing but their argument.
 */
import {
  isPusherRoomCode,
  playerStateInfo,
  pusherErrorInfo,
  pusherStateInfo,
  type NativeCodeInfo,
  type NativeRemedy,
  type NativeSeverity,
  type PlayerStateCode,
  type PusherErrorCode,
  type PusherRoomCode,
  type PusherStateCode,
} from './codes';
import {
  sanitizePlayerNetInfo,
  sanitizePusherNetInfo,
  type PlayerNetInfo,
  type PusherNetInfo,
} from './net-info';
import type { RtcErrorCode } from '../../errors';

/**
 * Which component an event came from.
 *
 * @example
 * ```ts
 * const source: NativeSource = 'player'
 * ```
 */
export type NativeSource = 'pusher' | 'player';

/**
 * The WXML binding an event came through (`bind<name>`).
 *
 * @example
 * ```ts
 * const binding: NativeBinding = 'netstatus' // from bindnetstatus
 * ```
 */
export type NativeBinding =
  | 'statechange'
  | 'netstatus'
  | 'audiovolumenotify'
  | 'error'
  | 'bgmstart'
  | 'bgmprogress'
  | 'bgmcomplete'
  | 'fullscreenchange'
  | 'enterpictureinpicture'
  | 'leavepictureinpicture';

/**
 * What every event decoded from a code table carries. The English sentence for the code is not
 * carried (pages would ship every sentence): `nativeCodeMeaning` (./code-meanings.ts) looks it up.
 */
interface CodedEventFields {
  /** How bad it is. */
  readonly severity: NativeSeverity;
  /** What to do about it, when anything can be done. */
  readonly remedy?: NativeRemedy;
  /** The error code a binding reports for it, when it is a failure of the room. */
  readonly error?: RtcErrorCode;
}

/**
 * `<live-pusher bindstatechange>` with a code from the table (except the room user-list codes).
 *
 * @example
 * ```ts
 * const e: PusherStateEvent = { type: 'pusher-state', code: 1102, severity: 'warning' }
 * ```
 */
export interface PusherStateEvent extends CodedEventFields {
  readonly type: 'pusher-state';
  readonly code: Exclude<PusherStateCode, PusherRoomCode>;
  /** `detail.message`, when the component sent a string. */
  readonly message?: string;
}

/**
 * One user of a TRTC room user list (`detail.message` of codes 1020 and 1031–1034).
 *
 * @example
 * ```ts
 * const user: RoomUser = { userId: 'alice', playUrl: 'room://…', streamType: 'main', hasVideo: true }
 * ```
 */
export interface RoomUser {
  readonly userId: string;
  /** The play URL to give a `<live-player>` (1033/1034). */
  readonly playUrl?: string;
  /** `main` or `aux` (screen share) on 1033. */
  readonly streamType?: string;
  /** Video state bit on 1033. */
  readonly hasVideo?: boolean;
  /** Audio state bit on 1034. */
  readonly hasAudio?: boolean;
}

/**
 * `<live-pusher bindstatechange>` with a TRTC room code whose message is a user list.
 *
 * @example
 * ```ts
 * const e: PusherRoomEvent = { type: 'pusher-room', code: 1031, severity: 'info', users: [{ userId: 'bob' }] }
 * ```
 */
export interface PusherRoomEvent extends CodedEventFields {
  readonly type: 'pusher-room';
  readonly code: PusherRoomCode;
  /** The valid entries of the user list; entries without a user id are left out. */
  readonly users: readonly RoomUser[];
}

/**
 * `<live-pusher bindnetstatus>`.
 *
 * @example
 * ```ts
 * const e: PusherNetEvent = { type: 'pusher-net', info: { videoFPS: 15 } }
 * ```
 */
export interface PusherNetEvent {
  readonly type: 'pusher-net';
  readonly info: PusherNetInfo;
}

/**
 * `<live-pusher bindaudiovolumenotify>`: microphone volume (range undocumented, 0–100 in practice).
 *
 * @example
 * ```ts
 * const e: PusherVolumeEvent = { type: 'pusher-volume', volume: 42 }
 * ```
 */
export interface PusherVolumeEvent {
  readonly type: 'pusher-volume';
  readonly volume: number;
}

/**
 * `<live-pusher binderror>` with an `errCode` from the table.
 *
 * @example
 * ```ts
 * const e: PusherErrorEvent = { type: 'pusher-error', errCode: 10003, errMsg: '', severity: 'error' }
 * ```
 */
export interface PusherErrorEvent extends CodedEventFields {
  readonly type: 'pusher-error';
  readonly errCode: PusherErrorCode;
  /** `detail.errMsg`, or `''` when absent. */
  readonly errMsg: string;
}

/**
 * `<live-pusher bindbgmstart>`.
 *
 * @example
 * ```ts
 * const e: PusherBgmStartEvent = { type: 'pusher-bgm-start' }
 * ```
 */
export interface PusherBgmStartEvent {
  readonly type: 'pusher-bgm-start';
}

/**
 * `<live-pusher bindbgmprogress>`.
 *
 * @example
 * ```ts
 * const e: PusherBgmProgressEvent = { type: 'pusher-bgm-progress', progress: 12, duration: 180 }
 * ```
 */
export interface PusherBgmProgressEvent {
  readonly type: 'pusher-bgm-progress';
  readonly progress: number;
  readonly duration: number;
}

/**
 * `<live-pusher bindbgmcomplete>`.
 *
 * @example
 * ```ts
 * const e: PusherBgmCompleteEvent = { type: 'pusher-bgm-complete' }
 * ```
 */
export interface PusherBgmCompleteEvent {
  readonly type: 'pusher-bgm-complete';
}

/**
 * `<live-player bindstatechange>` with a code from the table.
 *
 * @example
 * ```ts
 * const e: PlayerStateEvent = { type: 'player-state', streamId: 'bob:main', code: 2004, severity: 'info' }
 * ```
 */
export interface PlayerStateEvent extends CodedEventFields {
  readonly type: 'player-state';
  /** The stream, from the element's dataset or id (see {@link streamIdOf}). */
  readonly streamId: string;
  readonly code: PlayerStateCode;
  /** `detail.message`, when the component sent a string. */
  readonly message?: string;
}

/**
 * `<live-player bindnetstatus>`.
 *
 * @example
 * ```ts
 * const e: PlayerNetEvent = { type: 'player-net', streamId: 'bob:main', info: { vSumCacheSize: 3 } }
 * ```
 */
export interface PlayerNetEvent {
  readonly type: 'player-net';
  readonly streamId: string;
  readonly info: PlayerNetInfo;
}

/**
 * `<live-player bindaudiovolumenotify>`: the stream's volume (range undocumented).
 *
 * @example
 * ```ts
 * const e: PlayerVolumeEvent = { type: 'player-volume', streamId: 'bob:main', volume: 7 }
 * ```
 */
export interface PlayerVolumeEvent {
  readonly type: 'player-volume';
  readonly streamId: string;
  readonly volume: number;
}

/**
 * `<live-player bindfullscreenchange>`.
 *
 * @example
 * ```ts
 * const e: PlayerFullscreenEvent = { type: 'player-fullscreen', streamId: 'bob:main', fullScreen: true }
 * ```
 */
export interface PlayerFullscreenEvent {
  readonly type: 'player-fullscreen';
  readonly streamId: string;
  readonly fullScreen: boolean;
  /** Present when the component sent one of the two documented values. */
  readonly direction?: 'vertical' | 'horizontal';
}

/**
 * A state or error code that is in none of the tables.
 *
 * @example
 * ```ts
 * const e: UnknownCodeEvent = { type: 'unknown-code', source: 'pusher', binding: 'statechange', code: 1234 }
 * ```
 */
export interface UnknownCodeEvent {
  readonly type: 'unknown-code';
  readonly source: NativeSource;
  readonly binding: 'statechange' | 'error';
  readonly code: number;
  /** `detail.message` (or `errMsg` for `binderror`), when a string. */
  readonly message?: string;
  /** The player's stream, when the source is a player. */
  readonly streamId?: string;
}

/**
 * An event whose detail could not be read (missing code, volume not a number, bad user list …).
 *
 * @example
 * ```ts
 * const e: MalformedNativeEvent = { type: 'malformed', source: 'player', binding: 'audiovolumenotify', reason: 'detail.volume is not a finite number' }
 * ```
 */
export interface MalformedNativeEvent {
  readonly type: 'malformed';
  readonly source: NativeSource;
  readonly binding: NativeBinding;
  /** What was wrong, for logs. */
  readonly reason: string;
  /** The code, when it could be read. */
  readonly code?: number;
  /** The player's stream, when it could be read. */
  readonly streamId?: string;
}

/**
 * `<live-pusher bindenterpictureinpicture>` / `bindleavepictureinpicture` (base library 2.25.0).
 *
 * @example
 * ```ts
 * const e: PusherPictureInPictureEvent = { type: 'pusher-picture-in-picture', active: true }
 * ```
 */
export interface PusherPictureInPictureEvent {
  readonly type: 'pusher-picture-in-picture';
  /** True on enter, false on leave. */
  readonly active: boolean;
}

/**
 * `<live-player bindenterpictureinpicture>` / `bindleavepictureinpicture` (base library 2.11.0).
 *
 * @example
 * ```ts
 * const e: PlayerPictureInPictureEvent = { type: 'player-picture-in-picture', streamId: 'bob:main', active: false }
 * ```
 */
export interface PlayerPictureInPictureEvent {
  readonly type: 'player-picture-in-picture';
  readonly streamId: string;
  readonly active: boolean;
}

/**
 * Everything the pusher and player bindings can report. Narrow it on `type`.
 *
 * @example
 * ```ts
 * function onEvent(e: NativeEvent) {
 *   if (e.type === 'player-state' && e.remedy === 'restart-play') restart(e.streamId)
 * }
 * ```
 */
export type NativeEvent =
  | PusherStateEvent
  | PusherRoomEvent
  | PusherNetEvent
  | PusherVolumeEvent
  | PusherErrorEvent
  | PusherBgmStartEvent
  | PusherBgmProgressEvent
  | PusherBgmCompleteEvent
  | PlayerStateEvent
  | PlayerNetEvent
  | PlayerVolumeEvent
  | PlayerFullscreenEvent
  | PusherPictureInPictureEvent
  | PlayerPictureInPictureEvent
  | UnknownCodeEvent
  | MalformedNativeEvent;

/**
 * The `type` tag of a {@link NativeEvent}.
 *
 * @example
 * ```ts
 * const type: NativeEventType = decodePusherAudioVolume({ detail: { volume: 3 } }).type // 'pusher-volume'
 * ```
 */
export type NativeEventType = NativeEvent['type'];

/**
 * Every {@link NativeEventType}, for filters and exhaustive tests.
 *
 * @example
 * ```ts
 * NATIVE_EVENT_TYPES.includes(event.type) // always true for a decoded event
 * ```
 */
export const NATIVE_EVENT_TYPES = [
  'pusher-state',
  'pusher-room',
  'pusher-net',
  'pusher-volume',
  'pusher-error',
  'pusher-bgm-start',
  'pusher-bgm-progress',
  'pusher-bgm-complete',
  'player-state',
  'player-net',
  'player-volume',
  'player-fullscreen',
  'unknown-code',
  'malformed',
] as const satisfies readonly NativeEventType[];

// ── reading unknown values ────────────────────────────────────────────────

function field(value: unknown, key: string): unknown {
  return (typeof value === 'object' && value !== null) || typeof value === 'function'
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function detailOf(event: unknown): unknown {
  return field(event, 'detail');
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Codes arrive as numbers; a numeric string is accepted too because some wrappers re-emit them so. */
function readCode(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  // A WXML dataset keeps the bound value's type, so `data-stream-id="{{1}}"` gives a number.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Booleans as the TRTC messages send them; 0/1 are accepted because older builds sent numbers. */
function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  return undefined;
}

function codedFields(info: NativeCodeInfo): CodedEventFields {
  return {
    severity: info.severity,
    ...(info.remedy !== undefined && { remedy: info.remedy }),
    ...(info.error !== undefined && { error: info.error }),
  };
}

function malformed(
  source: NativeSource,
  binding: NativeBinding,
  reason: string,
  extra: { code?: number | undefined; streamId?: string | undefined } = {},
): MalformedNativeEvent {
  return {
    type: 'malformed',
    source,
    binding,
    reason,
    ...(extra.code !== undefined && { code: extra.code }),
    ...(extra.streamId !== undefined && { streamId: extra.streamId }),
  };
}

/** The last line of defence for "never throws": getters and proxies can throw on any read. */
function guarded(source: NativeSource, binding: NativeBinding, decode: () => NativeEvent): NativeEvent {
  try {
    return decode();
  } catch {
    return malformed(source, binding, 'reading the event threw');
  }
}

/**
 * The stream a `<live-player>` event belongs to: `currentTarget.dataset.streamId`
 * (`data-stream-id`), then `currentTarget.dataset.streamid` (`data-streamid`), then
 * `currentTarget.id`, then `target.id`. Empty strings are skipped; numbers become strings.
 * Returns `undefined` when none is set. Never throws.
 *
 * @example
 * ```ts
 * // <live-player id="{{s.id}}" data-stream-id="{{s.id}}" bindstatechange="onPlayerState" />
 * onPlayerState(e: unknown) {
 *   const id = streamIdOf(e) // 'alice:main'
 * }
 * ```
 */
export function streamIdOf(event: unknown): string | undefined {
  try {
    const current = field(event, 'currentTarget');
    const dataset = field(current, 'dataset');
    return (
      nonEmptyString(field(dataset, 'streamId')) ??
      nonEmptyString(field(dataset, 'streamid')) ??
      nonEmptyString(field(current, 'id')) ??
      nonEmptyString(field(field(event, 'target'), 'id'))
    );
  } catch {
    return undefined;
  }
}

function readRoomUser(entry: unknown): RoomUser | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const userId = nonEmptyString(field(entry, 'userid') ?? field(entry, 'userId'));
  if (userId === undefined) return undefined;
  const playUrl = field(entry, 'playurl') ?? field(entry, 'playUrl');
  const streamType = field(entry, 'streamtype') ?? field(entry, 'streamType');
  const hasVideo = flag(field(entry, 'hasvideo') ?? field(entry, 'hasVideo'));
  const hasAudio = flag(field(entry, 'hasaudio') ?? field(entry, 'hasAudio'));
  return {
    userId,
    ...(typeof playUrl === 'string' && playUrl !== '' && { playUrl }),
    ...(typeof streamType === 'string' && streamType !== '' && { streamType }),
    ...(hasVideo !== undefined && { hasVideo }),
    ...(hasAudio !== undefined && { hasAudio }),
  };
}

/** Parses the JSON user list of a room code; a string reason when it is not one. */
function readUserList(message: unknown): readonly RoomUser[] | string {
  if (typeof message !== 'string') return 'room message is not a string';
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return 'room message is not valid JSON';
  }
  const list = field(parsed, 'userlist') ?? field(parsed, 'userList');
  if (!Array.isArray(list)) return 'room message has no userlist array';
  const users: RoomUser[] = [];
  for (const entry of list) {
    const user = readRoomUser(entry);
    if (user) users.push(user);
  }
  return users;
}

function optionalMessage(value: unknown): { message?: string } {
  return typeof value === 'string' ? { message: value } : {};
}

// ── pusher ────────────────────────────────────────────────────────────────

/**
 * Decodes `<live-pusher bindstatechange>`: a `pusher-state` event, a `pusher-room` event for the TRTC
 * user-list codes (1020, 1031–1034), `unknown-code`, or `malformed`.
 *
 * @example
 * ```ts
 * Page({ onPusherState: (e: unknown) => events.next(decodePusherStateChange(e)) })
 * decodePusherStateChange({ detail: { code: -1307, message: 'lost' } })
 * // { type: 'pusher-state', code: -1307, severity: 'fatal', remedy: 'restart-push', … }
 * ```
 */
export function decodePusherStateChange(event: unknown): NativeEvent {
  return guarded('pusher', 'statechange', () => {
    const detail = detailOf(event);
    const code = readCode(field(detail, 'code'));
    if (code === undefined) return malformed('pusher', 'statechange', 'detail.code is not an integer');
    const message = field(detail, 'message');
    const info = pusherStateInfo(code);
    if (info === undefined) {
      return {
        type: 'unknown-code',
        source: 'pusher',
        binding: 'statechange',
        code,
        ...optionalMessage(message),
      };
    }
    if (isPusherRoomCode(code)) {
      const users = readUserList(message);
      if (typeof users === 'string') return malformed('pusher', 'statechange', users, { code });
      return { type: 'pusher-room', code, ...codedFields(info), users };
    }
    return {
      type: 'pusher-state',
      code: code as Exclude<PusherStateCode, PusherRoomCode>,
      ...codedFields(info),
      ...optionalMessage(message),
    };
  });
}

/**
 * Decodes `<live-pusher bindnetstatus>` into a `pusher-net` event with only the known numeric fields.
 *
 * @example
 * ```ts
 * decodePusherNetStatus({ detail: { info: { videoFPS: 15, junk: 'x' } } })
 * // { type: 'pusher-net', info: { videoFPS: 15 } }
 * ```
 */
export function decodePusherNetStatus(event: unknown): NativeEvent {
  return guarded('pusher', 'netstatus', () => {
    const info = field(detailOf(event), 'info');
    if (typeof info !== 'object' || info === null) {
      return malformed('pusher', 'netstatus', 'detail.info is not an object');
    }
    return { type: 'pusher-net', info: sanitizePusherNetInfo(info) };
  });
}

/**
 * Decodes `<live-pusher bindaudiovolumenotify>` into a `pusher-volume` event.
 *
 * @example
 * ```ts
 * decodePusherAudioVolume({ detail: { volume: 42 } }) // { type: 'pusher-volume', volume: 42 }
 * ```
 */
export function decodePusherAudioVolume(event: unknown): NativeEvent {
  return guarded('pusher', 'audiovolumenotify', () => {
    const volume = finiteNumber(field(detailOf(event), 'volume'));
    if (volume === undefined) {
      return malformed('pusher', 'audiovolumenotify', 'detail.volume is not a finite number');
    }
    return { type: 'pusher-volume', volume };
  });
}

/**
 * Decodes `<live-pusher binderror>` into a `pusher-error` event (or `unknown-code` / `malformed`).
 *
 * @example
 * ```ts
 * decodePusherError({ detail: { errCode: 10001, errMsg: 'camera denied' } })
 * // { type: 'pusher-error', errCode: 10001, remedy: 'permission', error: 'MEDIA_PERMISSION_DENIED', … }
 * ```
 */
export function decodePusherError(event: unknown): NativeEvent {
  return guarded('pusher', 'error', () => {
    const detail = detailOf(event);
    const code = readCode(field(detail, 'errCode'));
    if (code === undefined) return malformed('pusher', 'error', 'detail.errCode is not an integer');
    const errMsg = field(detail, 'errMsg');
    const info = pusherErrorInfo(code);
    if (info === undefined) {
      return { type: 'unknown-code', source: 'pusher', binding: 'error', code, ...optionalMessage(errMsg) };
    }
    return {
      type: 'pusher-error',
      errCode: info.code,
      errMsg: typeof errMsg === 'string' ? errMsg : '',
      ...codedFields(info),
    };
  });
}

/**
 * Decodes `<live-pusher bindbgmstart>`. The event has no detail, so this never fails.
 *
 * @example
 * ```ts
 * decodePusherBgmStart({}) // { type: 'pusher-bgm-start' }
 * ```
 */
export function decodePusherBgmStart(_event: unknown): NativeEvent {
  return { type: 'pusher-bgm-start' };
}

/**
 * Decodes `<live-pusher bindbgmprogress>` into a `pusher-bgm-progress` event.
 *
 * @example
 * ```ts
 * decodePusherBgmProgress({ detail: { progress: 12, duration: 180 } })
 * // { type: 'pusher-bgm-progress', progress: 12, duration: 180 }
 * ```
 */
export function decodePusherBgmProgress(event: unknown): NativeEvent {
  return guarded('pusher', 'bgmprogress', () => {
    const detail = detailOf(event);
    const progress = finiteNumber(field(detail, 'progress'));
    const duration = finiteNumber(field(detail, 'duration'));
    if (progress === undefined || duration === undefined) {
      return malformed('pusher', 'bgmprogress', 'detail.progress or detail.duration is not a finite number');
    }
    return { type: 'pusher-bgm-progress', progress, duration };
  });
}

/**
 * Decodes `<live-pusher bindbgmcomplete>`. The event has no detail, so this never fails.
 *
 * @example
 * ```ts
 * decodePusherBgmComplete({}) // { type: 'pusher-bgm-complete' }
 * ```
 */
export function decodePusherBgmComplete(_event: unknown): NativeEvent {
  return { type: 'pusher-bgm-complete' };
}

// ── player ────────────────────────────────────────────────────────────────

/**
 * Decodes `<live-player bindstatechange>` into a `player-state` event (or `unknown-code` /
 * `malformed`). The stream comes from {@link streamIdOf}; an event without one is `malformed`,
 * because it cannot be put on any stream.
 *
 * @example
 * ```ts
 * decodePlayerStateChange({ currentTarget: { id: 'bob:main', dataset: {} }, detail: { code: -2301 } })
 * // { type: 'player-state', streamId: 'bob:main', code: -2301, remedy: 'restart-play', … }
 * ```
 */
export function decodePlayerStateChange(event: unknown): NativeEvent {
  return guarded('player', 'statechange', () => {
    const detail = detailOf(event);
    const code = readCode(field(detail, 'code'));
    const streamId = streamIdOf(event);
    if (code === undefined) {
      return malformed('player', 'statechange', 'detail.code is not an integer', { streamId });
    }
    if (streamId === undefined) {
      return malformed('player', 'statechange', 'the event names no stream (dataset or id)', { code });
    }
    const message = field(detail, 'message');
    const info = playerStateInfo(code);
    if (info === undefined) {
      return {
        type: 'unknown-code',
        source: 'player',
        binding: 'statechange',
        code,
        streamId,
        ...optionalMessage(message),
      };
    }
    return {
      type: 'player-state',
      streamId,
      code: info.code,
      ...codedFields(info),
      ...optionalMessage(message),
    };
  });
}

/**
 * Decodes `<live-player bindnetstatus>` into a `player-net` event with only the known numeric fields.
 *
 * @example
 * ```ts
 * decodePlayerNetStatus({ currentTarget: { id: 'bob:main' }, detail: { info: { videoFPS: 15 } } })
 * // { type: 'player-net', streamId: 'bob:main', info: { videoFPS: 15 } }
 * ```
 */
export function decodePlayerNetStatus(event: unknown): NativeEvent {
  return guarded('player', 'netstatus', () => {
    const info = field(detailOf(event), 'info');
    const streamId = streamIdOf(event);
    if (typeof info !== 'object' || info === null) {
      return malformed('player', 'netstatus', 'detail.info is not an object', { streamId });
    }
    if (streamId === undefined) {
      return malformed('player', 'netstatus', 'the event names no stream (dataset or id)');
    }
    return { type: 'player-net', streamId, info: sanitizePlayerNetInfo(info) };
  });
}

/**
 * Decodes `<live-player bindaudiovolumenotify>` into a `player-volume` event.
 *
 * @example
 * ```ts
 * decodePlayerAudioVolume({ currentTarget: { dataset: { streamId: 'bob:main' } }, detail: { volume: 7 } })
 * // { type: 'player-volume', streamId: 'bob:main', volume: 7 }
 * ```
 */
export function decodePlayerAudioVolume(event: unknown): NativeEvent {
  return guarded('player', 'audiovolumenotify', () => {
    const volume = finiteNumber(field(detailOf(event), 'volume'));
    const streamId = streamIdOf(event);
    if (volume === undefined) {
      return malformed('player', 'audiovolumenotify', 'detail.volume is not a finite number', { streamId });
    }
    if (streamId === undefined) {
      return malformed('player', 'audiovolumenotify', 'the event names no stream (dataset or id)');
    }
    return { type: 'player-volume', streamId, volume };
  });
}

/**
 * Decodes `<live-player bindfullscreenchange>` into a `player-fullscreen` event.
 *
 * @example
 * ```ts
 * decodePlayerFullscreenChange({ target: { id: 'bob:main' }, detail: { fullScreen: true, direction: 'horizontal' } })
 * // { type: 'player-fullscreen', streamId: 'bob:main', fullScreen: true, direction: 'horizontal' }
 * ```
 */
export function decodePlayerFullscreenChange(event: unknown): NativeEvent {
  return guarded('player', 'fullscreenchange', () => {
    const detail = detailOf(event);
    const fullScreen = flag(field(detail, 'fullScreen'));
    const streamId = streamIdOf(event);
    if (fullScreen === undefined) {
      return malformed('player', 'fullscreenchange', 'detail.fullScreen is not a boolean', { streamId });
    }
    if (streamId === undefined) {
      return malformed('player', 'fullscreenchange', 'the event names no stream (dataset or id)');
    }
    const direction = field(detail, 'direction');
    return {
      type: 'player-fullscreen',
      streamId,
      fullScreen,
      ...((direction === 'vertical' || direction === 'horizontal') && { direction }),
    };
  });
}

/**
 * Decodes `<live-pusher bindenterpictureinpicture>` (`active: true`) or
 * `bindleavepictureinpicture` (`active: false`); WeChat documents no detail.
 *
 * @example
 * ```ts
 * decodePusherPictureInPicture(true)({}) // { type: 'pusher-picture-in-picture', active: true }
 * ```
 */
export function decodePusherPictureInPicture(active: boolean): (event: unknown) => NativeEvent {
  return () => ({ type: 'pusher-picture-in-picture', active });
}

/**
 * Decodes `<live-player bindenterpictureinpicture>` / `bindleavepictureinpicture`; the stream comes
 * from the element as for every player event ({@link streamIdOf}).
 *
 * @example
 * ```ts
 * decodePlayerPictureInPicture(false)({ currentTarget: { id: 'bob:main' } })
 * // { type: 'player-picture-in-picture', streamId: 'bob:main', active: false }
 * ```
 */
export function decodePlayerPictureInPicture(active: boolean): (event: unknown) => NativeEvent {
  const binding: NativeBinding = active ? 'enterpictureinpicture' : 'leavepictureinpicture';
  return (event) =>
    guarded('player', binding, () => {
      const streamId = streamIdOf(event);
      if (streamId === undefined) {
        return malformed('player', binding, 'the event names no stream (dataset or id)');
      }
      return { type: 'player-picture-in-picture', streamId, active };
    });
}
