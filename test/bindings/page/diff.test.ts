import { applyPaths, diffPaths, entryBytes, toViewData } from '../../../src/bindings/page';
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

describe('diffPaths and toViewData by value', () => {
  it('keeps strings and booleans, and reads toJSON once with its key, as JSON.stringify does', () => {
    const inner = { toJSON: () => 'inner', x: 1 };
    const vm = {
      s: 'x',
      b: false,
      once: { toJSON: () => inner },
      keyed: { toJSON: (key: string) => `key ${key}` },
      list: [{ toJSON: (key: string) => `index ${key}` }],
    };
    const expected = { s: 'x', b: false, once: { x: 1 }, keyed: 'key keyed', list: ['index 0'] };
    expect(toViewData(vm)).toEqual(expected);
    expect(toViewData(vm)).toEqual(JSON.parse(JSON.stringify(vm)));
    expect(diffPaths({}, vm)).toEqual(expected);
  });

  it('reads an object met twice (not a cycle) both times', () => {
    const shared = { v: 1 };
    expect(toViewData({ a: shared, b: [shared, shared] })).toEqual({ a: { v: 1 }, b: [{ v: 1 }, { v: 1 }] });
  });

  it('names the problem of a cyclic view model', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.list = [cyclic];
    expect(() => toViewData(cyclic)).toThrow(new TypeError('diffPaths: the view model is cyclic'));
  });

  it('keeps a __proto__ key as an own key, without touching the prototype', () => {
    const data = toViewData(safeObject([['__proto__', { polluted: true }]]));
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect((data as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts the bytes of an entry in UTF-8 with its quotes, colon and comma', () => {
    expect(entryBytes('a', 1)).toBe(6);
    expect(entryBytes('é', 'é')).toBe(10);
    expect(entryBytes('list[0]', null)).toBe(15);
  });

  it('prefers the paths when they cost exactly as much as the subtree', () => {
    // "p.a":5, is 8 bytes; "p":{"a":5}, is 12. Two paths "p.a":5,"p.b":6, are 16 bytes and the
    // subtree "p":{"a":5,"b":6}, is 18; with a third key the paths (24) cost less than the whole
    // (24): equal, so the paths are kept.
    expect(diffPaths({ p: { a: 1, b: 2, c: 3 } }, { p: { a: 5, b: 6, c: 7 } })).toEqual({
      'p.a': 5,
      'p.b': 6,
      'p.c': 7,
    });
    expect(entryBytes('p', { a: 5, b: 6, c: 7 })).toBe(3 * entryBytes('p.a', 5));
  });

  it('replaces an array whose length or elements changed in kind', () => {
    expect(diffPaths({ a: [1, 2] }, { a: { 0: 1 } })).toEqual({ a: { 0: 1 } });
    expect(diffPaths({ a: { 0: 1 } }, { a: [1] })).toEqual({ a: [1] });
    expect(diffPaths({ a: 'long string value here' }, { a: { x: 1 } })).toEqual({ a: { x: 1 } });
    expect(diffPaths({ a: [[1, 2, 3, 4, 5, 6, 7, 8, 9]] }, { a: [[1, 2, 3, 4, 5, 6, 7, 8, 10]] })).toEqual({
      'a[0][8]': 10,
    });
  });

  it('compares objects by their keys, not only their sizes', () => {
    const long = 'a long value that keeps the parent from being replaced';
    expect(diffPaths({ o: { a: 1, keep: long } }, { o: { b: 1, keep: long } })).toEqual({
      'o.a': null,
      'o.b': 1,
    });
    expect(diffPaths({ o: { a: 1, keep: long } }, { o: { a: 1, b: 2, keep: long } })).toEqual({ 'o.b': 2 });
    expect(diffPaths({ o: { a: [1], keep: long } }, { o: { a: [1, 2], keep: long } })).toEqual({
      'o.a[1]': 2,
    });
  });

  it('nulls a nested key that became undefined, and writes a key that was null', () => {
    const long = 'a long value that keeps the parent from being replaced';
    expect(diffPaths({ o: { a: 1, keep: long } }, { o: { a: undefined, keep: long } })).toEqual({
      'o.a': null,
    });
    expect(diffPaths({ o: { a: null, keep: long } }, { o: { a: 0, keep: long } })).toEqual({ 'o.a': 0 });
    expect(diffPaths({ a: null }, { a: 0 })).toEqual({ a: 0 });
    expect(diffPaths({ a: 0 }, { a: null })).toEqual({ a: null });
  });
});

describe('applyPaths by value', () => {
  it('says what is wrong with a path it cannot parse', () => {
    expect(() => applyPaths({}, { 'a..b': 1 })).toThrow(
      new TypeError('applyPaths: empty key in data path "a..b"'),
    );
    expect(() => applyPaths({}, { 'a[x]': 1 })).toThrow(
      new TypeError('applyPaths: bad index in data path "a[x]"'),
    );
    expect(() => applyPaths({}, { 'a[1': 1 })).toThrow(
      new TypeError('applyPaths: bad index in data path "a[1"'),
    );
    expect(() => applyPaths({}, { 'a[]': 1 })).toThrow(TypeError);
  });

  it('keeps the other keys and elements on the way, and replaces primitives by containers', () => {
    expect(applyPaths({ a: { b: 1, c: 2 }, l: [0, 1, 2] }, { 'a.b': 9, 'l[1]': 8 })).toEqual({
      a: { b: 9, c: 2 },
      l: [0, 8, 2],
    });
    expect(applyPaths({ a: 5 }, { 'a.b': 1, 'n[1]': 2 })).toEqual({ a: { b: 1 }, n: [null, 2] });
    expect(applyPaths({ a: [1, 2] }, { 'a.x': 3 })).toEqual({ a: Object.assign([1, 2], { x: 3 }) });
    expect(applyPaths({ a: { k: 1 } }, { 'a[0]': 3 })).toEqual({ a: [3] });
  });

  it('reads values as JSON and keeps __proto__ as an own key', () => {
    const out = applyPaths({}, { a: { n: NaN, d: new Date(0) }, 'o.__proto__': { polluted: true } });
    expect(out.a).toEqual({ n: null, d: '1970-01-01T00:00:00.000Z' });
    expect(Object.keys(out.o as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('diffPaths: what counts as unchanged', () => {
  const long = 'a long value that keeps the parent from being replaced';

  it('sees equal objects and arrays under a key it cannot address as unchanged', () => {
    const prev = { a: { 'x.y': { deep: { v: long } }, 'l.m': [long, [1]], n: 1 } };
    const next = { a: { 'x.y': { deep: { v: long } }, 'l.m': [long, [1]], n: 2 } };
    expect(diffPaths(prev, next)).toEqual({ 'a.n': 2 });
  });

  it('sees a change between objects, arrays, null and primitives', () => {
    expect(diffPaths({ a: {} }, { a: 5 })).toEqual({ a: 5 });
    expect(diffPaths({ a: [] }, { a: {} })).toEqual({ a: {} });
    expect(diffPaths({ a: {} }, { a: [] })).toEqual({ a: [] });
    expect(diffPaths({ a: { length: 0 } }, { a: [] })).toEqual({ a: [] });
    expect(diffPaths({ a: null }, { a: {} })).toEqual({ a: {} });
    expect(diffPaths({ a: {} }, { a: null })).toEqual({ a: null });
  });

  it('leaves undefined values out of the view data, not as keys', () => {
    expect(Object.keys(toViewData({ a: undefined, b: 1, c: () => 1 }))).toEqual(['b']);
  });

  it("calls a top-level toJSON with the key '' as JSON.stringify does", () => {
    const vm = { toJSON: (key: string) => ({ key }) };
    expect(toViewData(vm)).toEqual({ key: '' });
    expect(toViewData(vm)).toEqual(JSON.parse(JSON.stringify(vm)));
  });

  it('writes a __proto__ key as a plain data property', () => {
    const data = toViewData(safeObject([['__proto__', 1]]));
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')).toEqual({
      value: 1,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  });
});

describe('applyPaths: values and indexes', () => {
  it('reads a top-level value with toJSON as JSON', () => {
    expect(applyPaths({}, { d: new Date(0) })).toEqual({ d: '1970-01-01T00:00:00.000Z' });
  });

  it('takes only decimal digits as an index', () => {
    expect(applyPaths({}, { 'a[12]': 1 })).toEqual({ a: [...Array<null>(12).fill(null), 1] });
    expect(() => applyPaths({}, { 'a[x1]': 1 })).toThrow(TypeError);
    expect(() => applyPaths({}, { 'a[1x]': 1 })).toThrow(TypeError);
  });

  it('replaces a null on the way by an object', () => {
    expect(applyPaths({ a: null }, { 'a.b': 1 })).toEqual({ a: { b: 1 } });
  });
});
