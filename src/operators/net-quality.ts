import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';

/** WeChat's netQualityLevel folded into what a page shows. */
export type NetQuality = 'unknown' | 'good' | 'fair' | 'poor';

/** Latest net status per user id, as `client.netStatus$` emits it (only the level is read). */
export type NetLevels = Readonly<Record<string, { readonly netQualityLevel?: number }>>;

/** Options of {@link netQuality}. */
export interface NetQualityOptions {
  /** Ms a better reading must last before the quality goes up. Going down is immediate. Default 3000. */
  readonly recoverAfter?: number;
}

const RANK: Record<NetQuality, number> = { unknown: 0, good: 3, fair: 2, poor: 1 };

/** One netQualityLevel (0 unknown, 1 best … 6 unusable) as a {@link NetQuality}. */
export function foldNetQualityLevel(level: number | undefined): NetQuality {
  if (level === undefined || !Number.isFinite(level) || level <= 0 || level > 6) return 'unknown';
  return level <= 2 ? 'good' : level === 3 ? 'fair' : 'poor';
}

/**
 * Net quality per user with hysteresis: a worse reading shows at once, a better one only once it
 * has lasted `recoverAfter` ms, so a badge does not blink between good and poor on a shaky link.
 * Emits only when some user's quality changes.
 *
 * @example
 * ```ts
 * netQuality(client.netStatus$).subscribe((q) => page.setData({ quality: q }))
 * ```
 */
export function netQuality(
  netStatus$: Observable<NetLevels>,
  options: NetQualityOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<Readonly<Record<string, NetQuality>>> {
  const recoverAfter = options.recoverAfter ?? 3000;
  return new Observable((subscriber) => {
    let shown: Record<string, NetQuality> = {};
    const betterSince = new Map<string, { quality: NetQuality; since: number }>();
    return netStatus$.subscribe({
      next: (levels) => {
        const now = scheduler.now();
        const next: Record<string, NetQuality> = {};
        let changed = Object.keys(shown).some((u) => !(u in levels));
        for (const user in levels) {
          const reading = foldNetQualityLevel(levels[user]!.netQualityLevel);
          const current = shown[user];
          let value: NetQuality;
          if (current === undefined || current === 'unknown') {
            value = reading;
            betterSince.delete(user);
          } else if (reading === 'unknown') {
            value = current; // no reading this time: keep what we know
          } else if (RANK[reading] <= RANK[current]) {
            value = reading; // the same or worse: show it at once
            betterSince.delete(user);
          } else {
            // better: only once it has lasted
            const pending = betterSince.get(user);
            const since = pending && pending.quality === reading ? pending.since : now;
            betterSince.set(user, { quality: reading, since });
            value = now - since >= recoverAfter ? reading : current;
            if (value === reading) betterSince.delete(user);
          }
          next[user] = value;
          if (value !== current) changed = true;
        }
        for (const user of [...betterSince.keys()]) if (!(user in levels)) betterSince.delete(user);
        if (changed) {
          shown = next;
          subscriber.next(next);
        }
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
  });
}
