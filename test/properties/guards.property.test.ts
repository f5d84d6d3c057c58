/**
 * The hand-written guards (src/protocol/guards.ts) against the valibot schemas they replace on the
 * client: on valid frames generated from the schemas themselves and on mutated ones (a field
 * dropped, retyped, added, stretched past its limit, an enum value unknown, bytes that are not
 * UTF-8, a frame past the size limit), both give the same verdict, the same decoded value when
 * they accept, and the same error code (and request id) when they refuse.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import {
  ackDataSchemas,
  controlSchemas,
  decodeAckData,
  decodeServerFrame,
  FRAME_TYPES,
  pushSchemas,
  requestSchemas,
  type DecodeOptions,
  type PushFrame,
  type RawFrameData,
  type RequestType,
} from '../../src/protocol';
import { checkRequest, checkServerFrame, guardAckData, guardServerFrame } from '../../src/protocol/guards';
import { pushToEvent } from '../../src/bindings/protocol/mapping';
import { ackSamples, errorSamples, pongSamples, pushSamples, requestSamples } from '../protocol/samples';
import { declaredKeys, schemaArb } from './schema-arbitrary';

type Json = unknown;

const serverSchemas: Record<string, v.GenericSchema<unknown, unknown>> = {
  ...pushSchemas,
  ...controlSchemas,
};

/** Valid server frames: generated from every schema, plus the hand-written samples. */
const validFrame: fc.Arbitrary<Json> = fc.oneof(
  ...Object.values(serverSchemas).map((schema) => schemaArb(schema)),
  fc.constantFrom(
    ...Object.values(pushSamples).flat(),
    ...ackSamples,
    ...pongSamples,
    ...errorSamples,
  ) as fc.Arbitrary<Json>,
);

/** Valid ack data, with the request type it answers. */
const validAckData: fc.Arbitrary<[RequestType, Json]> = fc.oneof(
  ...FRAME_TYPES.requests.map((type) =>
    schemaArb(ackDataSchemas[type]).map((data): [RequestType, Json] => [type, data]),
  ),
);

/** Valid requests, generated from every request schema, plus the samples. */
const validRequest: fc.Arbitrary<Json> = fc.oneof(
  ...Object.values(requestSchemas).map((schema) => schemaArb(schema)),
  fc.constantFrom(...Object.values(requestSamples).flat()) as fc.Arbitrary<Json>,
);

type Path = (string | number)[];

/** Every path to a value inside `value` (the root is `[]`). */
function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      paths((value as Record<string, Json>)[key], [...prefix, Array.isArray(value) ? Number(key) : key], out);
    }
  }
  return out;
}

function parentOf(root: Json, path: Path): Record<string | number, Json> {
  let node = root as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
  return node;
}

type EditValue = typeof edit extends fc.Arbitrary<infer T> ? T : never;

/** One edit at one place of a frame. */
const edit = fc.oneof(
  fc.record({ op: fc.constant('drop' as const) }),
  fc.record({
    op: fc.constant('set' as const),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom<Json>([], {}, null, '', ['x'], [{}], 1, true),
    ),
  }),
  fc.record({
    op: fc.constant('extra' as const),
    key: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'length', '0'),
    ),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
  fc.record({
    op: fc.constant('long' as const),
    length: fc.constantFrom(2, 3, 9, 64, 65, 128, 129, 136, 137, 512, 513, 2048, 2049, 4096, 4097, 16385),
    char: fc.constantFrom('a', 'é', '😀', ':', ' '),
  }),
  fc.record({
    op: fc.constant('enum' as const),
    value: fc.constantFrom('bogus', '', 'MAIN', 'ok', 'screen '),
  }),
  fc.record({
    op: fc.constant('number' as const),
    value: fc.constantFrom(-1, 0, 0.5, 1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 86_400_000, 86_400_001, 1e300),
  }),
);

