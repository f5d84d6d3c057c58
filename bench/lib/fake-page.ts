/**
 * A recording fake page: `setData` as WeChat's view layer sees it. Every call is serialized (what
 * crosses to the view thread), its bytes counted, and its data paths applied to a copy of the data
 * with WeChat's path semantics (`'a.b[2].c'`, containers created on the way). A call whose paths
 * change nothing in that copy is a no-op. Written independently of rxroom's own `applyPaths`, so the
 * correctness check does not trust the code it checks.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SetDataCall {
  /** Virtual time of the call, ms. */
  readonly t: number;
  /** UTF-8 bytes of the JSON payload. */
  readonly bytes: number;
  /** Number of keys (data paths) in the payload. */
  readonly paths: number;
  /** True when no path changed the data. */
  readonly noop: boolean;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

const SEGMENT = /([^.[\]]+)|\[(\d+)\]/g;

/** `'players[3].volume'` → `['players', 3, 'volume']`. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(SEGMENT)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

type Container = Record<string, Json> | Json[];

/** Sets one data path; returns true when the value there changed. */
export function setPath(root: Record<string, Json>, path: string, value: Json): boolean {
  const segments = parsePath(path);
  let node: Container = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i]!;
    const nextIsIndex = typeof segments[i + 1] === 'number';
    const holder = node as Record<string | number, Json>;
    let child = holder[key];
    if (typeof child !== 'object' || child === null) {
      child = nextIsIndex ? [] : {};
      holder[key] = child;
    }
    node = child as Container;
  }
  const last = segments[segments.length - 1]!;
  const holder = node as Record<string | number, Json>;
  const changed = !jsonEqual(holder[last], value);
  holder[last] = value;
  return changed;
}

/** Reads one data path (undefined when absent). */
export function getPath(root: Json, path: string): Json | undefined {
  let node: Json | undefined = root;
  for (const key of parsePath(path)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, Json>)[key];
  }
  return node;
}

export class RecordingPage {
  /** The data as the view layer has it. */
  readonly view: Record<string, Json>;
  readonly calls: SetDataCall[] = [];

  constructor(
    initial: Record<string, Json>,
    private readonly now: () => number,
  ) {
    this.view = JSON.parse(JSON.stringify(initial)) as Record<string, Json>;
  }

  /** What the page's own `this.data` reads: the same values. */
  get data(): Record<string, Json> {
    return this.view;
  }

  setData(payload: Record<string, unknown>, callback?: () => void): void {
    const text = JSON.stringify(payload);
    const copy = JSON.parse(text) as Record<string, Json>;
    let changed = false;
    let paths = 0;
    for (const path of Object.keys(copy)) {
      paths++;
      if (setPath(this.view, path, copy[path]!)) changed = true;
    }
    this.calls.push({ t: this.now(), bytes: Buffer.byteLength(text, 'utf8'), paths, noop: !changed });
    callback?.();
  }
}

export interface SetDataStats {
  readonly calls: number;
  readonly bytes: number;
  readonly maxPayload: number;
  /** Most calls in any window [t, t + 1000 ms). */
  readonly peakCallsPerSecond: number;
  readonly noopCalls: number;
}

export function setDataStats(calls: readonly SetDataCall[]): SetDataStats {
  let bytes = 0;
  let maxPayload = 0;
  let noopCalls = 0;
  for (const c of calls) {
    bytes += c.bytes;
    maxPayload = Math.max(maxPayload, c.bytes);
    if (c.noop) noopCalls++;
  }
  // Calls are recorded in time order; every window worth checking starts at a call.
  let peak = 0;
  let j = 0;
  for (let i = 0; i < calls.length; i++) {
    while (j < calls.length && calls[j]!.t < calls[i]!.t + 1000) j++;
    peak = Math.max(peak, j - i);
  }
  return { calls: calls.length, bytes, maxPayload, peakCallsPerSecond: peak, noopCalls };
}
