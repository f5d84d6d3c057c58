/**
 * Join tokens (docs/protocol.md §9): HS256 JWTs signed and checked with jose. Media tokens are in
 * ./media-token.ts.
 * Every failure becomes an {@link RtcError} with the code §9 assigns to it.
 */
import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
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
 * The HMAC key of a secret, imported once. Given raw bytes, jose imports them into a WebCrypto
 * key on every sign and verify (two crypto jobs per join); a server has one or two secrets, so
 * the imported key is kept.
 */
function keyOf(secret: string): Promise<webcrypto.CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keys.set(secret, key);
  }
  return key;
}

/**
 * Verifies a join token and returns its claims. Only HS256 is accepted, so a token signed with
 * another algorithm (or `none`) is refused however it is built.
 *
 * @throws {@link RtcError} `TOKEN_MISSING`, `TOKEN_INVALID`, `TOKEN_EXPIRED` or `TOKEN_NOT_YET_VALID`.
 */
export async function verifyToken(token: string, secret: string): Promise<TokenClaims> {
  // The join schema makes `token` a required string, so "no token" arrives as an empty one.
  if (token.length === 0) throw new RtcError('TOKEN_MISSING', 'the join request carries no token');
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, await keyOf(secret), {
      algorithms: ['HS256'],
      clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (e) {
    throw mapJoseError(e);
  }
  const parsed = v.safeParse(TokenClaimsSchema, payload);
  if (!parsed.success) {
    throw new RtcError('TOKEN_INVALID', `token claims: ${describeIssues(parsed.issues)}`);
  }
  return parsed.output;
}

function mapJoseError(e: unknown): RtcError {
  if (e instanceof errors.JWTExpired) return new RtcError('TOKEN_EXPIRED', 'the token has expired');
  if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'nbf' && e.reason === 'check_failed') {
    return new RtcError('TOKEN_NOT_YET_VALID', 'the token is not valid yet (nbf)');
  }
  // Signature, algorithm, structure, claim types: the details stay in the server log, the client
  // learns only that the token is not acceptable.
  const detail = e instanceof errors.JOSEError ? e.code : 'unreadable';
  return new RtcError('TOKEN_INVALID', `the token is not valid (${detail})`);
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
