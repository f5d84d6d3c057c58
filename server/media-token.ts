/**
 * Media tokens: the compact MAC of push and play URLs (docs/protocol.md §9, docs/deploy.md).
 *
 * A media URL names a stream by a short **stream key** and carries a **token**
 * `<exp>.<direction>.<holder>.<mac>`:
 *
 * - `exp`: expiry in seconds since the epoch, base 36;
 * - `direction`: `push` or `play`;
 * - `holder`: a tag of the user the URL was issued to (the publisher for push, the subscriber
 *   for play), so the server can find the holder among the room's sessions;
 * - `mac`: HMAC-SHA256 with the server secret over app, room, stream id, holder user id, direction
 *   and `exp`, truncated to 132 bits.
 *
 * Keys and tags are truncated HMACs too, so they are the same after a server restart (the media
 * server's `/stat` can be matched to republished streams). Everything is base64url, so a URL
 * needs no escaping, and for ids of any length the stream name and query fit in well under 200
 * bytes (nginx-rtmp keeps only 255 of them). Only the server that holds the secret can check a
 * token: the media server asks it through its hooks.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a media token is for. */
export type MediaDirection = 'push' | 'play';

/** Characters of the stream key (12 bytes of HMAC: 96 bits). */
export const STREAM_KEY_CHARS = 16;
/** Characters of the holder tag (8 bytes: collisions only matter within one room). */
const HOLDER_CHARS = 11;
/** Characters of the MAC (132 bits). */
const MAC_CHARS = 22;

function mac(secret: string, label: string, parts: readonly string[], chars: number): string {
  // Ids cannot hold a newline (docs/protocol.md §4), so joining with one is unambiguous.
  return createHmac('sha256', secret)
    .update(`${label}\n${parts.join('\n')}`)
    .digest('base64url')
    .slice(0, chars);
}

/** The stream key of stream `streamId` (`user:kind`) in `room`: the stream name on the media server. */
export function streamKey(secret: string, appId: string, room: string, streamId: string): string {
  return mac(secret, 'rxroom-media-key', [appId, room, streamId], STREAM_KEY_CHARS);
}

/** The holder tag of `user` in `room`. */
export function holderTag(secret: string, appId: string, room: string, user: string): string {
  return mac(secret, 'rxroom-media-holder', [appId, room, user], HOLDER_CHARS);
}

/** The fields a media token binds. */
export interface MediaTokenFields {
  readonly app: string;
  readonly room: string;
  /** The stream id, `user:kind`. */
  readonly stream: string;
  /** The user the URL is issued to. */
  readonly holder: string;
  readonly direction: MediaDirection;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

function macOf(secret: string, f: MediaTokenFields): string {
  return mac(
    secret,
    'rxroom-media-token',
    [f.app, f.room, f.stream, f.holder, f.direction, String(f.exp)],
    MAC_CHARS,
  );
}

/**
 * Signs a media token valid for `ttlMs` from `now` (expiry rounded up to the next second).
 */
export function signMediaToken(
  secret: string,
  fields: Omit<MediaTokenFields, 'exp'>,
  ttlMs: number,
  now = Date.now(),
): string {
  const exp = Math.ceil((now + ttlMs) / 1000);
  const full: MediaTokenFields = { ...fields, exp };
  const tag = holderTag(secret, fields.app, fields.room, fields.holder);
  return `${exp.toString(36)}.${fields.direction}.${tag}.${macOf(secret, full)}`;
}

/** A token split into its parts; nothing checked but the form. */
export interface ParsedMediaToken {
  readonly exp: number;
  readonly direction: MediaDirection;
  readonly holderTag: string;
  readonly mac: string;
}

const TOKEN_FORM = /^([0-9a-z]{1,9})\.(push|play)\.([A-Za-z0-9_-]{11})\.([A-Za-z0-9_-]{22})$/;

/** Splits a token, or returns undefined when it does not have the form of one. */
export function parseMediaToken(token: string): ParsedMediaToken | undefined {
  const m = TOKEN_FORM.exec(token);
  if (!m) return undefined;
  return {
    exp: parseInt(m[1]!, 36),
    direction: m[2] as MediaDirection,
    holderTag: m[3]!,
    mac: m[4]!,
  };
}

/** Whether `token` carries the right MAC for `fields` (its expiry is checked by the caller). */
export function macMatches(secret: string, token: ParsedMediaToken, fields: MediaTokenFields): boolean {
  const expected = Buffer.from(macOf(secret, fields));
  const given = Buffer.from(token.mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
