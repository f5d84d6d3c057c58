import fc from 'fast-check';
import {
  NATIVE_EVENT_TYPES,
  PLAYER_NET_INFO_FIELDS,
  PLAYER_STATE_CODES,
  PUSHER_ERROR_CODES,
  PUSHER_NET_INFO_FIELDS,
  PUSHER_STATE_CODES,
  decodePlayerAudioVolume,
  decodePlayerFullscreenChange,
  decodePlayerNetStatus,
  decodePlayerStateChange,
  decodePusherAudioVolume,
  decodePusherBgmComplete,
  decodePusherBgmProgress,
  decodePusherBgmStart,
  decodePusherError,
  decodePusherNetStatus,
  decodePusherStateChange,
  isPusherRoomCode,
  sanitizePlayerNetInfo,
  sanitizePusherNetInfo,
  streamIdOf,
  type NativeCodeInfo,
  type NativeEvent,
} from '../../../src/bindings/native';

/** What a decoded event repeats from its table entry. */
function fromTable(entry: NativeCodeInfo) {
  return {
    severity: entry.severity,
    ...(entry.remedy !== undefined && { remedy: entry.remedy }),
    ...(entry.error !== undefined && { error: entry.error }),
  };
}

/** A player event as WeChat delivers it for `<live-player id="…" data-stream-id="…">`. */
function playerEvent(detail: unknown, streamId = 'bob:main') {
  return { type: 'statechange', currentTarget: { id: streamId, dataset: { streamId } }, target: {}, detail };
}

describe('decodePusherStateChange', () => {
  const plain = PUSHER_STATE_CODES.filter((e) => !isPusherRoomCode(e.code));

  it.each(plain.map((e) => [e.code, e] as const))('decodes %i from the table', (code, entry) => {
    expect(decodePusherStateChange({ detail: { code, message: 'from native' } })).toEqual({
      type: 'pusher-state',
      code,
      ...fromTable(entry),
      message: 'from native',
    });
  });

  it('leaves message out when the component sends none', () => {
    expect(decodePusherStateChange({ detail: { code: 1002 } })).toEqual({
      type: 'pusher-state',
      code: 1002,
      severity: 'info',
    });
  });

  it('accepts a numeric string code', () => {
    expect(decodePusherStateChange({ detail: { code: '-1307' } })).toMatchObject({
      type: 'pusher-state',
      code: -1307,
      remedy: 'restart-push',
      error: 'PUSH_FAILED',
    });
  });

  it.each([
    [1234, 'pusher'],
    [2001, 'a player code'],
    [-1313, 'just past the table'],
  ])('reports %i (%s) as unknown-code', (code) => {
    expect(decodePusherStateChange({ detail: { code, message: 'm' } })).toEqual({
      type: 'unknown-code',
      source: 'pusher',
      binding: 'statechange',
      code,
      message: 'm',
    });
  });

  it.each([
    [{}],
    [{ detail: null }],
    [{ detail: { code: 1.5 } }],
    [{ detail: { code: '10x' } }],
    [null],
    [42],
  ])('reports %p as malformed', (event) => {
    expect(decodePusherStateChange(event)).toMatchObject({
      type: 'malformed',
      source: 'pusher',
      binding: 'statechange',
    });
  });
});

