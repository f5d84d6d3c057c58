import fc from 'fast-check';
import {
  applyPaths,
  diffPaths,
  entryBytes,
  isAddressable,
  toViewData,
  type DataPaths,
} from '../../../src/bindings/page';

/**
 * The equality diffPaths promises: `actual` equals `expected` except that where `expected` has no
 * key, `actual` may have that key set to `null` (removed keys are nulled, never deleted).
 * Primitives compare with `===`, as JSON does (0 and -0 are the same number on the wire).
 */
function sameUpToRemovedKeys(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item: unknown, i) => sameUpToRemovedKeys(actual[i], item))
    );
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    return (
      Object.keys(e).every((k) => has(a, k) && sameUpToRemovedKeys(a[k], e[k])) &&
      Object.keys(a).every((k) => has(e, k) || a[k] === null)
    );
  }
  return actual === expected;
}

function containsUndefined(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(containsUndefined);
}

/** JSON round trip: what a page's data looks like after it crossed to the view layer. */
const asJson = <T>(value: T): Record<string, unknown> =>
  JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

function safeObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

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

// ── properties ────────────────────────────────────────────────────────────

/** Keys that need care: path syntax, escape, empty, prototype, numeric, non-ASCII. */
const keyArb = fc.constantFrom(
  'a',
  'b',
  'c',
  'volume',
  'x.y',
  'k[0]',
  'z]',
  'back\\slash',
  '',
  '__proto__',
  '0',
  '名字',
);
/** Top-level keys must be addressable (there is no parent to replace). */
const rootKeyArb = fc.constantFrom('a', 'b', 'c', 'players', '0', 'title');
const leafArb = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.string({ maxLength: 4 }),
  // Long leaves make replacing a subtree expensive, so paths get chosen too.
  fc.string({ minLength: 20, maxLength: 40 }),
  fc.constant(undefined),
);

type Pair = readonly [unknown, unknown];

const { tree, pair } = fc.letrec<{ tree: unknown; pair: Pair }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.array(fc.tuple(keyArb, tie('tree')), { maxLength: 4 }).map(safeObject),
  ),
  pair: fc.oneof(
    { depthSize: 'medium', withCrossShrink: true },
    // Mostly unchanged subtrees, so that a few changes sit inside big containers, as in real
    // view models; first, because fast-check falls back to the first option at depth.
    { arbitrary: tie('tree').map((t): Pair => [t, structuredClone(t)]), weight: 4 },
    { arbitrary: fc.tuple(leafArb, leafArb), weight: 2 },
    { arbitrary: fc.tuple(tie('tree'), tie('tree')), weight: 1 },
    {
      // Arrays that keep, grow or shrink their length, with related elements.
      arbitrary: fc
        .tuple(fc.array(tie('pair'), { maxLength: 4 }), fc.integer({ min: -2, max: 2 }))
        .map(([pairs, delta]): Pair => {
          const prev = pairs.map((p) => p[0]);
          const next = pairs.map((p) => p[1]);
          return delta < 0
            ? [prev, next.slice(0, next.length + delta)]
            : [prev.slice(0, prev.length - delta), next];
        }),
      weight: 3,
    },
    {
      // Objects whose keys are kept, removed or added.
      arbitrary: fc
        .array(fc.tuple(keyArb, tie('pair'), fc.constantFrom('both', 'both', 'removed', 'added')), {
          maxLength: 4,
        })
        .map((entries): Pair => [
          safeObject(entries.filter(([, , s]) => s !== 'added').map(([k, p]) => [k, p[0]])),
          safeObject(entries.filter(([, , s]) => s !== 'removed').map(([k, p]) => [k, p[1]])),
        ]),
      weight: 3,
    },
  ),
}));

const independentPairArb = fc
  .array(fc.tuple(rootKeyArb, pair, fc.constantFrom('both', 'both', 'both', 'removed', 'added')), {
    maxLength: 5,
  })
  .map((entries) => ({
    prev: asJson(safeObject(entries.filter(([, , s]) => s !== 'added').map(([k, p]) => [k, p[0]]))),
    next: safeObject(entries.filter(([, , s]) => s !== 'removed').map(([k, p]) => [k, p[1]])),
  }));

