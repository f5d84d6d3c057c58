/**
 * Splitting one `setData` payload into several that each stay under a size limit.
 */
import { entryBytes, isAddressable, type DataPaths, type JsonValue } from './diff';

const OPEN_CLOSE_BYTES = 2; // the payload's own `{` and `}`

/**
 * Entries no bigger than `maxBytes` where possible: an oversized object or array becomes an empty
 * container followed by its children, recursively. Applied in order, the result is the same data.
 */
function expand(path: string, value: JsonValue, maxBytes: number, out: [string, JsonValue][]): void {
  if (entryBytes(path, value) + OPEN_CLOSE_BYTES <= maxBytes || typeof value !== 'object' || value === null) {
    out.push([path, value]);
    return;
  }
  if (Array.isArray(value)) {
    const items: readonly JsonValue[] = value;
    if (items.length === 0) {
      out.push([path, value]);
      return;
    }
    out.push([path, []]);
    items.forEach((item, i) => expand(`${path}[${i}]`, item, maxBytes, out));
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every(isAddressable)) {
    // Too big, but a key that cannot be spelled in a path leaves no way to send it in parts.
    out.push([path, value]);
    return;
  }
  out.push([path, {}]);
  const record = value as Readonly<Record<string, JsonValue>>;
  for (const key of keys) expand(`${path}.${key}`, record[key]!, maxBytes, out);
}

/**
 * Splits a payload into payloads whose JSON is at most `maxBytes` UTF-8 bytes, to be sent in order.
 * Entries keep their order; an entry too big on its own is sent as an empty container followed by
 * its children (so the view briefly shows it half-filled). A single leaf bigger than the limit
 * (a huge string) cannot be split and goes alone. An empty payload gives `[]`.
 *
 * @example
 * ```ts
 * splitPaths({ a: 'x'.repeat(100), b: 'y'.repeat(100) }, 150)
 * // [{ a: 'xxx…' }, { b: 'yyy…' }]
 * ```
 */
export function splitPaths(paths: DataPaths, maxBytes: number): DataPaths[] {
  const entries: [string, JsonValue][] = [];
  for (const path of Object.keys(paths)) expand(path, paths[path]!, maxBytes, entries);
  const chunks: DataPaths[] = [];
  let chunk: DataPaths = {};
  let size = OPEN_CLOSE_BYTES;
  let count = 0;
  for (const [path, value] of entries) {
    const bytes = entryBytes(path, value); // includes a trailing comma, one more than the last needs
    if (count > 0 && size + bytes - 1 > maxBytes) {
      chunks.push(chunk);
      chunk = {};
      size = OPEN_CLOSE_BYTES;
      count = 0;
    }
    chunk[path] = value;
    size += bytes;
    count++;
  }
  if (count > 0) chunks.push(chunk);
  return chunks;
}
