import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';

/** Latest audio level per user id (0–100), as `client.volume$` emits it. */
export type VolumeLevels = Readonly<Record<string, number>>;

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
          (level.get(b) ?? 0) - (level.get(a) ?? 0) ||
          (lastLoud.get(b) ?? 0) - (lastLoud.get(a) ?? 0) ||
          (a < b ? -1 : a > b ? 1 : 0),
      );
      if (active.length !== last.length || active.some((u, i) => u !== last[i])) {
        last = active;
        subscriber.next(active);
      }
      expiry?.unsubscribe();
      expiry = nextExpiry === Infinity ? null : scheduler.schedule(evaluate, Math.max(0, nextExpiry - now));
    };

    subscriber.next(last);
    const sub = volume$.subscribe({
      next: (levels) => {
        const now = scheduler.now();
        // A user missing from the map left (or stopped playing): forget them at once.
        for (const user of [...level.keys()]) {
          if (!(user in levels)) {
            level.delete(user);
            lastLoud.delete(user);
            quietSince.delete(user);
          }
        }
        for (const user in levels) {
          const v = levels[user]!;
          level.set(user, v);
          if (v >= threshold) {
            lastLoud.set(user, now);
            quietSince.delete(user);
          } else if (lastLoud.has(user) && !quietSince.has(user)) {
            quietSince.set(user, now);
          }
        }
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
