/** The protocol version every frame carries in `v`. */
export const PROTOCOL_VERSION = 1;

/**
 * Size and shape limits of protocol v1 (docs/protocol.md, "Limits"). Both sides enforce them:
 * the SDK refuses to send a frame that breaks them, the server refuses to accept one.
 */
export const LIMITS = {
  /** Largest frame in bytes of UTF-8 text (the server closes with 1009 above it). */
  maxFrameBytes: 64 * 1024,
  /** Longest room id (Agora's channel limit). */
  maxRoomIdLength: 128,
  /** Longest user id. */
  maxUserIdLength: 128,
  /** Longest business id (Volcengine setBusinessId). */
  maxBusinessIdLength: 128,
  /** Longest token. */
  maxTokenLength: 4096,
  /** Longest room attribute key. */
  maxAttributeKeyLength: 128,
  /** Longest room attribute value (UTF-16 code units). */
  maxAttributeValueLength: 4096,
  /** Most keys in one attributes request. */
  maxAttributesPerRequest: 32,
  /** Most keys a room holds. */
  maxAttributesPerRoom: 128,
  /**
   * Most UTF-8 bytes the room attributes take as JSON (`{"key":"value",…}`). They travel whole in
   * every join ack and `attrs-get` ack, which must fit in one frame next to the rest of the room.
   */
  maxAttributeBytesPerRoom: 32 * 1024,
  /** Longest message name. */
  maxMessageNameLength: 64,
  /** Longest message content (UTF-16 code units). */
  maxMessageContentLength: 16 * 1024,
  /** Longest error reason or free-text message. */
  maxReasonLength: 512,
  /** Longest URL (push or play). */
  maxUrlLength: 2048,
  /** Longest stream tag (`user:tag` stream ids; `main` and `screen` are tags too). */
  maxStreamTagLength: 32,
  /** Most streams one user publishes at once (its main, screen and custom-tagged streams). */
  maxStreamsPerUser: 8,
  /** Largest request id (ids are positive integers). */
  maxRequestId: 2 ** 31 - 1,
} as const;

/**
 * Allowed characters of room and user ids: letters, digits and `_ - . @ +`. Excluding `:` and `/`
 * keeps stream ids (`user:kind`) and URL templates unambiguous.
 */
export const ID_PATTERN = /^[A-Za-z0-9_.@+-]+$/;

/** Allowed characters of stream tags: letters, digits, `_` and `-` (no `:` so ids split once). */
export const TAG_PATTERN = /^[A-Za-z0-9_-]+$/;

/** `user:tag`, both parts in their charsets, the tag at most 32 characters. */
export const STREAM_ID_PATTERN = /^[A-Za-z0-9_.@+-]+:[A-Za-z0-9_-]{1,32}$/;
