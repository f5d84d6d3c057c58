import { combineLatest, map, type Observable } from 'rxjs';
import type { AutoSubscribePolicy } from './auto-subscribe';
import { mapPlan, ownerOf } from './subscription-plan';

/**
 * Subscribe only the streams of the `n` most active speakers (`speakers$`: user ids, loudest
 * first, e.g. from `activeSpeaker(client.volume$)`). Everyone else is not subscribed at all; use
 * {@link maxVideo} instead to keep hearing everyone.
 *
 * @example
 * ```ts
 * autoSubscribe(client, activeSpeakers(3, activeSpeaker(client.volume$)))
 * ```
 */
export function activeSpeakers(n: number, speakers$: Observable<readonly string[]>): AutoSubscribePolicy {
  return (plan$, room$) =>
    combineLatest([plan$, room$, speakers$]).pipe(
      map(([plan, room, speakers]) => {
        const top = new Set(speakers.slice(0, Math.max(0, n)));
        return mapPlan(plan, (w, id) => (top.has(ownerOf(id, room.streams)) ? w : null));
      }),
    );
}
