/**
 * The built-in driver as `createClient({ url })` sets it up: the protocol driver over the wx
 * platform (or the one given), with the default reconnection and heartbeat wired to the
 * platform's network and app-show signals. Only `createClient` imports this module, so a page
 * built on `createRoomClient` and a vendor driver bundles none of it.
 */
import type { SchedulerLike } from 'rxjs';
import type { Driver } from '../../streams/command';
import type { Platform } from '../platform';
import { appShow$, online$, wake$ } from '../platform-streams';
import { wxPlatform } from '../wx-platform';
import { heartbeat, type HeartbeatOptions } from '../../operators/heartbeat';
import { isRetryableError, reconnect, type ReconnectOptions } from '../../operators/reconnect';
import { protocolDriver } from './protocol-driver';

/** Options of {@link defaultDriver}: the built-in driver's part of `ClientOptions`. */
export interface DefaultDriverOptions {
  readonly url: string;
  readonly platform?: Platform;
  readonly scheduler: SchedulerLike;
  readonly requestTimeout?: number;
  readonly reconnect?: Omit<ReconnectOptions, 'report'> | false;
  readonly heartbeat?: Omit<HeartbeatOptions, 'check$'> | false;
}

/**
 * The protocol driver with reconnection and heartbeat. The last known reachability is held from
 * here until the driver is destroyed, so it is never forgotten between sessions.
 */
export function defaultDriver(options: DefaultDriverOptions): { driver: Driver; platform: Platform } {
  const { scheduler } = options;
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
      ? { onConnected: heartbeat({ ...heartbeatOptions, check$: appShow$(p) }, scheduler) }
      : {}),
  });
  const driver: Driver = {
    name: inner.name,
    capabilities: inner.capabilities,
    events$: inner.events$,
    execute: inner.execute.bind(inner),
    destroy() {
      inner.destroy();
      keepOnline.unsubscribe();
    },
  };
  return { driver, platform: p };
}
