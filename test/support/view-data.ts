/** Builders of view-model data for the page-binding tests. */

/**
 * An object with exactly these own keys, even `__proto__`, which an object literal or plain
 * assignment would turn into a prototype change.
 */
export function safeObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}