describe('TRTC room messages (1020, 1031–1034)', () => {
  const message = (userlist: unknown) => JSON.stringify({ userlist });

  it('1031: remote users entered', () => {
    expect(
      decodePusherStateChange({
        detail: { code: 1031, message: message([{ userid: 'alice' }, { userid: 'bob' }]) },
      }),
    ).toEqual({
      type: 'pusher-room',
      code: 1031,
      severity: 'info',
      users: [{ userId: 'alice' }, { userId: 'bob' }],
    });
  });

  it('1032: remote user left', () => {
    expect(
      decodePusherStateChange({ detail: { code: 1032, message: message([{ userid: 'bob' }]) } }),
    ).toMatchObject({
      type: 'pusher-room',
      code: 1032,
      users: [{ userId: 'bob' }],
    });
  });

  it('1033: video state with play URL and stream type', () => {
    const userlist = [
      {
        userid: 'alice',
        playurl: 'room://x?userid=alice&streamtype=main',
        streamtype: 'main',
        hasvideo: true,
      },
      {
        userid: 'alice',
        playurl: 'room://x?userid=alice&streamtype=aux',
        streamtype: 'aux',
        hasvideo: false,
      },
    ];
    expect(decodePusherStateChange({ detail: { code: 1033, message: message(userlist) } })).toMatchObject({
      type: 'pusher-room',
      code: 1033,
      users: [
        { userId: 'alice', playUrl: userlist[0]!.playurl, streamType: 'main', hasVideo: true },
        { userId: 'alice', playUrl: userlist[1]!.playurl, streamType: 'aux', hasVideo: false },
      ],
    });
  });

  it('1034: audio state bit, accepting 0/1 as older builds send', () => {
    const userlist = [
      { userid: 'alice', playurl: 'room://a', hasaudio: 1 },
      { userid: 'bob', playurl: 'room://b', hasaudio: false },
    ];
    expect(decodePusherStateChange({ detail: { code: 1034, message: message(userlist) } })).toMatchObject({
      users: [
        { userId: 'alice', playUrl: 'room://a', hasAudio: true },
        { userId: 'bob', playUrl: 'room://b', hasAudio: false },
      ],
    });
  });

  it('1020: the full anchor list, also in camelCase', () => {
    const event = decodePusherStateChange({
      detail: {
        code: 1020,
        message: JSON.stringify({ userList: [{ userId: 'carol', playUrl: 'room://c' }] }),
      },
    });
    expect(event).toMatchObject({
      type: 'pusher-room',
      code: 1020,
      users: [{ userId: 'carol', playUrl: 'room://c' }],
    });
  });

  it('keeps valid entries and leaves out the ones without a user id', () => {
    const userlist = [
      { userid: 'alice' },
      null,
      7,
      { userid: '' },
      { playurl: 'room://x' },
      { userid: 'bob', hasvideo: 'yes' },
    ];
    expect(decodePusherStateChange({ detail: { code: 1031, message: message(userlist) } })).toMatchObject({
      users: [{ userId: 'alice' }, { userId: 'bob' }],
    });
  });

  it('gives an empty user list as is', () => {
    expect(decodePusherStateChange({ detail: { code: 1032, message: message([]) } })).toMatchObject({
      type: 'pusher-room',
      users: [],
    });
  });

  it.each([
    ['no message', undefined, 'not a string'],
    ['a number', 12, 'not a string'],
    ['broken JSON', '{"userlist":[', 'not valid JSON'],
    ['JSON without userlist', '{"users":[]}', 'no userlist'],
    ['userlist not an array', '{"userlist":{"userid":"a"}}', 'no userlist'],
    ['JSON null', 'null', 'no userlist'],
  ])('turns %s into a malformed event with the code', (_name, msg, reason) => {
    const event = decodePusherStateChange({ detail: { code: 1031, message: msg } });
    expect(event).toMatchObject({ type: 'malformed', source: 'pusher', binding: 'statechange', code: 1031 });
    expect((event as { reason: string }).reason).toContain(reason);
  });
});

describe('decodePusherError', () => {
  it.each(PUSHER_ERROR_CODES.map((e) => [e.code, e] as const))('decodes errCode %i', (errCode, entry) => {
    expect(decodePusherError({ detail: { errCode, errMsg: 'native text' } })).toEqual({
      type: 'pusher-error',
      errCode,
      errMsg: 'native text',
      ...fromTable(entry),
    });
  });

  it('uses an empty errMsg when there is none', () => {
    expect(decodePusherError({ detail: { errCode: 10003 } })).toMatchObject({ errMsg: '' });
  });

  it('reports unknown errCodes and missing ones', () => {
    expect(decodePusherError({ detail: { errCode: 99, errMsg: 'x' } })).toEqual({
      type: 'unknown-code',
      source: 'pusher',
      binding: 'error',
      code: 99,
      message: 'x',
    });
    expect(decodePusherError({ detail: { errMsg: 'x' } })).toMatchObject({
      type: 'malformed',
      binding: 'error',
    });
  });
});

