/**
 * encodeFrame / decodeFrame: the only place where protocol frames become text and back.
 * Decoding never throws; every failure is an {@link RtcError} with a documented code.
 */
import * as v from 'valibot';
import { RtcError } from '../errors';
import type { AckData, ClientFrame, Frame, RequestType, ServerFrame } from './frames';
import { LIMITS, PROTOCOL_VERSION } from './limits';
import { ackDataSchemas, controlSchemas, pushSchemas, requestSchemas } from './schemas';

/** The result of decoding: the frame, or the error and (when it could be read) the request id. */
export type DecodeResult<F> =
  | { readonly ok: true; readonly frame: F }
  | { readonly ok: false; readonly error: RtcError; readonly id?: number };

/** Options of the decoders. */
export interface DecodeOptions {
  /** Largest accepted frame in UTF-8 bytes. Default {@link LIMITS.maxFrameBytes}. */
  readonly maxBytes?: number;
}

/** Raw socket data: text, or bytes holding UTF-8 text. */
export type RawFrameData = string | ArrayBuffer | ArrayBufferView;

type AnySchema = v.GenericSchema<unknown, unknown>;

/** The part of TextDecoder we use; declared here so the SDK needs no DOM typings. */
interface Utf8DecoderConstructor {
  new (label: 'utf-8', options: { fatal: boolean }): { decode(data: ArrayBuffer | ArrayBufferView): string };
}

const clientTable: SchemaTable = { ...requestSchemas };
const serverTable: SchemaTable = { ...pushSchemas, ...controlSchemas };

/**
 * Number of bytes `text` takes as UTF-8. Written by hand because TextEncoder is not on every
 * mini program base library.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function exceeds(text: string, max: number): boolean {
  // Each UTF-16 unit is 1–3 UTF-8 bytes, so most frames are decided without counting.
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return utf8ByteLength(text) > max;
}

function bytesToText(data: ArrayBuffer | ArrayBufferView): string | RtcError {
  const Decoder = (globalThis as { TextDecoder?: Utf8DecoderConstructor }).TextDecoder;
  if (!Decoder) {
    return new RtcError('MALFORMED_JSON', 'binary frame received and no TextDecoder to read it');
  }
  try {
    return new Decoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new RtcError('MALFORMED_JSON', 'binary frame is not valid UTF-8');
  }
}

function readId(value: object): number | undefined {
  const id = (value as { id?: unknown }).id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= LIMITS.maxRequestId
    ? id
    : undefined;
}

function fail<F>(error: RtcError, id?: number): DecodeResult<F> {
  return id === undefined ? { ok: false, error } : { ok: false, error, id };
}

/** Formats valibot issues as `path: message; …`, short enough for a reason field. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const text = issues
    .slice(0, 3)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

type SchemaTable = Readonly<Record<string, AnySchema>>;

const has = (table: SchemaTable, t: string) => Object.prototype.hasOwnProperty.call(table, t);

/** Picks the schema for `t`. `message` exists in both directions; only pushes carry `seq`. */
type Lookup = (t: string, value: object) => AnySchema | undefined;
const lookupIn =
  (table: SchemaTable): Lookup =>
  (t) =>
    has(table, t) ? table[t] : undefined;
const lookupAny: Lookup = (t, value) => {
  if (has(clientTable, t) && has(serverTable, t)) return 'seq' in value ? serverTable[t] : clientTable[t];
  return has(clientTable, t) ? clientTable[t] : has(serverTable, t) ? serverTable[t] : undefined;
};
const lookupClient = lookupIn(clientTable);
const lookupServer = lookupIn(serverTable);