/** A valid frame with one edit at a random place. */
function mutate(base: Json, place: number, e: EditValue): Json {
  const copy = JSON.parse(JSON.stringify(base)) as Json;
  // Edits of a kind go to values of that kind when there are some (numbers to numbers, …).
  const fits = (p: Path) => {
    const value = parentOf(copy, p)[p[p.length - 1]!];
    return e.op === 'number'
      ? typeof value === 'number'
      : e.op === 'long' || e.op === 'enum'
        ? typeof value === 'string'
        : true;
  };
  const every = paths(copy).filter((p) => p.length > 0);
  const fitting = every.filter(fits);
  const all = fitting.length > 0 ? fitting : every;
  if (all.length === 0) return copy;
  const path = all[place % all.length]!;
  const parent = parentOf(copy, path);
  const key = path[path.length - 1]!;
  switch (e.op) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'set':
      parent[key] = e.value;
      break;
    case 'extra': {
      const target = parent[key];
      // defineProperty, so that `__proto__` becomes a key as JSON.parse makes it
      const isObject = (x: Json): x is object => !!x && typeof x === 'object' && !Array.isArray(x);
      const where = isObject(target) ? target : isObject(parent) ? parent : (copy as object);
      Object.defineProperty(where, e.key, {
        value: e.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      break;
    }
    case 'long': {
      const current = parent[key];
      const head =
        typeof current === 'string' && current.includes(':') ? current.slice(0, current.indexOf(':')) : '';
      const tail =
        typeof current === 'string' && current.includes(':') ? current.slice(current.indexOf(':')) : '';
      parent[key] =
        (head || e.char).repeat(Math.ceil(e.length / (head || e.char).length)).slice(0, e.length) + tail;
      break;
    }
    case 'enum':
    case 'number':
      parent[key] = e.value;
      break;
  }
  return copy;
}

const mutated = fc.tuple(validFrame, fc.nat(), edit).map(([frame, place, e]) => mutate(frame, place, e));

/**
 * Outputs as text, keys in order and undefined values kept. (toStrictEqual compares `constructor`
 * by identity, so two equal objects with a `constructor` key, a legal key in loose ack data, differ.)
 */
const canonical = (x: unknown) =>
  JSON.stringify(x, (_k, value: unknown) => (value === undefined ? '<undefined>' : value));

/** Same verdict, same output, same code and id, for the guard and for the schema. */
function agree(data: RawFrameData, options?: DecodeOptions): void {
  const expected = decodeServerFrame(data, options);
  const got = guardServerFrame(data, options);
  const checked = checkServerFrame(data, options);
  expect(got.ok).toBe(expected.ok);
  expect(checked.ok).toBe(expected.ok);
  if (expected.ok && got.ok && checked.ok) {
    expect(canonical(got.frame)).toBe(canonical(expected.frame));
    if ('seq' in expected.frame && expected.frame.t !== 'pong') {
      // the fused path: the event built from the unchecked copy equals the schema's
      expect(canonical(pushToEvent(checked.frame as PushFrame))).toBe(canonical(pushToEvent(expected.frame)));
    }
  } else if (!expected.ok && !got.ok && !checked.ok) {
    expect(got.error.code).toBe(expected.error.code);
    expect(got.id).toBe(expected.id);
    expect(checked.error.code).toBe(expected.error.code);
    expect(got.error.reason.length).toBeGreaterThan(0);
  }
}

function agreeOnAckData(type: RequestType, data: Json): void {
  const expected = decodeAckData(type, data);
  const got = guardAckData(type, data);
  expect(got.ok).toBe(expected.ok);
  if (expected.ok && got.ok) expect(canonical(got.data)).toBe(canonical(expected.data));
  if (!expected.ok && !got.ok) expect(got.error.code).toBe(expected.error.code);
}

const encoder = new TextEncoder();

describe('guards agree with the schemas', () => {
  it('generated frames cover every server frame type', () => {
    const types = new Set(fc.sample(validFrame, 3000).map((f) => (f as { t: string }).t));
    for (const t of [...FRAME_TYPES.pushes, ...FRAME_TYPES.control]) expect(types).toContain(t);
  });

  it('generated frames carry every key the schemas declare, so a field new to a schema is exercised', () => {
    const seen = new Set<string>();
    const collect = (x: Json) => {
      if (x && typeof x === 'object')
        for (const [k, child] of Object.entries(x)) {
          seen.add(k);
          collect(child);
        }
    };
    for (const frame of fc.sample(validFrame, 3000)) collect(frame);
    for (const [, data] of fc.sample(validAckData, 3000)) collect(data);
    const declared = new Set<string>();
    for (const schema of Object.values(serverSchemas)) declaredKeys(schema, declared);
    for (const schema of Object.values(ackDataSchemas)) declaredKeys(schema, declared);
    for (const key of declared) expect(seen).toContain(key);
  });

  it('on valid frames: both accept, with the same output', () => {
    fc.assert(
      fc.property(validFrame, (frame) => {
        const text = JSON.stringify(frame);
        expect(decodeServerFrame(text).ok).toBe(true);
        agree(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('on valid ack data of every request type: both accept, with the same output', () => {
    fc.assert(
      fc.property(validAckData, ([type, data]) => {
        expect(decodeAckData(type, data).ok).toBe(true);
        agreeOnAckData(type, data);
      }),
      { numRuns: 2000 },
    );
  });

  it('on mutated frames: same verdict, output, code and id', () => {
    fc.assert(
      fc.property(mutated, (frame) => agree(JSON.stringify(frame))),
      { numRuns: 6000 },
    );
  });

  it('on mutated ack data: same verdict, output and code', () => {
    fc.assert(
      fc.property(validAckData, fc.nat(), edit, ([type, data], place, e) =>
        // wrapped, so the edit may also replace or drop the data as a whole
        agreeOnAckData(type, (mutate({ data }, place, e) as { data?: Json }).data),
      ),
      { numRuns: 4000 },
    );
  });

  it('on requests the client sends, valid and mutated: the same verdict', () => {
    const agreeOnRequest = (frame: Json) => {
      const t = (frame as { t?: unknown }).t;
      const schema =
        typeof t === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, t)
          ? requestSchemas[t as RequestType]
          : undefined;
      const expected = schema ? v.safeParse(schema, frame).success : false;
      const why = checkRequest(frame as { t: string });
      expect(why === undefined).toBe(expected);
      if (why !== undefined) expect(why.length).toBeGreaterThan(0);
      return expected;
    };
    fc.assert(
      fc.property(validRequest, (frame) => expect(agreeOnRequest(frame)).toBe(true)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(validRequest, fc.nat(), edit, (frame, place, e) => {
        agreeOnRequest(mutate(frame, place, e));
      }),
      { numRuns: 5000 },
    );
  });

  it('on bytes: valid UTF-8 decodes alike, broken UTF-8 is refused alike', () => {
    const broken = fc.constantFrom(
      [0xff],
      [0xc3], // a lead byte with no continuation
      [0x80], // a lone continuation
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0xc0, 0xaf], // an overlong '/'
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    );
    fc.assert(
      fc.property(validFrame, fc.option(fc.tuple(fc.nat(), broken), { nil: undefined }), (frame, damage) => {
        const bytes = Array.from(encoder.encode(JSON.stringify(frame)));
        if (damage) bytes.splice(damage[0] % (bytes.length + 1), 0, ...damage[1]);
        const data = new Uint8Array(bytes);
        agree(data);
        agree(data.buffer);
        if (damage) expect(decodeServerFrame(data).ok).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it('on size: a frame of exactly the limit passes, one byte more is refused alike', () => {
    fc.assert(
      fc.property(
        validFrame,
        fc.constantFrom('', 'é', '😀'),
        fc.integer({ min: -2, max: 2 }),
        (frame, pad, delta) => {
          // a string padded with `pad` up to the limit, then `delta` bytes of spaces either way
          const base = JSON.stringify(frame);
          const text = `${base.slice(0, -1)},"pad":"${pad.repeat(8)}"}`;
          const size = encoder.encode(text).length;
          const options = { maxBytes: size - delta };
          agree(text, options);
          agree(encoder.encode(text), options);
          expect(decodeServerFrame(text, options).ok).toBe(delta <= 0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
