import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RTC_ERROR_CODE_LIST, RtcError, asRtcError, isRtcError, isRtcErrorCode } from '../src/errors';
import { RTC_ERROR_CODES } from '../src/error-codes';

describe('RtcError', () => {
  it('carries code and reason, and is an Error', () => {
    const e = new RtcError('NOT_JOINED', 'join first');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(RtcError);
    expect(e.code).toBe('NOT_JOINED');
    expect(e.reason).toBe('join first');
    expect(e.message).toBe('NOT_JOINED: join first');
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: 'NOT_JOINED', reason: 'join first' });
  });

  it('rebuilds from the wire form, mapping unknown codes to INTERNAL', () => {
    expect(RtcError.from({ code: 'TIMEOUT', reason: 'late' })).toMatchObject({
      code: 'TIMEOUT',
      reason: 'late',
    });
    const unknown = RtcError.from({ code: 'NOPE', reason: 'x' });
    expect(unknown.code).toBe('INTERNAL');
    expect(unknown.reason).toContain('NOPE');
    expect(RtcError.from({ code: 42 }).code).toBe('INTERNAL');
  });

  it('keeps a cause without exposing it to JSON', () => {
    const cause = new Error('socket reset');
    const e = new RtcError('CONNECTION_LOST', 'lost', { cause });
    expect((e as { cause?: unknown }).cause).toBe(cause);
    expect(JSON.stringify(e)).not.toContain('socket reset');
  });

  it('the table has an entry for every code, in the same order, and nothing else', () => {
    expect(Object.keys(RTC_ERROR_CODES)).toEqual([...RTC_ERROR_CODE_LIST]);
    expect(RTC_ERROR_CODES.TOKEN_INVALID.vendors).toEqual({ volcengine: [200004], rongcloud: [50006] });
    expect(RTC_ERROR_CODES.TOKEN_MISSING.vendors).toBeUndefined();
  });

  it('has guards', () => {
    expect(isRtcError(new RtcError('TIMEOUT', 'x'))).toBe(true);
    expect(isRtcError(new RtcError('TIMEOUT', 'x'), 'KICKED')).toBe(false);
    expect(isRtcError(new Error('x'))).toBe(false);
    expect(isRtcErrorCode('ROOM_FULL')).toBe(true);
    expect(isRtcErrorCode('toString')).toBe(false);
  });
});

describe('docs/errors.md', () => {
  const doc = readFileSync(join(__dirname, '../docs/errors.md'), 'utf8');
  const rows = new Map(
    [...doc.matchAll(/^\| `([A-Z_]+)` \| (.*?) \| (.*?) \| (.*?) \| (.*?) \|$/gm)].map((m) => [
      m[1]!,
      m.slice(2),
    ]),
  );

  it('documents every code of the table, and nothing else', () => {
    expect([...rows.keys()].sort()).toEqual([...RTC_ERROR_CODE_LIST].sort());
  });

  it('states the same meaning and vendor mapping as the table', () => {
    for (const code of RTC_ERROR_CODE_LIST) {
      const info = RTC_ERROR_CODES[code];
      const [meaning, volc, agora, rong] = rows.get(code)!;
      expect(meaning!.replace(/\\\|/g, '|')).toBe(info.description);
      const vendors = info.vendors ?? {};
      expect(volc).toBe((vendors.volcengine ?? []).join(', '));
      expect(agora).toBe((vendors.agora ?? []).join(', '));
      expect(rong).toBe((vendors.rongcloud ?? []).join(', '));
    }
  });
});

describe('asRtcError', () => {
  it('keeps an RtcError and wraps anything else, with its cause', () => {
    const e = new RtcError('TIMEOUT', 'late');
    expect(asRtcError(e)).toBe(e);
    const boom = new Error('boom');
    const wrapped = asRtcError(boom);
    expect(wrapped).toMatchObject({ code: 'INTERNAL', reason: 'Error: boom' });
    expect((wrapped as { cause?: unknown }).cause).toBe(boom);
    expect(asRtcError('bad', 'INVALID_ARGUMENT').code).toBe('INVALID_ARGUMENT');
  });
});
