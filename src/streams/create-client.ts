/**
 * createClient: the room client as most pages want it. It is {@link createRoomClient} (the client
 * core, ./client/) composed with the built-in driver (unless you pass your own), media recovery,
 * the frozen-player watchdog and stats reporting, all on by default. A page that wants only what it uses calls
 * `createRoomClient` instead; see the README.
 */
import { asyncScheduler, map, merge, type SchedulerLike } from 'rxjs';
import { RtcError } from '../errors';
import type { Platform } from '../bindings/platform';
import { appHide$, appShow$ } from '../bindings/platform-streams';
import { builtInDriver } from '../bindings/protocol/built-in-driver';
import { wxPlatform } from '../bindings/wx-platform';
import { mediaRecovery, type MediaRecoveryOptions } from '../operators/media-recovery';
import { frozenPlayerWatchdog, type FrozenPlayerWatchdogOptions } from '../operators/frozen-player-watchdog';
import { reportStats, type ReportStatsOptions } from '../operators/report-stats';
import type { HeartbeatOptions } from '../operators/heartbeat';
import type { ReconnectOptions } from '../operators/reconnect';
import type { Driver } from './command';
import { openRoomClient } from './client/room-client';
import type { RtcClient } from './client/types';

export { createRoomClient, inspectClient } from './client/room-client';
export type {
  ClientInternals,
  JoinOptions,
  MuteOptions,
  PublishOptions,
  RoomClientOptions,
  RtcClient,
  SubscribeOptions,
} from './client/types';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Signaling server URL for the built-in driver (`wss://…`). */
  readonly url?: string;
  /** The platform for the built-in driver. Default: `wxPlatform()`. */
  readonly platform?: Platform;
  /** A driver to use instead of the built-in one (vendor drivers). */
  readonly driver?: Driver;
  /** Scheduler for every timer. Default `asyncScheduler`; pass a TestScheduler in tests. */
  readonly scheduler?: SchedulerLike;
  /** Ms to wait for each answer from the server. Default 10,000. */
  readonly requestTimeout?: number;
  /**
   * How lost connections are retried (built-in driver): reconnect options, or `false` for none.
   * Default: the default policy (0, 300, 1200, 2700, 4800, then ~7 s, for up to 60 s), waiting
   * while offline and trying at once when the network or the app comes back.
   */
  readonly reconnect?: Omit<ReconnectOptions, 'report'> | false;
  /** Dead-connection detection (built-in driver), or `false` for none. Default: the server's settings. */
  readonly heartbeat?: Omit<HeartbeatOptions, 'check$'> | false;
  /**
   * Carry out the remedies native components ask for (restart push/play, publish or subscribe
   * again), with backoff; or `false`. Default on.
   */
  readonly mediaRecovery?: Omit<MediaRecoveryOptions, 'pusherContext' | 'playerContext' | 'wake$'> | false;
  /**
   * Restart, then resubscribe, a subscribed player that shows no video while its stream is live
   * and unmuted (docs/lifecycle-recovery.md); or `false`. Default on; paused while the app is hidden.
   */
  readonly frozenPlayerWatchdog?: Omit<FrozenPlayerWatchdogOptions, 'playerContext' | 'hidden$'> | false;
  /** Send sampled pusher/player state and net status to the server; or `false`. Default on. */
  readonly reportStats?: ReportStatsOptions | false;
}

/**
 * Creates a room client: with `url`, over the built-in driver and the wx platform; with
 * `driver`, over that driver. Media recovery, the frozen-player watchdog and stats reporting run
 * unless turned off.
 *
 * @example
 * ```ts
 * import { createClient, selectRemoteUserIds } from 'rxroom'
 *
 * const client = createClient({ url: 'wss://rtc.example.com' }) // wx platform by default
 * client.join({ token, roomId: 'r1', userId: 'alice' }).subscribe()
 * client.room$.subscribe((room) => page.setData({ peers: selectRemoteUserIds(room) }))
 * // onUnload:
 * client.destroy()
 * ```
 */
export function createClient(options: ClientOptions): RtcClient {
  const scheduler = options.scheduler ?? asyncScheduler;
  let driver: Driver;
  let platform: Platform | undefined = options.platform;
  if (options.driver) {
    driver = options.driver;
  } else {
    if (!options.url) throw new RtcError('INVALID_ARGUMENT', 'createClient needs `url` (or a `driver`)');
    platform ??= wxPlatform();
    driver = builtInDriver({
      url: options.url,
      scheduler,
      platform,
      ...(options.requestTimeout !== undefined ? { requestTimeout: options.requestTimeout } : {}),
      ...(options.reconnect !== undefined ? { reconnect: options.reconnect } : {}),
      ...(options.heartbeat !== undefined ? { heartbeat: options.heartbeat } : {}),
    });
  }
  const { client, dispatch, contexts, background } = openRoomClient({
    driver,
    ...(platform ? { platform } : {}),
  });
  if (options.mediaRecovery !== false) {
    background.add(
      mediaRecovery(
        client,
        {
          ...options.mediaRecovery,
          pusherContext: contexts.pusher,
          playerContext: contexts.player,
          ...(platform ? { wake$: appShow$(platform) } : {}),
        },
        scheduler,
      ).subscribe(dispatch),
    );
  }
  if (options.frozenPlayerWatchdog !== false) {
    background.add(
      frozenPlayerWatchdog(
        client,
        {
          ...options.frozenPlayerWatchdog,
          playerContext: contexts.player,
          ...(platform
            ? {
                hidden$: merge(
                  appHide$(platform).pipe(map(() => true)),
                  appShow$(platform).pipe(map(() => false)),
                ),
              }
            : {}),
        },
        scheduler,
      ).subscribe(dispatch),
    );
  }
  if (options.reportStats !== false) {
    background.add(reportStats(client, options.reportStats || {}, scheduler).subscribe());
  }
  return client;
}
