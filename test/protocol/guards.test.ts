/**
 * Unit tests of the hand-written guards (src/protocol/guards.ts), frame type by frame type: each
 * valid sample decodes to what the schema decodes it to, and each broken field is refused with
 * INVALID_FRAME and a reason naming its path. test/properties/guards.property.test.ts checks the
 * agreement with the schemas on generated frames.
 */
import { decodeAckData, decodeServerFrame, FRAME_TYPES, LIMITS, type RequestType } from '../../src/protocol';
import { checkServerFrame, guardAckData, guardServerFrame } from '../../src/protocol/guards';
import { ackSamples, errorSamples, pongSamples, pushSamples, requestSamples, stream } from './samples';

const peer = { user: 'bob', role: 'broadcaster', visible: true };
const subscription = {
  stream: 'bob:main',
  url: 'rtmp://h/live/bob',
  audio: true,
  video: true,
  small: false,
  audioMuted: false,
  videoMuted: false,
};
const heartbeat = { interval: 10000, timeout: 30000 };

/** A valid ack data sample for every request type. */
const ackData: { [T in RequestType]: unknown[] } = {
  join: [
    { mode: 'resumed', session: 's-1', seq: 4, heartbeat, grace: 20000 },
    {
      mode: 'joined',
      session: 's-1',
      seq: 0,
      self: { user: 'alice', role: 'broadcaster', visible: true, businessId: 'b' },
      peers: [peer],
      streams: [stream],
      publications: [{ stream: { ...stream, id: 'alice:main', user: 'alice' }, url: 'rtmp://h/push' }],
      subscriptions: [subscription],
      attributes: { topic: 'maths' },
      heartbeat,
      grace: 0,
      resumeError: { code: 'SESSION_NOT_FOUND', reason: 'gone' },
      exp: 1767225600,
    },
    { mode: 'resumed', session: 's-1', seq: 4, heartbeat, grace: 20000, exp: 1767225600 },
  ],
  leave: [{}],
  publish: [{ stream, url: 'rtmp://h/push' }],
  unpublish: [{}],
  subscribe: [subscription],
  unsubscribe: [{}],
  'mute-local': [{ stream }],
  'mute-remote': [{ subscription }],
  'set-visibility': [{ self: peer }],
  'set-role': [{ self: peer }],
  'set-business-id': [{ self: { ...peer, businessId: '' } }],
  'attrs-set': [{}],
  'attrs-get': [{ attributes: {} }, { attributes: { a: '', 中文: '值' } }],
  'attrs-delete': [{}],
  message: [{}],
  report: [{}],
  ping: [{}],
  'renew-token': [{ exp: 1767225600 }],
};

const text = (frame: unknown) => JSON.stringify(frame);

function refused(data: string | Uint8Array, code: string, reasonPart?: string): void {
  for (const decode of [guardServerFrame, checkServerFrame]) {
    const result = decode(data);
    expect(result).toMatchObject({ ok: false, error: { code } });
    if (!result.ok && reasonPart) expect(result.error.reason).toContain(reasonPart);
  }
  expect(decodeServerFrame(data)).toMatchObject({ ok: false, error: { code } });
}

describe('guards: valid server frames', () => {
  const frames = [...Object.values(pushSamples).flat(), ...ackSamples, ...pongSamples, ...errorSamples];

  it('cover every push and control type', () => {
    const types = new Set(frames.map((f) => f.t));
    for (const t of [...FRAME_TYPES.pushes, ...FRAME_TYPES.control]) expect(types).toContain(t);
  });

  it.each(frames.map((f) => [f.t, f] as const))('%s decodes as the schema decodes it', (_t, frame) => {
    expect(guardServerFrame(text(frame))).toStrictEqual({ ok: true, frame });
    expect(decodeServerFrame(text(frame))).toStrictEqual({ ok: true, frame });
  });

  it('drops unknown keys at every level in the copy and keeps them in the unchecked frame', () => {
    const frame = { v: 1, t: 'stream-added', seq: 5, x: 1, stream: { ...stream, tagline: 'hi' } };
    expect(guardServerFrame(text(frame))).toStrictEqual({
      ok: true,
      frame: { v: 1, t: 'stream-added', seq: 5, stream },
    });
    expect(checkServerFrame(text(frame))).toStrictEqual({ ok: true, frame });
  });

  it('reads UTF-8 bytes, and a frame of exactly the size limit', () => {
    const frame = pushSamples.message[0]!;
    expect(guardServerFrame(new TextEncoder().encode(text(frame)))).toStrictEqual({ ok: true, frame });
    // attributes fill a frame to exactly the limit: 1,000 '中' (3 bytes each), then ASCII
    const set: Record<string, string> = { k0: '中'.repeat(1000) };
    const frameOf = () => text({ v: 1, t: 'attributes-changed', seq: 1, set, deleted: [], by: 'bob' });
    for (let i = 1; new TextEncoder().encode(frameOf()).length < LIMITS.maxFrameBytes; i++)
      set[`k${i}`] = 'x'.repeat(4000);
    const keys = Object.keys(set);
    const last = keys[keys.length - 1]!;
    set[last] = set[last]!.slice(
      0,
      set[last]!.length - (new TextEncoder().encode(frameOf()).length - LIMITS.maxFrameBytes),
    );
    const exact = frameOf();
    expect(new TextEncoder().encode(exact).length).toBe(LIMITS.maxFrameBytes);
    const expected = decodeServerFrame(exact);
    expect(expected.ok).toBe(true);
    expect(guardServerFrame(exact)).toStrictEqual(expected);
    expect(guardServerFrame(new TextEncoder().encode(exact))).toStrictEqual(expected);
    const over = exact.replace('"set"', '"set" ');
    refused(over, 'FRAME_TOO_LARGE');
    refused(new TextEncoder().encode(over), 'FRAME_TOO_LARGE');
  });
});

