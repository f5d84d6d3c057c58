/**
 * Argument and state checks the client runs before a command reaches any driver. Each returns the
 * {@link RtcError} to fail with, or null when the call may go ahead.
 */
import { RtcError } from '../../errors';
import { ID_PATTERN, LIMITS, STREAM_ID_PATTERN, TAG_PATTERN } from '../../protocol/limits';
import type { AttributeNotice } from '../command';
import type { RoomState, StreamKind } from '../model';
import type { JoinOptions, PublishOptions } from './types';

/** `user:tag`, bounded like the protocol's stream ids. */
const STREAM_ID = STREAM_ID_PATTERN;
const MAX_STREAM_ID = LIMITS.maxUserIdLength + 1 + LIMITS.maxStreamTagLength;

export function checkId(what: string, value: unknown, max: number): RtcError | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !ID_PATTERN.test(value)) {
    return new RtcError('INVALID_ARGUMENT', `${what} must be 1–${max} characters of A–Z a–z 0–9 _ . @ + -`);
  }
  return null;
}

/** The id of one of this client's own streams: given, or `<self>:main`/`<self>:screen`. */
export const ownStream = (s: RoomState, stream: string | StreamKind | undefined): string => {
  if (stream === undefined || stream === 'main' || stream === 'screen') {
    return `${s.self?.userId ?? ''}:${stream ?? 'main'}`;
  }
  return stream;
};

export const notPublished = (s: RoomState, id: string) =>
  s.self?.publications[id] ? null : new RtcError('NOT_PUBLISHED', `${id} is not published by this client`);
export const notSubscribed = (s: RoomState, id: string) =>
  s.streams.get(id)?.subscription ? null : new RtcError('NOT_SUBSCRIBED', `${id} is not subscribed`);
export const badStreamId = (id: unknown) =>
  typeof id === 'string' && id.length <= MAX_STREAM_ID && STREAM_ID.test(id)
    ? null
    : new RtcError('INVALID_ARGUMENT', 'stream id must be user:tag (user:main, user:screen, user:<tag>)');

/** A notice's name and content bounded like a message's. */
export const badNotice = (notice: AttributeNotice | undefined) =>
  notice === undefined ||
  (typeof notice.name === 'string' &&
    notice.name.length > 0 &&
    notice.name.length <= LIMITS.maxMessageNameLength &&
    typeof notice.content === 'string' &&
    notice.content.length <= LIMITS.maxMessageContentLength)
    ? null
    : new RtcError(
        'INVALID_ARGUMENT',
        `notice: name 1–${LIMITS.maxMessageNameLength} characters, content a string of at most ${LIMITS.maxMessageContentLength}`,
      );

/** A token: a non-empty string no longer than the protocol allows. */
export const tokenProblem = (token: unknown): RtcError | null =>
  typeof token !== 'string' || token.length === 0 || token.length > LIMITS.maxTokenLength
    ? new RtcError('INVALID_ARGUMENT', 'token must be a non-empty string')
    : null;

export function joinProblem(o: JoinOptions, state: RoomState): RtcError | null {
  return (
    tokenProblem(o?.token) ??
    checkId('roomId', o.roomId, LIMITS.maxRoomIdLength) ??
    checkId('userId', o.userId, LIMITS.maxUserIdLength) ??
    // A join in flight shows as `connecting` (the driver reports it at once), so this holds
    // even when the caller of the first join stopped listening.
    (state.roomId || state.connection.status === 'connecting'
      ? new RtcError('ALREADY_JOINED', 'already joined or joining')
      : null)
  );
}

