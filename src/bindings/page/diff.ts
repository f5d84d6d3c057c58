/**
 * View-model diffs as WeChat `setData` data paths (`'players[3].volume': 42`), and `applyPaths`, the
 * path semantics of `setData`, for tests and fake pages.
 *
 * View models are JSON-like: plain objects, arrays, strings, finite numbers, booleans and `null`.
 * Everything else is read as `JSON.stringify` would read it: `undefined`, functions and symbols are
 * absent in objects and `null` in arrays, non-finite numbers are `null`, `toJSON` is honoured.
 *
 * **Removed keys become `null`.** `setData` cannot delete a key, and must never be given `undefined`,
 * so a key present in `prev` and absent from `next` is sent as `null`. After
 * `applyPaths(prev, diffPaths(prev, next))` the data therefore equals `next` *up to removed keys*:
 * wherever `next` has no key, the data has no key or `null` there. WXML renders both the same.
 */
import { utf8ByteLength } from '../../protocol/codec';

/**
 * A JSON value as it travels to the view layer.
 *
 * @example
 * ```ts
 * const value: JsonValue = { players: [{ id: 'a', volume: 3 }], title: null }
 * ```
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;

/**
 * A JSON object.
 *
 * @example
 * ```ts
 * const data: JsonObject = toViewData({ a: 1, b: undefined }) // { a: 1 }
 * ```
 */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * `setData` data-path updates: keys are paths (`'a.b[2].c'`), values are never `undefined`.
 *
 * @example
 * ```ts
 * const paths: DataPaths = { 'players[3].volume': 42, 'room.title': 'Standup' }
 * page.setData(paths)
 * ```
 */
export type DataPaths = Record<string, JsonValue>;

type Entry = readonly [path: string, value: JsonValue];

/**
 * Whether `key` can be a segment of a data path. `.` and `[`/`]` are path syntax, glass-easel reads
 * `\` as an escape the classic runtime does not, `''` has no spelling, and `__proto__` would reach
 * the prototype in a naive path walker. Such keys are written by replacing their parent.
 *
 * @example
 * ```ts
 * isAddressable('volume') // true
 * isAddressable('a.b') // false: written by replacing the object that holds it
 * ```
 */
export function isAddressable(key: string): boolean {
  return key !== '' && key !== '__proto__' && !/[.[\]\\]/.test(key);
}

/** Own-property assignment that cannot hit the `__proto__` setter. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normalize(
  value: unknown,
  key: string,
  ancestors: Set<object>,
  useToJSON: boolean,
): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object':
      break;
    default:
      // undefined, function, symbol, bigint: JSON has no spelling for them.
      return undefined;
  }
  if (value === null) return null;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (useToJSON && typeof toJSON === 'function') {
    return normalize((toJSON as (key: string) => unknown).call(value, key), key, ancestors, false);
  }
  if (ancestors.has(value)) throw new TypeError('diffPaths: the view model is cyclic');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item: unknown, i) => normalize(item, String(i), ancestors, true) ?? null);
    }
    const out: Record<string, JsonValue> = {};
    for (const k of Object.keys(value)) {
      const v = normalize((value as Record<string, unknown>)[k], k, ancestors, true);
      if (v !== undefined) defineOwn(out, k, v);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * Reads a view model the way `JSON.stringify` would, into a fresh plain JSON tree (the caller's
 * objects are never kept or changed). Anything that is not an object reads as `{}`.
 *
 * @example
 * ```ts
 * toViewData({ a: undefined, b: NaN, c: [undefined], d: new Date(0) })
 * // { b: null, c: [null], d: '1970-01-01T00:00:00.000Z' }
 * ```
 */
export function toViewData(viewModel: unknown): JsonObject {
  const value = normalize(viewModel, '', new Set(), true);
  return isObject(value) ? value : {};
}

function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const bs: readonly JsonValue[] = b;
    return a.every((item: JsonValue, i) => jsonEqual(item, bs[i]));
  }
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}

/**
 * Bytes one entry adds to the JSON of a payload, `"path":value,` in UTF-8.
 *
 * @example
 * ```ts
 * entryBytes('a', 1) // 6: "a":1,
 * ```
 */
