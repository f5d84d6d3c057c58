import { map } from 'rxjs';
import type { AutoSubscribePolicy } from './auto-subscribe';
import { mapPlan } from './subscription-plan';

/**
 * While anyone shares a screen, the screen gets the big variant and camera streams drop to their
 * small variant, so the bandwidth goes where the eyes are.
 *
 * @example
 * ```ts
 * autoSubscribe(client, combinePolicies(preferScreenShare(), maxVideo(6)))
 * ```
 */
export function preferScreenShare(): AutoSubscribePolicy {
  return (plan$) =>
    plan$.pipe(
      map((plan) => {
        const sharing = Object.keys(plan).some((id) => id.endsWith(':screen'));
        if (!sharing) return plan;
        return mapPlan(plan, (w, id) =>
          id.endsWith(':screen') ? { ...w, small: false } : { ...w, small: true },
        );
      }),
    );
}
