import fc from 'fast-check';
import { PersistentMap } from '../../src/streams/persistent-map';

type Op = { kind: 'with'; key: string; value: number } | { kind: 'without'; key: string };

// Short keys from a small alphabet make repeated keys (updates, deletes of present keys) common.
const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', ':', '1'), maxLength: 4 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('with' as const), key, value: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('without' as const), key }),
);

function apply(ops: readonly Op[]): { map: PersistentMap<number>; model: Map<string, number> } {
  let map = PersistentMap.empty<number>();
  const model = new Map<string, number>();
  for (const o of ops) {
    if (o.kind === 'with') {
      map = map.with(o.key, o.value);
      model.set(o.key, o.value);
    } else {
      map = map.without(o.key);
      model.delete(o.key);
    }
  }
  return { map, model };
}

const sorted = (entries: Iterable<[string, number]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : 1));

describe('PersistentMap', () => {
  it('reads like a Map after any sequence of updates', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { map, model } = apply(ops);
        expect(map.size).toBe(model.size);
        expect(sorted(map.entries())).toEqual(sorted(model.entries()));
        for (const o of ops) {
          expect(map.get(o.key)).toBe(model.get(o.key));
          expect(map.has(o.key)).toBe(model.has(o.key));
        }
        expect(map.toRecord()).toEqual(Object.fromEntries(model));
      }),
    );
  });

  it('never changes a map it was derived from', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.array(op, { maxLength: 30 }), (first, second) => {
        const { map: before, model } = apply(first);
        let after = before;
        for (const o of second) after = o.kind === 'with' ? after.with(o.key, o.value) : after.without(o.key);
        expect(sorted(before.entries())).toEqual(sorted(model.entries()));
        expect(before.size).toBe(model.size);
      }),
    );
  });

  it('returns the very same map when nothing changes', () => {
    const a = PersistentMap.from({ alice: 1, bob: 2 });
    expect(a.with('alice', 1)).toBe(a);
    expect(a.without('carol')).toBe(a);
    expect(a.with('alice', 3)).not.toBe(a);
    expect(a.with('alice', 3).get('alice')).toBe(3);
    expect(a.with('alice', 3).size).toBe(2);
  });

  it('has one shape for one set of entries, however it was built (so toEqual compares contents)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { map, model } = apply(ops);
        // Built again from scratch, in another order.
        const again = PersistentMap.from([...model.entries()].reverse());
        expect(map).toEqual(again);
      }),
    );
  });

  it('keeps colliding keys apart', () => {
    // FNV-1a 32-bit: "costarring" and "liquid" share a hash.
    const map = PersistentMap.empty<number>().with('costarring', 1).with('liquid', 2).with('x', 3);
    expect(map.get('costarring')).toBe(1);
    expect(map.get('liquid')).toBe(2);
    expect(map.size).toBe(3);
    const less = map.without('costarring');
    expect(less.get('costarring')).toBeUndefined();
    expect(less.get('liquid')).toBe(2);
    expect(less).toEqual(PersistentMap.empty<number>().with('x', 3).with('liquid', 2));
    expect(less.without('liquid').without('x')).toBe(PersistentMap.empty());
    expect(
      PersistentMap.from([
        ['liquid', 2],
        ['costarring', 1],
      ]),
    ).toEqual(
      PersistentMap.from([
        ['costarring', 1],
        ['liquid', 2],
      ]),
    );
  });

  it('holds thousands of entries', () => {
    let map = PersistentMap.empty<number>();
    for (let i = 0; i < 5000; i++) map = map.with(`user${i}`, i);
    expect(map.size).toBe(5000);
    expect(map.get('user4321')).toBe(4321);
    for (let i = 0; i < 5000; i += 2) map = map.without(`user${i}`);
    expect(map.size).toBe(2500);
    expect(map.has('user4320')).toBe(false);
    expect(map.get('user4321')).toBe(4321);
    expect([...map.keys()].length).toBe(2500);
  });

  it('serialises as a plain object and iterates with forEach', () => {
    const map = PersistentMap.from([
      ['a', 1],
      ['b', 2],
    ]);
    expect(JSON.parse(JSON.stringify({ m: map }))).toEqual({ m: { a: 1, b: 2 } });
    const seen: string[] = [];
    map.forEach((v, k, m) => {
      expect(m).toBe(map);
      seen.push(`${k}=${v}`);
    });
    expect(seen.sort()).toEqual(['a=1', 'b=2']);
    expect(Object.prototype.toString.call(map)).toBe('[object PersistentMap]');
  });

  it('lists exactly the changed keys between two maps', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(op, { maxLength: 10 }), (first, second) => {
        const { map: from, model: before } = apply(first);
        let to = from;
        const after = new Map(before);
        for (const o of second) {
          if (o.kind === 'with') {
            to = to.with(o.key, o.value);
            after.set(o.key, o.value);
          } else {
            to = to.without(o.key);
            after.delete(o.key);
          }
        }
        const seen: [string, number | undefined, number | undefined][] = [];
        PersistentMap.changes(from, to, (k, b, a) => seen.push([k, b, a]));
        const expected = [...new Set([...before.keys(), ...after.keys()])]
          .filter((k) => before.get(k) !== after.get(k))
          .map((k): [string, number | undefined, number | undefined] => [k, before.get(k), after.get(k)]);
        const byKey = (x: [string, unknown, unknown], y: [string, unknown, unknown]) =>
          x[0] < y[0] ? -1 : 1;
        expect(seen.sort(byKey)).toEqual(expected.sort(byKey));
      }),
    );
  });
});
