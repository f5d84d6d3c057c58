/**
 * "Audio only on cellular": video only over Wi-Fi, to spare the user's data plan.
 */
import { distinctUntilChanged, filter, map, startWith, type Observable } from 'rxjs';
import { audioOnlyWhen, type AutoSubscribePolicy, type NetworkStatus } from 'rxroom';

/** The network types WeChat reports for mobile data. */
const CELLULAR: ReadonlySet<NetworkStatus['networkType']> = new Set(['2g', '3g', '4g', '5g']);

/** Whether a network status is mobile data. */
export function isCellular(status: NetworkStatus): boolean {
  return status.isConnected && CELLULAR.has(status.networkType);
}

/**
 * Drops every video while the phone is on mobile data, and brings it back on Wi-Fi. Until the
 * first status arrives the network is taken to be Wi-Fi, so joining is never held up waiting for
 * one; feed the current type first (`wx.getNetworkType`) to start right. Being offline changes
 * nothing: there is nothing to download either way, and the plan is ready when the network returns.
 *
 * @example
 * ```ts
 * const network$ = merge(currentNetwork$, networkStatus$(platform))
 * autoSubscribe(client, audioOnlyOnCellular(network$)).subscribe()
 * ```
 */
export function audioOnlyOnCellular(network$: Observable<NetworkStatus>): AutoSubscribePolicy {
  const cellular$ = network$.pipe(
    // Offline says nothing about which network comes back: keep the last verdict.
    filter((status) => status.isConnected),
    map(isCellular),
    startWith(false),
    distinctUntilChanged(),
  );
  return audioOnlyWhen(cellular$);
}
