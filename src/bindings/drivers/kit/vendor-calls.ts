/**
 * Vendor SDK calls as cold Observables. Mini program SDKs answer through `(ok, fail)` callbacks,
 * Promises, or both; an Observable lets the driver kit put a timeout and teardown on each call.
 */
import { Observable } from 'rxjs';
import type { RtcError } from '../../../errors';

/**
 * Calls a vendor method that answers through success and failure callbacks. Emits the first
 * success value and completes, or errors with `toError(failure)`. A method that throws counts as a
 * failure; a late second answer is ignored.
 *
 * @example
 * ```ts
 * fromCallbacks<string>((ok, fail) => agoraClient.publish(ok, fail), (e) => vendorError('agora', e, 'INTERNAL'))
 * ```
 */
export function fromCallbacks<T>(
  invoke: (ok: (value: T) => void, fail: (err: unknown) => void) => unknown,
  toError: (err: unknown) => RtcError,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let done = false;
    const ok = (value: T) => {
      if (done) return;
      done = true;
      subscriber.next(value);
      subscriber.complete();
    };
    const fail = (err: unknown) => {
      if (done) return;
      done = true;
      subscriber.error(toError(err));
    };
    try {
      const returned = invoke(ok, fail);
      // Agora's methods take callbacks and also return a Promise; a rejected one must not go
      // unhandled after the callback already answered.
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(undefined, fail);
      }
    } catch (err) {
      fail(err);
    }
    return () => {
      done = true;
    };
  });
}

/**
 * Calls a vendor method that returns a Promise. Emits its value and completes, or errors with
 * `toError(reason)`; a synchronous throw counts as a rejection.
 *
 * @example
 * ```ts
 * fromVendorPromise(() => volcClient.publish(), (e) => vendorError('volcengine', e, 'INTERNAL'))
 * ```
 */
export function fromVendorPromise<T>(
  invoke: () => Promise<T> | T,
  toError: (err: unknown) => RtcError,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let active = true;
    let result: Promise<T> | T;
    try {
      result = invoke();
    } catch (err) {
      subscriber.error(toError(err));
      return;
    }
    Promise.resolve(result).then(
      (value) => {
        if (!active) return;
        subscriber.next(value);
        subscriber.complete();
      },
      (err: unknown) => {
        if (active) subscriber.error(toError(err));
      },
    );
    return () => {
      active = false;
    };
  });
}
