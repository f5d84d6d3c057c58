import {
  distinctUntilChanged,
  EMPTY,
  filter,
  map,
  merge,
  Observable,
  pairwise,
  shareReplay,
  startWith,
} from 'rxjs';
import type { AppHideInfo, NetworkStatus, Platform } from './platform';

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

/**
 * App hidden (background) as an Observable, with the reason when the platform knows it (`quit`:
 * the user closed the mini program); the listener lives only while subscribed.
 */
export function appHide$(platform: Platform): Observable<AppHideInfo> {
  return new Observable<AppHideInfo>((subscriber) =>
    platform.onAppHide((info) => subscriber.next(info ?? { reason: 'unknown' })),
  );
}

/**
 * The network type changed while the device stayed online (Wi-Fi ↔ 4G): the socket may be dead
 * without a close, so it is worth probing at once. Emits the new status.
 *
 * @example
 * ```ts
 * networkTypeChange$(platform).subscribe((s) => console.log('now on', s.networkType))
 * ```
 */
export function networkTypeChange$(platform: Platform): Observable<NetworkStatus> {
  // WeChat reports changes only, so the first report after subscribing is a change as well
  // (from the unknown state before, taken as online like `online$` does).
  return networkStatus$(platform).pipe(
    startWith(null),
    pairwise(),
    filter(
      (pair): pair is [NetworkStatus | null, NetworkStatus] =>
        pair[1] !== null &&
        pair[1].isConnected &&
        (pair[0] === null || (pair[0].isConnected && pair[0].networkType !== pair[1].networkType)),
    ),
    map(([, now]) => now),
  );
}

/** Cellular network types: one interface, whatever its generation. */
const CELLULAR: ReadonlySet<NetworkStatus['networkType']> = new Set(['2g', '3g', '4g', '5g']);

/** Which interface a network type goes through, when known. */
const interfaceOf = (type: NetworkStatus['networkType']): 'wifi' | 'cellular' | undefined =>
  type === 'wifi' ? 'wifi' : CELLULAR.has(type) ? 'cellular' : undefined;

/**
 * The device moved between Wi-Fi and cellular while it stayed online. The socket's local address
 * went with the old interface, so it is dead even if no close says so: reconnect at once rather
 * than probe. Changes within cellular (4G ↔ 5G) or from an unknown type are not included (they
 * are {@link networkTypeChange$}'s to probe). Emits the new status.
 *
 * @example
 * ```ts
 * interfaceChange$(platform).subscribe((s) => console.log('now on', s.networkType))
 * ```
 */
export function interfaceChange$(platform: Platform): Observable<NetworkStatus> {
  return networkStatus$(platform).pipe(
    pairwise(),
    filter(([before, now]) => {
      if (!before.isConnected || !now.isConnected) return false;
      const a = interfaceOf(before.networkType);
      const b = interfaceOf(now.networkType);
      return a !== undefined && b !== undefined && a !== b;
    }),
    map(([, now]) => now),
  );
}

/**
 * An audio interruption (a call, an alarm) ended; nothing where the platform has no such signal.
 * The listener lives only while subscribed.
 */
export function audioInterruptionEnd$(platform: Platform): Observable<void> {
  const on = platform.onAudioInterruptionEnd?.bind(platform);
  if (!on) return EMPTY;
  return new Observable<void>((subscriber) => on(() => subscriber.next()));
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

/**
 * Moments worth checking the connection at once: the app shown, the network back (offline →
 * online), a new network type while online, the end of an audio interruption.
 */
export function wake$(platform: Platform, online: Observable<boolean> = online$(platform)): Observable<void> {
  return merge(
    appShow$(platform),
    networkTypeChange$(platform).pipe(map(() => undefined)),
    audioInterruptionEnd$(platform),
    online.pipe(
      pairwise(),
      filter(([before, now]) => !before && now),
      map(() => undefined),
    ),
  );
}
