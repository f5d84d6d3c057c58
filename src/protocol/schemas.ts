/**
 * Valibot schemas of every frame of protocol v1. This file is the executable form of
 * docs/protocol.md; the TypeScript frame types are inferred from it (./frames.ts), so the two
 * cannot drift apart. Objects are parsed leniently (unknown keys are dropped, not refused) so an
 * older peer can read a newer peer's frames.
 */
import * as v from 'valibot';
import { RTC_ERROR_CODE_LIST, type RtcErrorCode } from '../errors';
import { ID_PATTERN, LIMITS, PROTOCOL_VERSION, STREAM_ID_PATTERN, TAG_PATTERN } from './limits';

// ── scalars ────────────────────────────────────────────────────────────

export { STREAM_ID_PATTERN };

const id = (max: number) =>
  v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(ID_PATTERN, 'bad characters'));

/** A room id. */
export const RoomIdSchema = id(LIMITS.maxRoomIdLength);
/** A user id. */
export const UserIdSchema = id(LIMITS.maxUserIdLength);
/** A stream tag: `main`, `screen`, or a custom one (1–32 of `[A-Za-z0-9_-]`). */
export const StreamTagSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(LIMITS.maxStreamTagLength),
  v.regex(TAG_PATTERN, 'bad characters'),
);
/** A stream id: `user:tag` (`user:main`, `user:screen`, `user:<custom tag>`). */
export const StreamIdSchema = v.pipe(
  v.string(),
  v.minLength(3),
  v.maxLength(LIMITS.maxUserIdLength + 1 + LIMITS.maxStreamTagLength),
  v.regex(STREAM_ID_PATTERN, 'not user:tag'),
);
/** A positive integer request id. */
export const RequestIdSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(1),
  v.maxValue(LIMITS.maxRequestId),
);
/** A push sequence number (0 before the first push). */
export const SeqSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const UrlSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.maxUrlLength));
const ReasonSchema = v.pipe(v.string(), v.maxLength(LIMITS.maxReasonLength));
const SessionIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const MillisSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(24 * 3600 * 1000));
/** A token's `exp` claim: seconds since the epoch (JWT NumericDate). */
const ExpSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

/** `broadcaster` may publish; `audience` only subscribes (Agora's setRole). */
export const RoleSchema = v.picklist(['broadcaster', 'audience']);
/** The camera/mic stream or the screen share of a user. */
export const StreamKindSchema = v.picklist(['main', 'screen']);
/**
 * Where a stream's media stands, on servers that watch the media server (docs/protocol.md §4):
 * `pending` (published, no media yet), `live`, `lost` (media stopped; removed after a grace).
 */
export const MediaStateSchema = v.picklist(['pending', 'live', 'lost']);

/**
 * Keys a JavaScript object cannot hold as plain data. Valibot's record drops them silently, which
 * would lose an attribute without a word, so they are refused instead.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const AttributeKeySchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(LIMITS.maxAttributeKeyLength),
  v.check((k) => !RESERVED_KEYS.has(k), 'the keys __proto__, constructor and prototype are reserved'),
);
const AttributeValueSchema = v.pipe(v.string(), v.maxLength(LIMITS.maxAttributeValueLength));
const AttributesSchema = v.pipe(
  v.custom<Record<string, unknown>>(
    (x) =>
      typeof x === 'object' &&
      x !== null &&
      !Array.isArray(x) &&
      !Object.keys(x).some((k) => RESERVED_KEYS.has(k)),
    'an object of attributes; the keys __proto__, constructor and prototype are reserved',
  ),
  v.record(AttributeKeySchema, AttributeValueSchema),
);
const AttributeKeysSchema = v.pipe(
  v.array(AttributeKeySchema),
  v.minLength(1),
  v.maxLength(LIMITS.maxAttributesPerRequest),
);

/** The error object of failed acks and error pushes. */
export const ErrorObjectSchema = v.object({
  code: v.picklist(RTC_ERROR_CODE_LIST as [RtcErrorCode, ...RtcErrorCode[]]),
  reason: ReasonSchema,
});

// ── entities ───────────────────────────────────────────────────────────

