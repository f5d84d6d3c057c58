import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeAckData,
  decodeClientFrame,
  decodeFrame,
  decodeServerFrame,
  encodeFrame,
  FRAME_TYPES,
  LIMITS,
  utf8ByteLength,
  type Frame,
} from '../../src/protocol';
import { RtcError, type RtcErrorCode } from '../../src/errors';
import { ackSamples, errorSamples, pongSamples, pushSamples, requestSamples, stream } from './samples';

const allRequests = Object.values(requestSamples).flat();
const allPushes = Object.values(pushSamples).flat();
const allControl = [...ackSamples, ...pongSamples, ...errorSamples];

describe('encodeFrame / decodeFrame round trip', () => {
  it.each(allRequests.map((f) => [f.t, f] as const))('request %s', (_t, frame) => {
    const text = encodeFrame(frame);
    expect(decodeClientFrame(text)).toEqual({ ok: true, frame });
    expect(decodeFrame(text)).toEqual({ ok: true, frame });
  });

  it.each(allPushes.map((f) => [f.t, f] as const))('push %s', (_t, frame) => {
    const text = encodeFrame(frame);
    expect(decodeServerFrame(text)).toEqual({ ok: true, frame });
    expect(decodeFrame(text)).toEqual({ ok: true, frame });
  });

  it.each(allControl.map((f) => [f.t, f] as const))('control %s', (_t, frame) => {
    expect(decodeServerFrame(encodeFrame(frame))).toEqual({ ok: true, frame });
  });

  it('covers every frame type the schemas define', () => {
    const sampled = new Set([...allRequests, ...allPushes, ...allControl].map((f) => f.t));
    for (const t of [...FRAME_TYPES.requests, ...FRAME_TYPES.pushes, ...FRAME_TYPES.control]) {
      expect(sampled).toContain(t);
    }
  });

  it('decodes the same frame from UTF-8 bytes (ArrayBuffer and Uint8Array)', () => {
    const frame = requestSamples.message[0]!;
    const bytes = new TextEncoder().encode(encodeFrame(frame));
    expect(decodeClientFrame(bytes)).toEqual({ ok: true, frame });
    expect(
      decodeClientFrame(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    ).toEqual({
      ok: true,
      frame,
    });
  });

  it('drops unknown keys instead of refusing them (tolerant reader)', () => {
    const result = decodeClientFrame('{"v":1,"t":"ping","id":3,"future":"field"}');
    expect(result).toEqual({ ok: true, frame: { v: 1, t: 'ping', id: 3 } });
  });

  it('refuses a media state it does not know', () => {
    const frame = { v: 1, t: 'stream-updated', seq: 3, stream: { ...stream, media: 'buffering' } };
    expect(decodeServerFrame(JSON.stringify(frame))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FRAME' },
    });
  });

  it('separates the two directions', () => {
    const push = encodeFrame(pushSamples['peer-left'][0]!);
    const req = encodeFrame(requestSamples.ping[0]!);
    expect(decodeClientFrame(push)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_TYPE' } });
    expect(decodeServerFrame(req)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_TYPE' },
      id: 2147483647,
    });
  });
});

describe('docs/protocol.md names exactly the frame types of the schemas', () => {
  const doc = readFileSync(join(__dirname, '../../docs/protocol.md'), 'utf8');
  it('documents every request under its own heading', () => {
    const headings = [...doc.matchAll(/^### `([a-z-]+)`$/gm)].map((m) => m[1]);
    expect(headings.sort()).toEqual([...FRAME_TYPES.requests].sort());
  });
  it('documents every push in the push table', () => {
    const section = doc.slice(doc.indexOf('## 6. Pushes'), doc.indexOf('## 7.'));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...FRAME_TYPES.pushes].sort());
  });
});

