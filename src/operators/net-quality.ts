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

/** The levels a quality can recover to, best first. */
const RECOVERABLE: readonly NetQuality[] = ['good', 'fair'];

/** One user's quality: what is shown, and since when every reading has reached each level. */
interface UserQuality {
  shown: NetQuality;
  readonly reachedSince: Map<NetQuality, number>;
  timer: Subscription | null;
}

/**
 * Net quality per user with hysteresis: a worse reading shows at once; the quality goes up to the
 * best level that every reading of the last `recoverAfter` ms reached (so alternating better
 * readings, 3, 2, 3, 2 after a 5, recover to `fair`), even when no new reading comes. A badge
 * does not blink between good and poor on a shaky link. Emits only when some user's quality
 * changes; only the users whose readings changed are looked at.
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
    const users = new Map<string, UserQuality>();

    const show = (user: string, q: NetQuality): boolean => {
      const next = shown.with(user, q);
      const changed = next !== shown;
      shown = next;
      return changed;
    };
    /** Goes up to the best level reached for long enough; arms a timer for the next one. */
    const promote = (user: string, u: UserQuality): boolean => {
      const now = scheduler.now();
      u.timer?.unsubscribe();
      u.timer = null;
      let changed = false;
      let due = Infinity;
      for (const q of RECOVERABLE) {
        if (RANK[q] <= RANK[u.shown]) break;
        const since = u.reachedSince.get(q);
        if (since === undefined) continue;
        if (now - since >= recoverAfter) {
          u.shown = q;
          changed = show(user, q);
          break;
        }
        due = Math.min(due, since + recoverAfter);
      }
      if (due !== Infinity && RANK[u.shown] < RANK.good) {
        u.timer = scheduler.schedule(() => {
          if (users.get(user) === u && promote(user, u)) subscriber.next(shown);
        }, due - now);
      }
      return changed;
    };
    const read = (user: string, reading: NetQuality): boolean => {
      if (reading === 'unknown') return false; // no reading this time: keep what we know
      const now = scheduler.now();
      let u = users.get(user);
      if (!u) {
        u = { shown: 'unknown', reachedSince: new Map(), timer: null };
        users.set(user, u);
      }
      for (const q of RECOVERABLE) {
        if (RANK[reading] >= RANK[q]) {
          if (!u.reachedSince.has(q)) u.reachedSince.set(q, now);
        } else u.reachedSince.delete(q);
      }
      if (u.shown === 'unknown' || RANK[reading] <= RANK[u.shown]) {
        u.shown = reading; // the first reading, or the same or worse: show it at once
        const changed = show(user, reading);
        return promote(user, u) || changed;
      }
      return promote(user, u);
    };
    const forget = (user: string): boolean => {
      users.get(user)?.timer?.unsubscribe();
      users.delete(user);
      if (!shown.has(user)) return false;
      shown = shown.without(user);
      return true;
    };
    const sub = netStatus$.subscribe({
      next: (levels) => {
        let changed = false;
        PersistentMap.changes(previous, levels, (user, _before, info) => {
          const c = info === undefined ? forget(user) : read(user, foldNetQualityLevel(info.netQualityLevel));
          if (c) changed = true;
        });
        previous = levels;
        if (changed) subscriber.next(shown);
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    return () => {
      sub.unsubscribe();
      for (const u of users.values()) u.timer?.unsubscribe();
      users.clear();
    };
  });
}