/** A user in the room as others see them. */
export const PeerInfoSchema = v.object({
  user: UserIdSchema,
  role: RoleSchema,
  visible: v.boolean(),
  businessId: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.maxBusinessIdLength))),
  /** In a join ack's `peers`: the peer's socket dropped and its grace window runs (§7). */
  reconnecting: v.optional(v.boolean()),
});

/** A published stream. `audioMuted`/`videoMuted` are the owner's mute bits. */
export const StreamInfoSchema = v.object({
  id: StreamIdSchema,
  user: UserIdSchema,
  kind: StreamKindSchema,
  /** A custom tag; absent for a user's `main` and `screen` streams (the id ends in the kind). */
  tag: v.optional(StreamTagSchema),
  audio: v.boolean(),
  video: v.boolean(),
  small: v.boolean(),
  audioMuted: v.boolean(),
  videoMuted: v.boolean(),
  /** Absent on servers that do not watch the media: the stream counts as `live`. */
  media: v.optional(MediaStateSchema),
});

/** One subscription of this session, with its play URL and local (receiver) mute bits. */
export const SubscriptionInfoSchema = v.object({
  stream: StreamIdSchema,
  url: UrlSchema,
  audio: v.boolean(),
  video: v.boolean(),
  small: v.boolean(),
  audioMuted: v.boolean(),
  videoMuted: v.boolean(),
});

/** One stream this session publishes, with its push URL. */
export const PublicationInfoSchema = v.object({
  stream: StreamInfoSchema,
  url: UrlSchema,
});

/** Heartbeat settings the server announces in the join ack. */
export const HeartbeatInfoSchema = v.object({
  interval: MillisSchema,
  timeout: MillisSchema,
});

// ── requests (client → server) ─────────────────────────────────────────

const request = <const T extends string, E extends v.ObjectEntries>(t: T, entries: E) =>
  v.object({ v: v.literal(PROTOCOL_VERSION), t: v.literal(t), id: RequestIdSchema, ...entries });

const MuteBits = {
  audio: v.optional(v.boolean()),
  video: v.optional(v.boolean()),
};

/** Every request schema, keyed by its type. */
export const requestSchemas = {
  join: request('join', {
    token: v.pipe(v.string(), v.maxLength(LIMITS.maxTokenLength)),
    room: RoomIdSchema,
    user: UserIdSchema,
    visible: v.optional(v.boolean()),
    role: v.optional(RoleSchema),
    businessId: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.maxBusinessIdLength))),
    resume: v.optional(
      v.object({ session: SessionIdSchema, seq: SeqSchema, snapshot: v.optional(v.boolean()) }),
    ),
  }),
  leave: request('leave', {}),
  publish: request('publish', {
    kind: v.optional(StreamKindSchema),
    tag: v.optional(StreamTagSchema),
    audio: v.boolean(),
    video: v.boolean(),
    small: v.optional(v.boolean()),
  }),
  unpublish: request('unpublish', { stream: StreamIdSchema }),
  subscribe: request('subscribe', {
    stream: StreamIdSchema,
    audio: v.optional(v.boolean()),
    video: v.optional(v.boolean()),
    small: v.optional(v.boolean()),
  }),
  unsubscribe: request('unsubscribe', { stream: StreamIdSchema }),
  'mute-local': request('mute-local', { stream: StreamIdSchema, ...MuteBits }),
  'mute-remote': request('mute-remote', { stream: StreamIdSchema, ...MuteBits }),
  'set-visibility': request('set-visibility', { visible: v.boolean() }),
  'set-role': request('set-role', { role: RoleSchema }),
  'set-business-id': request('set-business-id', {
    businessId: v.pipe(v.string(), v.maxLength(LIMITS.maxBusinessIdLength)),
  }),
  'attrs-set': request('attrs-set', {
    attributes: v.pipe(
      AttributesSchema,
      v.check((a) => {
        const n = Object.keys(a).length;
        return n >= 1 && n <= LIMITS.maxAttributesPerRequest;
      }, `between 1 and ${LIMITS.maxAttributesPerRequest} attributes`),
    ),
    notify: v.optional(v.boolean()),
  }),
  'attrs-get': request('attrs-get', { keys: v.optional(AttributeKeysSchema) }),
  'attrs-delete': request('attrs-delete', {
    keys: AttributeKeysSchema,
    notify: v.optional(v.boolean()),
  }),
  message: request('message', {
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.maxMessageNameLength)),
    content: v.pipe(v.string(), v.maxLength(LIMITS.maxMessageContentLength)),
    to: v.optional(UserIdSchema),
  }),
  report: request('report', {
    report: v.variant('kind', [
      v.object({
        kind: v.literal('pusher-state'),
        code: v.pipe(v.number(), v.integer()),
        message: v.optional(ReasonSchema),
      }),
      v.object({
        kind: v.literal('player-state'),
        stream: StreamIdSchema,
        code: v.pipe(v.number(), v.integer()),
        message: v.optional(ReasonSchema),
      }),
      v.object({
        kind: v.literal('pusher-net'),
        info: v.pipe(
          v.record(v.pipe(v.string(), v.maxLength(64)), v.number()),
          v.check((r) => Object.keys(r).length <= 32, 'at most 32 fields'),
        ),
      }),
      v.object({
        kind: v.literal('player-net'),
        stream: StreamIdSchema,
        info: v.pipe(
          v.record(v.pipe(v.string(), v.maxLength(64)), v.number()),
          v.check((r) => Object.keys(r).length <= 32, 'at most 32 fields'),
        ),
      }),
    ]),
  }),
  ping: request('ping', {}),
  /** A newer token for the joined session (same app, room and user); docs/protocol.md §9. */
  'renew-token': request('renew-token', {
    token: v.pipe(v.string(), v.maxLength(LIMITS.maxTokenLength)),
  }),
} as const;

