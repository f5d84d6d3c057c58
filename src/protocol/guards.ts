/**
 * Hand-written guards of the frames a client receives (acks and their data, pong, error, every
 * push): the same acceptance as the valibot schemas of ./schemas.ts, without loading valibot and
 * without allocating while a frame is valid. The client's hot path uses these; the server and the
 * tests keep the schemas, and test/properties/guards.property.test.ts checks that both agree on
 * frames generated from the schemas themselves.
 *
 * Rules copied from the schemas (keep them in step):
 * - objects are loose: unknown keys are ignored on input and dropped from copies; arrays pass
 *   where an object is expected (valibot's `object` accepts any non-null object) and are read by key;
 * - a required key must be present, an optional one may be absent but is checked when present;
 * - string limits count UTF-16 code units (`string.length`), as valibot's `maxLength` does.
 *
 * A failed check returns its reason, led by the path of the failing value (`stream.audio: expected
 * a boolean`); decoders wrap it in an `INVALID_FRAME` error, as ./codec.ts does.
 */
import { RtcError, RTC_ERROR_CODE_LIST } from '../errors';
import {
  failure,
  readEnvelope,
  unknownType,
  type DecodeFailure,
  type DecodeOptions,
  type DecodeResult,
  type RawFrameData,
} from './envelope';
import type { AckData, PushType, RequestType, ServerFrame } from './frames';
import { ID_PATTERN, LIMITS, PROTOCOL_VERSION, STREAM_ID_PATTERN, TAG_PATTERN } from './limits';

/**
 * Checks one value: `undefined` when it is valid, else the reason. A reason starts with `: ` (the
 * value itself failed) or with a path step (`.key`, `[index]`) leading to the part that failed.
 */
export type Check = (x: unknown) => string | undefined;

/** A check, and how to copy a valid value the way valibot outputs it (unknown keys dropped). */
export interface Guard {
  readonly check: Check;
  /** Absent for values copied as they are (scalars, and containers with no object inside). */
  readonly copy?: (x: unknown) => unknown;
  /** An object entry that may be absent. */
  readonly optional?: true;
}

// ── building blocks ────────────────────────────────────────────────────

const leaf = (check: Check): Guard => ({ check });

/** Any value (valibot's `unknown`); the key must still be present. */
const anything = leaf(() => undefined);

const bool = leaf((x) => (typeof x === 'boolean' ? undefined : ': expected a boolean'));

/** A string of `min`…`max` UTF-16 code units, optionally matching `pattern` and `extra`. */
function str(min: number, max: number, pattern?: RegExp, what = 'bad characters'): Guard {
  return leaf((x) => {
    if (typeof x !== 'string') return ': expected a string';
    if (x.length < min) return `: shorter than ${min}`;
    if (x.length > max) return `: longer than ${max}`;
    if (pattern !== undefined && !pattern.test(x)) return `: ${what}`;
    return undefined;
  });
}

/** An integer in `min`…`max`. */
function int(min: number, max: number): Guard {
  return leaf((x) => {
    if (typeof x !== 'number' || !Number.isInteger(x)) return ': expected an integer';
    return x < min || x > max ? `: outside ${min}…${max}` : undefined;
  });
}

/** One of `values` (valibot's `picklist` or `literal`). */
function oneOf(values: readonly unknown[]): Guard {
  const allowed = new Set(values);
  const expected = `: expected ${values.map((x) => JSON.stringify(x)).join(' | ')}`;
  return leaf((x) => (allowed.has(x) ? undefined : expected));
}

/** `guard`, as an object entry that may be absent. */
function optional(guard: Guard): Guard {
  return { ...guard, optional: true };
}

/** An object with these entries, in this order (the order of the schema and of copies). */
function obj(entries: Readonly<Record<string, Guard>>): Guard {
  const keys = Object.keys(entries);
  const guards = keys.map((k) => entries[k]!);
  // Flat arrays, read once per entry: the hot loop touches no Guard object.
  const checks = guards.map((g) => g.check);
  const optionals = guards.map((g) => g.optional === true);
  const copies = guards.map((g) => g.copy);
  const n = keys.length;
  return {
    check(x) {
      if (typeof x !== 'object' || x === null) return ': expected an object';
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        const value = (x as Record<string, unknown>)[key];
        if (value === undefined) {
          // JSON has no undefined: absent.
          if (optionals[i]) continue;
          return `.${key}: missing`;
        }
        const why = checks[i]!(value);
        if (why !== undefined) return `.${key}${why}`;
      }
      return undefined;
    },
    copy(x) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        const value = (x as Record<string, unknown>)[key];
        if (value === undefined) continue;
        const copy = copies[i];
        out[key] = copy ? copy(value) : value;
      }
      return out;
    },
  };
}

