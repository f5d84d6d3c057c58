/**
 * The built-in driver as `createClient({ url })` sets it up: the protocol driver over the wx
 * platform (or the one given), with the default reconnection and heartbeat wired to the
 * platform's network and app-show signals. A page built on `createRoomClient` with a vendor
 * driver never imports this module, so it bundles none of it.
 */
import { asyncScheduler, merge, type SchedulerLike } from 'rxjs';
import type { Driver } from '../../streams/command';
import type { Platform } from '../platform';
import {
  appShow$,
  audioInterruptionEnd$,
  interfaceChange$,
  networkTypeChange$,
  online$,
  wake$,
} from '../platform-streams';
import { wxPlatform } from '../wx-platform';
import { heartbeat, type HeartbeatOptions } from '../../operators/heartbeat';
import { isRetryableError, reconnect, type ReconnectOptions } from '../../operators/reconnect';
import { protocolDriver } from './protocol-driver';

/** Options of {@link builtInDriver}. */
export interface BuiltInDriverOptions {
  /** Signaling server URL (`wss://…`). */
  readonly url: string;
  /** Default: `wxPlatform()`. */
  readonly platform?: Platform;
  /** Scheduler for every timer. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Ms to wait for each answer from the server. Default 10,000. */
  readonly requestTimeout?: number;
  /**
   * How lost connections are retried: reconnect options, or `false` for none. Default: the
   * default policy, waiting while offline and trying at once when the network or the app comes
   * back.
   */
  readonly reconnect?: Omit<ReconnectOptions, 'report'> | false;
  /**
   * Dead-connection detection, or `false` for none. Default: the server's settings; a move
   * between Wi-Fi and cellular reconnects at once (the old socket's address is gone), and a
   * probe (a ping answered within `probeTimeout`, default 3 s) checks the link when the network
   * type changes otherwise (4G ↔ 5G, from unknown) or an audio interruption ends.
   */
  readonly heartbeat?: Omit<HeartbeatOptions, 'check$' | 'probe$' | 'drop$'> | false;
}

/**
 * The built-in driver (rxroom's signaling protocol) with reconnection and heartbeat, as
 * `createClient({ url })` uses it. The last known reachability is held from creation until the
 * driver is destroyed, so it is never forgotten between sessions.
 *
 * @example
 * ```ts
 * import { createRoomClient, builtInDriver } from 'rxroom'
 *
 * const client = createRoomClient({ driver: builtInDriver({ url: 'wss://rtc.example.com' }) })
 * ```
 */
export function builtInDriver(options: BuiltInDriverOptions): Driver {
  const scheduler = options.scheduler ?? asyncScheduler;
  const p: Platform = options.platform ?? wxPlatform();
  const online = online$(p);
  const keepOnline = online.subscribe();
  const reconnectOptions = options.reconnect;
  const heartbeatOptions = options.heartbeat;
  const inner = protocolDriver({
    url: options.url,
    platform: p,
    scheduler,
    ...(options.requestTimeout !== undefined ? { requestTimeout: options.requestTimeout } : {}),
    ...(reconnectOptions !== false
      ? {
          recovery: (hooks) =>
            reconnect<void>(
              {
                online$: online,
                wake$: wake$(p, online),
                ...reconnectOptions,
                shouldRetry: (e) => hooks.joined() && (reconnectOptions?.shouldRetry ?? isRetryableError)(e),
                report: hooks.report,
              },
              scheduler,
            ),
        }
      : {}),
    ...(heartbeatOptions !== false
      ? {
          onConnected: heartbeat(
            {
              ...heartbeatOptions,
              check$: appShow$(p),
              probe$: merge(networkTypeChange$(p), audioInterruptionEnd$(p)),
              drop$: interfaceChange$(p),
            },
            scheduler,
          ),
        }
      : {}),
  });
  return {
    name: inner.name,
    capabilities: inner.capabilities,
    events$: inner.events$,
    execute: inner.execute.bind(inner),
    destroy() {
      inner.destroy();
      keepOnline.unsubscribe();
    },
  };
}