// ── acks (server → client) ─────────────────────────────────────────────

/** The ack data of a join, by `mode`. */
export const JoinAckDataSchema = v.variant('mode', [
  v.object({
    mode: v.picklist(['joined', 'snapshot']),
    session: SessionIdSchema,
    seq: SeqSchema,
    self: PeerInfoSchema,
    peers: v.array(PeerInfoSchema),
    streams: v.array(StreamInfoSchema),
    publications: v.array(PublicationInfoSchema),
    subscriptions: v.array(SubscriptionInfoSchema),
    attributes: AttributesSchema,
    heartbeat: HeartbeatInfoSchema,
    grace: MillisSchema,
    resumeError: v.optional(ErrorObjectSchema),
    /** The `exp` claim (seconds) of the token the session now holds, for clients that cannot read it. */
    exp: v.optional(ExpSchema),
  }),
  v.object({
    mode: v.literal('resumed'),
    session: SessionIdSchema,
    seq: SeqSchema,
    heartbeat: HeartbeatInfoSchema,
    grace: MillisSchema,
    exp: v.optional(ExpSchema),
  }),
]);

const Empty = v.object({});

/** The data of a successful ack, by the type of the request it answers. */
export const ackDataSchemas = {
  join: JoinAckDataSchema,
  leave: Empty,
  publish: PublicationInfoSchema,
  unpublish: Empty,
  subscribe: SubscriptionInfoSchema,
  unsubscribe: Empty,
  'mute-local': v.object({ stream: StreamInfoSchema }),
  'mute-remote': v.object({ subscription: SubscriptionInfoSchema }),
  'set-visibility': v.object({ self: PeerInfoSchema }),
  'set-role': v.object({ self: PeerInfoSchema }),
  'set-business-id': v.object({ self: PeerInfoSchema }),
  'attrs-set': Empty,
  'attrs-get': v.object({ attributes: AttributesSchema }),
  'attrs-delete': Empty,
  message: Empty,
  report: Empty,
  ping: Empty,
  'renew-token': v.object({ exp: ExpSchema }),
} as const satisfies Record<keyof typeof requestSchemas, v.GenericSchema>;

