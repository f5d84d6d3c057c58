/**
 * `setData` as a budget (ARCHITECTURE.md decision 7): a stream of view models becomes few, small
 * `setData` calls. Successive view models are coalesced in a frame window, diffed into data paths
 * against what was sent last, split when large, and sent at a capped rate.
 */
import { asyncScheduler, throwError, Subscription, type Observable, type SchedulerLike } from 'rxjs';
import { RtcError } from '../../errors';
import {
  diffViewData,
  isAddressable,
  toViewData,
  type DataPaths,
  type JsonObject,
  type JsonValue,
} from './diff';
import { splitPaths } from './split-paths';

/**
 * Anything `setData` can be called on: a Page or Component instance, or a fake in tests.
 *
 * @example
 * ```ts
 * const target: SetDataTarget = { data: {}, setData: (d) => console.log(d) }
 * ```
 */
export interface SetDataTarget {
  /** WeChat's `setData`; keys may be data paths. */
  setData(data: Record<string, unknown>, callback?: () => void): void;
  /** The current data; read once, at connection, as the base of the first diff. */
  readonly data?: unknown;
}

/**
 * Options of {@link connectSetData}.
 *
 * @example
 * ```ts
 * const options: ConnectSetDataOptions = { frameMs: 100, maxCallsPerSecond: 10 }
 * ```
 */
export interface ConnectSetDataOptions {
  /** Coalescing window in ms: view models arriving within it make one call. Default 50. */
  readonly frameMs?: number;
  /**
   * Most `setData` calls in any 1000 ms, whatever the input rate (WeChat's audit rule is 20).
   * Default 20.
   */
  readonly maxCallsPerSecond?: number;
  /**
   * Largest payload, in UTF-8 bytes of its JSON, before it is split into several calls. Default
   * 256 KiB, well under WeChat's 1024 KiB per call.
   */
  readonly maxPayloadBytes?: number;
  /**
   * While the latest value is `false` nothing is sent; the newest view model is kept and sent as
   * soon as it turns `true` again (e.g. page hidden / shown). Default: always active.
   */
  readonly active$?: Observable<boolean>;
  /**
   * Called with errors of the view-model stream, of `active$`, of reading a view model (a cycle), or
   * thrown by `setData`. The binding keeps going after each. Default: RxJS's unhandled-error path
   * (`config.onUnhandledError`, else thrown asynchronously).
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * The defaults of {@link ConnectSetDataOptions}.
 *
 * @example
 * ```ts
 * SET_DATA_DEFAULTS.maxCallsPerSecond // 20
 * ```
 */
export const SET_DATA_DEFAULTS = {
  frameMs: 50,
  maxCallsPerSecond: 20,
  maxPayloadBytes: 256 * 1024,
} as const;

/** The rate cap counts calls in a sliding window of this many ms. */
const RATE_WINDOW_MS = 1000;
/** Smallest accepted `maxPayloadBytes`: below it almost every entry would be oversized. */
const MIN_PAYLOAD_BYTES = 64;

function readOptions(options: ConnectSetDataOptions) {
  const frameMs = options.frameMs ?? SET_DATA_DEFAULTS.frameMs;
  const maxCalls = options.maxCallsPerSecond ?? SET_DATA_DEFAULTS.maxCallsPerSecond;
  const maxBytes = options.maxPayloadBytes ?? SET_DATA_DEFAULTS.maxPayloadBytes;
  if (!(Number.isFinite(frameMs) && frameMs >= 0)) {
    throw new RtcError('INVALID_ARGUMENT', `frameMs must be a finite number >= 0, got ${frameMs}`);
  }
  if (!(Number.isInteger(maxCalls) && maxCalls >= 1)) {
    throw new RtcError('INVALID_ARGUMENT', `maxCallsPerSecond must be an integer >= 1, got ${maxCalls}`);
  }
  if (!(Number.isFinite(maxBytes) && maxBytes >= MIN_PAYLOAD_BYTES)) {
    throw new RtcError(
      'INVALID_ARGUMENT',
      `maxPayloadBytes must be >= ${MIN_PAYLOAD_BYTES}, got ${maxBytes}`,
    );
  }
  return { frameMs, maxCalls, maxBytes };
}

function pick(data: JsonObject, keys: readonly string[]): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const key of keys) {
    // Unaddressable top-level keys are never diffed, and `__proto__` must not be assigned.
    if (isAddressable(key) && Object.prototype.hasOwnProperty.call(data, key)) out[key] = data[key]!;
  }
  return out;
}

