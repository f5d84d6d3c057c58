/**
 * rxroom: reactive (RxJS 7) real-time audio/video rooms for WeChat Mini Programs.
 *
 * This list of named exports is the public API. Add to it deliberately.
 * @packageDocumentation
 */

// errors
export { RtcError, RTC_ERROR_CODES, RTC_ERROR_CODE_LIST, isRtcError, isRtcErrorCode } from './errors';
export type { RtcErrorCode, RtcErrorCodeInfo, RtcErrorShape } from './errors';

// the client and its state
export { createClient } from './streams/create-client';
export type {
  ClientOptions,
  RtcClient,
  JoinOptions,
  PublishOptions,
  SubscribeOptions,
  MuteOptions,
} from './streams/create-client';
export { reduceRoom } from './streams/reduce-room';
export { ofType } from './streams/room-event';
export type {
  RoomEvent,
  RoomEventType,
  RoomEventOf,
  ErrorSource,
  PeerLeftReason,
  StreamRemovedReason,
} from './streams/room-event';
export { initialRoomState, isConnected, streamIdOf } from './streams/model';
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
} from './streams/model';
export {
  selectPeers,
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
  CommandOf,
  CommandResult,
  CommandResults,
  Capability,
  Driver,
  JoinResult,
  StatsReport,
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