/** [description, raw input, expected code, side] — each must decode to that error, never throw. */
const malformed: [string, unknown, RtcErrorCode, 'client' | 'server'][] = [
  ['empty string', '', 'MALFORMED_JSON', 'client'],
  ['plain text', 'hello', 'MALFORMED_JSON', 'client'],
  ['truncated JSON', '{"v":1,"t":"ping","id":1', 'MALFORMED_JSON', 'client'],
  ['single-quoted JSON', "{'v':1}", 'MALFORMED_JSON', 'client'],
  ['trailing comma', '{"v":1,"t":"ping","id":1,}', 'MALFORMED_JSON', 'client'],
  ['invalid UTF-8 bytes', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'MALFORMED_JSON', 'client'],
  ['JSON array', '[1,2,3]', 'INVALID_FRAME', 'client'],
  ['JSON null', 'null', 'INVALID_FRAME', 'client'],
  ['JSON number', '42', 'INVALID_FRAME', 'client'],
  ['JSON string', '"ping"', 'INVALID_FRAME', 'client'],
  ['not a string or bytes', 42, 'INVALID_FRAME', 'client'],
  ['missing version', '{"t":"ping","id":1}', 'UNSUPPORTED_VERSION', 'client'],
  ['version 2', '{"v":2,"t":"ping","id":1}', 'UNSUPPORTED_VERSION', 'client'],
  ['version as string', '{"v":"1","t":"ping","id":1}', 'UNSUPPORTED_VERSION', 'client'],
  ['missing type', '{"v":1,"id":1}', 'INVALID_FRAME', 'client'],
  ['type is a number', '{"v":1,"t":7,"id":1}', 'INVALID_FRAME', 'client'],
  ['unknown type', '{"v":1,"t":"teleport","id":1}', 'UNKNOWN_TYPE', 'client'],
  ['prototype key as type', '{"v":1,"t":"__proto__","id":1}', 'UNKNOWN_TYPE', 'client'],
  ['constructor as type', '{"v":1,"t":"constructor","id":1}', 'UNKNOWN_TYPE', 'client'],
  ['push sent to the server', '{"v":1,"t":"kicked","seq":1,"reason":"kicked"}', 'UNKNOWN_TYPE', 'client'],
  [
    'request sent to the client',
    '{"v":1,"t":"join","id":1,"token":"x","room":"r","user":"u"}',
    'UNKNOWN_TYPE',
    'server',
  ],
  ['request without id', '{"v":1,"t":"ping"}', 'INVALID_FRAME', 'client'],
  ['id zero', '{"v":1,"t":"ping","id":0}', 'INVALID_FRAME', 'client'],
  ['id negative', '{"v":1,"t":"ping","id":-4}', 'INVALID_FRAME', 'client'],
  ['id fractional', '{"v":1,"t":"ping","id":1.5}', 'INVALID_FRAME', 'client'],
  ['id too large', '{"v":1,"t":"ping","id":2147483648}', 'INVALID_FRAME', 'client'],
  ['id as string', '{"v":1,"t":"ping","id":"1"}', 'INVALID_FRAME', 'client'],
  ['join without token', '{"v":1,"t":"join","id":1,"room":"r","user":"u"}', 'INVALID_FRAME', 'client'],
  [
    'join with empty room',
    '{"v":1,"t":"join","id":1,"token":"x","room":"","user":"u"}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'join with slash in user',
    '{"v":1,"t":"join","id":1,"token":"x","room":"r","user":"a/b"}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'join with colon in user',
    '{"v":1,"t":"join","id":1,"token":"x","room":"r","user":"a:b"}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'join with 129-char room',
    `{"v":1,"t":"join","id":1,"token":"x","room":"${'r'.repeat(129)}","user":"u"}`,
    'INVALID_FRAME',
    'client',
  ],
  [
    'join with bad role',
    '{"v":1,"t":"join","id":1,"token":"x","room":"r","user":"u","role":"admin"}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'join with visible as string',
    '{"v":1,"t":"join","id":1,"token":"x","room":"r","user":"u","visible":"no"}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'join with negative resume seq',
    '{"v":1,"t":"join","id":1,"token":"x","room":"r","user":"u","resume":{"session":"s","seq":-1}}',
    'INVALID_FRAME',
    'client',
  ],
  ['publish without tracks flags', '{"v":1,"t":"publish","id":1}', 'INVALID_FRAME', 'client'],
  [
    'publish with unknown kind',
    '{"v":1,"t":"publish","id":1,"kind":"webcam","audio":true,"video":true}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'subscribe to a bad stream id',
    '{"v":1,"t":"subscribe","id":1,"stream":"bob"}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'subscribe to a stream tag with bad characters',
    '{"v":1,"t":"subscribe","id":1,"stream":"bob:a.b"}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'subscribe to a stream tag longer than 32',
    `{"v":1,"t":"subscribe","id":1,"stream":"bob:${'t'.repeat(33)}"}`,
    'INVALID_FRAME',
    'client',
  ],
  [
    'publish with a tag longer than 32',
    `{"v":1,"t":"publish","id":1,"tag":"${'t'.repeat(33)}","audio":true,"video":true}`,
    'INVALID_FRAME',
    'client',
  ],
  [
    'mute-local with audio as number',
    '{"v":1,"t":"mute-local","id":1,"stream":"a:main","audio":1}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'attrs-set with no attributes',
    '{"v":1,"t":"attrs-set","id":1,"attributes":{}}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'attrs-set with a number value',
    '{"v":1,"t":"attrs-set","id":1,"attributes":{"a":1}}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'attrs-set with a too long value',
    `{"v":1,"t":"attrs-set","id":1,"attributes":{"a":"${'x'.repeat(4097)}"}}`,
    'INVALID_FRAME',
    'client',
  ],
  [
    'attrs-set with a reserved key',
    '{"v":1,"t":"attrs-set","id":1,"attributes":{"constructor":"x"}}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'attrs-set with __proto__',
    '{"v":1,"t":"attrs-set","id":1,"attributes":{"__proto__":"x"}}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'attributes-changed with prototype',
    '{"v":1,"t":"attributes-changed","seq":1,"set":{"prototype":"x"},"deleted":[],"by":"b"}',
    'INVALID_FRAME',
    'server',
  ],
  ['attrs-delete with empty keys', '{"v":1,"t":"attrs-delete","id":1,"keys":[]}', 'INVALID_FRAME', 'client'],
  [
    'message with empty name',
    '{"v":1,"t":"message","id":1,"name":"","content":"x"}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'message with object content',
    '{"v":1,"t":"message","id":1,"name":"n","content":{"a":1}}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'report with unknown kind',
    '{"v":1,"t":"report","id":1,"report":{"kind":"gpu","code":1}}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'player report without stream',
    '{"v":1,"t":"report","id":1,"report":{"kind":"player-state","code":2004}}',
    'INVALID_FRAME',
    'client',
  ],
  [
    'net report with string values',
    '{"v":1,"t":"report","id":1,"report":{"kind":"pusher-net","info":{"fps":"15"}}}',
    'INVALID_FRAME',
    'client',
  ],
  ['ack without ok', '{"v":1,"t":"ack","id":1,"data":{}}', 'INVALID_FRAME', 'server'],
  [
    'ack error with unknown code',
    '{"v":1,"t":"ack","id":1,"ok":false,"error":{"code":"OOPS","reason":"x"}}',
    'INVALID_FRAME',
    'server',
  ],
  ['push without seq', '{"v":1,"t":"peer-left","user":"bob","reason":"leave"}', 'INVALID_FRAME', 'server'],
  [
    'push with fractional seq',
    '{"v":1,"t":"peer-left","seq":1.5,"user":"bob","reason":"leave"}',
    'INVALID_FRAME',
    'server',
  ],
  ['peer-reconnecting without user', '{"v":1,"t":"peer-reconnecting","seq":1}', 'INVALID_FRAME', 'server'],
  [
    'peer-reconnected with a bad user id',
    '{"v":1,"t":"peer-reconnected","seq":1,"user":"a/b"}',
    'INVALID_FRAME',
    'server',
  ],
  [
    'peer-left with unknown reason',
    '{"v":1,"t":"peer-left","seq":1,"user":"bob","reason":"bored"}',
    'INVALID_FRAME',
    'server',
  ],
  [
    'stream-added with missing flags',
    '{"v":1,"t":"stream-added","seq":1,"stream":{"id":"b:main","user":"b","kind":"main"}}',
    'INVALID_FRAME',
    'server',
  ],
  [
    'kicked with unknown reason',
    '{"v":1,"t":"kicked","seq":1,"reason":"because"}',
    'INVALID_FRAME',
    'server',
  ],
  [
    'oversize text frame',
    `{"v":1,"t":"message","id":1,"name":"n","content":"${'x'.repeat(LIMITS.maxFrameBytes)}"}`,
    'FRAME_TOO_LARGE',
    'client',
  ],
  [
    'oversize multi-byte frame',
    `{"v":1,"t":"message","id":1,"name":"n","content":"${'中'.repeat(22000)}"}`,
    'FRAME_TOO_LARGE',
    'client',
  ],
  ['oversize binary frame', new Uint8Array(LIMITS.maxFrameBytes + 1), 'FRAME_TOO_LARGE', 'client'],
];