/** An array of `item`s. */
function arr(item: Guard): Guard {
  const itemCopy = item.copy;
  return {
    check(x) {
      if (!Array.isArray(x)) return ': expected an array';
      for (let i = 0; i < x.length; i++) {
        const why = item.check(x[i]);
        if (why !== undefined) return `[${i}]${why}`;
      }
      return undefined;
    },
    copy: itemCopy ? (x) => (x as unknown[]).map(itemCopy) : (x) => (x as unknown[]).slice(),
  };
}

/** One of several objects, told apart by the value of `key` (valibot's `variant`). */
function variant(key: string, options: readonly (readonly [readonly unknown[], Guard])[]): Guard {
  const byValue = new Map<unknown, Guard>();
  for (const [values, guard] of options) for (const value of values) byValue.set(value, guard);
  const expected = `.${key}: expected ${[...byValue.keys()].map((x) => JSON.stringify(x)).join(' | ')}`;
  return {
    check(x) {
      if (typeof x !== 'object' || x === null) return ': expected an object';
      const guard = byValue.get((x as Record<string, unknown>)[key]);
      return guard ? guard.check(x) : expected;
    },
    copy(x) {
      return byValue.get((x as Record<string, unknown>)[key])!.copy!(x);
    },
  };
}

// ── scalars (./schemas.ts, "scalars") ───────────────────────────────────

const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const hasOwn = Object.prototype.hasOwnProperty;

const userId = str(1, LIMITS.maxUserIdLength, ID_PATTERN);
const streamId = str(
  3,
  LIMITS.maxUserIdLength + 1 + LIMITS.maxStreamTagLength,
  STREAM_ID_PATTERN,
  'not user:tag',
);
const streamTag = str(1, LIMITS.maxStreamTagLength, TAG_PATTERN);
const mediaState = oneOf(['pending', 'live', 'lost']);
const requestId = int(1, LIMITS.maxRequestId);
const seq = int(0, Number.MAX_SAFE_INTEGER);
const url = str(1, LIMITS.maxUrlLength);
const reason = str(0, LIMITS.maxReasonLength);
const sessionId = str(1, 128);
const millis = int(0, 24 * 3600 * 1000);
const exp = int(0, Number.MAX_SAFE_INTEGER);
const role = oneOf(['broadcaster', 'audience']);
const streamKind = oneOf(['main', 'screen']);
const direction = oneOf(['push', 'play']);
const attributeKey = leaf((x) =>
  typeof x !== 'string' || x.length < 1 || x.length > LIMITS.maxAttributeKeyLength || RESERVED_KEYS.has(x)
    ? `: not an attribute key (1…${LIMITS.maxAttributeKeyLength} characters, not reserved)`
    : undefined,
);

/** Room attributes: an object (not an array) of key → string, no reserved key. */
const attributes = leaf((x) => {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return ': expected an object of attributes';
  for (const key in x) {
    if (!hasOwn.call(x, key)) continue;
    if (attributeKey.check(key) !== undefined) return `[${JSON.stringify(key.slice(0, 32))}]: bad key`;
    const value = (x as Record<string, unknown>)[key];
    if (typeof value !== 'string' || value.length > LIMITS.maxAttributeValueLength) {
      return `.${key.slice(0, 32)}: expected a string of at most ${LIMITS.maxAttributeValueLength}`;
    }
  }
  return undefined;
});

/** The error object of failed acks and error frames. */
const errorObject = obj({ code: oneOf(RTC_ERROR_CODE_LIST), reason });

// ── entities (./schemas.ts, "entities") ─────────────────────────────────

/** A user in the room as others see them. */
export const peerInfo = obj({
  user: userId,
  role,
  visible: bool,
  businessId: optional(str(0, LIMITS.maxBusinessIdLength)),
  reconnecting: optional(bool),
});

