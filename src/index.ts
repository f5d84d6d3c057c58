/**
 * rxroom: reactive (RxJS 7) real-time audio/video rooms for WeChat Mini Programs.
 *
 * This list of named exports is the public API. Add to it deliberately.
 * @packageDocumentation
 */

// errors
export { RtcError, RTC_ERROR_CODE_LIST, isRtcError, isRtcErrorCode, asRtcError } from './errors';
export type { RtcErrorCode, RtcErrorShape } from './errors';
export { RTC_ERROR_CODES } from './error-codes';
export type { RtcErrorCodeInfo } from './error-codes';
export { RTC_ERROR_VENDOR_CODES } from './error-vendors';
export type { VendorErrorCodes } from './error-vendors';

// the client and its state
export { createClient, createRoomClient } from './streams/create-client';
export type {
  ClientOptions,
  RoomClientOptions,
  RtcClient,
  JoinOptions,
  PublishOptions,
  SubscribeOptions,
  MuteOptions,
  TokenExpiring,
} from './streams/create-client';
export { reduceRoom } from './streams/reduce-room';
export { registerClient, getClient, client$ } from './streams/registry';
export { reduceVolume, reduceNetStatus, LOCAL_USER } from './streams/media-levels';
export type { VolumeMap, NetStatusMap } from './streams/media-levels';

// media: <live-pusher>/<live-player> settings, context calls, media events
export {
  DEFAULT_PUSHER_SETTINGS,
  DEFAULT_PLAYER_SETTINGS,
  PUSHER_SETTING_NAMES,
  PLAYER_SETTING_NAMES,
  PUSHER_FILTERS,
  attributeName,
  checkPusherChange,
  checkPlayerChange,
} from './streams/media-attributes';
export type {
  PusherSettings,
  PlayerSettings,
  PusherAttributes,
  PlayerAttributes,
  PictureInPictureMode,
} from './streams/media-attributes';
export type { MediaEvent } from './streams/client/types';
export { pusherControls, playerControls } from './bindings/media-controls';
export type {
  PusherControls,
  PlayerControls,
  SnapshotResult,
  SnapshotOptions,
  PlayBgmOptions,
} from './bindings/media-controls';
export { ofType } from './streams/room-event';
export type {
  RoomEvent,
  RoomEventType,
  RoomEventOf,
  ErrorSource,
  PeerLeftReason,
  StreamRemovedReason,
} from './streams/room-event';
export { initialRoomState, isConnected, mediaStateOf, streamIdFor } from './streams/model';
export { PersistentMap } from './streams/persistent-map';
export type {
  RoomState,
  Peer,
  StreamDescriptor,
  RemoteStream,
  Subscription,
  Publication,
  SelfState,
  ConnectionState,
  ConnectionStatus,
  Role,
  StreamKind,
  KickReason,
  MediaState,
} from './streams/model';
export {
  selectPeers,
  selectPeer,
  selectPeerList,
  selectPeerRecord,
  selectStreamRecord,
  selectStreamList,
  selectRemoteStreams,
  selectConnection,
  selectAttributes,
  selectLocalStream,
  selectPublications,
  selectRemoteUserIds,
  selectStreamsOfUser,
  selectStream,
  selectIsSubscribed,
  selectHasAudio,
  selectHasVideo,
  selectIsOwnerMuteAudio,
  selectIsOwnerMuteVideo,
  deepEqual,
} from './streams/selectors';
export type {
  Command,
  CommandType,
  AttributeNotice,
  CommandOf,
  CommandResult,
  CommandResults,
  Capability,
  Driver,
  JoinResult,
  StatsReport,
  TokenRenewal,
  MediaChange,
  MediaSymptom,
} from './streams/command';

// platform and built-in driver
export { wxPlatform } from './bindings/wx-platform';
export type { WxApi } from './bindings/wx-platform';
export type {
  Platform,
  PlatformSocket,
  ConnectOptions,
  NetworkStatus,
  PusherContext,
  PlayerContext,
  Unlisten,
} from './bindings/platform';
export { fromSocket } from './bindings/from-socket';
export { networkStatus$, appShow$, appHide$, online$, wake$ } from './bindings/platform-streams';
export type { SocketEvent, SocketSend, FromSocketOptions } from './bindings/from-socket';
export { protocolDriver } from './bindings/protocol/protocol-driver';
export { builtInDriver } from './bindings/protocol/built-in-driver';
export type { BuiltInDriverOptions } from './bindings/protocol/built-in-driver';
export type {
  ProtocolDriverOptions,
  RecoveryFactory,
  SessionHooks,
  LiveLink,
} from './bindings/protocol/protocol-driver';

// operators and subscription policies
export {
  retryBackoff,
  backoffDelay,
  defaultReconnectPolicy,
  exponentialReconnectPolicy,
  delaysReconnectPolicy,
  noReconnectPolicy,
  reconnect,
  isRetryableError,
  heartbeat,
  autoSubscribe,
  planAll,
  mapPlan,
  diffPlan,
  subscribeAll,
  onlyUsers,
  maxVideo,
  preferScreenShare,
  audioOnlyWhen,
  activeSpeakers,
  combinePolicies,
  activeSpeaker,
  netQuality,
  foldNetQualityLevel,
} from './operators';
export type {
  RetryBackoffConfig,
  Jitter,
  ReconnectPolicy,
  DefaultReconnectPolicyOptions,
  ExponentialReconnectPolicyOptions,
  ReconnectOptions,
  HeartbeatOptions,
  AutoSubscribePolicy,
  AutoSubscribeReport,
  AutoSubscribeTarget,
  AutoSubscribeOptions,
  SubscriptionPlan,
  WantedSubscription,
  SubscriptionAction,
  SubscribeAllOptions,
  ActiveSpeakerOptions,
  VolumeLevels,
  NetQuality,
  NetLevels,
  NetQualityOptions,
} from './operators';