describe('pusher netstatus, volume and BGM', () => {
  const fullInfo = Object.fromEntries(PUSHER_NET_INFO_FIELDS.map((f, i) => [f, i + 0.5]));

  it('keeps every known netstatus field', () => {
    expect(decodePusherNetStatus({ detail: { info: fullInfo } })).toEqual({
      type: 'pusher-net',
      info: fullInfo,
    });
  });

  it('drops unknown, non-numeric and non-finite fields', () => {
    const info = {
      videoFPS: 15,
      videoBitrate: '800',
      audioBitrate: NaN,
      netSpeed: Infinity,
      extra: 3,
      vSumCacheSize: 9,
    };
    expect(decodePusherNetStatus({ detail: { info } })).toEqual({
      type: 'pusher-net',
      info: { videoFPS: 15 },
    });
  });

  it('reports a missing info object', () => {
    expect(decodePusherNetStatus({ detail: { info: 'videoFPS' } })).toMatchObject({ type: 'malformed' });
  });

  it('decodes volume', () => {
    expect(decodePusherAudioVolume({ detail: { volume: 42 } })).toEqual({
      type: 'pusher-volume',
      volume: 42,
    });
    expect(decodePusherAudioVolume({ detail: { volume: '42' } })).toMatchObject({ type: 'malformed' });
  });

  it('decodes BGM start, progress and complete', () => {
    expect(decodePusherBgmStart({})).toEqual({ type: 'pusher-bgm-start' });
    expect(decodePusherBgmComplete(undefined)).toEqual({ type: 'pusher-bgm-complete' });
    expect(decodePusherBgmProgress({ detail: { progress: 3, duration: 180 } })).toEqual({
      type: 'pusher-bgm-progress',
      progress: 3,
      duration: 180,
    });
    expect(decodePusherBgmProgress({ detail: { progress: 3 } })).toMatchObject({
      type: 'malformed',
      binding: 'bgmprogress',
    });
  });
});

describe('decodePlayerStateChange', () => {
  it.each(PLAYER_STATE_CODES.map((e) => [e.code, e] as const))('decodes %i from the table', (code, entry) => {
    expect(decodePlayerStateChange(playerEvent({ code }))).toEqual({
      type: 'player-state',
      streamId: 'bob:main',
      code,
      ...fromTable(entry),
    });
  });

  it('keeps a string message', () => {
    expect(decodePlayerStateChange(playerEvent({ code: 2103, message: 'reconnecting' }))).toMatchObject({
      message: 'reconnecting',
    });
  });

  it('reports codes not in the player table, with the stream', () => {
    expect(decodePlayerStateChange(playerEvent({ code: 3004 }))).toEqual({
      type: 'unknown-code',
      source: 'player',
      binding: 'statechange',
      code: 3004,
      streamId: 'bob:main',
    });
  });

  it('reports an event that names no stream as malformed, keeping the code', () => {
    expect(
      decodePlayerStateChange({ currentTarget: { dataset: {} }, detail: { code: -2301 } }),
    ).toMatchObject({
      type: 'malformed',
      source: 'player',
      code: -2301,
    });
  });
});

describe('player netstatus, volume and fullscreen', () => {
  const fullInfo = Object.fromEntries(PLAYER_NET_INFO_FIELDS.map((f, i) => [f, i]));

  it('keeps every known player netstatus field', () => {
    expect(decodePlayerNetStatus(playerEvent({ info: { ...fullInfo, junk: 1 } }))).toEqual({
      type: 'player-net',
      streamId: 'bob:main',
      info: fullInfo,
    });
  });

  it('decodes volume per stream', () => {
    expect(decodePlayerAudioVolume(playerEvent({ volume: 7 }, 'carol:screen'))).toEqual({
      type: 'player-volume',
      streamId: 'carol:screen',
      volume: 7,
    });
    expect(decodePlayerAudioVolume(playerEvent({}))).toMatchObject({
      type: 'malformed',
      streamId: 'bob:main',
    });
    expect(decodePlayerAudioVolume({ detail: { volume: 7 } })).toMatchObject({ type: 'malformed' });
  });

  it('decodes fullscreen changes', () => {
    expect(decodePlayerFullscreenChange(playerEvent({ fullScreen: true, direction: 'horizontal' }))).toEqual({
      type: 'player-fullscreen',
      streamId: 'bob:main',
      fullScreen: true,
      direction: 'horizontal',
    });
    expect(decodePlayerFullscreenChange(playerEvent({ fullScreen: false, direction: 90 }))).toEqual({
      type: 'player-fullscreen',
      streamId: 'bob:main',
      fullScreen: false,
    });
    expect(decodePlayerFullscreenChange(playerEvent({ direction: 'vertical' }))).toMatchObject({
      type: 'malformed',
    });
    expect(decodePlayerNetStatus({ detail: { info: {} } })).toMatchObject({ type: 'malformed' });
  });
});