/** A small edit somewhere in a tree: `walk` picks a child at each level (modulo its size). */
interface Edit {
  readonly walk: readonly number[];
  readonly op: 'set' | 'remove' | 'add';
  readonly key: string;
  readonly value: unknown;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  walk: fc.array(fc.nat(), { maxLength: 5 }),
  op: fc.constantFrom('set', 'set', 'remove', 'add'),
  key: keyArb,
  value: tree,
});

/** Applies an edit in place to a container; edits that do not fit the node they reach do nothing. */
function applyEdit(root: Record<string, unknown>, edit: Edit): void {
  let node: unknown = root;
  for (const [depth, step] of edit.walk.entries()) {
    const children: [string | number, unknown][] = Array.isArray(node)
      ? node.map((v: unknown, i) => [i, v])
      : typeof node === 'object' && node !== null
        ? Object.entries(node)
        : [];
    const child = children[step % Math.max(children.length, 1)];
    const isLast = depth === edit.walk.length - 1;
    if (child === undefined || typeof child[1] !== 'object' || child[1] === null || isLast) {
      if (child === undefined) break;
      const [at] = child;
      const container = node as Record<string | number, unknown>;
      if (edit.op === 'set') container[at] = edit.value;
      else if (edit.op === 'remove' && Array.isArray(container)) container.splice(Number(at), 1);
      else if (edit.op === 'remove') delete container[at];
      else if (Array.isArray(container)) container.push(edit.value);
      else {
        // Top-level keys must stay addressable (documented limitation, tested above).
        const key = container === root && !isAddressable(edit.key) ? 'added' : edit.key;
        Object.defineProperty(container, key, {
          value: edit.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return;
    }
    node = child[1];
  }
}

/** `next` made from `prev` by a few edits, so most of the tree is shared, as between two view models. */
const editedPairArb = fc
  .tuple(
    fc.array(
      fc.tuple(
        rootKeyArb,
        fc.array(tree, { minLength: 1, maxLength: 4 }).map((t) => t.concat([{ k: t }])),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    fc.array(editArb, { minLength: 1, maxLength: 4 }),
  )
  .map(([entries, edits]) => {
    const prev = asJson(safeObject(entries.map(([k, v]) => [k, v])));
    const next = structuredClone(prev);
    for (const edit of edits) applyEdit(next, edit);
    return { prev, next };
  });

const viewModelPairArb = fc.oneof(independentPairArb, editedPairArb);

describe('diffPaths properties', () => {
  it('applyPaths(prev, diffPaths(prev, next)) equals next up to removed keys (nulls)', () => {
    fc.assert(
      fc.property(viewModelPairArb, ({ prev, next }) => {
        const paths = diffPaths(prev, next);
        const applied = applyPaths(prev, paths);
        expect(sameUpToRemovedKeys(applied, asJson(next))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never puts undefined in a diff, at any depth', () => {
    fc.assert(
      fc.property(viewModelPairArb, ({ prev, next }) => {
        expect(containsUndefined(diffPaths(prev, next))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('converges: once applied, diffing again gives {}', () => {
    fc.assert(
      fc.property(viewModelPairArb, ({ prev, next }) => {
        const applied = applyPaths(prev, diffPaths(prev, next));
        expect(diffPaths(applied, next)).toEqual({});
        expect(diffPaths(next, next)).toEqual({});
      }),
      { numRuns: 1000 },
    );
  });

  it('is never bigger than replacing every changed top-level key whole', () => {
    const bytes = (paths: DataPaths) => Object.entries(paths).reduce((n, [p, v]) => n + entryBytes(p, v), 0);
    fc.assert(
      fc.property(viewModelPairArb, ({ prev, next }) => {
        const paths = diffPaths(prev, next);
        const whole: DataPaths = {};
        const n = toViewData(next);
        for (const key of Object.keys(paths)) {
          const root = /^[^.[]+/.exec(key)![0];
          whole[root] = Object.prototype.hasOwnProperty.call(n, root) ? n[root]! : null;
        }
        expect(bytes(paths)).toBeLessThanOrEqual(bytes(whole));
      }),
      { numRuns: 1000 },
    );
  });
});
