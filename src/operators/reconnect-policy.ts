import { defaultRandom } from '../bindings/defaults';
import type { RtcError } from '../errors';

/**
 * Decides the delay before reconnect attempt `attempt` (1 = first), given the ms since the
 * connection was lost and the last error; `null` means give up.
 */
export type ReconnectPolicy = (attempt: number, elapsed: number, error: RtcError) => number | null;

/** Options of {@link defaultReconnectPolicy}. */
export interface DefaultReconnectPolicyOptions {
  /** Give up once this many ms have passed since the connection was lost. Default 60,000. */
  readonly budget?: number;
  /** Random source in [0, 1) for the jitter of the later attempts. */
  readonly random?: () => number;
}

const ANCHOR = [0, 300, 1200, 2700, 4800] as const;

/**
 * The default policy, close to LiveKit's: 0, 300, 1200, 2700, 4800 ms, then 7000 ms plus up to
 * 1 s of jitter per attempt, until the budget (60 s) is spent.
 *
 * @example
 * ```ts
 * createClient({ url, reconnect: { policy: defaultReconnectPolicy({ budget: 120_000 }) } })
 * ```
 */
export function defaultReconnectPolicy(options: DefaultReconnectPolicyOptions = {}): ReconnectPolicy {
  const budget = options.budget ?? 60_000;
  const random = options.random ?? defaultRandom;
  return (attempt, elapsed) => {
    if (elapsed >= budget) return null;
    const anchored = ANCHOR[attempt - 1];
    return anchored !== undefined ? anchored : 7000 + Math.floor(random() * 1000);
  };
}

/** Options of {@link exponentialReconnectPolicy}. */
export interface ExponentialReconnectPolicyOptions {
  /** First delay in ms. Default 500. */
  readonly initialDelay?: number;
  /** Cap in ms. Default 10,000. */
  readonly maxDelay?: number;
  /** Growth per attempt. Default 2. */
  readonly multiplier?: number;
  /** Fraction of each delay that is random (0–1). Default 0.5. */
  readonly jitter?: number;
  /** Most attempts. Default unlimited. */
  readonly maxAttempts?: number;
  /** Give up after this many ms. Default unlimited. */
  readonly budget?: number;
  readonly random?: () => number;
}

/**
 * An exponential policy with a cap, partial jitter, an attempt limit and a time budget.
 *
 * @example
 * ```ts
 * exponentialReconnectPolicy({ initialDelay: 1000, maxDelay: 30_000, maxAttempts: 8 })
 * ```
 */
export function exponentialReconnectPolicy(options: ExponentialReconnectPolicyOptions = {}): ReconnectPolicy {
  const initial = options.initialDelay ?? 500;
  const max = options.maxDelay ?? 10_000;
  const multiplier = options.multiplier ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const random = options.random ?? defaultRandom;
  return (attempt, elapsed) => {
    // Stryker disable next-line ConditionalExpression: equivalent, `attempt > undefined` is false too
    if (options.maxAttempts !== undefined && attempt > options.maxAttempts) return null;
    // Stryker disable next-line ConditionalExpression: equivalent, `elapsed >= undefined` is false too
    if (options.budget !== undefined && elapsed >= options.budget) return null;
    const exp = Math.min(max, initial * multiplier ** (attempt - 1));
    return Math.floor(exp * (1 - jitter) + random() * exp * jitter);
  };
}

/**
 * A policy that follows a fixed list of delays and gives up after the last one.
 *
 * @example
 * ```ts
 * delaysReconnectPolicy([0, 1000, 5000]) // three attempts, then failed
 * ```
 */
export function delaysReconnectPolicy(delays: readonly number[]): ReconnectPolicy {
  return (attempt) => delays[attempt - 1] ?? null;
}

/**
 * A policy that never retries: a lost connection ends the session.
 */
export const noReconnectPolicy: ReconnectPolicy = () => null;
