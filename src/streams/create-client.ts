/**
 * createClient: the room client as most pages want it. It is {@link createRoomClient} (the client
 * core, ./client/) composed with the built-in driver (unless you pass your own), media recovery,
 * the frozen-player watchdog and stats reporting, all on by default. A page that wants only what it uses calls
 * `createRoomClient` instead; see the README.
 */
import { asyncScheduler, map, merge, type Observable, type SchedulerLike } from 'rxjs';
import { RtcError } from '../errors';
import type { Platform } from '../bindings/platform';
import { appHide$, appShow$ } from '../bindings/platform-streams';
import { ensureMediaPermission, type PermissionPrompt } from '../bindings/permissions';
import { builtInDriver } from '../bindings/protocol/built-in-driver';
import { wxPlatform } from '../bindings/wx-platform';
import { muteAll, type BackgroundPolicy } from '../operators/background-policies';
import { backgroundPolicy } from '../operators/background-policy';
import { keepScreenOn } from '../operators/keep-screen-on';
import { mediaPermissionRecovery } from '../operators/media-permission-recovery';
import { mediaRecovery, type MediaRecoveryOptions } from '../operators/media-recovery';
import { frozenPlayerWatchdog, type FrozenPlayerWatchdogOptions } from '../operators/frozen-player-watchdog';
import { reportStats, type ReportStatsOptions } from '../operators/report-stats';
import type { HeartbeatOptions } from '../operators/heartbeat';
import type { ReconnectOptions } from '../operators/reconnect';
import type { Driver } from './command';
import { openRoomClient, type RoomClientHandle } from './client/room-client';
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
  TokenExpiring,
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
  /**
   * Ms to wait for each answer from the server, and for a join in flight when a command is issued
   * during it. Default 10,000.
   */
  readonly requestTimeout?: number;
  /**
   * How lost connections are retried (built-in driver): reconnect options, or `false` for none.
   * Default: the default policy (0, 300, 1200, 2700, 4800, then ~7 s, for up to 60 s), waiting
   * while offline and trying at once when the network or the app comes back.
   */
  readonly reconnect?: Omit<ReconnectOptions, 'report'> | false;
  /**
   * Dead-connection detection (built-in driver), or `false` for none. Default: the server's
   * settings, plus a probe answered within `probeTimeout` (3 s) when the network type changes
   * while online or an audio interruption ends (docs/lifecycle.md).
   */
  readonly heartbeat?: Omit<HeartbeatOptions, 'check$' | 'probe$'> | false;
  /**
   * Carry out the remedies native components ask for (restart push/play, publish or subscribe
   * again), with backoff; or `false`. Default on.
   */
  readonly mediaRecovery?: Omit<MediaRecoveryOptions, 'pusherContext' | 'playerContext' | 'wake$'> | false;
  /**
   * Restart, then resubscribe, a subscribed player that shows no video while its stream is live
   * and unmuted (docs/lifecycle.md); or `false`. Default on; paused while the app is hidden.
   */
  readonly frozenPlayerWatchdog?: Omit<FrozenPlayerWatchdogOptions, 'playerContext' | 'hidden$'> | false;
  /** Send sampled pusher/player state and net status to the server; or `false`. Default on. */
  readonly reportStats?: ReportStatsOptions | false;
  /**
   * Where fresh tokens come from: renews on `token-expiring` and before reconnecting with an
   * expired token. See {@link RoomClientOptions.renewToken}.
   */
  readonly renewToken?: () => Observable<string>;
  /**
   * What this client publishes while the app is hidden (needs a platform): a background policy
   * (`keep`, `muteVideo`, `muteAll`, `leaveAfter(ms)`, combined with `combineBackgroundPolicies`),
   * or `false` for none. Default {@link muteAll}: a hidden app shows and says nothing; what the
   * policy muted is unmuted when the app is shown, what the user muted stays muted. Whatever the
   * policy, closing the mini program (capsule button) stops the push at once and leaves the room.
   * See docs/lifecycle.md.
   */
  readonly background?: BackgroundPolicy | false;
  /** Keep the screen on while in a room, released on leave (`wx.setKeepScreenOn`). Default true. */
  readonly keepScreenOn?: boolean;
  /**
   * When a push fails for want of camera/microphone permission, ask the user
   * (`ensureMediaPermission`) and publish again after the grant; or `false`. With `prompt`, a
   * permission refused before is asked for through `wx.showModal` and the settings page; without,
   * it comes back as a `permission` event `refused` with `PERMISSION_REFUSED` for the page to offer
   * a button (`openMediaSettings()`). Default on where the platform has the permission API (wx).
   */
  readonly mediaPermission?: { readonly prompt?: PermissionPrompt } | false;
}

/** The mini program lifecycle around a client: background policy, permissions, screen. */
function composeLifecycle(
  options: ClientOptions,
  platform: Platform,
  { client, dispatch, contexts, background }: RoomClientHandle,
  scheduler: SchedulerLike,
): void {
  const stopMedia = () => contexts.pusher()?.stop();
  // Page unload (`client.destroy()`) stops the push at once, before the component is torn down.
  background.add(() => {
    if (Object.keys(client.state.self?.publications ?? {}).length > 0) stopMedia();
  });
  if (options.background !== false) {
    background.add(
      backgroundPolicy(
        client,
        options.background ?? muteAll,
        { hide$: appHide$(platform), show$: appShow$(platform), stopMedia },
        scheduler,
      ).subscribe(dispatch),
    );
  }
  const setKeepScreenOn = platform.setKeepScreenOn?.bind(platform);
  if (options.keepScreenOn !== false && setKeepScreenOn) {
    background.add(keepScreenOn(client, { set: setKeepScreenOn, show$: appShow$(platform) }).subscribe());
  }
  const api = platform.permissions;
  if (options.mediaPermission !== false && api) {
    const prompt = options.mediaPermission?.prompt;
    background.add(
      mediaPermissionRecovery(client, {
        ensure: (scopes) =>
          ensureMediaPermission({
            api,
            camera: scopes.includes('scope.camera'),
            microphone: scopes.includes('scope.record'),
            settings: prompt ?? false,
          }),
      }).subscribe(dispatch),
    );
  }
}

/**
 * Creates a room client: with `url`, over the built-in driver and the wx platform; with
 * `driver`, over that driver. Media recovery, the frozen-player watchdog and stats reporting run
 * unless turned off; with a platform, so do the background policy, keep-screen-on and the
 * permission flow (docs/lifecycle.md).
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
    scheduler,
    ...(platform ? { platform } : {}),
    ...(options.renewToken ? { renewToken: options.renewToken } : {}),
    ...(options.requestTimeout !== undefined ? { requestTimeout: options.requestTimeout } : {}),
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
  if (platform) composeLifecycle(options, platform, { client, dispatch, contexts, background }, scheduler);
  return client;
}
