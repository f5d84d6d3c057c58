import { applyPaths, diffPaths, toViewData } from '../../../src/bindings/page';
import { safeObject } from '../../support/view-data';

describe('diffPaths', () => {
  it('gives {} when nothing changed', () => {
    const vm = { players: [{ id: 'a', volume: 3 }], title: 'x', flags: { on: true } };
    expect(diffPaths(vm, structuredClone(vm))).toEqual({});
  });

  it('addresses nested changes by path', () => {
    expect(
      diffPaths(
        {
          players: [
            { id: 'alice', volume: 3 },
            { id: 'bob', volume: 5 },
          ],
          room: { info: { title: 'a' } },
        },
        {
          players: [
            { id: 'alice', volume: 3 },
            { id: 'bob', volume: 42 },
          ],
          room: { info: { title: 'b' } },
        },
      ),
    ).toEqual({ 'players[1].volume': 42, 'room.info.title': 'b' });
  });

  it('sets removed keys to null, at any depth, and never to undefined', () => {
    const paths = diffPaths(
      { gone: 1, kept: 1, deep: { a: 1, b: 'long enough to make a path cheaper than the subtree' } },
      { kept: 1, deep: { b: 'long enough to make a path cheaper than the subtree' }, also: undefined },
    );
    expect(paths).toEqual({ gone: null, 'deep.a': null });
  });

  it('does not null a key that is already null or absent', () => {
    expect(diffPaths({ a: null }, {})).toEqual({});
    expect(diffPaths({ a: { b: null } }, { a: {} })).toEqual({});
  });

  it('appends to a grown array by index', () => {
    const prev = {
      list: [
        { id: 1, name: 'one' },
        { id: 2, name: 'two' },
        { id: 3, name: 'three' },
      ],
    };
    const next = { list: [...prev.list, { id: 4, name: 'four' }] };
    expect(diffPaths(prev, next)).toEqual({ 'list[3]': { id: 4, name: 'four' } });
  });

  it('replaces a shrunk array whole, since setData cannot delete elements', () => {
    const prev = { list: [1, 2, 3, 4, 5, 6] };
    expect(diffPaths(prev, { list: [1, 2, 3] })).toEqual({ list: [1, 2, 3] });
  });

  it('replaces a subtree when that is smaller than its paths', () => {
    // Four paths ("p.a":9, …) take 32 bytes; the object takes 30.
    const prev = { p: { a: 1, b: 2, c: 3, d: 4 } };
    expect(diffPaths(prev, { p: { a: 9, b: 8, c: 7, d: 6 } })).toEqual({ p: { a: 9, b: 8, c: 7, d: 6 } });
  });

  it('replaces the parent of a changed key that cannot be spelled in a path', () => {
    expect(diffPaths({ a: { 'x.y': 1, other: 'o' } }, { a: { 'x.y': 2, other: 'o' } })).toEqual({
      a: { 'x.y': 2, other: 'o' },
    });
    for (const key of ['k[0]', 'z]', 'back\\slash', '', '__proto__']) {
      const prev = {
        a: safeObject([
          [key, 1],
          ['long', 'a value that makes replacing the parent expensive'],
        ]),
      };
      const next = {
        a: safeObject([
          [key, 2],
          ['long', 'a value that makes replacing the parent expensive'],
        ]),
      };
      expect(Object.keys(diffPaths(prev, next))).toEqual(['a']);
    }
  });

  it('can still address siblings of an unchanged unaddressable key', () => {
    const long = 'a value that makes replacing the parent expensive';
    expect(diffPaths({ a: { 'x.y': long, n: 1 } }, { a: { 'x.y': long, n: 2 } })).toEqual({ 'a.n': 2 });
  });

  it('leaves out top-level keys that cannot be spelled in a path (no parent to replace)', () => {
    expect(diffPaths({}, { 'a.b': 1, ok: 2 })).toEqual({ ok: 2 });
  });

  it('reads values as JSON does', () => {
    expect(
      diffPaths({}, { n: NaN, i: -Infinity, f: () => 1, u: undefined, arr: [undefined, 1], d: new Date(0) }),
    ).toEqual({
      n: null,
      i: null,
      arr: [null, 1],
      d: '1970-01-01T00:00:00.000Z',
    });
  });

  it('does not change its arguments', () => {
    const prev = { list: [{ v: 1 }] };
    const next = { list: [{ v: 2 }, { v: 3 }] };
    const [p, n] = [structuredClone(prev), structuredClone(next)];
    diffPaths(prev, next);
    expect([prev, next]).toEqual([p, n]);
  });

  it('refuses a cyclic view model with a TypeError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => diffPaths({}, cyclic)).toThrow(TypeError);
  });

  it('with 20 players, a volume tick costs a few dozen bytes instead of the whole list', () => {
    const player = (i: number, volume: number) => ({
      id: `user_${i}_main`,
      src: `rtmp://media.example.com/live/user_${i}_main?sign=0123456789abcdef`,
      muted: false,
      hasVideo: true,
      volume,
      net: { videoBitrate: 800, audioBitrate: 48, videoFPS: 15, netQualityLevel: 2 },
    });
    const prev = { players: Array.from({ length: 20 }, (_, i) => player(i, 10)) };
    const next = { players: prev.players.map((p, i) => (i === 7 ? player(7, 55) : p)) };
    const paths = diffPaths(prev, next);
    expect(paths).toEqual({ 'players[7].volume': 55 });
    expect(JSON.stringify(paths).length).toBeLessThan(30);
    expect(JSON.stringify(next).length).toBeGreaterThan(4000);
  });
});

describe('applyPaths', () => {
  it('applies keys, nested keys and indexes in order, without changing its input', () => {
    const data = { players: [{ volume: 1 }], other: { keep: true } };
    const copy = structuredClone(data);
    expect(applyPaths(data, { 'players[0].volume': 42, 'players[1]': { volume: 7 }, 'a.b.c': 1 })).toEqual({
      players: [{ volume: 42 }, { volume: 7 }],
      other: { keep: true },
      a: { b: { c: 1 } },
    });
    expect(data).toEqual(copy);
  });

  it('creates arrays for indexes and fills holes with null', () => {
    expect(applyPaths({}, { 'm[2][1]': 'x' })).toEqual({ m: [null, null, [null, 'x']] });
  });

  it('copies values, ignores undefined and refuses unparseable paths', () => {
    const value = { deep: [1] };
    const out = applyPaths({}, { v: value, skip: undefined });
    value.deep.push(2);
    expect(out).toEqual({ v: { deep: [1] } });
    expect(() => applyPaths({}, { 'a[x]': 1 })).toThrow(TypeError);
    expect(() => applyPaths({}, { 'a..b': 1 })).toThrow(TypeError);
    expect(() => applyPaths({}, { '[0]': 1 })).toThrow(TypeError);
  });
});

describe('toViewData', () => {
  it('reads anything that is not an object as {}', () => {
    expect(toViewData(null)).toEqual({});
    expect(toViewData([1])).toEqual({});
    expect(toViewData('x')).toEqual({});
  });
});
