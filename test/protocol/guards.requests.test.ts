/**
 * The request guards (what the client checks before sending, src/protocol/guards.ts) by value:
 * every request type accepts its valid form and refuses each bad field with the reason that names
 * the field, as `type: path: reason`.
 */
import { checkRequest } from '../../src/protocol/guards';
import { LIMITS } from '../../src/protocol/limits';

const req = (t: string, body: Record<string, unknown> = {}) => ({ v: 1, t, id: 1, ...body });
/** A ping frame with the given id fields (checkRequest takes any object with a `t`). */
const ping = (fields: Record<string, unknown>) => ({ v: 1, t: 'ping', ...fields });
const long = (n: number) => 'x'.repeat(n);

describe('checkRequest: valid requests pass', () => {
  it.each([
    ['join', { token: 't', room: 'r1', user: 'u1' }],
    [
      'join',
      {
        token: '',
        room: 'r',
        user: 'u',
        visible: false,
        role: 'audience',
        businessId: '',
        resume: { session: 's', seq: 0, snapshot: true },
      },
    ],
    ['leave', {}],
    ['publish', { audio: true, video: false }],
    ['publish', { kind: 'screen', tag: 'slides', audio: false, video: true, small: true }],
    ['unpublish', { stream: 'u:main' }],
    ['subscribe', { stream: 'u:cam2', audio: true, video: false, small: true }],
    ['unsubscribe', { stream: 'u:screen' }],
    ['mute-local', { stream: 'u:main', audio: true }],
    ['mute-remote', { stream: 'u:main', video: false }],
    ['set-visibility', { visible: true }],
    ['set-role', { role: 'broadcaster' }],
    ['set-business-id', { businessId: long(LIMITS.maxBusinessIdLength) }],
    ['attrs-set', { attributes: { a: '1' }, notify: false }],
    ['attrs-get', {}],
    ['attrs-get', { keys: ['a'] }],
    ['attrs-delete', { keys: ['a', 'b'], notify: true }],
    ['message', { name: 'n', content: '' }],
    ['message', { name: 'n', content: 'c', to: 'bob' }],
    ['report', { report: { kind: 'pusher-state', code: 1002 } }],
    ['report', { report: { kind: 'player-state', stream: 'u:main', code: -2301, message: 'm' } }],
    ['report', { report: { kind: 'pusher-net', info: { videoBitrate: 500, fps: 15 } } }],
    ['report', { report: { kind: 'player-net', stream: 'u:main', info: {} } }],
    ['ping', {}],
  ])('%s %j', (t, body) => {
    expect(checkRequest(req(t, body))).toBeUndefined();
  });
});

