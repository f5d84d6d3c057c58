/**
 * Helpers for the tests of the vendor fakes: callbacks that record what they are called with, and
 * a wait for the fakes' microtask answers.
 */
import { turn } from '../conformance/harness';

/** An onSuccess / onFailure pair recording its calls. */
export function recorder() {
  const ok: unknown[] = [];
  const fail: unknown[] = [];
  return {
    ok,
    fail,
    onSuccess: (v?: unknown) => void ok.push(v),
    onFailure: (e: unknown) => void fail.push(e),
  };
}

/** Lets the fakes deliver their pending answers and events. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await turn();
}
