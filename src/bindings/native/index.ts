/**
 * Decoders of `<live-pusher>` / `<live-player>` events, their code tables and netstatus types.
 * `docs/native-events.md` documents every code.
 */
export {
  PUSHER_STATE_CODES,
  PUSHER_ERROR_CODES,
  PLAYER_STATE_CODES,
  PUSHER_ROOM_CODES,
  pusherStateInfo,
  pusherErrorInfo,
  playerStateInfo,
  isPusherRoomCode,
} from './codes';
export type {
  NativeSeverity,
  NativeRemedy,
  NativeCodeInfo,
  PusherStateCode,
  PusherErrorCode,
  PlayerStateCode,
  PusherRoomCode,
} from './codes';
export {
  PUSHER_STATE_MEANINGS,
  PUSHER_ERROR_MEANINGS,
  PLAYER_STATE_MEANINGS,
  nativeCodeMeaning,
  withMeanings,
} from './code-meanings';
export type { NativeCodeEntry, NativeCodeTable } from './code-meanings';
export {
  PUSHER_NET_INFO_FIELDS,
  PLAYER_NET_INFO_FIELDS,
  sanitizePusherNetInfo,
  sanitizePlayerNetInfo,
} from './net-info';
export type { PusherNetInfo, PlayerNetInfo } from './net-info';
export {
  NATIVE_EVENT_TYPES,
  streamIdOf,
  decodePusherStateChange,
  decodePusherNetStatus,
  decodePusherAudioVolume,
  decodePusherError,
  decodePusherBgmStart,
  decodePusherBgmProgress,
  decodePusherBgmComplete,
  decodePlayerStateChange,
  decodePlayerNetStatus,
  decodePlayerAudioVolume,
  decodePlayerFullscreenChange,
  decodePusherPictureInPicture,
  decodePlayerPictureInPicture,
} from './decode';
export type {
  NativeEvent,
  NativeEventType,
  NativeSource,
  NativeBinding,
  RoomUser,
  PusherStateEvent,
  PusherRoomEvent,
  PusherNetEvent,
  PusherVolumeEvent,
  PusherErrorEvent,
  PusherBgmStartEvent,
  PusherBgmProgressEvent,
  PusherBgmCompleteEvent,
  PlayerStateEvent,
  PlayerNetEvent,
  PlayerVolumeEvent,
  PlayerFullscreenEvent,
  PusherPictureInPictureEvent,
  PlayerPictureInPictureEvent,
  UnknownCodeEvent,
  MalformedNativeEvent,
} from './decode';