/** A published stream. One line per field: a new optional field is one `optional(...)` line. */
export const streamInfo = obj({
  id: streamId,
  user: userId,
  kind: streamKind,
  tag: optional(streamTag),
  audio: bool,
  video: bool,
  small: bool,
  audioMuted: bool,
  videoMuted: bool,
  media: optional(mediaState),
});

/** One subscription of this session. */
export const subscriptionInfo = obj({
  stream: streamId,
  url,
  audio: bool,
  video: bool,
  small: bool,
  audioMuted: bool,
  videoMuted: bool,
});

/** One stream this session publishes. */
export const publicationInfo = obj({ stream: streamInfo, url });

const heartbeatInfo = obj({ interval: millis, timeout: millis });

// ── acks ───────────────────────────────────────────────────────────────

const joinAckData = variant('mode', [
  [
    ['joined', 'snapshot'],
    obj({
      mode: oneOf(['joined', 'snapshot']),
      session: sessionId,
      seq,
      self: peerInfo,
      peers: arr(peerInfo),
      streams: arr(streamInfo),
      publications: arr(publicationInfo),
      subscriptions: arr(subscriptionInfo),
      attributes,
      heartbeat: heartbeatInfo,
      grace: millis,
      resumeError: optional(errorObject),
      exp: optional(exp),
    }),
  ],
  [
    ['resumed'],
    obj({
      mode: oneOf(['resumed']),
      session: sessionId,
      seq,
      heartbeat: heartbeatInfo,
      grace: millis,
      exp: optional(exp),
    }),
  ],
]);

const empty = obj({});

/** The guard of a successful ack's data, by the type of the request it answers. */
export const ackDataGuards: { readonly [T in RequestType]: Guard } = {
  join: joinAckData,
  leave: empty,
  publish: publicationInfo,
  unpublish: empty,
  subscribe: subscriptionInfo,
  unsubscribe: empty,
  'mute-local': obj({ stream: streamInfo }),
  'mute-remote': obj({ subscription: subscriptionInfo }),
  'set-visibility': obj({ self: peerInfo }),
  'set-role': obj({ self: peerInfo }),
  'set-business-id': obj({ self: peerInfo }),
  'attrs-set': empty,
  'attrs-get': obj({ attributes }),
  'attrs-delete': empty,
  message: empty,
  report: empty,
  ping: empty,
  'renew-token': obj({ exp }),
};

const version = oneOf([PROTOCOL_VERSION]);
const frame = (t: string, entries: Readonly<Record<string, Guard>>) =>
  obj({ v: version, t: oneOf([t]), ...entries });

// ── pushes and control frames ──────────────────────────────────────────

const push = (t: PushType, entries: Readonly<Record<string, Guard>>) => frame(t, { seq, ...entries });

/** Every push guard, keyed by its type. */
export const pushGuards: { readonly [T in PushType]: Guard } = {
  'peer-joined': push('peer-joined', { peer: peerInfo }),
  'peer-left': push('peer-left', {
    user: userId,
    reason: oneOf(['leave', 'timeout', 'kicked', 'replaced', 'hidden', 'room-closed']),
  }),
  'peer-updated': push('peer-updated', { peer: peerInfo }),
  'peer-reconnecting': push('peer-reconnecting', { user: userId }),
  'peer-reconnected': push('peer-reconnected', { user: userId }),
  'stream-added': push('stream-added', { stream: streamInfo }),
  'stream-removed': push('stream-removed', {
    stream: streamId,
    user: userId,
    reason: oneOf(['unpublished', 'peer-left', 'role-changed', 'failed']),
  }),
  'stream-updated': push('stream-updated', { stream: streamInfo }),
  'url-updated': push('url-updated', { stream: streamId, direction, url }),
  'stream-failed': push('stream-failed', { stream: streamId, direction, reason }),
  kicked: push('kicked', {
    reason: oneOf(['replaced', 'kicked', 'banned', 'room-closed', 'token-expired']),
    message: optional(reason),
  }),
  'attributes-changed': push('attributes-changed', {
    set: attributes,
    deleted: arr(attributeKey),
    by: userId,
  }),
  message: push('message', {
    from: userId,
    name: str(1, LIMITS.maxMessageNameLength),
    content: str(0, LIMITS.maxMessageContentLength),
    private: bool,
  }),
  'token-expiring': push('token-expiring', { exp }),
};

