import { combineLatest, isObservable, map, of, type Observable } from 'rxjs';
import type { AutoSubscribePolicy } from './auto-subscribe';
import { mapPlan, ownerOf } from './subscription-plan';

/**
 * Keep only the streams of the given users (a fixed list, or a stream of lists that changes as
 * people raise hands, get pinned …).
 *
 * @example
 * ```ts
 * autoSubscribe(client, onlyUsers(pinned$))
 * ```
 */
export function onlyUsers(ids: Iterable<string> | Observable<Iterable<string>>): AutoSubscribePolicy {
  const ids$ = isObservable(ids) ? ids : of(ids);
  return (plan$, room$) =>
    combineLatest([plan$, room$, ids$]).pipe(
      map(([plan, room, users]) => {
        const keep = new Set(users);
        return mapPlan(plan, (w, id) => (keep.has(ownerOf(id, room.streams)) ? w : null));
      }),
    );
}
