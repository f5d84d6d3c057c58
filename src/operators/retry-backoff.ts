import { defaultRandom } from '../bindings/defaults';
import {
  asyncScheduler,
  retry,
  throwError,
  timer,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';

/** How {@link retryBackoff} spreads its delays. */
export type Jitter = 'none' | 'full' | 'equal';

/** Options of {@link retryBackoff}. */
export interface RetryBackoffConfig {
  /** Delay before the first retry, in ms. */
  readonly initialDelay: number;
  /** Largest delay, in ms. Default 30,000. */
  readonly maxDelay?: number;
  /** Growth per attempt. Default 2. */
  readonly multiplier?: number;
  /**
   * `full`: a random delay between 0 and the exponential value; `equal`: half of it fixed plus a
   * random half; `none`: the exponential value itself. Default `full`.
   */
  readonly jitter?: Jitter;
  /** Random source in [0, 1) for the jitter. Default: uniform; inject one in tests. */
  readonly random?: () => number;
  /** Most retries before the error goes through. Default unlimited. */
  readonly maxAttempts?: number;
  /** Errors for which to retry. Default: all. */
  readonly shouldRetry?: (error: unknown) => boolean;
  /** Start counting from zero again after a value comes through. Default true. */
  readonly resetOnSuccess?: boolean;
}

/** The delay for retry number `attempt` (1 = first retry) under `config`. Pure given `random`. */
export function backoffDelay(attempt: number, config: RetryBackoffConfig, random: () => number): number {
  const max = config.maxDelay ?? 30_000;
  const exp = Math.min(max, config.initialDelay * (config.multiplier ?? 2) ** (attempt - 1));
  switch (config.jitter ?? 'full') {
    case 'none':
      return exp;
    case 'full':
      return Math.floor(random() * exp);
    case 'equal':
      return Math.floor(exp / 2 + random() * (exp / 2));
  }
}

/**
 * Resubscribes to the source after an error, with exponential backoff, a cap, jitter, a limit and
 * a filter. Built on RxJS 7's `retry({ delay })`.
 *
 * @example
 * ```ts
 * fetchConfig$.pipe(
 *   retryBackoff({ initialDelay: 500, maxDelay: 8000, maxAttempts: 5,
 *                  shouldRetry: (e) => isRtcError(e, 'TIMEOUT') }),
 * )
 * // retries after ~0–500, 0–1000, 0–2000, 0–4000, 0–8000 ms, then gives up
 * ```
 */
export function retryBackoff<T>(
  config: RetryBackoffConfig,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  const random = config.random ?? defaultRandom;
  return retry<T>({
    ...(config.maxAttempts !== undefined ? { count: config.maxAttempts } : {}),
    resetOnSuccess: config.resetOnSuccess ?? true,
    delay: (error: unknown, attempt: number) =>
      config.shouldRetry && !config.shouldRetry(error)
        ? throwError(() => error)
        : timer(backoffDelay(attempt, config, random), scheduler),
  });
}
