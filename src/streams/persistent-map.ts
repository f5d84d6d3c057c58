/**
 * A persistent (immutable, structurally shared) map from strings to values: a hash array mapped
 * trie (HAMT) with 32-way branching. `with` and `without` copy one path of at most seven small
 * nodes and share everything else, so changing one entry costs the same in a map of 10 and of
 * 10,000 entries (ARCHITECTURE.md decision 9). Reading is the standard `ReadonlyMap` API.
 *
 * Iteration order follows the keys' hashes, not insertion: it is the same for maps with the same
 * keys, however they were built. Pages that need an order sort (see `roomViewModel`).
 */

const BITS = 5;
const MASK = (1 << BITS) - 1;

/** FNV-1a over UTF-16 code units, 32 bits. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

class Leaf<V> {
  constructor(
    readonly hash: number,
    readonly key: string,
    readonly value: V,
  ) {}
}

/** Entries whose keys share all 32 hash bits, sorted by key (so one set of keys has one shape). */
class Collision<V> {
  constructor(
    readonly hash: number,
    readonly leaves: readonly Leaf<V>[],
  ) {}
}

class Branch<V> {
  constructor(
    readonly bitmap: number,
    readonly children: readonly Node<V>[],
  ) {}
}

type Node<V> = Leaf<V> | Collision<V> | Branch<V>;
type Terminal<V> = Leaf<V> | Collision<V>;

const EMPTY_BRANCH = new Branch<never>(0, []);

function replaced<T>(items: readonly T[], index: number, item: T): T[] {
  const next = items.slice();
  next[index] = item;
  return next;
}

function inserted<T>(items: readonly T[], index: number, item: T): T[] {
  const next = new Array<T>(items.length + 1);
  for (let i = 0; i < index; i++) next[i] = items[i]!;
  next[index] = item;
  for (let i = index; i < items.length; i++) next[i + 1] = items[i]!;
  return next;
}

function removed<T>(items: readonly T[], index: number): T[] {
  const next = new Array<T>(items.length - 1);
  for (let i = 0; i < index; i++) next[i] = items[i]!;
  for (let i = index + 1; i < items.length; i++) next[i - 1] = items[i]!;
  return next;
}

function sortedLeaves<V>(leaves: Leaf<V>[]): Leaf<V>[] {
  return leaves.sort((x, y) => (x.key < y.key ? -1 : 1));
}

/** A branch holding two terminals with different hashes, split at `shift` or deeper. */
function pair<V>(shift: number, a: Terminal<V>, b: Leaf<V>): Node<V> {
  if (a.hash === b.hash) {
    return new Collision(a.hash, sortedLeaves(a instanceof Leaf ? [a, b] : [...a.leaves, b]));
  }
  const ia = (a.hash >>> shift) & MASK;
  const ib = (b.hash >>> shift) & MASK;
  if (ia === ib) return new Branch(1 << ia, [pair(shift + BITS, a, b)]);
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
}

/** The node with `leaf` put in; the very same node when the key already maps to that value. */
function put<V>(node: Node<V>, shift: number, leaf: Leaf<V>, added: { n: number }): Node<V> {
  if (node instanceof Leaf) {
    if (node.key === leaf.key) return Object.is(node.value, leaf.value) ? node : leaf;
    added.n = 1;
    return pair(shift, node, leaf);
  }
  if (node instanceof Collision) {
    if (node.hash !== leaf.hash) {
      added.n = 1;
      return pair(shift, node, leaf);
    }
    const i = node.leaves.findIndex((l) => l.key === leaf.key);
    if (i < 0) {
      added.n = 1;
      return new Collision(node.hash, sortedLeaves([...node.leaves, leaf]));
    }
    if (Object.is(node.leaves[i]!.value, leaf.value)) return node;
    return new Collision(node.hash, replaced(node.leaves, i, leaf));
  }
  const bit = 1 << ((leaf.hash >>> shift) & MASK);
  const index = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    added.n = 1;
    return new Branch(node.bitmap | bit, inserted(node.children, index, leaf));
  }
  const child = node.children[index]!;
  const next = put(child, shift + BITS, leaf, added);
  return next === child ? node : new Branch(node.bitmap, replaced(node.children, index, next));
}

