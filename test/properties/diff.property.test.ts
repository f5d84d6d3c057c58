/**
 * Property tests of diffPaths (fast-check): applying a diff gives the next view model, a diff never
 * holds undefined, converges, and is never bigger than replacing the changed top-level keys.
 */
import fc from 'fast-check';
import {
  applyPaths,
  diffPaths,
  entryBytes,
  isAddressable,
  toViewData,
  type DataPaths,
} from '../../src/bindings/page';
import { safeObject } from '../support/view-data';

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
