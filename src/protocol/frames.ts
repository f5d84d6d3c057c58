/**
 * TypeScript types of protocol v1 frames, inferred from the schemas so that the types, the
 * validation and docs/protocol.md describe one thing.
 */
import type * as v from 'valibot';
import type {
  ackDataSchemas,
  AckSchema,
  controlSchemas,
  HeartbeatInfoSchema,
  KickReasonSchema,
  MediaStateSchema,
  PeerInfoSchema,
  PeerLeftReasonSchema,
  PublicationInfoSchema,
  pushSchemas,
  requestSchemas,
  RoleSchema,
  StreamInfoSchema,
  StreamKindSchema,
  StreamRemovedReasonSchema,
  SubscriptionInfoSchema,
  TokenClaimsSchema,
  JoinAckDataSchema,
} from './schemas';

/** `broadcaster` may publish; `audience` only subscribes. */
export type Role = v.InferOutput<typeof RoleSchema>;
/** `main` (camera and mic) or `screen` (screen share). */
export type StreamKind = v.InferOutput<typeof StreamKindSchema>;
/** Where a stream's media stands: `pending`, `live` or `lost`. */
export type MediaState = v.InferOutput<typeof MediaStateSchema>;
/** A user in the room as others see them. */
export type PeerInfo = v.InferOutput<typeof PeerInfoSchema>;
/** A published stream with its owner's mute bits. */
export type StreamInfo = v.InferOutput<typeof StreamInfoSchema>;
/** A subscription of this session: play URL and receiver-side mute bits. */
export type SubscriptionInfo = v.InferOutput<typeof SubscriptionInfoSchema>;
/** A stream this session publishes, with its push URL. */
export type PublicationInfo = v.InferOutput<typeof PublicationInfoSchema>;
/** Heartbeat settings announced by the server. */
export type HeartbeatInfo = v.InferOutput<typeof HeartbeatInfoSchema>;
/** Why a peer left. */
export type PeerLeftReason = v.InferOutput<typeof PeerLeftReasonSchema>;
/** Why a stream was removed. */
export type StreamRemovedReason = v.InferOutput<typeof StreamRemovedReasonSchema>;
/** Why this session was removed by the server. */
export type KickReason = v.InferOutput<typeof KickReasonSchema>;
/** The claims of an rxroom JWT. */
export type TokenClaims = v.InferOutput<typeof TokenClaimsSchema>;

/** Every request type. */
export type RequestType = keyof typeof requestSchemas;
/** A request frame (client → server), narrowed by type when `T` is given. */
export type RequestFrame<T extends RequestType = RequestType> = {
  [K in RequestType]: v.InferOutput<(typeof requestSchemas)[K]>;
}[T];
/** A request as the caller writes it: without the envelope fields the channel fills in. */
export type RequestBody<T extends RequestType = RequestType> = {
  [K in RequestType]: Omit<RequestFrame<K>, 'v' | 'id'>;
}[T];

/** Every push type. */
export type PushType = keyof typeof pushSchemas;
/** A push frame (server → client), narrowed by type when `T` is given. */
export type PushFrame<T extends PushType = PushType> = {
  [K in PushType]: v.InferOutput<(typeof pushSchemas)[K]>;
}[T];

/** The data of a successful ack to a request of type `T`. */
export type AckData<T extends RequestType> = v.InferOutput<(typeof ackDataSchemas)[T]>;
/** The data of a join ack. */
export type JoinAckData = v.InferOutput<typeof JoinAckDataSchema>;
/** An ack frame. */
export type AckFrame = v.InferOutput<typeof AckSchema>;
/** The answer to a ping. */
export type PongFrame = v.InferOutput<(typeof controlSchemas)['pong']>;
/** An error the server could not attach to a request id. */
export type ErrorFrame = v.InferOutput<(typeof controlSchemas)['error']>;

/** Frames a client sends. */
export type ClientFrame = RequestFrame;
/** Frames a server sends. */
export type ServerFrame = AckFrame | PongFrame | ErrorFrame | PushFrame;
/** Any frame. */
export type Frame = ClientFrame | ServerFrame;
/** The type tag of any frame. */
export type FrameType = Frame['t'];