export function entryBytes(path: string, value: JsonValue): number {
  return utf8ByteLength(JSON.stringify(path)) + utf8ByteLength(JSON.stringify(value)) + 2;
}

function costOf(entries: readonly Entry[]): number {
  let total = 0;
  for (const [path, value] of entries) total += entryBytes(path, value);
  return total;
}

/** A value that is gone from an object: absent, or already `null` (removed keys are `null`). */
function isGone(value: JsonValue | undefined): boolean {
  return value === undefined || value === null;
}

/**
 * Appends to `out` the cheapest entries that turn `prev` into `next` at `path`: the entries of the
 * children, or one entry replacing the whole subtree, whichever has the smaller JSON.
 */
function diffNode(prev: JsonValue | undefined, next: JsonValue, path: string, out: Entry[]): void {
  if (jsonEqual(prev, next)) return;
  const children: Entry[] = [];
  if (isObject(prev) && isObject(next)) {
    for (const key of unionKeys(prev, next)) {
      const p = Object.prototype.hasOwnProperty.call(prev, key) ? prev[key] : undefined;
      const n = Object.prototype.hasOwnProperty.call(next, key) ? next[key] : undefined;
      if (n === undefined ? isGone(p) : jsonEqual(p, n)) continue;
      if (!isAddressable(key)) {
        out.push([path, next]);
        return;
      }
      const childPath = `${path}.${key}`;
      if (n === undefined) children.push([childPath, null]);
      else diffNode(p, n, childPath, children);
    }
  } else if (Array.isArray(prev) && Array.isArray(next) && next.length >= prev.length) {
    // Elements can be set and appended by index, but never deleted: a shorter array is replaced.
    const ps: readonly JsonValue[] = prev;
    const ns: readonly JsonValue[] = next;
    ns.forEach((n, i) => diffNode(i < ps.length ? ps[i] : undefined, n, `${path}[${i}]`, children));
  } else {
    out.push([path, next]);
    return;
  }
  const whole: Entry = [path, next];
  if (costOf(children) <= costOf([whole])) out.push(...children);
  else out.push(whole);
}

function unionKeys(a: JsonObject, b: JsonObject): string[] {
  const keys = Object.keys(a);
  for (const k of Object.keys(b)) if (!Object.prototype.hasOwnProperty.call(a, k)) keys.push(k);
  return keys;
}

/**
 * The data-path updates that turn the page data `prev` into the view model `next`: one `setData`
 * payload, `{}` when nothing changed.
 *
 * - Nested changes become paths: `'players[3].volume': 42`, `'a.b.c': 1`.
 * - A key present in `prev` and absent (or `undefined`) in `next` is set to `null`: `setData` cannot
 *   delete keys and must never get `undefined`. Values in the result are never `undefined`.
 * - Arrays that kept or grew their length are updated element by element, appending by index
 *   (`'list[5]'`); a shorter array is replaced whole, since `setData` cannot delete elements.
 * - At every level the cheaper of the path updates and a replacement of the subtree is chosen, by
 *   the UTF-8 size of its JSON.
 * - A nested key that cannot be spelled in a path (`''`, `__proto__`, or one holding `.`, `[`, `]`
 *   or `\`) is written by replacing its parent. At the top level there is no parent to replace,
 *   so changes to such keys are **left out**: keep top-level view-model keys plain.
 *
 * Both arguments are read as JSON (see {@link toViewData}); neither is changed. Throws a
 * `TypeError` only for a cyclic view model, which `setData` could not send either.
 *
 * @example
 * ```ts
 * diffPaths(
 *   { players: [{ id: 'a', volume: 3 }], title: 'x', gone: 1 },
 *   { players: [{ id: 'a', volume: 42 }], title: 'x' },
 * )
 * // { 'players[0].volume': 42, gone: null }
 * ```
 */
export function diffPaths(prev: object, next: object): DataPaths {
  return diffViewData(toViewData(prev), toViewData(next));
}

