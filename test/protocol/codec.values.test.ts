/**
 * The codec's values, not only its verdicts: exact size limits, the ids echoed on failure, the
 * reasons it gives, strict UTF-8, and the ack data of every request type. Mutation testing
 * (`npm run mutate:codec`) found each of these unchecked.
 */
import * as v from 'valibot';
import {
  decodeAckData,
  decodeClientFrame,
  decodeFrame,
  decodeServerFrame,
  describeIssues,
  encodeFrame,
  LIMITS,
  utf8ByteLength,
  TokenClaimsSchema,
  type DecodeResult,
  type Frame,
  type RequestType,
} from '../../src/protocol';
import { RtcError } from '../../src/errors';
import { requestSamples, stream } from './samples';

const utf8 = (text: string) => new TextEncoder().encode(text);

function failure<F>(result: DecodeResult<F>): { error: RtcError; id?: number } {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.frame)}`);
  return result;
}

/**
 * A valid `attrs-set` request of exactly `bytes` bytes of UTF-8, its values written with `char`
 * (1 or 3 bytes) and padded with ASCII.
 */
function attrsSetOf(bytes: number, char: string): string {
  const frame = (values: string[]) =>
    JSON.stringify({
      v: 1,
      t: 'attrs-set',
      id: 1,
      attributes: Object.fromEntries(values.map((value, i) => [`k${i}`, value])),
    });
  const values: string[] = [];
  const charBytes = utf8ByteLength(char);
  // Fill whole values of at most maxAttributeValueLength units while at least one more fits.
  for (;;) {
    const room = bytes - Buffer.byteLength(frame([...values, '']));
    if (room < 0) throw new Error('frame overhead exceeds the size');
    const units = Math.min(LIMITS.maxAttributeValueLength, Math.floor(room / charBytes));
    const rest = room - units * charBytes;
    if (units < LIMITS.maxAttributeValueLength) {
      values.push(char.repeat(units) + 'x'.repeat(rest));
      break;
    }
    values.push(char.repeat(units));
  }
  const text = frame(values);
  expect(utf8ByteLength(text)).toBe(bytes);
  return text;
}

describe('the frame size limit is exact', () => {
  it('is 64 KiB by default', () => {
    expect(LIMITS.maxFrameBytes).toBe(65536);
  });

  it.each([
    ['ASCII', 'a'],
    ['three-byte characters', '中'],
  ])('accepts a frame of exactly the limit and refuses one byte more (%s)', (_name, char) => {
    const max = LIMITS.maxFrameBytes;
    const fits = attrsSetOf(max, char);
    expect(decodeClientFrame(fits).ok).toBe(true);
    expect(decodeClientFrame(utf8(fits)).ok).toBe(true);
    const over = attrsSetOf(max + 1, char);
    expect(failure(decodeClientFrame(over)).error.code).toBe('FRAME_TOO_LARGE');
    expect(failure(decodeClientFrame(over)).error.reason).toBe('frame exceeds 65536 bytes');
    expect(failure(decodeClientFrame(utf8(over))).error.reason).toBe('frame of 65537 bytes exceeds 65536');
  });

  it('counts bytes, not UTF-16 units, where three bytes a unit could exceed the limit', () => {
    // with the quotes: 8 units and 14 bytes (é is 2), 5 units and 11 bytes, 7 units and 17 bytes
    // (中 is 3), 6 units and 10 bytes (👋 is 2 units, 4 bytes)
    expect(decodeClientFrame('"éééééé"', { maxBytes: 14 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FRAME' },
    });
    expect(failure(decodeClientFrame('"中中中"', { maxBytes: 14 })).error.code).toBe('INVALID_FRAME');
    expect(failure(decodeClientFrame('"中中中中中"', { maxBytes: 14 })).error.code).toBe('FRAME_TOO_LARGE');
    expect(failure(decodeClientFrame('"👋👋"', { maxBytes: 10 })).error.code).toBe('INVALID_FRAME');
    expect(failure(decodeClientFrame('"👋👋"', { maxBytes: 9 })).error.code).toBe('FRAME_TOO_LARGE');
    // more units than bytes allowed is too large whatever the units are
    expect(failure(decodeClientFrame('"abcdefgh"', { maxBytes: 9 })).error.code).toBe('FRAME_TOO_LARGE');
    expect(failure(decodeClientFrame('"abcdefg"', { maxBytes: 9 })).error.code).toBe('INVALID_FRAME');
  });

  it('applies a custom limit to text and to bytes, exactly', () => {
    const text = encodeFrame(requestSamples.ping[0]!);
    const size = utf8ByteLength(text);
    for (const data of [text, utf8(text)]) {
      expect(decodeClientFrame(data, { maxBytes: size }).ok).toBe(true);
      expect(failure(decodeClientFrame(data, { maxBytes: size - 1 })).error.code).toBe('FRAME_TOO_LARGE');
    }
  });

  it('encodes a frame of exactly the limit and refuses one byte more, naming the frame type', () => {
    const max = LIMITS.maxFrameBytes;
    const fits = JSON.parse(attrsSetOf(max, '中')) as Frame;
    expect(encodeFrame(fits)).toHaveLength(JSON.stringify(fits).length);
    const over = JSON.parse(attrsSetOf(max + 1, '中')) as Frame;
    expect(() => encodeFrame(over)).toThrow(
      new RtcError('FRAME_TOO_LARGE', 'attrs-set frame exceeds 65536 bytes'),
    );
    const ping = requestSamples.ping[0]!;
    const size = encodeFrame(ping).length;
    expect(encodeFrame(ping, { maxBytes: size })).toBe(JSON.stringify(ping));
    expect(() => encodeFrame(ping, { maxBytes: size - 1 })).toThrow(
      new RtcError('FRAME_TOO_LARGE', `ping frame exceeds ${size - 1} bytes`),
    );
  });
});

describe('binary frames', () => {
  it('refuses invalid UTF-8 instead of decoding it with replacement characters', () => {
    const head = utf8('{"v":1,"t":"message","id":3,"name":"n","content":"');
    const tail = utf8('"}');
    // a lone lead byte inside the content: a lenient decoder would read U+FFFD and accept the frame
    const bytes = new Uint8Array([...head, 0xc3, ...tail]);
    expect(decodeClientFrame(bytes)).toEqual({
      ok: false,
      error: new RtcError('MALFORMED_JSON', 'binary frame is not valid UTF-8'),
    });
  });

  it('says so when the platform has no TextDecoder', () => {
    const saved = globalThis.TextDecoder;
    const bytes = utf8(encodeFrame(requestSamples.ping[0]!));
    try {
      (globalThis as { TextDecoder?: unknown }).TextDecoder = undefined;
      expect(failure(decodeClientFrame(bytes)).error).toEqual(
        new RtcError('MALFORMED_JSON', 'binary frame received and no TextDecoder to read it'),
      );
    } finally {
      globalThis.TextDecoder = saved;
    }
    expect(decodeClientFrame(bytes).ok).toBe(true);
  });

  it('reads a view onto part of a larger buffer, not the whole buffer', () => {
    const text = encodeFrame(requestSamples.ping[0]!);
    const buffer = new Uint8Array(text.length + 8).fill(0x20);
    buffer.set(utf8(text), 4);
    const view = new DataView(buffer.buffer, 4, text.length);
    expect(decodeClientFrame(view)).toEqual({ ok: true, frame: requestSamples.ping[0] });
  });
});

describe('the request id of a failed frame', () => {
  const badVersion = (id: unknown) => `{"v":2,"t":"ping","id":${JSON.stringify(id)}}`;

  it.each([1, 2, 4096, LIMITS.maxRequestId])('echoes the valid id %p', (id) => {
    expect(failure(decodeClientFrame(badVersion(id))).id).toBe(id);
  });

  it.each([0, -1, 1.5, LIMITS.maxRequestId + 1, '7', null, true, [3], { id: 3 }])(
    'never echoes the invalid id %p',
    (id) => {
      const result = failure(decodeClientFrame(badVersion(id)));
      expect(result.error.code).toBe('UNSUPPORTED_VERSION');
      expect('id' in result).toBe(false);
    },
  );

  it('echoes it whichever check fails after the frame was parsed', () => {
    expect(decodeClientFrame('{"v":1,"t":7,"id":8}')).toEqual({
      ok: false,
      error: new RtcError('INVALID_FRAME', 't: frame type must be a string'),
      id: 8,
    });
    expect(decodeClientFrame('{"v":1,"t":"publish","id":9}')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FRAME' },
      id: 9,
    });
  });
});

describe('the reasons of decode failures', () => {
  it('names the version found, or says it is missing', () => {
    expect(failure(decodeClientFrame('{"v":2,"t":"ping","id":1}')).error.reason).toBe(
      'protocol version 2 is not 1',
    );
    expect(failure(decodeClientFrame('{"v":"1","t":"ping","id":1}')).error.reason).toBe(
      'protocol version "1" is not 1',
    );
    expect(failure(decodeClientFrame('{"t":"ping","id":1}')).error.reason).toBe(
      'protocol version missing is not 1',
    );
  });

  it('names an unknown type, cut to 64 characters', () => {
    expect(failure(decodeClientFrame('{"v":1,"t":"teleport","id":1}')).error.reason).toBe(
      'unknown frame type "teleport"',
    );
    const long = 'y'.repeat(100);
    expect(failure(decodeClientFrame(`{"v":1,"t":"${long}","id":1}`)).error.reason).toBe(
      `unknown frame type "${'y'.repeat(64)}"`,
    );
  });

  it('says what the data was when it is neither text nor bytes', () => {
    expect(failure(decodeClientFrame(42 as unknown as string)).error).toEqual(
      new RtcError('INVALID_FRAME', 'frame data must be text, got number'),
    );
    expect(failure(decodeServerFrame('[]')).error).toEqual(
      new RtcError('INVALID_FRAME', 'a frame must be a JSON object'),
    );
  });

  it("passes on JSON.parse's message, cut to 200 characters", () => {
    const text = '{"v":1,' + 'x'.repeat(300);
    let expected = '';
    try {
      JSON.parse(text);
    } catch (e) {
      expected = (e as Error).message.slice(0, 200);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(failure(decodeClientFrame(text)).error).toEqual(new RtcError('MALFORMED_JSON', expected));
  });

  it('cuts a long parse error to 200 characters and names a thrown non-Error', () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      parse.mockImplementationOnce(() => {
        throw new SyntaxError('m'.repeat(300));
      });
      expect(failure(decodeClientFrame('{}')).error).toEqual(new RtcError('MALFORMED_JSON', 'm'.repeat(200)));
      parse.mockImplementationOnce(() => {
        throw 'odd';
      });
      expect(failure(decodeClientFrame('{}')).error).toEqual(new RtcError('MALFORMED_JSON', 'not JSON'));
    } finally {
      parse.mockRestore();
    }
  });

  it('prefixes schema issues with the frame type and their path', () => {
    expect(failure(decodeClientFrame('{"v":1,"t":"set-visibility","id":1,"visible":"no"}')).error).toEqual(
      new RtcError(
        'INVALID_FRAME',
        'set-visibility: visible: Invalid type: Expected boolean but received "no"',
      ),
    );
  });
});

describe('describeIssues', () => {
  const issuesOf = (schema: v.GenericSchema, value: unknown) => {
    const result = v.safeParse(schema, value, { abortEarly: false });
    if (result.success) throw new Error('expected issues');
    return result.issues;
  };

  it('joins the first three issues, each with its path when it has one', () => {
    const schema = v.object({ a: v.string(), b: v.string(), c: v.string(), d: v.string() });
    expect(describeIssues(issuesOf(schema, { a: 1, b: 2, c: 3, d: 4 }))).toBe(
      [
        'a: Invalid type: Expected string but received 1',
        'b: Invalid type: Expected string but received 2',
        'c: Invalid type: Expected string but received 3',
      ].join('; '),
    );
    expect(describeIssues(issuesOf(v.string(), 5))).toBe('Invalid type: Expected string but received 5');
  });

  it('cuts the text to 500 characters, marking the cut', () => {
    const schema = v.pipe(
      v.string(),
      v.check(() => false, 'z'.repeat(600)),
    );
    const text = describeIssues(issuesOf(schema, 'x'));
    expect(text).toBe(`${'z'.repeat(497)}...`);
    const exact = v.pipe(
      v.string(),
      v.check(() => false, 'z'.repeat(500)),
    );
    expect(describeIssues(issuesOf(exact, 'x'))).toBe('z'.repeat(500));
  });
});

describe('which schema a frame type picks', () => {
  it('reads a message with seq as a push and without as a request, in decodeFrame', () => {
    const push = { v: 1, t: 'message', seq: 4, from: 'bob', name: 'chat', content: 'hi', private: false };
    expect(decodeFrame(JSON.stringify(push))).toEqual({ ok: true, frame: push });
    const request = { v: 1, t: 'message', id: 4, name: 'chat', content: 'hi' };
    expect(decodeFrame(JSON.stringify(request))).toEqual({ ok: true, frame: request });
    // a push without private fails as a push, not silently as a request
    expect(failure(decodeFrame(JSON.stringify({ ...push, private: undefined, id: 4 }))).error.reason).toMatch(
      /^message: private: /,
    );
  });

  it('checks a type of one direction against its own schema in decodeFrame, seq or not', () => {
    expect(failure(decodeFrame('{"v":1,"t":"kicked","reason":"banned"}')).error.reason).toMatch(
      /^kicked: seq: /,
    );
    expect(decodeFrame('{"v":1,"t":"leave","id":1,"seq":3}')).toEqual({
      ok: true,
      frame: { v: 1, t: 'leave', id: 1 },
    });
  });

  it('finds types of either direction in decodeFrame and of one in the others', () => {
    const kicked = '{"v":1,"t":"kicked","seq":1,"reason":"banned"}';
    expect(decodeFrame(kicked).ok).toBe(true);
    expect(decodeServerFrame(kicked).ok).toBe(true);
    expect(failure(decodeClientFrame(kicked)).error.code).toBe('UNKNOWN_TYPE');
    const leave = '{"v":1,"t":"leave","id":1}';
    expect(decodeFrame(leave).ok).toBe(true);
    expect(decodeClientFrame(leave).ok).toBe(true);
    expect(failure(decodeServerFrame(leave)).error.code).toBe('UNKNOWN_TYPE');
    expect(failure(decodeFrame('{"v":1,"t":"toString","id":1}')).error.code).toBe('UNKNOWN_TYPE');
    expect(failure(decodeFrame('{"v":1,"t":"hasOwnProperty","seq":1}')).error.code).toBe('UNKNOWN_TYPE');
  });
});

describe('acks', () => {
  const publication = { stream: { ...stream, id: 'alice:main', user: 'alice' }, url: 'rtmp://h/live/a' };
  const subscription = {
    stream: 'bob:main',
    url: 'rtmp://h/live/b',
    audio: true,
    video: true,
    small: false,
    audioMuted: false,
    videoMuted: false,
  };
  const self = { user: 'alice', role: 'broadcaster', visible: true };
  const join = {
    mode: 'joined',
    session: 's-1',
    seq: 0,
    self,
    peers: [{ user: 'bob', role: 'audience', visible: true }],
    streams: [stream],
    publications: [publication],
    subscriptions: [subscription],
    attributes: { topic: 'x' },
    heartbeat: { interval: 10000, timeout: 30000 },
    grace: 20000,
  };
  /** One valid data of every request type's ack, and one the schema must refuse. */
  const data: { [K in RequestType]: [valid: unknown, invalid: unknown] } = {
    join: [join, { ...join, peers: [{ user: 'bob' }] }],
    leave: [{}, null],
    publish: [publication, { ...publication, url: '' }],
    unpublish: [{}, 'x'],
    subscribe: [subscription, { ...subscription, stream: 'bob' }],
    unsubscribe: [{}, null],
    'mute-local': [{ stream }, { stream: { ...stream, audioMuted: 'yes' } }],
    'mute-remote': [{ subscription }, { subscription: { ...subscription, small: 1 } }],
    'set-visibility': [{ self }, { self: { ...self, visible: 'no' } }],
    'set-role': [{ self: { ...self, role: 'audience' } }, { self: { ...self, role: 'admin' } }],
    'set-business-id': [{ self: { ...self, businessId: 'b' } }, { self: { ...self, businessId: 3 } }],
    'attrs-set': [{}, 0],
    'attrs-get': [{ attributes: { a: 'b' } }, { attributes: { a: 1 } }],
    'attrs-delete': [{}, false],
    message: [{}, 'ok'],
    report: [{}, 7],
    ping: [{}, undefined],
    'renew-token': [{ exp: 1767225600 }, { exp: 1.5 }],
  };

  it.each(Object.entries(data))(
    'decodes the ack data of %s and refuses a bad one',
    (type, [valid, invalid]) => {
      const t = type as RequestType;
      expect(decodeAckData(t, valid)).toEqual({ ok: true, data: valid });
      const refused = decodeAckData(t, invalid);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.code).toBe('INVALID_FRAME');
        expect(refused.error.reason.startsWith(`ack of ${t}: `)).toBe(true);
      }
    },
  );

  it('decodes ack frames and hands their data over untouched', () => {
    const ok = { v: 1, t: 'ack', id: 5, ok: true, data: join };
    expect(decodeServerFrame(JSON.stringify(ok))).toEqual({ ok: true, frame: ok });
    const failed = { v: 1, t: 'ack', id: 6, ok: false, error: { code: 'ROOM_FULL', reason: 'full' } };
    expect(decodeServerFrame(JSON.stringify(failed))).toEqual({ ok: true, frame: failed });
    // a success must carry data (even null), a failure an error
    expect(decodeServerFrame(JSON.stringify({ ...failed, ok: true }))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FRAME' },
      id: 6,
    });
    const nullData = { v: 1, t: 'ack', id: 7, ok: true, data: null };
    expect(decodeServerFrame(JSON.stringify(nullData))).toEqual({ ok: true, frame: nullData });
    expect(failure(decodeServerFrame(JSON.stringify({ ...ok, ok: false }))).error.code).toBe('INVALID_FRAME');
    expect(failure(decodeServerFrame(JSON.stringify({ ...failed, id: 0 }))).error.code).toBe('INVALID_FRAME');
    expect(failure(decodeServerFrame(JSON.stringify({ ...ok, ok: 'yes' }))).id).toBe(5);
  });
});

describe('utf8ByteLength at the encoding boundaries', () => {
  it.each([
    ['\u4e2d\udc00', 6],
    ['\udc00\udc00', 6],
    ['\u4e2d\ud800\udc00', 7],
    ['\u007f', 1],
    ['\u0080', 2],
    ['\u07ff', 2],
    ['\u0800', 3],
    ['\ud7ff', 3],
    ['\ue000', 3],
    ['\uffff', 3],
    ['\ud800\udc00', 4],
    ['\udbff\udfff', 4],
    ['\ud800\udbff', 6],
    ['\ud800\ue000', 6],
    ['\udbffa', 4],
    ['a\ud800', 4],
    ['\udc00\ud800', 6],
  ])('%j is %i bytes, as TextEncoder says', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
    expect(new TextEncoder().encode(text).length).toBe(bytes);
  });
});

describe('the schemas, value by value', () => {
  const client = (frame: object) => decodeClientFrame(JSON.stringify({ v: 1, id: 1, ...frame }));
  const server = (frame: object) => decodeServerFrame(JSON.stringify({ v: 1, seq: 1, ...frame }));
  const reason = (result: DecodeResult<unknown>) => failure(result).error.reason;

  it.each([
    ['peer-left', 'reason', ['leave', 'timeout', 'kicked', 'replaced', 'hidden', 'room-closed']],
    ['stream-removed', 'reason', ['unpublished', 'peer-left', 'role-changed', 'failed']],
    ['kicked', 'reason', ['replaced', 'kicked', 'banned', 'room-closed', 'token-expired']],
    ['url-updated', 'direction', ['push', 'play']],
    ['stream-failed', 'direction', ['push', 'play']],
  ] as const)('%s accepts every documented %s', (t, key, values) => {
    const base: Record<string, object> = {
      'peer-left': { user: 'bob' },
      'stream-removed': { stream: 'bob:main', user: 'bob' },
      kicked: {},
      'url-updated': { stream: 'bob:main', url: 'rtmp://h/x' },
      'stream-failed': { stream: 'bob:main', reason: 'gone' },
    };
    for (const value of values) {
      const frame = { v: 1, seq: 1, t, ...base[t], [key]: value };
      expect(decodeServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
    }
    expect(reason(server({ t, ...base[t], [key]: 'other' }))).toMatch(new RegExp(`^${t}: ${key}: `));
  });

  it('peer-reconnecting / peer-reconnected name a user; a peer says `reconnecting` only as a boolean', () => {
    for (const t of ['peer-reconnecting', 'peer-reconnected']) {
      const frame = { v: 1, seq: 1, t, user: 'bob' };
      expect(decodeServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
      expect(reason(server({ t }))).toMatch(new RegExp(`^${t}: user: `));
    }
    const peer = { user: 'bob', role: 'broadcaster', visible: true };
    for (const reconnecting of [true, false]) {
      const frame = { v: 1, seq: 1, t: 'peer-joined', peer: { ...peer, reconnecting } };
      expect(decodeServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
    }
    expect(reason(server({ t: 'peer-joined', peer: { ...peer, reconnecting: 'yes' } }))).toMatch(
      /^peer-joined: peer\.reconnecting: /,
    );
  });

  it('accepts both roles and both stream kinds', () => {
    for (const role of ['broadcaster', 'audience']) expect(client({ t: 'set-role', role }).ok).toBe(true);
    for (const kind of ['main', 'screen']) {
      expect(client({ t: 'publish', kind, audio: true, video: false }).ok).toBe(true);
    }
    expect(failure(client({ t: 'set-role', role: 'host' })).error.code).toBe('INVALID_FRAME');
  });

  it('refuses a user id with characters outside letters, digits and _ . @ + -, saying so', () => {
    const join = { t: 'join', token: 'x', room: 'r' };
    expect(client({ ...join, user: 'a_b.c@d+e-F9' }).ok).toBe(true);
    expect(reason(client({ ...join, user: 'a b' }))).toBe('join: user: bad characters');
    expect(reason(client({ ...join, user: 'é' }))).toBe('join: user: bad characters');
  });

  it('takes stream ids of user:tag up to the longest user id and tag', () => {
    const user = 'u'.repeat(LIMITS.maxUserIdLength);
    expect(client({ t: 'unsubscribe', stream: `${user}:screen` }).ok).toBe(true);
    expect(client({ t: 'unsubscribe', stream: 'a:main' }).ok).toBe(true);
    expect(client({ t: 'unsubscribe', stream: 'bob:mainx' }).ok).toBe(true); // a custom tag
    expect(client({ t: 'unsubscribe', stream: `bob:${'t'.repeat(LIMITS.maxStreamTagLength)}` }).ok).toBe(
      true,
    );
    for (const stream of [
      'a/b:main',
      'bob:main:x',
      'xbob:screen ',
      ':main',
      'bob:',
      `bob:${'t'.repeat(LIMITS.maxStreamTagLength + 1)}`,
    ]) {
      expect(reason(client({ t: 'unsubscribe', stream }))).toBe('unsubscribe: stream: not user:tag');
    }
  });

  it('takes 1 to 32 attributes in one request', () => {
    const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(client({ t: 'attrs-set', attributes: attrs(1) }).ok).toBe(true);
    expect(client({ t: 'attrs-set', attributes: attrs(32) }).ok).toBe(true);
    expect(reason(client({ t: 'attrs-set', attributes: attrs(33) }))).toBe(
      'attrs-set: attributes: between 1 and 32 attributes',
    );
    expect(client({ t: 'attrs-get', keys: Array.from({ length: 32 }, (_, i) => `k${i}`) }).ok).toBe(true);
  });

  it('refuses attributes that are not a plain object, and reserved keys anywhere', () => {
    const objectReason =
      'attrs-set: attributes: an object of attributes; the keys __proto__, constructor and prototype are reserved';
    for (const attributes of [null, ['a'], 'a', 3]) {
      expect(reason(client({ t: 'attrs-set', attributes }))).toBe(objectReason);
    }
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(reason(client({ t: 'attrs-delete', keys: [key] }))).toBe(
        'attrs-delete: keys.0: the keys __proto__, constructor and prototype are reserved',
      );
      expect(failure(server({ t: 'attributes-changed', set: {}, deleted: [key], by: 'b' })).error.code).toBe(
        'INVALID_FRAME',
      );
      expect(reason(decodeClientFrame(`{"v":1,"id":1,"t":"attrs-set","attributes":{"${key}":"x"}}`))).toBe(
        objectReason,
      );
    }
  });

  it.each(['pusher-net', 'player-net'] as const)('takes at most 32 fields in a %s report', (kind) => {
    const info = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
    const report = (n: number) => ({
      kind,
      ...(kind === 'player-net' ? { stream: 'bob:main' } : {}),
      info: info(n),
    });
    expect(client({ t: 'report', report: report(32) }).ok).toBe(true);
    expect(reason(client({ t: 'report', report: report(33) }))).toBe(
      'report: report.info: at most 32 fields',
    );
  });

  it('takes heartbeat times up to one day', () => {
    const resumed = (interval: number) => ({
      mode: 'resumed',
      session: 's',
      seq: 0,
      heartbeat: { interval, timeout: 1 },
      grace: 0,
    });
    expect(decodeAckData('join', resumed(86_400_000)).ok).toBe(true);
    expect(decodeAckData('join', resumed(86_400_001)).ok).toBe(false);
  });
});

describe('TokenClaimsSchema', () => {
  const claims = { app: 'demo', room: 'r1', user: 'alice', exp: 2000, nbf: 1000, iat: 1000 };
  const privileges = { publish: true, subscribe: false };

  it('keeps every claim and both privileges', () => {
    expect(v.safeParse(TokenClaimsSchema, { ...claims, privileges })).toMatchObject({
      success: true,
      output: { ...claims, privileges },
    });
  });

  it('requires both privileges as booleans', () => {
    expect(v.safeParse(TokenClaimsSchema, { ...claims, privileges: { publish: true } }).success).toBe(false);
    expect(
      v.safeParse(TokenClaimsSchema, { ...claims, privileges: { ...privileges, subscribe: 1 } }).success,
    ).toBe(false);
  });
});
