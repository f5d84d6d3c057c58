import fc from 'fast-check';
import { applyPaths, splitPaths, type DataPaths } from '../../../src/bindings/page';
import { utf8ByteLength } from '../../../src/protocol/codec';

const bytes = (payload: object) => utf8ByteLength(JSON.stringify(payload));
const applyAll = (data: object, chunks: readonly DataPaths[]) => chunks.reduce<object>(applyPaths, data);

describe('splitPaths', () => {
  it('keeps a payload under the limit as one chunk, and gives [] for an empty one', () => {
    expect(splitPaths({ a: 1, 'b.c': 'x' }, 1024)).toEqual([{ a: 1, 'b.c': 'x' }]);
    expect(splitPaths({}, 1024)).toEqual([]);
  });

  it('packs entries in order into chunks no bigger than the limit', () => {
    const paths: DataPaths = {};
    for (let i = 0; i < 50; i++) paths[`list[${i}]`] = 'x'.repeat(40);
    const chunks = splitPaths(paths, 256);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(bytes(chunk)).toBeLessThanOrEqual(256);
    expect(chunks.flatMap((c) => Object.keys(c))).toEqual(Object.keys(paths));
  });

  it('sends an oversized object as an empty one followed by its children', () => {
    const big = { a: 'x'.repeat(100), b: 'y'.repeat(100), c: { d: 'z'.repeat(100) } };
    const chunks = splitPaths({ big }, 150);
    expect(chunks[0]).toEqual({ big: {}, 'big.a': big.a });
    for (const chunk of chunks) expect(bytes(chunk)).toBeLessThanOrEqual(150);
    expect(applyAll({ big: { stale: true } }, chunks)).toEqual({ big });
  });

  it('sends an oversized array as an empty one followed by its elements', () => {
    const list = Array.from({ length: 10 }, (_, i) => `item ${i} `.repeat(5));
    const chunks = splitPaths({ list }, 200);
    expect(chunks.length).toBeGreaterThan(1);
    expect(applyAll({ list: ['old', 'old', 'old'] }, chunks)).toEqual({ list });
  });

  it('sends a leaf bigger than the limit alone, since it cannot be split', () => {
    const chunks = splitPaths({ a: 1, huge: 'h'.repeat(500), b: 2 }, 100);
    expect(chunks).toEqual([{ a: 1 }, { huge: 'h'.repeat(500) }, { b: 2 }]);
  });

  it('cannot split an object holding a key with path syntax, and sends it whole', () => {
    const odd = { 'x.y': 'v'.repeat(200) };
    expect(splitPaths({ odd }, 100)).toEqual([{ odd }]);
  });

  it('gives, applied in order, the same data as the whole payload', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'list[3]', 'deep.key'), json, { minKeys: 1 }),
        fc.integer({ min: 64, max: 400 }),
        (paths, max) => {
          const data = { seed: true };
          const chunks = splitPaths(paths as DataPaths, max);
          expect(applyAll(data, chunks)).toEqual(applyPaths(data, paths));
          for (const chunk of chunks) {
            // Over the limit only when a single entry cannot be split further.
            if (bytes(chunk) > max) expect(Object.keys(chunk)).toHaveLength(1);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
