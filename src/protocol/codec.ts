/**
 * encodeFrame / decodeFrame: the only place where protocol frames become text and back.
 * Decoding never throws; every failure is an {@link RtcError} with a documented code.
 */
import * as v from 'valibot';
import { RtcError } from '../errors';
import type { AckData, ClientFrame, Frame, RequestType, ServerFrame } from './frames';
import {
  failure,
  readEnvelope,
  unknownType,
  type DecodeOptions,
  type DecodeResult,
  type RawFrameData,
} from './envelope';
import { ackDataSchemas, controlSchemas, pushSchemas, requestSchemas } from './schemas';

export type { DecodeOptions, DecodeResult, RawFrameData } from './envelope';
export { encodeFrame, utf8ByteLength } from './envelope';

type AnySchema = v.GenericSchema<unknown, unknown>;

const clientTable: SchemaTable = { ...requestSchemas };
const serverTable: SchemaTable = { ...pushSchemas, ...controlSchemas };

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
  const envelope = readEnvelope(data, options);
  if (!envelope.ok) return envelope;
  const { value, id } = envelope;
  const schema = lookup(value.t, value);
  if (!schema) return unknownType(value.t, id);
  const result = v.safeParse(schema, value);
  if (!result.success) {
    return failure(new RtcError('INVALID_FRAME', `${value.t}: ${describeIssues(result.issues)}`), id);
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

/** The frame types each side sends, for documentation and exhaustive tests. */
export const FRAME_TYPES = {
  requests: Object.keys(requestSchemas) as RequestType[],
  pushes: Object.keys(pushSchemas) as (keyof typeof pushSchemas)[],
  control: Object.keys(controlSchemas) as (keyof typeof controlSchemas)[],
} as const;
