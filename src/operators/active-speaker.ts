import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { PersistentMap } from '../streams/persistent-map';

/** Latest audio level per user id (0–100), as `client.volume$` emits it. */
export type VolumeLevels = ReadonlyMap<string, number>;

/** Options of {@link activeSpeaker}. */
export interface ActiveSpeakerOptions {
  /** Level at or above which a user counts as speaking. Default 20. */
  readonly threshold?: number;
  /** Ms a speaker stays active after falling silent, so pauses between words don't flicker. Default 1500. */
  readonly hold?: number;
}

/**
 * The users speaking now, loudest first, from a stream of volume levels. A user becomes active as
 * soon as their level reaches `threshold` and stays active until it has been below for `hold` ms.
 * Emits only when the list changes.
 *
 * @example
 * ```ts
 * activeSpeaker(client.volume$, { threshold: 25, hold: 2000 })
 *   .subscribe((ids) => page.setData({ speaking: ids }))
 * ```
 */
export function activeSpeaker(
  volume$: Observable<VolumeLevels>,
  options: ActiveSpeakerOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<readonly string[]> {
  const threshold = options.threshold ?? 20;
  const hold = options.hold ?? 1500;
  return new Observable<readonly string[]>((subscriber) => {
    /** When each speaker was last heard (for the order), for everyone active or held. */
    const lastLoud = new Map<string, number>();
    /** When a held speaker was first heard below the threshold: the hold counts from there. */
    const quietSince = new Map<string, number>();
    const level = new Map<string, number>();
    let last: readonly string[] = [];
    let expiry: Subscription | null = null;

    const evaluate = () => {
      const now = scheduler.now();
      // Someone loud now is heard now, though their unchanged level brought no new reading.
      const heard = (user: string) => ((level.get(user) ?? 0) >= threshold ? now : (lastLoud.get(user) ?? 0));
      let nextExpiry = Infinity;
      const active: string[] = [];
      for (const user of lastLoud.keys()) {
        const quiet = quietSince.get(user);
        if (quiet === undefined || now - quiet < hold) {
          active.push(user);
          if (quiet !== undefined) nextExpiry = Math.min(nextExpiry, quiet + hold);
        } else {
          lastLoud.delete(user);
          quietSince.delete(user);
        }
      }
      // loudest first; among the silent ones held, the most recent speaker first
      active.sort(
        (a, b) =>
          (level.get(b) ?? 0) - (level.get(a) ?? 0) || heard(b) - heard(a) || (a < b ? -1 : a > b ? 1 : 0),
      );
      if (active.length !== last.length || active.some((u, i) => u !== last[i])) {
        last = active;
        subscriber.next(active);
      }
      expiry?.unsubscribe();
      expiry = nextExpiry === Infinity ? null : scheduler.schedule(evaluate, Math.max(0, nextExpiry - now));
    };

    subscriber.next(last);
    let previous: VolumeLevels = new Map<string, number>();
    const sub = volume$.subscribe({
      next: (levels) => {
        const now = scheduler.now();
        // Only the users whose level changed are looked at (a PersistentMap knows which).
        PersistentMap.changes(previous, levels, (user, _before, v) => {
          if (v === undefined) {
            // A user missing from the map left (or stopped playing): forget them at once.
            level.delete(user);
            lastLoud.delete(user);
            quietSince.delete(user);
            return;
          }
          level.set(user, v);
          if (v >= threshold) {
            lastLoud.set(user, now);
            quietSince.delete(user);
          } else if (lastLoud.has(user) && !quietSince.has(user)) {
            // Loud until this reading (an unchanged loud level brings no readings in between).
            lastLoud.set(user, now);
            quietSince.set(user, now);
          }
        });
        previous = levels;
        evaluate();
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    return () => {
      sub.unsubscribe();
      expiry?.unsubscribe();
    };
  });
}
