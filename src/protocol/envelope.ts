/**
 * The part of decoding that comes before any schema: raw socket data to text (UTF-8, size limit),
 * text to JSON, and the envelope every frame shares (`v`, `t`, a readable `id`). Both decoders use
 * it: the valibot codec (./codec.ts, server and tests) and the hand-written guards (./guards.ts,
 * the client's hot path). It imports no validation library.
 */
import { RtcError } from '../errors';
import type { Frame } from './frames';
import { LIMITS, PROTOCOL_VERSION } from './limits';

/** The result of decoding: the frame, or the error and (when it could be read) the request id. */
export type DecodeResult<F> = { readonly ok: true; readonly frame: F } | DecodeFailure;

/** A failed decode: the error and (when it could be read) the request id. */
export interface DecodeFailure {
  readonly ok: false;
  readonly error: RtcError;
  readonly id?: number;
}

/** Options of the decoders. */
export interface DecodeOptions {
  /** Largest accepted frame in UTF-8 bytes. Default {@link LIMITS.maxFrameBytes}. */
  readonly maxBytes?: number;
}

/** Raw socket data: text, or bytes holding UTF-8 text. */
export type RawFrameData = string | ArrayBuffer | ArrayBufferView;

/** The part of TextDecoder we use; declared here so the SDK needs no DOM typings. */
interface Utf8DecoderConstructor {
  new (label: 'utf-8', options: { fatal: boolean }): { decode(data: ArrayBuffer | ArrayBufferView): string };
}

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

/** Whether `text` takes more than `max` bytes as UTF-8. */
export function exceeds(text: string, max: number): boolean {
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
    // fatal: invalid UTF-8 is refused, never decoded with replacement characters.
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

/** A failed {@link DecodeResult}, with the request id when one could be read. */
export function failure(error: RtcError, id?: number): DecodeFailure {
  return id === undefined ? { ok: false, error } : { ok: false, error, id };
}

/** A frame whose envelope is valid: a JSON object with `v` = 1 and a string `t`. */
export interface Envelope {
  readonly ok: true;
  /** The parsed object, not yet checked beyond `v` and `t`. */
  readonly value: Record<string, unknown> & { readonly t: string };
  /** Its request id, when it has a valid one (for error replies). */
  readonly id: number | undefined;
}

/**
 * Reads raw socket data up to the envelope: size limit, UTF-8, JSON, object, version, type.
 * Fails with FRAME_TOO_LARGE, MALFORMED_JSON, INVALID_FRAME or UNSUPPORTED_VERSION.
 */
export function readEnvelope(data: unknown, options?: DecodeOptions): Envelope | DecodeFailure {
  const max = options?.maxBytes ?? LIMITS.maxFrameBytes;
  let text: string;
  if (typeof data === 'string') {
    text = data;
  } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const size = data.byteLength;
    if (size > max) return failure(new RtcError('FRAME_TOO_LARGE', `frame of ${size} bytes exceeds ${max}`));
    const decoded = bytesToText(data);
    if (decoded instanceof RtcError) return failure(decoded);
    text = decoded;
  } else {
    return failure(new RtcError('INVALID_FRAME', `frame data must be text, got ${typeof data}`));
  }
  if (exceeds(text, max)) {
    return failure(new RtcError('FRAME_TOO_LARGE', `frame exceeds ${max} bytes`));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return failure(new RtcError('MALFORMED_JSON', e instanceof Error ? e.message.slice(0, 200) : 'not JSON'));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failure(new RtcError('INVALID_FRAME', 'a frame must be a JSON object'));
  }
  const id = readId(value);
  const record = value as { v?: unknown; t?: unknown };
  if (record.v !== PROTOCOL_VERSION) {
    return failure(
      new RtcError(
        'UNSUPPORTED_VERSION',
        `protocol version ${JSON.stringify(record.v) ?? 'missing'} is not ${PROTOCOL_VERSION}`,
      ),
      id,
    );
  }
  if (typeof record.t !== 'string') {
    return failure(new RtcError('INVALID_FRAME', 't: frame type must be a string'), id);
  }
  return { ok: true, value: value as Envelope['value'], id };
}

/** The UNKNOWN_TYPE failure of a frame whose type no table knows. */
export function unknownType(t: string, id: number | undefined): DecodeFailure {
  return failure(new RtcError('UNKNOWN_TYPE', `unknown frame type "${t.slice(0, 64)}"`), id);
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
