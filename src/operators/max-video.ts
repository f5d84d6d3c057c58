import { combineLatest, map, of, type Observable } from 'rxjs';
import type { AutoSubscribePolicy } from './auto-subscribe';
import { mapPlan, ownerOf } from './subscription-plan';

/**
 * Video for at most `n` streams; the others are audio only. Which `n` follows `rank$` (user ids,
 * most important first, e.g. the active speakers); streams of unranked users come after the
 * ranked ones, in a stable order (stream id).
 *
 * @example
 * ```ts
 * autoSubscribe(client, maxVideo(4, activeSpeaker(client.volume$)))
 * ```
 */
export function maxVideo(n: number, rank$: Observable<readonly string[]> = of([])): AutoSubscribePolicy {
  return (plan$, room$) =>
    combineLatest([plan$, room$, rank$]).pipe(
      map(([plan, room, rank]) => {
        const position = new Map(rank.map((user, i) => [user, i]));
        const withVideo = Object.keys(plan)
          .filter((id) => plan[id]!.video)
          .sort((a, b) => {
            const pa = position.get(ownerOf(a, room.streams)) ?? Infinity;
            const pb = position.get(ownerOf(b, room.streams)) ?? Infinity;
            return pa !== pb ? pa - pb : a < b ? -1 : a > b ? 1 : 0;
          });
        const keep = new Set(withVideo.slice(0, Math.max(0, n)));
        return mapPlan(plan, (w, id) => (w.video && !keep.has(id) ? { ...w, video: false } : w));
      }),
    );
}