describe('malformed input yields the documented error, never a throw', () => {
  it('has at least 30 cases', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(30);
  });

  it.each(malformed)('%s → %s', (_name, input, code, side) => {
    const decode = side === 'client' ? decodeClientFrame : decodeServerFrame;
    const result = decode(input as string);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(RtcError);
      expect(result.error.code).toBe(code);
      expect(result.error.reason.length).toBeGreaterThan(0);
    }
  });

  it('reports the request id when it could be read, so the server can ack the failure', () => {
    expect(decodeClientFrame('{"v":1,"t":"publish","id":77}')).toMatchObject({ ok: false, id: 77 });
    expect(decodeClientFrame('{"v":2,"t":"ping","id":5}')).toMatchObject({ ok: false, id: 5 });
    expect(decodeClientFrame('{"v":1,"t":"nope","id":6}')).toMatchObject({ ok: false, id: 6 });
    const noId = decodeClientFrame('{"v":1,"t":"ping"}');
    expect(noId.ok === false && 'id' in noId).toBe(false);
  });

  it('honours a custom size limit', () => {
    const text = encodeFrame(requestSamples.message[0]!);
    expect(decodeClientFrame(text, { maxBytes: 10 })).toMatchObject({
      ok: false,
      error: { code: 'FRAME_TOO_LARGE' },
    });
  });
});

