/**
 * A fake page for tests: records every setData call (time, payload, size), applies the paths with
 * WeChat's semantics, and notes anything WeChat would refuse.
 */
import { applyPaths, type SetDataTarget } from '../../../src/bindings/page';
import { utf8ByteLength } from '../../../src/protocol/codec';

export interface SetDataCall {
  readonly at: number;
  readonly payload: Record<string, unknown>;
  readonly bytes: number;
}

/** WeChat's per-call limit. */
export const WECHAT_MAX_BYTES = 1024 * 1024;

function findUndefined(value: unknown, path: string): string | undefined {
  if (value === undefined) return path;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const found = findUndefined(v, `${path}/${k}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

export class RecordingPage implements SetDataTarget {
  data: Record<string, unknown>;
  readonly calls: SetDataCall[] = [];
  /** Things WeChat would refuse or warn about; a correct binding leaves this empty. */
  readonly violations: string[] = [];

  constructor(
    private readonly clock: { now(): number },
    initialData: Record<string, unknown> = {},
  ) {
    this.data = initialData;
  }

  setData(payload: Record<string, unknown>, callback?: () => void): void {
    const bytes = utf8ByteLength(JSON.stringify(payload));
    const undef = findUndefined(payload, '');
    if (undef !== undefined) this.violations.push(`undefined at ${undef}`);
    if (bytes > WECHAT_MAX_BYTES) this.violations.push(`payload of ${bytes} bytes`);
    if (Object.keys(payload).length === 0) this.violations.push('empty payload');
    this.calls.push({ at: this.clock.now(), payload, bytes });
    this.data = applyPaths(this.data, payload);
    callback?.();
  }

  /** Calls in the half-open window [from, from + ms). */
  callsIn(from: number, ms: number): number {
    return this.calls.filter((c) => c.at >= from && c.at < from + ms).length;
  }

  /** The largest number of calls in any half-open window of `ms` (windows starting at a call suffice). */
  maxCallsInAnyWindow(ms: number): number {
    return Math.max(0, ...this.calls.map((c) => this.callsIn(c.at, ms)));
  }
}