describe('guards: refused server frames', () => {
  it.each([
    ['not JSON', '{oops', 'MALFORMED_JSON', ''],
    ['not an object', '[1]', 'INVALID_FRAME', 'JSON object'],
    ['wrong version', '{"v":2,"t":"pong","id":1}', 'UNSUPPORTED_VERSION', 'version'],
    ['no type', '{"v":1,"id":1}', 'INVALID_FRAME', 't:'],
    ['a request type', '{"v":1,"t":"join","id":1}', 'UNKNOWN_TYPE', 'join'],
    ['a prototype key as type', '{"v":1,"t":"toString","id":1}', 'UNKNOWN_TYPE', 'toString'],
    [
      'peer-joined without peer',
      '{"v":1,"t":"peer-joined","seq":1}',
      'INVALID_FRAME',
      'peer-joined: peer: missing',
    ],
    [
      'peer-joined with a bad user id',
      text({ v: 1, t: 'peer-joined', seq: 1, peer: { ...peer, user: 'a/b' } }),
      'INVALID_FRAME',
      'peer.user',
    ],
    [
      'peer-updated with a long business id',
      text({ v: 1, t: 'peer-updated', seq: 1, peer: { ...peer, businessId: 'b'.repeat(129) } }),
      'INVALID_FRAME',
      'peer.businessId',
    ],
    [
      'peer-left with an unknown reason',
      text({ v: 1, t: 'peer-left', seq: 1, user: 'bob', reason: 'gone' }),
      'INVALID_FRAME',
      'reason',
    ],
    [
      'a negative seq',
      text({ v: 1, t: 'peer-left', seq: -1, user: 'bob', reason: 'leave' }),
      'INVALID_FRAME',
      'seq',
    ],
    [
      'a fractional seq',
      text({ v: 1, t: 'peer-left', seq: 1.5, user: 'bob', reason: 'leave' }),
      'INVALID_FRAME',
      'seq',
    ],
    [
      'stream-added with a string bit',
      text({ v: 1, t: 'stream-added', seq: 1, stream: { ...stream, audio: 'yes' } }),
      'INVALID_FRAME',
      'stream.audio',
    ],
    [
      'stream-updated with a bad stream id',
      text({ v: 1, t: 'stream-updated', seq: 1, stream: { ...stream, id: 'bob:ca:mera' } }),
      'INVALID_FRAME',
      'stream.id',
    ],
    [
      'stream-removed with an unknown reason',
      text({ v: 1, t: 'stream-removed', seq: 1, stream: 'bob:main', user: 'bob', reason: 'x' }),
      'INVALID_FRAME',
      'reason',
    ],
    [
      'url-updated with an empty url',
      text({ v: 1, t: 'url-updated', seq: 1, stream: 'bob:main', direction: 'play', url: '' }),
      'INVALID_FRAME',
      'url',
    ],
    [
      'stream-failed with a bad direction',
      text({ v: 1, t: 'stream-failed', seq: 1, stream: 'bob:main', direction: 'up', reason: '' }),
      'INVALID_FRAME',
      'direction',
    ],
    [
      'kicked with a long message',
      text({ v: 1, t: 'kicked', seq: 1, reason: 'kicked', message: 'm'.repeat(513) }),
      'INVALID_FRAME',
      'message',
    ],
    [
      'attributes-changed with a reserved key',
      '{"v":1,"t":"attributes-changed","seq":1,"set":{"__proto__":"x"},"deleted":[],"by":"bob"}',
      'INVALID_FRAME',
      'set',
    ],
    [
      'attributes-changed with an array of attributes',
      text({ v: 1, t: 'attributes-changed', seq: 1, set: [], deleted: [], by: 'bob' }),
      'INVALID_FRAME',
      'set',
    ],
    [
      'attributes-changed with a bad deleted key',
      text({ v: 1, t: 'attributes-changed', seq: 1, set: {}, deleted: ['ok', ''], by: 'bob' }),
      'INVALID_FRAME',
      'deleted[1]',
    ],
    [
      'message with an empty name',
      text({ v: 1, t: 'message', seq: 1, from: 'bob', name: '', content: '', private: false }),
      'INVALID_FRAME',
      'name',
    ],
    ['ack without ok', text({ v: 1, t: 'ack', id: 1, data: {} }), 'INVALID_FRAME', 'ok'],
    ['ack ok without data', text({ v: 1, t: 'ack', id: 1, ok: true }), 'INVALID_FRAME', 'data: missing'],
    [
      'failed ack with an unknown code',
      text({ v: 1, t: 'ack', id: 1, ok: false, error: { code: 'NOPE', reason: '' } }),
      'INVALID_FRAME',
      'error.code',
    ],
    ['ack with id 0', text({ v: 1, t: 'ack', id: 0, ok: true, data: null }), 'INVALID_FRAME', 'id'],
    ['pong with a bad seq', text({ v: 1, t: 'pong', id: 1, seq: 'x' }), 'INVALID_FRAME', 'seq'],
    ['error without error', text({ v: 1, t: 'error', id: 3 }), 'INVALID_FRAME', 'error: missing'],
  ])('%s', (_name, data, code, reasonPart) => refused(data, code, reasonPart));

  it('refuses invalid UTF-8 instead of decoding it with replacement characters', () => {
    const bytes = new TextEncoder().encode(text(pushSamples.message[0]!));
    const broken = new Uint8Array([...bytes.slice(0, 20), 0xc3, ...bytes.slice(20)]);
    refused(broken, 'MALFORMED_JSON', 'UTF-8');
  });

  it('reports the request id it could read, as the codec does', () => {
    const data = text({ v: 1, t: 'ack', id: 42, ok: 'yes' });
    expect(guardServerFrame(data)).toMatchObject({ ok: false, id: 42 });
    expect(decodeServerFrame(data)).toMatchObject({ ok: false, id: 42 });
  });
});