describe('streamIdOf', () => {
  it.each([
    [
      'dataset.streamId first',
      { currentTarget: { id: 'c', dataset: { streamId: 'a', streamid: 'b' } }, target: { id: 'd' } },
      'a',
    ],
    [
      'then dataset.streamid',
      { currentTarget: { id: 'c', dataset: { streamid: 'b' } }, target: { id: 'd' } },
      'b',
    ],
    ['then currentTarget.id', { currentTarget: { id: 'c', dataset: {} }, target: { id: 'd' } }, 'c'],
    ['then target.id', { currentTarget: { id: '', dataset: { streamId: '' } }, target: { id: 'd' } }, 'd'],
    ['numbers as strings', { currentTarget: { dataset: { streamId: 7 } } }, '7'],
    ['none', { currentTarget: { dataset: { streamId: null } }, target: {} }, undefined],
    ['not an event', 'bob', undefined],
  ])('%s', (_name, event, expected) => {
    expect(streamIdOf(event)).toBe(expected);
  });
});

describe('sanitizers', () => {
  it('give {} for anything that is not an object', () => {
    for (const value of [undefined, null, 3, 'x', true]) {
      expect(sanitizePusherNetInfo(value)).toEqual({});
      expect(sanitizePlayerNetInfo(value)).toEqual({});
    }
  });

  it('skip a field whose getter throws', () => {
    const info = {
      videoFPS: 12,
      get videoBitrate(): number {
        throw new Error('host object');
      },
    };
    expect(sanitizePusherNetInfo(info)).toEqual({ videoFPS: 12 });
  });
});

// ── never throw, always a known type ────────────────────────────────────

const decoders = {
  decodePusherStateChange,
  decodePusherNetStatus,
  decodePusherAudioVolume,
  decodePusherError,
  decodePusherBgmStart,
  decodePusherBgmProgress,
  decodePusherBgmComplete,
  decodePlayerStateChange,
  decodePlayerNetStatus,
  decodePlayerAudioVolume,
  decodePlayerFullscreenChange,
} satisfies Record<string, (event: unknown) => NativeEvent>;

function expectWellFormed(event: NativeEvent) {
  expect(NATIVE_EVENT_TYPES).toContain(event.type);
  // exactOptionalPropertyTypes at run time: an absent field is absent, never `undefined`.
  for (const [key, value] of Object.entries(event)) {
    expect({ key, value }).not.toEqual({ key, value: undefined });
  }
}

const allCodes = [...PUSHER_STATE_CODES, ...PUSHER_ERROR_CODES, ...PLAYER_STATE_CODES].map((e) => e.code);

/** Details shaped like the real ones, with every field sometimes wrong. */
const detailArb = fc.record(
  {
    code: fc.oneof(fc.constantFrom(...allCodes), fc.integer(), fc.string(), fc.double(), fc.anything()),
    errCode: fc.oneof(fc.constantFrom(...allCodes), fc.anything()),
    errMsg: fc.anything(),
    message: fc.oneof(
      fc.string(),
      fc.json(),
      fc.anything().map((userlist) => JSON.stringify({ userlist }) ?? ''),
      fc
        .array(fc.record({ userid: fc.anything(), playurl: fc.anything(), hasvideo: fc.anything() }))
        .map((userlist) => JSON.stringify({ userlist })),
      fc.anything(),
    ),
    info: fc.oneof(
      fc.dictionary(fc.constantFrom(...PLAYER_NET_INFO_FIELDS, 'x'), fc.anything()),
      fc.anything(),
    ),
    volume: fc.oneof(fc.double(), fc.anything()),
    progress: fc.anything(),
    duration: fc.anything(),
    fullScreen: fc.anything(),
    direction: fc.anything(),
  },
  { requiredKeys: [] },
);

const targetArb = fc.record(
  {
    id: fc.anything(),
    dataset: fc.oneof(fc.record({ streamId: fc.anything(), streamid: fc.anything() }), fc.anything()),
  },
  { requiredKeys: [] },
);

const eventArb = fc.oneof(
  fc.anything(),
  fc.record({ detail: fc.anything() }),
  fc.record({ detail: detailArb, currentTarget: targetArb, target: targetArb }, { requiredKeys: ['detail'] }),
);

describe.each(Object.entries(decoders))('%s on arbitrary input', (_name, decode) => {
  it('never throws and always returns a NativeEvent of a known type', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        expectWellFormed(decode(event));
      }),
      { numRuns: 400 },
    );
  });

  it('survives events whose getters throw', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
      },
    );
    expectWellFormed(decode(hostile));
    expectWellFormed(decode({ detail: hostile, currentTarget: hostile }));
  });
});
