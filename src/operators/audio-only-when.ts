import { combineLatest, map, type Observable } from 'rxjs';
import type { AutoSubscribePolicy } from './auto-subscribe';
import { mapPlan } from './subscription-plan';

/**
 * Drop every video while `condition$` says so (a poor network, cellular data, a hidden page).
 * Streams with no audio left are not subscribed at all.
 *
 * @example
 * ```ts
 * const poor$ = netQuality(client.netStatus$).pipe(map((q) => q[me] === 'poor'))
 * autoSubscribe(client, audioOnlyWhen(poor$))
 * ```
 */
export function audioOnlyWhen(condition$: Observable<boolean>): AutoSubscribePolicy {
  return (plan$) =>
    combineLatest([plan$, condition$]).pipe(
      map(([plan, audioOnly]) => (audioOnly ? mapPlan(plan, (w) => ({ ...w, video: false })) : plan)),
    );
}
