/**
 * Join tokens (docs/protocol.md §9): HS256 JWTs, signed with jose and checked here with
 * node:crypto. Media tokens are in ./media-token.ts.
 * Every failure becomes an {@link RtcError} with the code §9 assigns to it.
 */
import { createHmac, createSecretKey, timingSafeEqual, webcrypto, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import * as v from 'valibot';
import { describeIssues, TokenClaimsSchema, type TokenClaims } from '../src/protocol';
import { RtcError } from '../src/errors';
import { DEFAULTS, DEV_SECRET } from './options';

/**
 * Seconds of clock difference tolerated between the token service and this server, on `exp` and
 * `nbf`. Small enough that the §9 codes still mean what they say.
 */
export const CLOCK_TOLERANCE_S = 5;

const keys = new Map<string, Promise<webcrypto.CryptoKey>>();

/**
 * The HMAC signing key of a secret, imported once (given raw bytes, jose imports them into a
 * WebCrypto key on every call).
 */
function keyOf(secret: string): Promise<webcrypto.CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    keys.set(secret, key);
  }
  return key;
}

const verifyKeys = new Map<string, KeyObject>();

/** The HMAC key of a secret for verifying, made once per secret. */
function verifyKeyOf(secret: string): KeyObject {
  let key = verifyKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    verifyKeys.set(secret, key);
  }
  return key;
}

const invalid = (detail: string) => new RtcError('TOKEN_INVALID', `the token is not valid (${detail})`);

/** Base64url text decoded, or undefined when it is not canonical base64url (no padding). */
function base64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  // Node decodes leniently (it skips foreign characters): only the exact encoding counts.
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function jsonObject(bytes: Buffer | undefined): Record<string, unknown> | undefined {
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The payload of a compact HS256 JWS (RFC 7515) whose MAC is right. The MAC is computed with
 * node:crypto in this thread: through WebCrypto (jose) each verification was a thread-pool job,
 * the largest single cost of a join.
 */
function macCheckedPayload(token: string, secret: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid('ERR_JWS_INVALID');
  const [head, body, mac] = parts as [string, string, string];
  const header = jsonObject(base64url(head));
  if (!header) throw invalid('ERR_JWS_INVALID');
  // Only HS256, so a token of another algorithm (or `none`) is refused however it is built; no
  // extension (`crit`, `b64`) is understood, so none is accepted.
  if (header.alg !== 'HS256') throw invalid('ERR_JOSE_ALG_NOT_ALLOWED');
  if (header.crit !== undefined || header.b64 !== undefined) throw invalid('ERR_JWS_INVALID');
  const given = base64url(mac);
  const expected = createHmac('sha256', verifyKeyOf(secret)).update(`${head}.${body}`).digest();
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalid('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  }
  const payload = jsonObject(base64url(body));
  if (!payload) throw invalid('ERR_JWT_INVALID');
  return payload;
}

/**
 * Verifies a join token and returns its claims. Only HS256 is accepted, so a token signed with
 * another algorithm (or `none`) is refused however it is built.
 *
 * @throws {@link RtcError} `TOKEN_MISSING`, `TOKEN_INVALID`, `TOKEN_EXPIRED` or `TOKEN_NOT_YET_VALID`.
 */
export function verifyToken(token: string, secret: string): Promise<TokenClaims> {
  try {
    return Promise.resolve(verifyTokenSync(token, secret, Date.now()));
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

function verifyTokenSync(token: string, secret: string, nowMs: number): TokenClaims {
  // The join schema makes `token` a required string, so "no token" arrives as an empty one.
  if (token.length === 0) throw new RtcError('TOKEN_MISSING', 'the join request carries no token');
  const payload = macCheckedPayload(token, secret);
  const now = Math.floor(nowMs / 1000);
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const value = payload[claim];
    if (value !== undefined && typeof value !== 'number') throw invalid('ERR_JWT_CLAIM_VALIDATION_FAILED');
  }
  if (typeof payload.exp === 'number' && payload.exp <= now - CLOCK_TOLERANCE_S) {
    throw new RtcError('TOKEN_EXPIRED', 'the token has expired');
  }
  if (typeof payload.nbf === 'number' && payload.nbf > now + CLOCK_TOLERANCE_S) {
    throw new RtcError('TOKEN_NOT_YET_VALID', 'the token is not valid yet (nbf)');
  }
  const parsed = v.safeParse(TokenClaimsSchema, payload);
  if (!parsed.success) {
    throw new RtcError('TOKEN_INVALID', `token claims: ${describeIssues(parsed.issues)}`);
  }
  return parsed.output;
}

/** What a verified token must agree with. */
export interface TokenExpectation {
  readonly appId: string;
  readonly room: string;
  readonly user: string;
}

/** Returns the `TOKEN_MISMATCH` error when the claims name another app, room or user, else undefined. */
export function checkTokenMatch(claims: TokenClaims, expected: TokenExpectation): RtcError | undefined {
  if (claims.app !== expected.appId) return new RtcError('TOKEN_MISMATCH', 'the token is for another app');
  if (claims.room !== expected.room) return new RtcError('TOKEN_MISMATCH', 'the token is for another room');
  if (claims.user !== expected.user) return new RtcError('TOKEN_MISMATCH', 'the token is for another user');
  return undefined;
}

/** Signs claims as an HS256 JWT. The claims are used as given (no defaults). */
export async function signToken(claims: TokenClaims, secret: string): Promise<string> {
  // Leave out absent optional claims (`nbf: undefined` is not a JWT claim).
  const payload: JWTPayload = {};
  for (const [key, value] of Object.entries(claims)) if (value !== undefined) payload[key] = value;
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(await keyOf(secret));
}

/** Input of {@link createToken}. */
export interface CreateTokenOptions {
  readonly room: string;
  readonly user: string;
  /** May publish. Default false. */
  readonly publish?: boolean | undefined;
  /** May subscribe. Default true. */
  readonly subscribe?: boolean | undefined;
  /** Lifetime in seconds. Default 3600. */
  readonly ttl?: number | undefined;
  /** Default: the development secret. */
  readonly secret?: string | undefined;
  /** Default `rxroom`. */
  readonly appId?: string | undefined;
  /** Clock in ms since epoch, for tests. Default `Date.now()`. */
  readonly now?: number | undefined;
}

/**
 * Creates a join token for development and tests: what an app's token service does in production.
 * Checks room and user ids with the protocol schemas, so a token it returns is one the server can accept.
 */
export async function createToken(options: CreateTokenOptions): Promise<string> {
  const ttl = options.ttl ?? 3600;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError('ttl must be a positive integer (seconds)');
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: TokenClaims = {
    app: options.appId ?? DEFAULTS.appId,
    room: options.room,
    user: options.user,
    iat,
    exp: iat + ttl,
    privileges: { publish: options.publish ?? false, subscribe: options.subscribe ?? true },
  };
  const parsed = v.safeParse(TokenClaimsSchema, claims);
  if (!parsed.success) throw new RangeError(`cannot create token: ${describeIssues(parsed.issues)}`);
  return signToken(parsed.output, options.secret ?? DEV_SECRET);
}
