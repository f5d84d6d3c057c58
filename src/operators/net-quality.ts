import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { PersistentMap } from '../streams/persistent-map';

/** WeChat's netQualityLevel folded into what a page shows. */
export type NetQuality = 'unknown' | 'good' | 'fair' | 'poor';

/** Latest net status per user id, as `client.netStatus$` emits it (only the level is read). */
export type NetLevels = ReadonlyMap<string, { readonly netQualityLevel?: number }>;

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
): Observable<PersistentMap<NetQuality>> {
  const recoverAfter = options.recoverAfter ?? 3000;
  return new Observable<PersistentMap<NetQuality>>((subscriber) => {
    let shown = PersistentMap.empty<NetQuality>();
    let previous: NetLevels = new Map();
    /**
     * Users whose readings have all been better than what is shown since `since`; `worst` is the
     * least good of them, which is what they recover to (then the next step up waits again).
     */
    const pending = new Map<string, { since: number; worst: NetQuality; timer: Subscription }>();
    const settle = (user: string) => {
      const p = pending.get(user);
      p?.timer.unsubscribe();
      pending.delete(user);
    };
    const recover = (user: string) => {
      const p = pending.get(user);
      if (!p) return;
      settle(user);
      shown = shown.with(user, p.worst);
      subscriber.next(shown);
    };
    const read = (user: string, reading: NetQuality): boolean => {
      const current = shown.get(user);
      if (current === undefined || current === 'unknown') {
        settle(user);
        const next = shown.with(user, reading);
        const changed = next !== shown;
        shown = next;
        return changed;
      }
      if (reading === 'unknown') return false; // no reading this time: keep what we know
      if (RANK[reading] <= RANK[current]) {
        settle(user); // the same or worse: show it at once
        const next = shown.with(user, reading);
        const changed = next !== shown;
        shown = next;
        return changed;
      }
      // Better: only once better readings have lasted, whichever better levels they were.
      const p = pending.get(user);
      if (p) {
        if (RANK[reading] < RANK[p.worst]) pending.set(user, { ...p, worst: reading });
        return false;
      }
      const timer = scheduler.schedule(() => recover(user), recoverAfter);
      pending.set(user, { since: scheduler.now(), worst: reading, timer });
      return false;
    };
    const sub = netStatus$.subscribe({
      next: (levels) => {
        let changed = false;
        PersistentMap.changes(previous, levels, (user, _before, info) => {
          if (info === undefined) {
            settle(user);
            if (shown.has(user)) {
              shown = shown.without(user);
              changed = true;
            }
            return;
          }
          if (read(user, foldNetQualityLevel(info.netQualityLevel))) changed = true;
        });
        previous = levels;
        if (changed) subscriber.next(shown);
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    return () => {
      sub.unsubscribe();
      for (const p of pending.values()) p.timer.unsubscribe();
      pending.clear();
    };
  });
}