/**
 * The node without `key`: the same node when absent, `null` when nothing is left. Below the root a
 * branch left with one terminal is replaced by it, so the trie has one shape for one set of keys.
 */
function take<V>(node: Node<V>, shift: number, hash: number, key: string): Node<V> | null {
  if (node instanceof Leaf) return node.key === key ? null : node;
  if (node instanceof Collision) {
    if (node.hash !== hash) return node;
    const i = node.leaves.findIndex((l) => l.key === key);
    if (i < 0) return node;
    const rest = removed(node.leaves, i);
    return rest.length === 1 ? rest[0]! : new Collision(hash, rest);
  }
  const bit = 1 << ((hash >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return node;
  const index = popcount(node.bitmap & (bit - 1));
  const child = node.children[index]!;
  const next = take(child, shift + BITS, hash, key);
  if (next === child) return node;
  if (next === null) {
    if (node.children.length === 1) return null;
    const rest = removed(node.children, index);
    if (shift > 0 && rest.length === 1 && !(rest[0] instanceof Branch)) return rest[0]!;
    return new Branch(node.bitmap & ~bit, rest);
  }
  if (shift > 0 && node.children.length === 1 && !(next instanceof Branch)) return next;
  return new Branch(node.bitmap, replaced(node.children, index, next));
}

function find<V>(root: Branch<V>, hash: number, key: string): Leaf<V> | undefined {
  let node: Node<V> = root;
  let shift = 0;
  for (;;) {
    if (node instanceof Leaf) return node.key === key ? node : undefined;
    if (node instanceof Collision) return node.leaves.find((l) => l.key === key);
    const bit = 1 << ((hash >>> shift) & MASK);
    if ((node.bitmap & bit) === 0) return undefined;
    node = node.children[popcount(node.bitmap & (bit - 1))]!;
    shift += BITS;
  }
}

/** Calls `visit` for every key whose value differs between two tries, skipping shared subtrees. */
function compare<V>(
  a: Node<V> | null,
  b: Node<V> | null,
  shift: number,
  visit: (key: string, before: V | undefined, after: V | undefined) => void,
): void {
  if (a === b) return;
  if (a instanceof Branch && b instanceof Branch) {
    let bits = a.bitmap | b.bitmap;
    while (bits !== 0) {
      const bit = bits & -bits;
      bits ^= bit;
      const ca = a.bitmap & bit ? a.children[popcount(a.bitmap & (bit - 1))]! : null;
      const cb = b.bitmap & bit ? b.children[popcount(b.bitmap & (bit - 1))]! : null;
      compare(ca, cb, shift + BITS, visit);
    }
    return;
  }
  // A terminal on one side: the subtrees are small (they share a hash prefix); compare by key.
  const before = new Map<string, V>();
  if (a) for (const leaf of walk(a)) before.set(leaf.key, leaf.value);
  if (b) {
    for (const leaf of walk(b)) {
      const old = before.get(leaf.key);
      const had = before.delete(leaf.key);
      if (!had || !Object.is(old, leaf.value)) visit(leaf.key, old, leaf.value);
    }
  }
  for (const [key, value] of before) visit(key, value, undefined);
}

function* walk<V>(node: Node<V>): Generator<Leaf<V>, void, undefined> {
  if (node instanceof Leaf) yield node;
  else if (node instanceof Collision) yield* node.leaves;
  else for (const child of node.children) yield* walk(child);
}

/**
 * An immutable `ReadonlyMap<string, V>` with cheap updates: {@link PersistentMap.with} and
 * {@link PersistentMap.without} return a new map sharing all untouched structure, or the very
 * same map when nothing changes (so `a === b` means "no change"). Serialises to a plain object.
 *
 * @example
 * ```ts
 * const a = PersistentMap.empty<number>().with('alice', 1)
 * const b = a.with('bob', 2) // a is unchanged
 * b.get('bob') // 2
 * a.with('alice', 1) === a // true: nothing changed
 * ```
 */
export class PersistentMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new PersistentMap<never>(EMPTY_BRANCH, 0);

  private constructor(
    private readonly root: Branch<V>,
    /** The number of entries. */
    readonly size: number,
  ) {}

  /** The empty map (one shared instance). */
  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY as PersistentMap<V>;
  }

  /** A map of the given entries (later duplicates win) or of a plain object's own properties. */
  static from<V>(source: Iterable<readonly [string, V]> | Readonly<Record<string, V>>): PersistentMap<V> {
    let map = PersistentMap.empty<V>();
    const entries: Iterable<readonly [string, V]> =
      Symbol.iterator in source
        ? (source as Iterable<readonly [string, V]>)
        : Object.entries(source as Record<string, V>);
    for (const [key, value] of entries) map = map.with(key, value);
    return map;
  }

  get(key: string): V | undefined {
    return find(this.root, hashOf(key), key)?.value;
  }

  has(key: string): boolean {
    return find(this.root, hashOf(key), key) !== undefined;
  }

  /** This map with `key` set to `value`; this very map when it already is. */
  with(key: string, value: V): PersistentMap<V> {
    const added = { n: 0 };
    const root = put(this.root, 0, new Leaf(hashOf(key), key, value), added) as Branch<V>;
    return root === this.root ? this : new PersistentMap(root, this.size + added.n);
  }

  /** This map without `key`; this very map when `key` is absent. */
  without(key: string): PersistentMap<V> {
    const root = take(this.root, 0, hashOf(key), key);
    if (root === this.root) return this;
    return root === null ? PersistentMap.empty<V>() : new PersistentMap(root as Branch<V>, this.size - 1);
  }

  /**
   * Calls `visit(key, before, after)` for every key whose value differs between `from` and `to`
   * (`undefined` where absent). Subtrees the two maps share are skipped, so comparing a map with
   * one derived from it by k changes costs O(k), not O(size). Other `ReadonlyMap`s are compared
   * entry by entry.
   */
  static changes<V>(
    from: ReadonlyMap<string, V>,
    to: ReadonlyMap<string, V>,
    visit: (key: string, before: V | undefined, after: V | undefined) => void,
  ): void {
    if (from instanceof PersistentMap && to instanceof PersistentMap) {
      compare(from.root as Node<V>, to.root as Node<V>, 0, visit);
      return;
    }
    if (from === to) return;
    for (const [key, value] of to) {
      const old = from.get(key);
      if (!Object.is(old, value) || (old === undefined && !from.has(key))) visit(key, old, value);
    }
    for (const [key, value] of from) if (!to.has(key)) visit(key, value, undefined);
  }

  *entries(): MapIterator<[string, V]> {
    for (const leaf of walk(this.root)) yield [leaf.key, leaf.value];
  }

  *keys(): MapIterator<string> {
    for (const leaf of walk(this.root)) yield leaf.key;
  }

  *values(): MapIterator<V> {
    for (const leaf of walk(this.root)) yield leaf.value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const leaf of walk(this.root)) callback.call(thisArg, leaf.value, leaf.key, this);
  }

  /** The entries as a plain object (a new one each call). */
  toRecord(): Record<string, V> {
    const record: Record<string, V> = {};
    for (const leaf of walk(this.root)) record[leaf.key] = leaf.value;
    return record;
  }

  /** `JSON.stringify` writes the map as a plain object. */
  toJSON(): Record<string, V> {
    return this.toRecord();
  }

  get [Symbol.toStringTag](): string {
    return 'PersistentMap';
  }
}