/** Hands an error to RxJS's unhandled-error reporting, as an unobserved error would be. */
function reportUnhandled(error: unknown): void {
  throwError(() => error).subscribe();
}

/**
 * Sends a stream of view models to `target.setData` within a budget, and returns the Subscription
 * that stops it. Unsubscribe it when the page unloads; no call is made after that.
 *
 * - **Coalesced**: the first view model after a quiet spell opens a window of `frameMs`; at its end
 *   the newest view model is sent as ONE call. No call when nothing changed.
 * - **Diffed**: only changed data paths are sent (see `diffPaths`); removed keys are set to `null`,
 *   `undefined` is never sent. The first view model is diffed against `target.data` as it was at
 *   connection, restricted to the view model's own keys, so page data the view model does not name
 *   is never touched.
 * - **Rate-capped**: at most `maxCallsPerSecond` calls in any 1000 ms window, whatever the input
 *   rate; a window that finds the cap reached waits for the next slot and sends the view model
 *   that is newest then.
 * - **Split**: a payload whose JSON exceeds `maxPayloadBytes` goes out as several calls, in order,
 *   each counting against the cap.
 *
 * The view-model keys belong to the binding: a `setData` on them from elsewhere is not seen and may
 * be overwritten only when the view model changes them. Options that can never be valid throw an
 * `RtcError` `INVALID_ARGUMENT` at once.
 *
 * @example
 * ```ts
 * Page({
 *   onLoad() {
 *     this.sub = connectSetData(this, client.room$.pipe(map(toRoomView)))
 *   },
 *   onUnload() {
 *     this.sub.unsubscribe()
 *   },
 * })
 * ```
 */
export function connectSetData(
  target: SetDataTarget,
  viewModel$: Observable<object>,
  options: ConnectSetDataOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Subscription {
  const { frameMs, maxCalls, maxBytes } = readOptions(options);
  const report = options.onError ?? reportUnhandled;
  const subscription = new Subscription();

  let base: JsonObject = toViewData(target.data);
  let last: JsonObject | undefined;
  let latest: object | undefined;
  let hasLatest = false;
  let active = true;
  let timer: Subscription | undefined;
  const queue: DataPaths[] = [];
  /** Times of the most recent calls, oldest first, at most `maxCalls` of them. */
  const recentCalls: number[] = [];

  const waitForSlot = (now: number): number =>
    recentCalls.length < maxCalls ? 0 : Math.max(0, recentCalls[0]! + RATE_WINDOW_MS - now);

  const schedule = (delay: number): void => {
    if (timer || subscription.closed) return;
    timer = scheduler.schedule(tick, delay);
  };

  const takeLatest = (): void => {
    const viewModel = latest;
    hasLatest = false;
    latest = undefined;
    try {
      const next = toViewData(viewModel);
      const paths = diffViewData(last ?? pick(base, Object.keys(next)), next);
      last = next;
      queue.push(...splitPaths(paths, maxBytes));
    } catch (error) {
      report(error);
    }
  };

  function tick(): void {
    timer = undefined;
    if (subscription.closed || !active) return;
    if (queue.length === 0 && hasLatest) {
      // Diff only when a call can go out, so a view model that waits for a slot keeps coalescing.
      const wait = waitForSlot(scheduler.now());
      if (wait > 0) return schedule(wait);
      takeLatest();
    }
    while (queue.length > 0) {
      const now = scheduler.now();
      const wait = waitForSlot(now);
      if (wait > 0) return schedule(wait);
      const payload = queue.shift()!;
      recentCalls.push(now);
      if (recentCalls.length > maxCalls) recentCalls.shift();
      try {
        target.setData(payload);
      } catch (error) {
        // The page's data is unknown now: drop the rest and send the next view model whole.
        queue.length = 0;
        last = undefined;
        base = {};
        report(error);
      }
      // setData may unload the page synchronously.
      if (subscription.closed) return;
    }
    if (hasLatest) schedule(frameMs);
  }

  subscription.add(() => {
    timer?.unsubscribe();
    timer = undefined;
    queue.length = 0;
  });
  if (options.active$) {
    subscription.add(
      options.active$.subscribe({
        next: (isActive) => {
          active = isActive;
          if (active && (hasLatest || queue.length > 0)) schedule(0);
        },
        error: report,
      }),
    );
  }
  subscription.add(
    viewModel$.subscribe({
      next: (viewModel) => {
        latest = viewModel;
        hasLatest = true;
        if (active) schedule(frameMs);
      },
      error: report,
    }),
  );
  return subscription;
}
