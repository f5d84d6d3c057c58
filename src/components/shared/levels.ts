/**
 * One user's slice of the client's high-rate streams (ARCHITECTURE.md decision 6), as a component
 * shows it: a quantised volume, whether they are speaking, their net quality. Each emits only when
 * what is shown changes, so a volume tick of someone else costs this component nothing.
 */
import {
  combineLatest,
  distinctUntilChanged,
  map,
  startWith,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import {
  activeSpeaker,
  PersistentMap,
  netQuality,
  type ActiveSpeakerOptions,
  type NetQuality,
  type NetQualityOptions,
  type RtcClient,
} from '../../index';
import { quantiseVolume } from './component-binding';

/** What a component shows of one user's levels. */
export interface LevelsView {
  /** 0–100, quantised. */
  readonly volume: number;
  readonly speaking: boolean;
  readonly quality: NetQuality;
}

/** Options of {@link userLevels}. */
export interface UserLevelsOptions {
  /** Volume is rounded to multiples of this. */
  readonly volumeStep: number;
  readonly speaker?: ActiveSpeakerOptions;
  readonly quality?: NetQualityOptions;
}

function only<T>(levels: PersistentMap<T>, user: string): PersistentMap<T> {
  const value = levels.get(user);
  return value === undefined ? PersistentMap.empty<T>() : PersistentMap.empty<T>().with(user, value);
}

/**
 * The levels of `user$`'s current user, from `client.volume$` and `client.netStatus$`.
 *
 * @example
 * ```ts
 * userLevels(client, of('bob'), { volumeStep: 10 }).subscribe((l) => console.log(l.volume))
 * ```
 */
export function userLevels(
  client: Pick<RtcClient, 'volume$' | 'netStatus$'>,
  user: string,
  options: UserLevelsOptions,
  scheduler: SchedulerLike,
): Observable<LevelsView> {
  const volume$ = client.volume$.pipe(
    map((levels) => quantiseVolume(levels.get(user), options.volumeStep)),
    distinctUntilChanged(),
  );
  // The same hold and threshold as the page-level activeSpeaker, restricted to this user.
  const speaking$ = activeSpeaker(
    client.volume$.pipe(map((levels) => only(levels, user))),
    options.speaker,
    scheduler,
  ).pipe(
    map((speakers) => speakers.length > 0),
    distinctUntilChanged(),
  );
  const quality$ = netQuality(
    client.netStatus$.pipe(map((levels) => only(levels, user))),
    options.quality,
    scheduler,
  ).pipe(
    map((q) => q.get(user) ?? 'unknown'),
    startWith<NetQuality>('unknown'),
    distinctUntilChanged(),
  );
  return combineLatest({ volume: volume$, speaking: speaking$, quality: quality$ });
}