// native components: decoders, handlers
export {
  PUSHER_STATE_CODES,
  PUSHER_ERROR_CODES,
  PLAYER_STATE_CODES,
  PUSHER_ROOM_CODES,
  pusherStateInfo,
  pusherErrorInfo,
  playerStateInfo,
  isPusherRoomCode,
  PUSHER_STATE_MEANINGS,
  PUSHER_ERROR_MEANINGS,
  PLAYER_STATE_MEANINGS,
  nativeCodeMeaning,
  withMeanings,
  PUSHER_NET_INFO_FIELDS,
  PLAYER_NET_INFO_FIELDS,
  sanitizePusherNetInfo,
  sanitizePlayerNetInfo,
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
} from './bindings/native';
export type {
  NativeSeverity,
  NativeRemedy,
  NativeCodeInfo,
  NativeCodeEntry,
  NativeCodeTable,
  PusherStateCode,
  PusherErrorCode,
  PlayerStateCode,
  PusherRoomCode,
  PusherNetInfo,
  PlayerNetInfo,
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
} from './bindings/native';
export { nativeHandlers, playerElementId } from './bindings/native/handlers';
export type { NativeHandlers, NativeEventSink } from './bindings/native/handlers';

// page binding
export {
  connectSetData,
  SET_DATA_DEFAULTS,
  bindPage,
  rxBehavior,
  diffPaths,
  diffViewData,
  applyPaths,
  toViewData,
  splitPaths,
} from './bindings/page';
export type {
  SetDataTarget,
  ConnectSetDataOptions,
  BindPageOptions,
  PageQuery,
  PageViewModelSource,
  RxBehaviorOptions,
  RxBehaviorDefinition,
  DataPaths,
  JsonValue,
  JsonObject,
} from './bindings/page';

// media, stats, view model
export { mediaRecovery, reportStats, roomViewModel } from './operators';
export type {
  MediaRecoveryOptions,
  MediaRecoveryEvent,
  MediaRecoveryTarget,
  ReportStatsOptions,
  ReportStatsTarget,
  RoomViewModel,
  PlayerView,
  PusherView,
  BannerView,
  RoomViewModelOptions,
} from './operators';
// lifecycle recovery (docs/lifecycle.md)
export { frozenPlayerWatchdog, videoExpected, mediaSymptomOf } from './operators';
export type {
  FrozenPlayerWatchdogOptions,
  FrozenPlayerEvent,
  FrozenPlayerStep,
  FrozenPlayerTarget,
} from './operators';

// the wire protocol
export {
  PROTOCOL_VERSION,
  LIMITS,
  decodeFrame,
  decodeClientFrame,
  decodeServerFrame,
  decodeAckData,
  encodeFrame,
  FRAME_TYPES,
  requestSchemas,
  pushSchemas,
  controlSchemas,
  ackDataSchemas,
} from './protocol';
export type {
  DecodeResult,
  DecodeOptions,
  RawFrameData,
  PeerInfo,
  StreamInfo,
  SubscriptionInfo,
  PublicationInfo,
  HeartbeatInfo,
  TokenClaims,
  RequestType,
  RequestFrame,
  RequestBody,
  PushType,
  PushFrame,
  AckData,
  JoinAckData,
  AckFrame,
  PongFrame,
  ErrorFrame,
  ClientFrame,
  ServerFrame,
  Frame,
  FrameType,
} from './protocol';

// the mini program lifecycle: background, permissions, wake, screen, setup errors (docs/lifecycle.md)
export { interfaceChange$, networkTypeChange$, audioInterruptionEnd$ } from './bindings/platform-streams';
export type { AppHideInfo, AppHideReason, MediaScope, PermissionApi } from './bindings/platform';
export { ensureMediaPermission, openMediaSettings } from './bindings/permissions';
export type { MediaPermissionOptions, MediaPermissionResult, PermissionPrompt } from './bindings/permissions';
export { setupError } from './bindings/setup-errors';
export {
  keep,
  muteVideo,
  muteAll,
  leaveAfter,
  combineBackgroundPolicies,
  KEEP_PLAN,
} from './operators/background-policies';
export type { BackgroundPlan, BackgroundPolicy } from './operators/background-policies';
export { backgroundPolicy } from './operators/background-policy';
export type { BackgroundPolicyOptions, BackgroundTarget } from './operators/background-policy';
export { mediaPermissionRecovery } from './operators/media-permission-recovery';
export type {
  MediaPermissionRecoveryOptions,
  MediaPermissionTarget,
} from './operators/media-permission-recovery';
export { keepScreenOn } from './operators/keep-screen-on';
export type { KeepScreenOnOptions, KeepScreenOnTarget } from './operators/keep-screen-on';
export { republish } from './operators/republish';
export type { RepublishTarget } from './operators/republish';
export { DEFAULT_PROBE_TIMEOUT } from './operators/heartbeat';
export type { BackgroundEvent, PermissionEvent } from './streams/room-event';