describe('guards: ack data', () => {
  it('has a sample for every request type', () => {
    expect(Object.keys(ackData).sort()).toEqual(Object.keys(requestSamples).sort());
  });

  it.each(
    Object.entries(ackData).flatMap(([t, samples]) => samples.map((d) => [t as RequestType, d] as const)),
  )('ack of %s decodes as the schema decodes it', (type, data) => {
    const expected = decodeAckData(type, data);
    expect(expected.ok).toBe(true);
    expect(guardAckData(type, data)).toStrictEqual(expected);
  });

  it.each([
    ['join', { mode: 'left', session: 's', seq: 1, heartbeat, grace: 0 }, 'mode'],
    [
      'join',
      { mode: 'resumed', session: 's', seq: 1, heartbeat: { interval: 1 }, grace: 0 },
      'heartbeat.timeout',
    ],
    ['join', { mode: 'resumed', session: 's', seq: 1, heartbeat, grace: 86_400_001 }, 'grace'],
    ['join', { ...(ackData.join[1] as object), peers: [peer, { ...peer, role: 'host' }] }, 'peers[1].role'],
    ['leave', null, 'expected an object'],
    ['publish', { stream, url: 'u'.repeat(2049) }, 'url'],
    ['subscribe', { ...subscription, small: 0 }, 'small'],
    ['mute-local', {}, 'stream: missing'],
    ['mute-remote', { subscription: { ...subscription, stream: 'bob' } }, 'subscription.stream'],
    ['set-visibility', { self: { ...peer, visible: 'no' } }, 'self.visible'],
    ['attrs-get', { attributes: { k: 1 } }, 'attributes.k'],
  ] as const)('refuses bad ack data of %s (%j)', (type, data, path) => {
    const got = guardAckData(type, data);
    expect(got).toMatchObject({ ok: false, error: { code: 'INVALID_FRAME' } });
    if (!got.ok) expect(got.error.reason).toContain(path);
    expect(decodeAckData(type, data).ok).toBe(false);
  });

  it('takes an array where the schema takes one (valibot objects accept arrays)', () => {
    expect(guardAckData('leave', [])).toStrictEqual(decodeAckData('leave', []));
    expect(guardAckData('leave', []).ok).toBe(true);
  });
});
