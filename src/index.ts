/**
 * rxroom: reactive (RxJS 7) real-time audio/video rooms for WeChat Mini Programs.
 *
 * This list of named exports is the public API. Add to it deliberately.
 * @packageDocumentation
 */
export { RtcError, RTC_ERROR_CODES, RTC_ERROR_CODE_LIST, isRtcError, isRtcErrorCode } from './errors';
export type { RtcErrorCode, RtcErrorCodeInfo, RtcErrorShape } from './errors';
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
  Role,
  StreamKind,
  PeerInfo,
  StreamInfo,
  SubscriptionInfo,
  PublicationInfo,
  HeartbeatInfo,
  PeerLeftReason,
  StreamRemovedReason,
  KickReason,
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