/** Guards of the frames outside the room sequence. */
export const controlGuards = {
  ack: variant('ok', [
    [[true], frame('ack', { id: requestId, ok: oneOf([true]), data: anything })],
    [[false], frame('ack', { id: requestId, ok: oneOf([false]), error: errorObject })],
  ]),
  pong: frame('pong', { id: requestId, seq: optional(seq) }),
  error: frame('error', { id: optional(requestId), error: errorObject }),
} as const;

const serverGuards: Readonly<Record<string, Guard>> = { ...pushGuards, ...controlGuards };

/** `t: reason` for an error; reasons led by a path step lose the step's dot. */
function describe(subject: string, why: string): string {
  const text = `${subject}: ${why.charCodeAt(0) === 0x2e /* . */ ? why.slice(1) : why.startsWith(': ') ? why.slice(2) : why}`;
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/**
 * A server frame checked but not copied: the parsed object itself, which may carry unknown keys.
 * Read only the fields of its type. This is what the hot path uses: nothing is allocated past
 * `JSON.parse` while a frame is valid.
 */
export function checkServerFrame(data: RawFrameData, options?: DecodeOptions): DecodeResult<ServerFrame> {
  const envelope = readEnvelope(data, options);
  if (!envelope.ok) return envelope;
  const { value, id } = envelope;
  const t = value.t;
  const guard = hasOwn.call(serverGuards, t) ? serverGuards[t] : undefined;
  if (!guard) return unknownType(t, id);
  const why = guard.check(value);
  if (why !== undefined) return failure(new RtcError('INVALID_FRAME', describe(t, why)), id);
  return { ok: true, frame: value as unknown as ServerFrame };
}

/**
 * Decodes a frame a server sent, as {@link decodeServerFrame} does (same acceptance, same error
 * codes, the same output with unknown keys dropped) without valibot. Never throws.
 */
export function guardServerFrame(data: RawFrameData, options?: DecodeOptions): DecodeResult<ServerFrame> {
  const checked = checkServerFrame(data, options);
  if (!checked.ok) return checked;
  return { ok: true, frame: serverGuards[checked.frame.t]!.copy!(checked.frame) as ServerFrame };
}

/**
 * Validates and copies the `data` of a successful ack, as {@link decodeAckData} does, without
 * valibot. Fails with INVALID_FRAME naming the path that failed.
 */
export function guardAckData<T extends RequestType>(
  type: T,
  data: unknown,
): { readonly ok: true; readonly data: AckData<T> } | (DecodeFailure & { readonly id?: undefined }) {
  const guard = ackDataGuards[type];
  const why = guard.check(data);
  if (why !== undefined)
    return { ok: false, error: new RtcError('INVALID_FRAME', describe(`ack of ${type}`, why)) };
  return { ok: true, data: guard.copy!(data) as AckData<T> };
}

// ── requests (what the client sends; checked before sending) ───────────

const roomId = str(1, LIMITS.maxRoomIdLength, ID_PATTERN);
const anyInteger = leaf((x) =>
  typeof x === 'number' && Number.isInteger(x) ? undefined : ': expected an integer',
);
const attributeKeys = leaf((x) => {
  if (!Array.isArray(x)) return ': expected an array';
  if (x.length < 1 || x.length > LIMITS.maxAttributesPerRequest) {
    return `: between 1 and ${LIMITS.maxAttributesPerRequest} keys`;
  }
  for (let i = 0; i < x.length; i++) {
    const why = attributeKey.check(x[i]);
    if (why !== undefined) return `[${i}]${why}`;
  }
  return undefined;
});
const attributesToSet = leaf((x) => {
  const why = attributes.check(x);
  if (why !== undefined) return why;
  const n = Object.keys(x as object).length;
  return n >= 1 && n <= LIMITS.maxAttributesPerRequest
    ? undefined
    : `: between 1 and ${LIMITS.maxAttributesPerRequest} attributes`;
});

/**
 * Net readings of a report: name → number, at most 32. As valibot's `record` does, any non-null
 * object passes (an array is read by index), the keys `__proto__`, `constructor` and `prototype`
 * are skipped unchecked, and NaN is not a number.
 */
const netInfo: Guard = {
  check(x) {
    if (typeof x !== 'object' || x === null) return ': expected an object';
    let n = 0;
    for (const key in x) {
      if (!hasOwn.call(x, key) || RESERVED_KEYS.has(key)) continue;
      if (key.length > 64) return `[${JSON.stringify(key.slice(0, 32))}]: longer than 64`;
      const value = (x as Record<string, unknown>)[key];
      if (typeof value !== 'number' || Number.isNaN(value)) return `.${key}: expected a number`;
      n++;
    }
    return n <= 32 ? undefined : ': at most 32 fields';
  },
  copy(x) {
    const out: Record<string, unknown> = {};
    for (const key in x as object) {
      if (hasOwn.call(x, key) && !RESERVED_KEYS.has(key)) out[key] = (x as Record<string, unknown>)[key];
    }
    return out;
  },
};

const request = (t: RequestType, entries: Readonly<Record<string, Guard>>) =>
  frame(t, { id: requestId, ...entries });
const muteBits = { audio: optional(bool), video: optional(bool) };

/** Every request guard, keyed by its type. */
export const requestGuards: { readonly [T in RequestType]: Guard } = {
  join: request('join', {
    token: str(0, LIMITS.maxTokenLength),
    room: roomId,
    user: userId,
    visible: optional(bool),
    role: optional(role),
    businessId: optional(str(0, LIMITS.maxBusinessIdLength)),
    resume: optional(obj({ session: sessionId, seq, snapshot: optional(bool) })),
  }),
  leave: request('leave', {}),
  publish: request('publish', {
    kind: optional(streamKind),
    tag: optional(streamTag),
    audio: bool,
    video: bool,
    small: optional(bool),
  }),
  unpublish: request('unpublish', { stream: streamId }),
  subscribe: request('subscribe', { stream: streamId, ...muteBits, small: optional(bool) }),
  unsubscribe: request('unsubscribe', { stream: streamId }),
  'mute-local': request('mute-local', { stream: streamId, ...muteBits }),
  'mute-remote': request('mute-remote', { stream: streamId, ...muteBits }),
  'set-visibility': request('set-visibility', { visible: bool }),
  'set-role': request('set-role', { role }),
  'set-business-id': request('set-business-id', { businessId: str(0, LIMITS.maxBusinessIdLength) }),
  'attrs-set': request('attrs-set', { attributes: attributesToSet, notify: optional(bool) }),
  'attrs-get': request('attrs-get', { keys: optional(attributeKeys) }),
  'attrs-delete': request('attrs-delete', { keys: attributeKeys, notify: optional(bool) }),
  message: request('message', {
    name: str(1, LIMITS.maxMessageNameLength),
    content: str(0, LIMITS.maxMessageContentLength),
    to: optional(userId),
  }),
  report: request('report', {
    report: variant('kind', [
      [['pusher-state'], obj({ kind: oneOf(['pusher-state']), code: anyInteger, message: optional(reason) })],
      [
        ['player-state'],
        obj({ kind: oneOf(['player-state']), stream: streamId, code: anyInteger, message: optional(reason) }),
      ],
      [['pusher-net'], obj({ kind: oneOf(['pusher-net']), info: netInfo })],
      [['player-net'], obj({ kind: oneOf(['player-net']), stream: streamId, info: netInfo })],
    ]),
  }),
  ping: request('ping', {}),
  'renew-token': request('renew-token', { token: str(0, LIMITS.maxTokenLength) }),
};

/**
 * Checks a request before it is sent, as the server's schema will: `undefined` when valid, else
 * `type: path: reason`. The caller fails the request with INVALID_ARGUMENT.
 */
export function checkRequest(frame: { readonly t: string }): string | undefined {
  // Typed as a string, but a caller's object may carry anything: a `t` that cannot be a key
  // (an object whose toString is not a function) must be refused, not throw.
  if (typeof frame.t !== 'string') return `request type must be a string, got ${typeof frame.t}`;
  const guard = hasOwn.call(requestGuards, frame.t) ? requestGuards[frame.t as RequestType] : undefined;
  if (!guard) return `unknown request type "${String(frame.t).slice(0, 64)}"`;
  const why = guard.check(frame);
  return why === undefined ? undefined : describe(frame.t, why);
}
