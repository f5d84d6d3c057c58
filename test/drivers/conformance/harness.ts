/**
 * What the conformance suite needs from a backend: clients on one driver, a way to let the
 * backend deliver, and the backend's side of kicks, drops and refusals. Each driver's runner
 * implements it over its fake (or, for the built-in driver, over the real reference server).
 */
import { firstValueFrom, VirtualTimeScheduler, type Observable } from 'rxjs';
import type { RtcErrorCode } from '../../../src/errors';
import type { Capability } from '../../../src/streams/command';
import type { RtcClient } from '../../../src/streams/create-client';

export interface ConformanceHarness {
  /** The name the driver reports (`client.driverName`). */
  readonly driverName: string;
  /** The column of docs/drivers.md's matrix for this driver (default `driverName`). */
  readonly matrixColumn?: string;
  /** What the driver declares (`driver.capabilities`). */
  readonly capabilities: ReadonlySet<Capability>;
  /** Three user ids the backend accepts. */
  readonly userIds: readonly [string, string, string];
  /** The room every client joins. */
  readonly roomId: string;
  /** Documented differences between backends that the suite adapts to. */
  readonly traits: {
    /** Peers are seen before they publish (Agora knows peers only through their streams). */
    readonly presence: boolean;
    /** The state a dropped connection recovers into: `resumed` (same session) or `rejoined`. */
    readonly recovery: 'resumed' | 'rejoined';
    /** The backend takes custom stream tags at publish (`publish({ tag })`). Default false. */
    readonly tags?: boolean;
  };
  /** A client for `userId` on a fresh driver (through the public `createClient`). */
  client(userId: string): RtcClient;
  /** Joins `client` as `userId` with a valid token and waits for the result. */
  join(client: RtcClient, userId: string, options?: { visible?: boolean }): Promise<void>;
  /** A join token the backend refuses, and the rxroom code the refusal must map to. */
  readonly refusedJoin: {
    readonly token: string;
    readonly expected: RtcErrorCode;
    readonly vendorCode: string;
  };
  /** Lets the backend deliver what is pending until `test` holds; fails with `what` otherwise. */
  until(what: string, test: () => boolean): Promise<void>;
  /** The server removes `userId` from the room. */
  kick(userId: string): Promise<void>;
  /** The vendor reports `userId`'s connection lost (socket drop, push lost …); the backend stays up. */
  drop(userId: string): Promise<void>;
  /**
   * Makes the backend report an error to `userId` outside any call, and returns the rxroom code it
   * must map to; `null` when the backend has no such error.
   */
  backgroundError(userId: string): Promise<RtcErrorCode | null>;
  /**
   * What the backend delivers to `userId` of `streamId` after receiver-side mutes (`null` when it
   * delivers nothing); omitted where the backend has no receiver mute to observe.
   */
  receiving?(userId: string, streamId: string): { audio: boolean; video: boolean } | null;
  /**
   * What the vendor SDK of `userId` was given as stats reports (component state and net status),
   * in order; omitted where the driver hands the SDK none.
   */
  reports?(userId: string): readonly unknown[];
  /** Destroys every client and stops the backend. */
  teardown(): Promise<void>;
}

/** Resolves with the command's value, or rejects with its error. */
export function result<T>(o: Observable<T>): Promise<T> {
  return firstValueFrom(o);
}

/** Resolves with the error the command fails with (fails the test if it succeeds). */
export async function failure(o: Observable<unknown>): Promise<{ code: string; reason: string }> {
  try {
    await firstValueFrom(o);
  } catch (e) {
    return e as { code: string; reason: string };
  }
  throw new Error('expected the call to fail');
}

/** Lets queued promise callbacks and I/O run (a turn of the event loop, not a sleep). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * `until` for backends that answer through promises and microtasks: a turn of the event loop, then
 * 100 ms of virtual time, until the test holds. No real time passes.
 */
export function virtualUntil(scheduler: VirtualTimeScheduler, limit = 600) {
  return async (what: string, test: () => boolean): Promise<void> => {
    for (let i = 0; i < limit; i++) {
      await turn();
      await turn();
      if (test()) return;
      advance(scheduler, 100);
    }
    throw new Error(`never happened: ${what}`);
  };
}

/** Moves virtual time forward by `ms`, running every action due meanwhile, in order. */
export function advance(scheduler: VirtualTimeScheduler, ms: number): void {
  const target = scheduler.frame + ms;
  scheduler.maxFrames = target;
  scheduler.flush();
  // flush() leaves the clock at the last action run; the clock must read the target even when
  // nothing was due, or later timers would be scheduled in the past.
  scheduler.frame = target;
}

/** A scheduler whose time moves only when a harness moves it. */
export function virtualScheduler(): VirtualTimeScheduler {
  const scheduler = new VirtualTimeScheduler();
  scheduler.maxFrames = 0;
  return scheduler;
}