describe('checkRequest: refused requests name the field and the reason', () => {
  it.each([
    ['an unknown type', req('nope'), 'unknown request type "nope"'],
    ['a type that is an inherited key', req('toString'), 'unknown request type "toString"'],
    // Found by the property test: an object type with no usable toString threw a TypeError.
    [
      'a type that is not a string',
      { v: 1, t: { toString: false } as unknown as string, id: 1 },
      'request type must be a string, got object',
    ],
    ['join without a token', req('join', { room: 'r', user: 'u' }), 'join: token: missing'],
    [
      'join with a number token',
      req('join', { token: 1, room: 'r', user: 'u' }),
      'join: token: expected a string',
    ],
    [
      'join with a token too long',
      req('join', { token: long(LIMITS.maxTokenLength + 1), room: 'r', user: 'u' }),
      `join: token: longer than ${LIMITS.maxTokenLength}`,
    ],
    [
      'join with an empty room',
      req('join', { token: 't', room: '', user: 'u' }),
      'join: room: shorter than 1',
    ],
    [
      'join with a bad user id',
      req('join', { token: 't', room: 'r', user: 'a b' }),
      'join: user: bad characters',
    ],
    [
      'join with a bad role',
      req('join', { token: 't', room: 'r', user: 'u', role: 'admin' }),
      'join: role: expected "broadcaster" | "audience"',
    ],
    [
      'join with visible not a boolean',
      req('join', { token: 't', room: 'r', user: 'u', visible: 'yes' }),
      'join: visible: expected a boolean',
    ],
    [
      'join resuming without a seq',
      req('join', { token: 't', room: 'r', user: 'u', resume: { session: 's' } }),
      'join: resume.seq: missing',
    ],
    [
      'join resuming with a negative seq',
      req('join', { token: 't', room: 'r', user: 'u', resume: { session: 's', seq: -1 } }),
      `join: resume.seq: outside 0…${Number.MAX_SAFE_INTEGER}`,
    ],
    ['publish without audio', req('publish', { video: true }), 'publish: audio: missing'],
    [
      'publish of a bad kind',
      req('publish', { kind: 'camera', audio: true, video: true }),
      'publish: kind: expected "main" | "screen"',
    ],
    [
      'publish with a bad tag',
      req('publish', { tag: 'a:b', audio: true, video: true }),
      'publish: tag: bad characters',
    ],
    [
      'publish with a tag too long',
      req('publish', { tag: long(LIMITS.maxStreamTagLength + 1), audio: true, video: true }),
      `publish: tag: longer than ${LIMITS.maxStreamTagLength}`,
    ],
    ['unpublish of a bad stream id', req('unpublish', { stream: 'u' }), 'unpublish: stream: shorter than 3'],
    [
      'subscribe of a bad stream id',
      req('subscribe', { stream: 'u:a:b' }),
      'subscribe: stream: not user:tag',
    ],
    [
      'subscribe with small not a boolean',
      req('subscribe', { stream: 'u:main', small: 1 }),
      'subscribe: small: expected a boolean',
    ],
    [
      'mute-local with audio not a boolean',
      req('mute-local', { stream: 'u:main', audio: 'on' }),
      'mute-local: audio: expected a boolean',
    ],
    ['mute-remote without a stream', req('mute-remote', { video: true }), 'mute-remote: stream: missing'],
    ['set-visibility without visible', req('set-visibility'), 'set-visibility: visible: missing'],
    [
      'set-role of a bad role',
      req('set-role', { role: 'x' }),
      'set-role: role: expected "broadcaster" | "audience"',
    ],
    [
      'set-business-id too long',
      req('set-business-id', { businessId: long(LIMITS.maxBusinessIdLength + 1) }),
      `set-business-id: businessId: longer than ${LIMITS.maxBusinessIdLength}`,
    ],
    [
      'attrs-set with no attribute',
      req('attrs-set', { attributes: {} }),
      'attrs-set: attributes: between 1 and 32 attributes',
    ],
    [
      'attrs-set with a number value',
      req('attrs-set', { attributes: { a: 1 } }),
      `attrs-set: attributes.a: expected a string of at most ${LIMITS.maxAttributeValueLength}`,
    ],
    [
      'attrs-get with keys not an array',
      req('attrs-get', { keys: 'a' }),
      'attrs-get: keys: expected an array',
    ],
    ['attrs-get with no key', req('attrs-get', { keys: [] }), 'attrs-get: keys: between 1 and 32 keys'],
    [
      'attrs-delete with a bad key',
      req('attrs-delete', { keys: ['a', 3] }),
      `attrs-delete: keys[1]: not an attribute key (1…${LIMITS.maxAttributeKeyLength} characters, not reserved)`,
    ],
    [
      'attrs-delete with too many keys',
      req('attrs-delete', { keys: Array.from({ length: 33 }, (_, i) => `k${i}`) }),
      'attrs-delete: keys: between 1 and 32 keys',
    ],
    [
      'message with an empty name',
      req('message', { name: '', content: 'c' }),
      'message: name: shorter than 1',
    ],
    ['message without content', req('message', { name: 'n' }), 'message: content: missing'],
    [
      'message to a bad user',
      req('message', { name: 'n', content: 'c', to: 'a b' }),
      'message: to: bad characters',
    ],
    ['report without a report', req('report'), 'report: report: missing'],
    [
      'report of an unknown kind',
      req('report', { report: { kind: 'x' } }),
      'report: report.kind: expected "pusher-state" | "player-state" | "pusher-net" | "player-net"',
    ],
    ['report that is not an object', req('report', { report: 3 }), 'report: report: expected an object'],
    [
      'report of a state with a fractional code',
      req('report', { report: { kind: 'pusher-state', code: 1.5 } }),
      'report: report.code: expected an integer',
    ],
    [
      'report of a player state without a stream',
      req('report', { report: { kind: 'player-state', code: 1 } }),
      'report: report.stream: missing',
    ],
    [
      'report of net info with a text reading',
      req('report', { report: { kind: 'pusher-net', info: { fps: 'x' } } }),
      'report: report.info.fps: expected a number',
    ],
    [
      'report of net info with NaN',
      req('report', { report: { kind: 'pusher-net', info: { fps: Number.NaN } } }),
      'report: report.info.fps: expected a number',
    ],
    [
      'report of net info that is not an object',
      req('report', { report: { kind: 'player-net', stream: 'u:main', info: null } }),
      'report: report.info: expected an object',
    ],
    [
      'report of net info with 33 readings',
      req('report', {
        report: {
          kind: 'pusher-net',
          info: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, i])),
        },
      }),
      'report: report.info: at most 32 fields',
    ],
    [
      'report of net info with a name too long',
      req('report', { report: { kind: 'pusher-net', info: { [long(65)]: 1 } } }),
      `report: report.info[${JSON.stringify(long(32))}]: longer than 64`,
    ],
    ['a request with a bad id', { v: 1, t: 'ping', id: 0 }, `ping: id: outside 1…${LIMITS.maxRequestId}`],
    ['a request of another version', { v: 2, t: 'ping', id: 1 }, 'ping: v: expected 1'],
  ])('%s', (_what, frame, reason) => {
    expect(checkRequest(frame)).toBe(reason);
  });

  it('skips the reserved keys of net info unchecked, as the schema does', () => {
    const info = JSON.parse('{"__proto__": "x", "fps": 15}') as object;
    expect(checkRequest(req('report', { report: { kind: 'pusher-net', info } }))).toBeUndefined();
  });

  it('names an unknown type by its first 64 characters', () => {
    const reason = checkRequest(req(long(600)));
    expect(reason).toBe(`unknown request type "${long(64)}"`);
  });

  it('takes every limit exactly, and refuses one past it', () => {
    const key = long(LIMITS.maxAttributeKeyLength);
    const value = long(LIMITS.maxAttributeValueLength);
    expect(checkRequest(req('attrs-set', { attributes: { [key]: value } }))).toBeUndefined();
    expect(checkRequest(req('attrs-set', { attributes: { [key + 'x']: 'v' } }))).toBe(
      `attrs-set: attributes[${JSON.stringify(long(32))}]: bad key`,
    );
    expect(checkRequest(req('attrs-set', { attributes: { k: value + 'x' } }))).toBe(
      `attrs-set: attributes.k: expected a string of at most ${LIMITS.maxAttributeValueLength}`,
    );
    expect(checkRequest(req('attrs-set', { attributes: ['a'] }))).toBe(
      'attrs-set: attributes: expected an object of attributes',
    );
    expect(checkRequest(req('attrs-set', { attributes: JSON.parse('{"constructor": "x"}') }))).toBe(
      'attrs-set: attributes["constructor"]: bad key',
    );
    expect(checkRequest(req('attrs-get', { keys: [key] }))).toBeUndefined();
    expect(checkRequest(req('attrs-get', { keys: [''] }))).toBe(
      `attrs-get: keys[0]: not an attribute key (1…${LIMITS.maxAttributeKeyLength} characters, not reserved)`,
    );
    expect(
      checkRequest(req('attrs-get', { keys: Array.from({ length: 32 }, (_, i) => `k${i}`) })),
    ).toBeUndefined();
    expect(
      checkRequest(
        req('join', {
          token: long(LIMITS.maxTokenLength),
          room: long(LIMITS.maxRoomIdLength),
          user: long(LIMITS.maxUserIdLength),
        }),
      ),
    ).toBeUndefined();
    expect(checkRequest(req('join', { token: 't', room: long(LIMITS.maxRoomIdLength + 1), user: 'u' }))).toBe(
      `join: room: longer than ${LIMITS.maxRoomIdLength}`,
    );
    expect(
      checkRequest(
        req('message', {
          name: long(LIMITS.maxMessageNameLength),
          content: long(LIMITS.maxMessageContentLength),
        }),
      ),
    ).toBeUndefined();
    expect(
      checkRequest(req('message', { name: 'n', content: long(LIMITS.maxMessageContentLength + 1) })),
    ).toBe(`message: content: longer than ${LIMITS.maxMessageContentLength}`);
    expect(checkRequest(ping({ id: LIMITS.maxRequestId }))).toBeUndefined();
    expect(checkRequest(ping({ id: LIMITS.maxRequestId + 1 }))).toBe(
      `ping: id: outside 1…${LIMITS.maxRequestId}`,
    );
    expect(checkRequest(ping({ id: 1.5 }))).toBe('ping: id: expected an integer');
    expect(checkRequest(ping({}))).toBe('ping: id: missing');
    expect(
      checkRequest(req('publish', { tag: long(LIMITS.maxStreamTagLength), audio: true, video: true })),
    ).toBeUndefined();
    expect(checkRequest(req('publish', { tag: '', audio: true, video: true }))).toBe(
      'publish: tag: shorter than 1',
    );
  });

  it('names a long key by its first 32 characters', () => {
    const key = long(LIMITS.maxAttributeKeyLength);
    const reason = checkRequest(req('report', { report: { kind: 'pusher-net', info: { [long(600)]: 1 } } }));
    expect(reason).toBe(`report: report.info[${JSON.stringify(long(32))}]: longer than 64`);
    const attributeReason = checkRequest(req('attrs-set', { attributes: { [key]: 1 } }));
    expect(attributeReason).toBe(
      `attrs-set: attributes.${long(32)}: expected a string of at most ${LIMITS.maxAttributeValueLength}`,
    );
  });
});