function decodeWith<F>(lookup: Lookup, data: unknown, options?: DecodeOptions): DecodeResult<F> {
  const max = options?.maxBytes ?? LIMITS.maxFrameBytes;
  let text: string;
  if (typeof data === 'string') {
    text = data;
  } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const size = data.byteLength;
    if (size > max) return fail(new RtcError('FRAME_TOO_LARGE', `frame of ${size} bytes exceeds ${max}`));
    const decoded = bytesToText(data);
    if (decoded instanceof RtcError) return fail(decoded);
    text = decoded;
  } else {
    return fail(new RtcError('INVALID_FRAME', `frame data must be text, got ${typeof data}`));
  }
  if (exceeds(text, max)) {
    return fail(new RtcError('FRAME_TOO_LARGE', `frame exceeds ${max} bytes`));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail(new RtcError('MALFORMED_JSON', e instanceof Error ? e.message.slice(0, 200) : 'not JSON'));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(new RtcError('INVALID_FRAME', 'a frame must be a JSON object'));
  }
  const id = readId(value);
  const record = value as { v?: unknown; t?: unknown };
  if (record.v !== PROTOCOL_VERSION) {
    return fail(
      new RtcError(
        'UNSUPPORTED_VERSION',
        `protocol version ${JSON.stringify(record.v) ?? 'missing'} is not ${PROTOCOL_VERSION}`,
      ),
      id,
    );
  }
  if (typeof record.t !== 'string') {
    return fail(new RtcError('INVALID_FRAME', 't: frame type must be a string'), id);
  }
  const schema = lookup(record.t, value);
  if (!schema) {
    return fail(new RtcError('UNKNOWN_TYPE', `unknown frame type "${record.t.slice(0, 64)}"`), id);
  }
  const result = v.safeParse(schema, value);
  if (!result.success) {
    return fail(new RtcError('INVALID_FRAME', `${record.t}: ${describeIssues(result.issues)}`), id);
  }
  return { ok: true, frame: result.output as F };
}

/** Decodes any frame of protocol v1, from either side. Never throws. */
export function decodeFrame(data: RawFrameData, options?: DecodeOptions): DecodeResult<Frame> {
  return decodeWith<Frame>(lookupAny, data, options);
}

/** Decodes a frame a client sent (a request). The server uses this. Never throws. */
export function decodeClientFrame(data: RawFrameData, options?: DecodeOptions): DecodeResult<ClientFrame> {
  return decodeWith<ClientFrame>(lookupClient, data, options);
}

/** Decodes a frame a server sent (ack, push, pong, error). The SDK uses this. Never throws. */
export function decodeServerFrame(data: RawFrameData, options?: DecodeOptions): DecodeResult<ServerFrame> {
  return decodeWith<ServerFrame>(lookupServer, data, options);
}

/**
 * Validates the `data` of a successful ack against the request type it answers. Acks are matched
 * to requests by id, so this runs after correlation, not inside {@link decodeServerFrame}.
 */
export function decodeAckData<T extends RequestType>(
  type: T,
  data: unknown,
): { readonly ok: true; readonly data: AckData<T> } | { readonly ok: false; readonly error: RtcError } {
  const result = v.safeParse(ackDataSchemas[type] as AnySchema, data);
  return result.success
    ? { ok: true, data: result.output as AckData<T> }
    : { ok: false, error: new RtcError('INVALID_FRAME', `ack of ${type}: ${describeIssues(result.issues)}`) };
}

/**
 * Turns a frame into text. Frames are typed, so this only checks the size limit and throws
 * `FRAME_TOO_LARGE` above it (the peer would refuse the frame anyway).
 */
export function encodeFrame(frame: Frame, options?: DecodeOptions): string {
  const text = JSON.stringify(frame);
  const max = options?.maxBytes ?? LIMITS.maxFrameBytes;
  if (exceeds(text, max)) {
    throw new RtcError('FRAME_TOO_LARGE', `${frame.t} frame exceeds ${max} bytes`);
  }
  return text;
}

/** The frame types each side sends, for documentation and exhaustive tests. */
export const FRAME_TYPES = {
  requests: Object.keys(requestSchemas) as RequestType[],
  pushes: Object.keys(pushSchemas) as (keyof typeof pushSchemas)[],
  control: Object.keys(controlSchemas) as (keyof typeof controlSchemas)[],
} as const;