describe('encodeFrame', () => {
  it('refuses to produce an oversize frame with FRAME_TOO_LARGE', () => {
    const huge: Frame = { v: 1, t: 'message', id: 1, name: 'n', content: 'x'.repeat(LIMITS.maxFrameBytes) };
    expect(() => encodeFrame(huge)).toThrow(RtcError);
    try {
      encodeFrame(huge);
    } catch (e) {
      expect((e as RtcError).code).toBe('FRAME_TOO_LARGE');
    }
  });
});

describe('decodeAckData', () => {
  it('validates ack data by request type', () => {
    expect(decodeAckData('mute-local', { stream })).toEqual({ ok: true, data: { stream } });
    expect(decodeAckData('subscribe', { stream: 'bob:main' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FRAME' },
    });
  });

  it('accepts each join mode and refuses a mode it does not know', () => {
    const base = { session: 's', seq: 3, heartbeat: { interval: 10000, timeout: 30000 }, grace: 20000 };
    expect(decodeAckData('join', { ...base, mode: 'resumed' }).ok).toBe(true);
    const full = {
      ...base,
      mode: 'joined',
      self: { user: 'a', role: 'broadcaster', visible: true },
      peers: [],
      streams: [stream],
      publications: [],
      subscriptions: [],
      attributes: {},
      resumeError: { code: 'SESSION_NOT_FOUND', reason: 'gone' },
    };
    expect(decodeAckData('join', full)).toEqual({ ok: true, data: full });
    expect(decodeAckData('join', { ...full, mode: 'snapshot' }).ok).toBe(true);
    expect(decodeAckData('join', { ...base, mode: 'teleported' }).ok).toBe(false);
  });
});

describe('utf8ByteLength', () => {
  it.each(['', 'abc', 'é', '中文', '👋', 'a👋b中', '\ud800', '\udc00x'])(
    'matches TextEncoder for %j',
    (s) => {
      expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
    },
  );
});
