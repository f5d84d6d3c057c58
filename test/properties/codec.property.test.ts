/**
 * Property tests of the protocol codec (fast-check): arbitrary bytes and near-valid frames never
 * throw and always map to a documented error; valid frames round-trip.
 */
import fc from 'fast-check';
import {
  decodeClientFrame,
  decodeFrame,
  decodeServerFrame,
  encodeFrame,
  FRAME_TYPES,
} from '../../src/protocol';
import { isRtcErrorCode, RtcError } from '../../src/errors';
import { pushSamples, requestSamples } from '../protocol/samples';

const decoders = [decodeFrame, decodeClientFrame, decodeServerFrame];

function assertResult(result: ReturnType<typeof decodeFrame>): void {
  if (result.ok) {
    expect(typeof result.frame.t).toBe('string');
  } else {
    expect(result.error).toBeInstanceOf(RtcError);
    expect(isRtcErrorCode(result.error.code)).toBe(true);
    expect(result.error.reason.length).toBeGreaterThan(0);
  }
}

const allSamples = [...Object.values(requestSamples).flat(), ...Object.values(pushSamples).flat()] as Record<
  string,
  unknown
>[];

/** A valid frame with one field replaced, removed or added: the frames a buggy or hostile peer sends. */
const nearValid = fc
  .tuple(
    fc.constantFrom(...allSamples),
    fc.oneof(
      fc.record({ op: fc.constant('set' as const), key: fc.string(), value: fc.jsonValue() }),
      fc.record({ op: fc.constant('delete' as const), index: fc.nat() }),
      fc.record({ op: fc.constant('retype' as const), index: fc.nat(), value: fc.jsonValue() }),
    ),
  )
  .map(([frame, edit]) => {
    const copy: Record<string, unknown> = JSON.parse(JSON.stringify(frame));
    const keys = Object.keys(copy);
    if (edit.op === 'set') copy[edit.key] = edit.value;
    else if (edit.op === 'delete') delete copy[keys[edit.index % keys.length]!];
    else copy[keys[edit.index % keys.length]!] = edit.value;
    return copy;
  });

describe('codec properties', () => {
  it('arbitrary bytes never throw and map to a documented error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        for (const decode of decoders) assertResult(decode(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('arbitrary strings and JSON values never throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
        ),
        (text) => {
          for (const decode of decoders) assertResult(decode(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('near-valid frames never throw: accepted frames are valid, refused ones carry a documented code', () => {
    fc.assert(
      fc.property(nearValid, (frame) => {
        const text = JSON.stringify(frame);
        for (const decode of decoders) {
          const result = decode(text);
          assertResult(result);
          // whatever is accepted must encode again and decode to itself
          if (result.ok) expect(decode(encodeFrame(result.frame))).toEqual(result);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('valid frames round-trip, whatever their strings hold', () => {
    // any key but the three a JavaScript object cannot hold as data (refused by the schema)
    const attributeKey = fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
    const text = fc.string({ maxLength: 200, unit: 'binary' });
    const frames = fc.oneof(
      fc.record({
        v: fc.constant(1 as const),
        t: fc.constant('message' as const),
        id: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        name: fc.string({ minLength: 1, maxLength: 64, unit: 'binary' }),
        content: text,
      }),
      fc.record({
        v: fc.constant(1 as const),
        t: fc.constant('attributes-changed' as const),
        seq: fc.nat(),
        set: fc.dictionary(attributeKey, text, { maxKeys: 5 }),
        deleted: fc.array(attributeKey, { maxLength: 5 }),
        by: fc.stringMatching(/^[A-Za-z0-9_.@+-]{1,20}$/),
      }),
      fc.record({
        v: fc.constant(1 as const),
        t: fc.constant('kicked' as const),
        seq: fc.nat(),
        reason: fc.constantFrom('replaced', 'kicked', 'banned', 'room-closed', 'token-expired'),
        message: fc.string({ maxLength: 100 }),
      }),
    );
    fc.assert(
      fc.property(frames, (frame) => {
        expect(decodeFrame(encodeFrame(frame))).toEqual({ ok: true, frame });
      }),
      { numRuns: 1000 },
    );
  });

  it('the samples cover every frame type, so the mutations reach every schema', () => {
    const types = new Set(allSamples.map((f) => f.t));
    for (const t of [...FRAME_TYPES.requests, ...FRAME_TYPES.pushes]) expect(types).toContain(t);
  });
});
