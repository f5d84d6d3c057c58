/**
 * What the server-frame guards say when they refuse: the exact `type: path: reason`, so a bad
 * frame from a server names its broken field (mutation testing found only the paths checked).
 */
import { checkServerFrame, guardAckData, guardServerFrame } from '../../src/protocol/guards';
import { LIMITS } from '../../src/protocol/limits';
import { stream } from './samples';

const reasonOf = (frame: unknown) => {
  const texts = [checkServerFrame, guardServerFrame].map((guard) => {
    const r = guard(JSON.stringify(frame));
    return r.ok ? 'accepted' : `${r.error.code} ${r.error.reason}`;
  });
  expect(texts[1]).toBe(texts[0]); // the hot path and the copying guard agree
  return texts[0]!;
};

describe('server-frame guards: refusal reasons', () => {
  it.each([
    [{ v: 1, t: 'peer-joined', seq: 1, peer: 3 }, 'peer-joined: peer: expected an object'],
    [{ v: 1, t: 'peer-joined', seq: 1, peer: [] }, 'peer-joined: peer.user: missing'],
    [
      { v: 1, t: 'stream-added', seq: 1, stream: { ...stream, user: 5 } },
      'stream-added: stream.user: expected a string',
    ],
    [
      {
        v: 1,
        t: 'stream-added',
        seq: 1,
        stream: { ...stream, user: 'u'.repeat(LIMITS.maxUserIdLength + 1) },
      },
      `stream-added: stream.user: longer than ${LIMITS.maxUserIdLength}`,
    ],
    [
      { v: 1, t: 'stream-added', seq: 1, stream: { ...stream, media: 'dead' } },
      'stream-added: stream.media: expected "pending" | "live" | "lost"',
    ],
    [
      { v: 1, t: 'stream-added', seq: 1, stream: { ...stream, tag: 'a b' } },
      'stream-added: stream.tag: bad characters',
    ],
    [
      { v: 1, t: 'attributes-changed', seq: 1, set: {}, deleted: 'a', by: 'bob' },
      'attributes-changed: deleted: expected an array',
    ],
    [
      { v: 1, t: 'attributes-changed', seq: 1, set: [], deleted: [], by: 'bob' },
      'attributes-changed: set: expected an object of attributes',
    ],
    [
      { v: 1, t: 'attributes-changed', seq: 1, set: { a: 1 }, deleted: [], by: 'bob' },
      `attributes-changed: set.a: expected a string of at most ${LIMITS.maxAttributeValueLength}`,
    ],
    [
      { v: 1, t: 'attributes-changed', seq: 1, set: {}, deleted: [''], by: 'bob' },
      `attributes-changed: deleted[0]: not an attribute key (1…${LIMITS.maxAttributeKeyLength} characters, not reserved)`,
    ],
    [
      { v: 1, t: 'peer-left', seq: -1, user: 'bob', reason: 'leave' },
      `peer-left: seq: outside 0…${Number.MAX_SAFE_INTEGER}`,
    ],
    [{ v: 1, t: 'peer-left', seq: 1.5, user: 'bob', reason: 'leave' }, 'peer-left: seq: expected an integer'],
    [
      { v: 1, t: 'message', seq: 1, from: 'bob', name: 'n', content: 'c', private: 1 },
      'message: private: expected a boolean',
    ],
    [
      { v: 1, t: 'kicked', seq: 1, reason: 'kicked', message: 'm'.repeat(LIMITS.maxReasonLength + 1) },
      `kicked: message: longer than ${LIMITS.maxReasonLength}`,
    ],
    [{ v: 1, t: 'error' }, 'error: error: missing'],
    [{ v: 1, t: 'ack', id: 1, ok: 'yes' }, 'ack: ok: expected true | false'],
    [{ v: 1, t: 'pong', id: 1, seq: 'x' }, 'pong: seq: expected an integer'],
  ])('%j', (frame, reason) => {
    expect(reasonOf(frame)).toBe(`INVALID_FRAME ${reason}`);
  });

  it('cuts a reason at 500 characters', () => {
    const text = reasonOf({ v: 1, t: 'error', error: { code: 'NOPE', reason: 'r' } });
    const reason = text.slice('INVALID_FRAME '.length);
    expect(reason.startsWith('error: error.code: expected "MALFORMED_JSON" | "INVALID_FRAME"')).toBe(true);
    expect(reason).toHaveLength(500);
    expect(reason.endsWith('...')).toBe(true);
  });

  it('names the ack a data shape belongs to', () => {
    expect(guardAckData('join', { mode: 'joined' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FRAME', reason: 'ack of join: session: missing' },
    });
  });

  it('copies a valid frame without its unknown keys, in every nested object and array', () => {
    const got = guardServerFrame(
      JSON.stringify({
        v: 1,
        t: 'attributes-changed',
        seq: 3,
        set: { a: '1' },
        deleted: ['b'],
        by: 'bob',
        extra: true,
      }),
    );
    expect(got).toStrictEqual({
      ok: true,
      frame: { v: 1, t: 'attributes-changed', seq: 3, set: { a: '1' }, deleted: ['b'], by: 'bob' },
    });
    const added = guardServerFrame(
      JSON.stringify({
        v: 1,
        t: 'stream-added',
        seq: 1,
        stream: { ...stream, tag: 'cam2', media: 'live', x: 1 },
      }),
    );
    expect(added).toStrictEqual({
      ok: true,
      frame: { v: 1, t: 'stream-added', seq: 1, stream: { ...stream, tag: 'cam2', media: 'live' } },
    });
  });
});
