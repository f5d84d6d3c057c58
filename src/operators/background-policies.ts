/**
 * Background policies: what the client publishes while the mini program is hidden. A policy is a
 * pure function from the plan so far to a plan, given the room, so policies compose by chaining
 * like the auto-subscribe policies (`combineBackgroundPolicies`). Each policy only adds
 * restrictions, so in a chain the strictest wins. `backgroundPolicy` (./background-policy.ts)
 * applies the plan on app hide and undoes it on app show.
 */
import type { RoomState } from '../streams/model';

/** What to do with this client's own streams while the app is hidden. */
export interface BackgroundPlan {
  /** Mute the audio of every own stream (owner mute: peers see it muted). */
  readonly muteAudio: boolean;
  /** Mute the video of every own stream. */
  readonly muteVideo: boolean;
  /** Leave the room once the app has been hidden this many ms; absent: stay. */
  readonly leaveAfter?: number;
}

/** A background policy: refines a plan, given the room at the moment the app is hidden. */
export type BackgroundPolicy = (plan: BackgroundPlan, room: RoomState) => BackgroundPlan;

/** The plan every chain starts from: publish as before. */
export const KEEP_PLAN: BackgroundPlan = Object.freeze({ muteAudio: false, muteVideo: false });

/**
 * Publish while hidden as before (what WeChat still captures in the background is then up to
 * WeChat). Use it for calls that must go on with the screen locked, and say so to your users.
 *
 * @example
 * ```ts
 * createClient({ url, background: keep })
 * ```
 */
export const keep: BackgroundPolicy = (plan) => plan;

/**
 * Mute the camera while hidden, keep the microphone (a voice call that goes on with the screen
 * locked).
 *
 * @example
 * ```ts
 * createClient({ url, background: muteVideo })
 * ```
 */
export const muteVideo: BackgroundPolicy = (plan) => ({ ...plan, muteVideo: true });

/**
 * Mute camera and microphone while hidden (the default of `createClient`): a hidden app never
 * shows or says anything the user cannot see it doing, and peers see the user as muted instead of
 * a frozen picture.
 *
 * @example
 * ```ts
 * createClient({ url, background: muteAll })
 * ```
 */
export const muteAll: BackgroundPolicy = (plan) => ({ ...plan, muteAudio: true, muteVideo: true });

/**
 * Leave the room once the app has stayed hidden `ms` milliseconds. WeChat suspends a hidden app's
 * JavaScript about 5 s after it is hidden, so a longer wait ends when the app is shown again (or
 * the server drops the session by its heartbeat first); chain it with a mute to cover the wait.
 *
 * @example
 * ```ts
 * createClient({ url, background: combineBackgroundPolicies(muteAll, leaveAfter(60_000)) })
 * ```
 */
export function leaveAfter(ms: number): BackgroundPolicy {
  if (!(ms >= 0) || !Number.isFinite(ms))
    throw new RangeError('leaveAfter(ms): ms must be a finite number ≥ 0');
  return (plan) => ({ ...plan, leaveAfter: Math.min(plan.leaveAfter ?? Infinity, ms) });
}

/**
 * Chains background policies left to right; each refines the plan of the one before, so the
 * strictest restriction wins.
 *
 * @example
 * ```ts
 * // audio goes on while hidden, video does not, and after 30 s hidden the room is left
 * combineBackgroundPolicies(muteVideo, leaveAfter(30_000))
 * ```
 */
export function combineBackgroundPolicies(...policies: readonly BackgroundPolicy[]): BackgroundPolicy {
  return (plan, room) => policies.reduce((acc, policy) => policy(acc, room), plan);
}