/**
 * {@link diffPaths} for trees already read by {@link toViewData}; skips reading them again.
 *
 * @example
 * ```ts
 * const paths = diffViewData(toViewData(prev), toViewData(next))
 * ```
 */
export function diffViewData(prev: JsonObject, next: JsonObject): DataPaths {
  const entries: Entry[] = [];
  for (const key of unionKeys(prev, next)) {
    if (!isAddressable(key)) continue;
    const p = Object.prototype.hasOwnProperty.call(prev, key) ? prev[key] : undefined;
    const n = Object.prototype.hasOwnProperty.call(next, key) ? next[key] : undefined;
    if (n === undefined) {
      if (!isGone(p)) entries.push([key, null]);
    } else {
      diffNode(p, n, key, entries);
    }
  }
  const paths: DataPaths = {};
  for (const [path, value] of entries) paths[path] = value;
  return paths;
}

// ── applying paths ────────────────────────────────────────────────────────

type Segment = string | number;

/**
 * Splits a data path into keys and indexes: `'a.b[2][0].c'` → `['a', 'b', 2, 0, 'c']`. Keys run up
 * to the next `.` or `[`; indexes are decimal digits in brackets.
 */
function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  const readKey = (): string => {
    const start = i;
    while (i < path.length && path[i] !== '.' && path[i] !== '[') i++;
    if (i === start) throw new TypeError(`applyPaths: empty key in data path "${path}"`);
    return path.slice(start, i);
  };
  segments.push(readKey());
  while (i < path.length) {
    if (path[i] === '.') {
      i++;
      segments.push(readKey());
    } else {
      const close = path.indexOf(']', i);
      const digits = close === -1 ? '' : path.slice(i + 1, close);
      if (!/^\d+$/.test(digits)) throw new TypeError(`applyPaths: bad index in data path "${path}"`);
      segments.push(Number(digits));
      i = close + 1;
    }
  }
  return segments;
}

function setIn(current: unknown, segments: readonly Segment[], at: number, value: JsonValue): unknown {
  if (at === segments.length) return value;
  const segment = segments[at]!;
  if (typeof segment === 'number') {
    const array: unknown[] = Array.isArray(current) ? current.slice() : [];
    // WeChat would leave holes; null is what they serialise to, and keeps the data JSON-clean.
    while (array.length < segment) array.push(null);
    array[segment] = setIn(array[segment], segments, at + 1, value);
    return array;
  }
  const copy: Record<string, unknown> = Array.isArray(current)
    ? (current.slice() as unknown as Record<string, unknown>)
    : {};
  if (!Array.isArray(current) && typeof current === 'object' && current !== null) {
    for (const k of Object.keys(current)) defineOwn(copy, k, (current as Record<string, unknown>)[k]);
  }
  const child = Object.prototype.hasOwnProperty.call(copy, segment) ? copy[segment] : undefined;
  defineOwn(copy, segment, setIn(child, segments, at + 1, value));
  return copy;
}

/**
 * Applies `setData` data paths to `data` the way WeChat does, in key order, and returns the new
 * data; `data` itself is not changed (containers on the paths are copied, the rest is shared).
 *
 * - `'a.b'` sets key `b` of `a`; `'list[2]'` sets index 2, growing the array (holes become `null`).
 * - Missing or primitive containers on the way are created: an object for a key, an array for an
 *   index.
 * - Values are copied as JSON (see {@link toViewData}). Entries whose value is `undefined` are
 *   ignored: WeChat refuses them.
 * - Throws a `TypeError` for a path it cannot parse (an empty key, a non-numeric index).
 *
 * @example
 * ```ts
 * applyPaths({ players: [{ volume: 1 }] }, { 'players[0].volume': 42, 'players[1]': { volume: 7 } })
 * // { players: [{ volume: 42 }, { volume: 7 }] }
 * ```
 */
export function applyPaths(data: object, paths: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let result: unknown = data;
  for (const path of Object.keys(paths)) {
    const raw = paths[path];
    if (raw === undefined) continue;
    const value = normalize(raw, path, new Set(), true) ?? null;
    result = setIn(result, parsePath(path), 0, value);
  }
  return (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
}
