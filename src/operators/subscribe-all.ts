import { map } from 'rxjs';
import type { AutoSubscribePolicy } from './auto-subscribe';
import { mapPlan } from './subscription-plan';

/** Options of {@link subscribeAll}. */
export interface SubscribeAllOptions {
  /** Play the small variant where a stream offers one. Default false. */
  readonly small?: boolean;
}

/**
 * Subscribe every stream, with every track it has. This is where every chain starts, so on its
 * own it is the default policy; pass `{ small: true }` to prefer small variants.
 *
 * @example
 * ```ts
 * autoSubscribe(client, subscribeAll({ small: true }))
 * ```
 */
export function subscribeAll(options: SubscribeAllOptions = {}): AutoSubscribePolicy {
  if (!options.small) return (plan$) => plan$;
  return (plan$) => plan$.pipe(map((plan) => mapPlan(plan, (w) => ({ ...w, small: true }))));
}
