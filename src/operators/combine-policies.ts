import type { AutoSubscribePolicy } from './auto-subscribe';

/**
 * Chains policies left to right: each one refines the plan of the one before.
 *
 * @example
 * ```ts
 * // everyone's audio, video for the 4 loudest, nothing but audio on a poor network
 * combinePolicies(maxVideo(4, speakers$), audioOnlyWhen(poor$))
 * ```
 */
export function combinePolicies(...policies: readonly AutoSubscribePolicy[]): AutoSubscribePolicy {
  return (plan$, room$) => policies.reduce((acc, policy) => policy(acc, room$), plan$);
}
