import { isRtcErrorCode } from '../../../src/errors';
import {
  PLAYER_STATE_CODES,
  PLAYER_STATE_MEANINGS,
  PUSHER_ERROR_MEANINGS,
  PUSHER_STATE_MEANINGS,
  nativeCodeMeaning,
  withMeanings,
  PUSHER_ERROR_CODES,
  PUSHER_ROOM_CODES,
  PUSHER_STATE_CODES,
  isPusherRoomCode,
  playerStateInfo,
  pusherErrorInfo,
  pusherStateInfo,
  type NativeCodeInfo,
} from '../../../src/bindings/native';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const codesOf = (table: readonly NativeCodeInfo[]) => table.map((e) => e.code);

describe('code tables', () => {
  it('hold exactly the codes of the WeChat docs plus the ones TRTC rooms emit', () => {
    expect([...codesOf(PUSHER_STATE_CODES)].sort((a, b) => a - b)).toEqual(
      [
        0,
        ...range(1001, 1008),
        ...range(1018, 1022),
        ...range(1031, 1034),
        ...range(1101, 1106),
        ...range(3001, 3005),
        4998,
        4999,
        5000,
        5001,
        ...range(10001, 10004),
        ...range(-1312, -1301),
        -3301,
        -100018,
      ].sort((a, b) => a - b),
    );
    expect(codesOf(PUSHER_ERROR_CODES)).toEqual(range(10001, 10004));
    expect([...codesOf(PLAYER_STATE_CODES)].sort((a, b) => a - b)).toEqual(
      [
        ...range(2001, 2009),
        2030,
        2032,
        ...range(2101, 2108),
        3001,
        3002,
        3003,
        3005,
        -2301,
        -2302,
        ...range(6002, 6005),
      ].sort((a, b) => a - b),
    );
  });

  it.each([
    ['pusher state', PUSHER_STATE_CODES],
    ['pusher error', PUSHER_ERROR_CODES],
    ['player state', PLAYER_STATE_CODES],
  ] as const)('%s: codes are unique, meanings are sentences, errors are documented', (_name, table) => {
    const entries: readonly NativeCodeInfo[] = table;
    expect(new Set(codesOf(entries)).size).toBe(entries.length);
    for (const entry of entries) {
      if (entry.error !== undefined) expect(isRtcErrorCode(entry.error)).toBe(true);
    }
  });

  it.each([
    ['pusher-state', PUSHER_STATE_CODES, PUSHER_STATE_MEANINGS],
    ['pusher-error', PUSHER_ERROR_CODES, PUSHER_ERROR_MEANINGS],
    ['player-state', PLAYER_STATE_CODES, PLAYER_STATE_MEANINGS],
  ] as const)(
    '%s: the meanings table has one sentence per code of the runtime table',
    (name, table, meanings) => {
      const entries: readonly NativeCodeInfo[] = table;
      expect(
        Object.keys(meanings)
          .map(Number)
          .sort((a, b) => a - b),
      ).toEqual(codesOf(entries).sort((a, b) => a - b));
      for (const entry of withMeanings(name)) {
        expect(entry.meaning).toMatch(/^[A-Z].*\.$/);
        expect(entry.meaning).not.toContain('|');
        expect(nativeCodeMeaning(name, entry.code)).toBe(entry.meaning);
      }
      expect(nativeCodeMeaning(name, 123456)).toBeUndefined();
    },
  );

  it('gives every fatal code a remedy, because fatal means the component will not recover alone', () => {
    const all: readonly NativeCodeInfo[] = [
      ...PUSHER_STATE_CODES,
      ...PUSHER_ERROR_CODES,
      ...PLAYER_STATE_CODES,
    ];
    for (const entry of all.filter((e) => e.severity === 'fatal')) {
      expect({ code: entry.code, remedy: entry.remedy }).toEqual({
        code: entry.code,
        remedy: expect.any(String),
      });
    }
  });

  it.each([
    [-1307, 'restart-push', 'fatal'],
    [3004, 'republish', 'error'],
    [1021, 'reenter', 'warning'],
    [5000, 'suspended', 'warning'],
    [10001, 'permission', 'fatal'],
    [10002, 'permission', 'fatal'],
    [-1301, 'permission', 'fatal'],
    [-1302, 'permission', 'fatal'],
    [-100018, 'renew-token', 'fatal'],
  ] as const)('pusher %i: remedy %s, severity %s', (code, remedy, severity) => {
    expect(pusherStateInfo(code)).toMatchObject({ code, remedy, severity });
  });

  it.each([
    [-2301, 'restart-play'],
    [-2302, 'resubscribe'],
  ] as const)('player %i: remedy %s', (code, remedy) => {
    expect(playerStateInfo(code)).toMatchObject({ code, remedy, severity: 'fatal', error: 'PLAY_FAILED' });
  });

  it('describes binderror codes exactly as the same statechange codes', () => {
    for (const entry of PUSHER_ERROR_CODES) {
      expect(pusherErrorInfo(entry.code)).toEqual(pusherStateInfo(entry.code));
    }
  });

  it('has no player 3004 and no pusher 2xxx (the tables are per component)', () => {
    expect(playerStateInfo(3004)).toBeUndefined();
    expect(pusherStateInfo(2001)).toBeUndefined();
    expect(pusherErrorInfo(1001)).toBeUndefined();
  });

  it('marks the user-list room codes', () => {
    expect(PUSHER_ROOM_CODES.filter(isPusherRoomCode)).toEqual([1020, 1031, 1032, 1033, 1034]);
    expect(isPusherRoomCode(1018)).toBe(false);
    for (const code of PUSHER_ROOM_CODES) expect(pusherStateInfo(code)).toBeDefined();
  });
});