/** An ack: exactly one per request (ping is answered by `pong` instead). */
export const AckSchema = v.variant('ok', [
  v.object({
    v: v.literal(PROTOCOL_VERSION),
    t: v.literal('ack'),
    id: RequestIdSchema,
    ok: v.literal(true),
    data: v.unknown(),
  }),
  v.object({
    v: v.literal(PROTOCOL_VERSION),
    t: v.literal('ack'),
    id: RequestIdSchema,
    ok: v.literal(false),
    error: ErrorObjectSchema,
  }),
]);

// ── pushes (server → client) ───────────────────────────────────────────

const push = <const T extends string, E extends v.ObjectEntries>(t: T, entries: E) =>
  v.object({ v: v.literal(PROTOCOL_VERSION), t: v.literal(t), seq: SeqSchema, ...entries });

/** Why a peer left the room. */
export const PeerLeftReasonSchema = v.picklist([
  'leave',
  'timeout',
  'kicked',
  'replaced',
  'hidden',
  'room-closed',
]);

/** Why a stream went away. */
export const StreamRemovedReasonSchema = v.picklist(['unpublished', 'peer-left', 'role-changed', 'failed']);

/** Why the server removed this session. */
export const KickReasonSchema = v.picklist(['replaced', 'kicked', 'banned', 'room-closed', 'token-expired']);

/** Every push schema, keyed by its type. Pushes carry the session's `seq`. */
export const pushSchemas = {
  'peer-joined': push('peer-joined', { peer: PeerInfoSchema }),
  'peer-left': push('peer-left', { user: UserIdSchema, reason: PeerLeftReasonSchema }),
  'peer-updated': push('peer-updated', { peer: PeerInfoSchema }),
  /** A peer's socket dropped: its session waits out the grace window (§7). */
  'peer-reconnecting': push('peer-reconnecting', { user: UserIdSchema }),
  /** The peer resumed its session within the grace window. */
  'peer-reconnected': push('peer-reconnected', { user: UserIdSchema }),
  'stream-added': push('stream-added', { stream: StreamInfoSchema }),
  'stream-removed': push('stream-removed', {
    stream: StreamIdSchema,
    user: UserIdSchema,
    reason: StreamRemovedReasonSchema,
  }),
  'stream-updated': push('stream-updated', { stream: StreamInfoSchema }),
  'url-updated': push('url-updated', {
    stream: StreamIdSchema,
    direction: v.picklist(['push', 'play']),
    url: UrlSchema,
  }),
  'stream-failed': push('stream-failed', {
    stream: StreamIdSchema,
    direction: v.picklist(['push', 'play']),
    reason: ReasonSchema,
  }),
  kicked: push('kicked', { reason: KickReasonSchema, message: v.optional(ReasonSchema) }),
  'attributes-changed': push('attributes-changed', {
    set: AttributesSchema,
    deleted: v.array(AttributeKeySchema),
    by: UserIdSchema,
  }),
  message: push('message', {
    from: UserIdSchema,
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.maxMessageNameLength)),
    content: v.pipe(v.string(), v.maxLength(LIMITS.maxMessageContentLength)),
    private: v.boolean(),
  }),
  /** The token this session holds expires at `exp` (seconds); send `renew-token` before then. */
  'token-expiring': push('token-expiring', { exp: ExpSchema }),
} as const;

/** Frames outside the room sequence: they carry no `seq` and are never replayed. */
export const controlSchemas = {
  ack: AckSchema,
  pong: v.object({
    v: v.literal(PROTOCOL_VERSION),
    t: v.literal('pong'),
    id: RequestIdSchema,
    /** The session's latest push seq, so a client notices a lost last push. */
    seq: v.optional(SeqSchema),
  }),
  error: v.object({
    v: v.literal(PROTOCOL_VERSION),
    t: v.literal('error'),
    id: v.optional(RequestIdSchema),
    error: ErrorObjectSchema,
  }),
} as const;

/** The claims of an rxroom token (a JWT signed with HS256). */
export const TokenClaimsSchema = v.object({
  app: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  room: RoomIdSchema,
  user: UserIdSchema,
  exp: v.pipe(v.number(), v.integer()),
  nbf: v.optional(v.pipe(v.number(), v.integer())),
  iat: v.optional(v.pipe(v.number(), v.integer())),
  privileges: v.object({ publish: v.boolean(), subscribe: v.boolean() }),
});
