import { distinctUntilChanged, filter, map, merge, Observable, pairwise, shareReplay, startWith } from 'rxjs';
import type { NetworkStatus, Platform } from './platform';

/** Network status changes as an Observable; the listener lives only while subscribed. */
export function networkStatus$(platform: Platform): Observable<NetworkStatus> {
  return new Observable<NetworkStatus>((subscriber) =>
    platform.onNetworkStatusChange((s) => subscriber.next(s)),
  );
}

/** App shown (foreground) as an Observable; the listener lives only while subscribed. */
export function appShow$(platform: Platform): Observable<void> {
  return new Observable<void>((subscriber) => platform.onAppShow(() => subscriber.next()));
}

/** App hidden (background) as an Observable; the listener lives only while subscribed. */
export function appHide$(platform: Platform): Observable<void> {
  return new Observable<void>((subscriber) => platform.onAppHide(() => subscriber.next()));
}

/** Reachability: true until the platform says otherwise, then whatever it says, without repeats. */
export function online$(platform: Platform): Observable<boolean> {
  return networkStatus$(platform).pipe(
    map((s) => s.isConnected),
    startWith(true),
    distinctUntilChanged(),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
}

/** Moments worth checking the connection at once: the app shown, the network back (offline → online). */
export function wake$(platform: Platform, online: Observable<boolean> = online$(platform)): Observable<void> {
  return merge(
    appShow$(platform),
    online.pipe(
      pairwise(),
      filter(([before, now]) => !before && now),
      map(() => undefined),
    ),
  );
}