export function publishProblem(o: PublishOptions, kind: StreamKind, s: RoomState): RtcError | null {
  if (kind !== 'main' && kind !== 'screen')
    return new RtcError('INVALID_ARGUMENT', 'kind must be main or screen');
  const tag = o.tag ?? kind;
  if (
    typeof tag !== 'string' ||
    tag.length > LIMITS.maxStreamTagLength ||
    !TAG_PATTERN.test(tag) ||
    (tag !== kind && (tag === 'main' || tag === 'screen'))
  )
    return new RtcError(
      'INVALID_ARGUMENT',
      `tag must be 1–${LIMITS.maxStreamTagLength} of [A-Za-z0-9_-], and main or screen only for that kind`,
    );
  if (s.self && Object.keys(s.self.publications).length >= LIMITS.maxStreamsPerUser)
    return new RtcError('PUBLISHER_LIMIT', `a user publishes at most ${LIMITS.maxStreamsPerUser} streams`);
  if (o.audio === false && o.video === false) {
    return new RtcError('INVALID_ARGUMENT', 'publish at least one of audio and video');
  }
  if (s.self && (!s.self.visible || s.self.role !== 'broadcaster')) {
    return new RtcError('NOT_ALLOWED', 'invisible users and the audience cannot publish');
  }
  return s.self?.publications[`${s.self.userId}:${tag}`]
    ? new RtcError('ALREADY_PUBLISHED', `a ${tag} stream is already published`)
    : null;
}

export const visibilityProblem = (visible: unknown) =>
  typeof visible === 'boolean' ? null : new RtcError('INVALID_ARGUMENT', 'visible must be a boolean');

export const roleProblem = (role: unknown) =>
  role === 'broadcaster' || role === 'audience'
    ? null
    : new RtcError('INVALID_ARGUMENT', 'role must be broadcaster or audience');

export const businessIdProblem = (businessId: unknown) =>
  typeof businessId === 'string' && businessId.length <= LIMITS.maxBusinessIdLength
    ? null
    : new RtcError(
        'INVALID_ARGUMENT',
        `businessId must be a string of at most ${LIMITS.maxBusinessIdLength} characters`,
      );

export function attributesProblem(attributes: Readonly<Record<string, string>>): RtcError | null {
  const keys = Object.keys(attributes ?? {});
  if (keys.length === 0 || keys.length > LIMITS.maxAttributesPerRequest) {
    return new RtcError('INVALID_ARGUMENT', `set 1–${LIMITS.maxAttributesPerRequest} attributes at a time`);
  }
  for (const k of keys) {
    const value = attributes[k];
    if (
      k.length > LIMITS.maxAttributeKeyLength ||
      typeof value !== 'string' ||
      value.length > LIMITS.maxAttributeValueLength
    ) {
      return new RtcError(
        'INVALID_ARGUMENT',
        `attribute ${k.slice(0, 40)}: keys ≤ ${LIMITS.maxAttributeKeyLength}, string values ≤ ${LIMITS.maxAttributeValueLength}`,
      );
    }
  }
  return null;
}

export const attributeKeysProblem = (keys: readonly string[] | undefined) =>
  !!keys && (keys.length === 0 || keys.length > LIMITS.maxAttributesPerRequest)
    ? new RtcError('INVALID_ARGUMENT', `ask for 1–${LIMITS.maxAttributesPerRequest} keys, or none for all`)
    : null;

export const deleteKeysProblem = (keys: readonly string[]) =>
  keys.length === 0 || keys.length > LIMITS.maxAttributesPerRequest
    ? new RtcError('INVALID_ARGUMENT', `delete 1–${LIMITS.maxAttributesPerRequest} keys at a time`)
    : null;

export function messageProblem(name: unknown, content: unknown, to: string | undefined): RtcError | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > LIMITS.maxMessageNameLength) {
    return new RtcError(
      'INVALID_ARGUMENT',
      `message name must be 1–${LIMITS.maxMessageNameLength} characters`,
    );
  }
  if (typeof content !== 'string' || content.length > LIMITS.maxMessageContentLength) {
    return new RtcError(
      'INVALID_ARGUMENT',
      `message content must be a string of at most ${LIMITS.maxMessageContentLength} characters`,
    );
  }
  return to ? checkId('to', to, LIMITS.maxUserIdLength) : null;
}
