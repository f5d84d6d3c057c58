/**
 * Volcengine's RTC mini program SDK (`VolcEngineRTC_MiniApp`, 3.x, not on npm) as an rxroom
 * driver, written against its documented contract: the Client methods return Promises, and the
 * EVENTS carry `{uid, screen, …}` payloads. The SDK is injected.
 *
 * On DISCONNECT the vendor's docs say "reconnect here"; the driver kit does it with rxroom's
 * `reconnect` operator and policy: a fresh client joins again and restores what the user had.
 */
import { concat, concatMap, map, Observable, of } from 'rxjs';
import { RtcError } from '../../errors';
import type { Driver } from '../../streams/command';
import type { Peer, StreamDescriptor, StreamKind } from '../../streams/model';
import { fromVendorPromise } from './kit/vendor-calls';
import {
  createVendorDriver,
  type CommandHandlers,
  type VendorDriverOptions,
  type VendorSession,
} from './kit/vendor-driver';
import { vendorError } from './kit/vendor-errors';

/**
 * What the EVENTS of the SDK carry. `streamPublishState` comes with STREAM_ADDED (3.1.1+), `url`
 * with UPDATE_URL, `reason` with STREAM_FAILED.
 *
 * @example
 * ```ts
 * const e: VolcengineEventPayload = { uid: 'bob', screen: false, streamPublishState: { audio: true, video: true } }
 * ```
 */
export interface VolcengineEventPayload {
  readonly uid?: string;
  readonly screen?: boolean;
  readonly streamPublishState?: { readonly audio?: boolean; readonly video?: boolean };
  readonly url?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly errMsg?: string;
}

/**
 * The event names of the SDK (`require('./VolcEngineRTC_MiniApp').EVENTS`).
 *
 * @example
 * ```ts
 * const { EVENTS } = require('./VolcEngineRTC_MiniApp')
 * const events: VolcengineEvents = EVENTS
 * ```
 */
export interface VolcengineEvents {
  readonly STREAM_ADDED: string;
  readonly STREAM_REMOVED: string;
  readonly UPDATE_URL: string;
  readonly STREAM_FAILED: string;
  readonly MUTE_AUDIO: string;
  readonly UNMUTE_AUDIO: string;
  readonly MUTE_VIDEO: string;
  readonly UNMUTE_VIDEO: string;
  readonly CLIENT_BANNED: string;
  readonly PEER_ONLINE: string;
  readonly PEER_LEAVE: string;
  readonly ERROR: string;
  readonly DISCONNECT: string;
}

/**
 * A component event as the report* methods take it (the `detail` of `bindstatechange` /
 * `bindnetstatus`).
 *
 * @example
 * ```ts
 * const e: VolcengineComponentEvent = { detail: { code: 1002 } }
 * ```
 */
export interface VolcengineComponentEvent {
  readonly detail: { readonly code?: number; readonly message?: string; readonly info?: object };
}

/**
 * The part of the SDK's `Client` the driver uses. Method names and return types are from the
 * vendor's API page; argument order and option shapes where the page is silent are documented in
 * docs/drivers.md as assumptions.
 *
 * @example
 * ```ts
 * const { Client } = require('./VolcEngineRTC_MiniApp')
 * const client: VolcengineClientLike = new Client()
 * ```
 */
export interface VolcengineClientLike {
  init(appId: string): Promise<unknown>;
  destroy(): Promise<unknown>;
  join(token: string, roomId: string, userId: string): Promise<unknown>;
  leave(): Promise<unknown>;
  /** Resolves with the push URL for `<live-pusher url>`. */
  publish(): Promise<string>;
  unpublish(): Promise<unknown>;
  /** The play URL for `<live-player src>` (a string or a Promise of one). */
  subscribe(userId: string, options: { screen: boolean }): Promise<string> | string;
  unsubscribe(userId: string, options: { screen: boolean }): Promise<unknown>;
  /** `true` stops sending that track, `false` sends it again. */
  muteLocal(options: { audio?: boolean; video?: boolean }): Promise<unknown>;
  /** `true` stops receiving that track of the user's stream, `false` receives it again. */
  muteRemote(
    userId: string,
    options: { screen: boolean; audio?: boolean; video?: boolean },
  ): Promise<unknown>;
  setUserVisibility(visible: boolean): Promise<unknown>;
  setBusinessId(businessId: string): Promise<unknown>;
  on(event: string, listener: (payload?: VolcengineEventPayload) => void): unknown;
  off(event: string, listener?: (payload?: VolcengineEventPayload) => void): unknown;
  reportPusherStateChange(event: VolcengineComponentEvent): unknown;
  reportPusherNetStatusChange(event: VolcengineComponentEvent): unknown;
  reportPlayerStateChange(userId: string, event: VolcengineComponentEvent): unknown;
  reportPlayerNetStatusChange(userId: string, event: VolcengineComponentEvent): unknown;
}

/**
 * The SDK module: `Client` and `EVENTS`.
 *
 * @example
 * ```ts
 * const sdk: VolcengineSdk = require('./VolcEngineRTC_MiniApp')
 * ```
 */
export interface VolcengineSdk {
  readonly Client: new () => VolcengineClientLike;
  readonly EVENTS: VolcengineEvents;
}

/**
 * Options of {@link volcengineDriver}.
 *
 * @example
 * ```ts
 * const options: VolcengineDriverOptions = { sdk: VolcEngineRTC, appId: 'your-app-id' }
 * ```
 */
export interface VolcengineDriverOptions extends VendorDriverOptions {
  readonly sdk: VolcengineSdk;
  readonly appId: string;
}

/**
 * A driver over Volcengine's RTC mini program SDK. Pass the SDK module (the app's copy of
 * `VolcEngineRTC_MiniApp`) and the app id; use it with `createClient({ driver })`.
 *
 * Supports join (visible or invisible, with a business id), leave, publish and subscribe (main
 * and screen streams of others), local and remote mute, visibility, business id, and stats
 * reports (the `report*` calls, fed by rxroom's sampled `reportStats`). Room attributes, roles and
 * messages are not in the SDK: the client answers `UNSUPPORTED`.
 *
 * @example
 * ```ts
 * import * as VolcEngineRTC from '../../lib/VolcEngineRTC_MiniApp'
 * import { createClient } from 'rxroom'
 * import { volcengineDriver } from 'rxroom/drivers/volcengine'
 *
 * const client = createClient({ driver: volcengineDriver({ sdk: VolcEngineRTC, appId: APP_ID }) })
 * client.join({ token, roomId: 'room-1', userId: 'alice' }).subscribe()
 * ```
 */
export function volcengineDriver(options: VolcengineDriverOptions): Driver {
  const EVENTS = options.sdk.EVENTS;
  const clients = new WeakMap<VendorSession, VolcengineClientLike>();
  const call = <T>(invoke: () => Promise<T> | T, fallback: 'INTERNAL' | 'CONNECT_FAILED' = 'INTERNAL') =>
    fromVendorPromise(invoke, (e) => vendorError('volcengine', e, fallback));

  const clientOf = (session: VendorSession): VolcengineClientLike => {
    const client = clients.get(session);
    if (!client) throw new RtcError('CONNECTION_LOST', 'no Volcengine client');
    return client;
  };
  const split = (streamId: string): { userId: string; kind: StreamKind } => {
    const at = streamId.lastIndexOf(':');
    return { userId: streamId.slice(0, at), kind: streamId.slice(at + 1) === 'screen' ? 'screen' : 'main' };
  };
  const streamIdOf = (e: VolcengineEventPayload) => `${e.uid ?? ''}:${e.screen ? 'screen' : 'main'}`;
  const selfPeer = (session: VendorSession, change: Partial<Pick<Peer, 'visible' | 'businessId'>>): Peer => {
    const businessId = change.businessId ?? session.self.businessId;
    return {
      userId: session.join.userId,
      role: 'broadcaster',
      visible: change.visible ?? session.self.visible,
      ...(businessId ? { businessId } : {}),
    };
  };

  const handlers: CommandHandlers = {
    publish: (c, session) => {
      const client = clientOf(session);
      return call(() => client.publish()).pipe(
        // The pusher captures both tracks; a track the user did not ask for is muted for others.
        concatMap((url) =>
          !c.audio || !c.video
            ? call(() => client.muteLocal({ audio: !c.audio, video: !c.video })).pipe(map(() => url))
            : of(url),
        ),
        map((url) => ({
          url,
          stream: {
            id: `${session.join.userId}:main`,
            userId: session.join.userId,
            kind: 'main' as const,
            hasAudio: c.audio,
            hasVideo: c.video,
            hasSmall: false,
            audioMuted: false,
            videoMuted: false,
          },
        })),
      );
    },
    unpublish: (_c, session) => {
      const client = clientOf(session);
      return call(() => client.unpublish()).pipe(map(() => undefined));
    },
    subscribe: (c, session) => {
      const client = clientOf(session);
      const { userId, kind } = split(c.streamId);
      const screen = kind === 'screen';
      return call(() => client.subscribe(userId, { screen })).pipe(
        concatMap((url) =>
          !c.audio || !c.video
            ? call(() => client.muteRemote(userId, { screen, audio: !c.audio, video: !c.video })).pipe(
                map(() => url),
              )
            : of(url),
        ),
        map((url) => ({
          streamId: c.streamId,
          url,
          audio: c.audio,
          video: c.video,
          small: false,
          audioMuted: false,
          videoMuted: false,
        })),
      );
    },
    unsubscribe: (c, session) => {
      const client = clientOf(session);
      const { userId, kind } = split(c.streamId);
      return call(() => client.unsubscribe(userId, { screen: kind === 'screen' })).pipe(map(() => undefined));
    },
    'mute-local': (c, session) => {
      const client = clientOf(session);
      const stream = session.state.self?.publications[c.streamId]?.stream;
      if (!stream) throw new RtcError('NOT_PUBLISHED', `${c.streamId} is not published`);
      return call(() =>
        client.muteLocal({
          ...(c.audio !== undefined ? { audio: c.audio } : {}),
          ...(c.video !== undefined ? { video: c.video } : {}),
        }),
      ).pipe(
        map((): StreamDescriptor => ({
          ...stream,
          audioMuted: c.audio ?? stream.audioMuted,
          videoMuted: c.video ?? stream.videoMuted,
        })),
      );
    },
    'mute-remote': (c, session) => {
      const client = clientOf(session);
      const sub = session.state.streams.get(c.streamId)?.subscription;
      if (!sub) throw new RtcError('NOT_SUBSCRIBED', `${c.streamId} is not subscribed`);
      const { userId, kind } = split(c.streamId);
      return call(() =>
        client.muteRemote(userId, {
          screen: kind === 'screen',
          ...(c.audio !== undefined ? { audio: c.audio } : {}),
          ...(c.video !== undefined ? { video: c.video } : {}),
        }),
      ).pipe(
        map(() => ({ ...sub, audioMuted: c.audio ?? sub.audioMuted, videoMuted: c.video ?? sub.videoMuted })),
      );
    },
    'set-visibility': (c, session) => {
      const client = clientOf(session);
      return call(() => client.setUserVisibility(c.visible)).pipe(
        map(() => selfPeer(session, { visible: c.visible })),
      );
    },
    'set-business-id': (c, session) => {
      const client = clientOf(session);
      return call(() => client.setBusinessId(c.businessId)).pipe(
        map(() => selfPeer(session, { businessId: c.businessId })),
      );
    },
    report: (c, session) => {
      const client = clientOf(session);
      const r = c.report;
      return call(() => {
        switch (r.kind) {
          case 'pusher-state':
            return client.reportPusherStateChange({
              detail: { code: r.code, ...(r.message ? { message: r.message } : {}) },
            });
          case 'pusher-net':
            return client.reportPusherNetStatusChange({ detail: { info: r.info } });
          case 'player-state':
            return client.reportPlayerStateChange(split(r.streamId).userId, {
              detail: { code: r.code, ...(r.message ? { message: r.message } : {}) },
            });
          case 'player-net':
            return client.reportPlayerNetStatusChange(split(r.streamId).userId, { detail: { info: r.info } });
        }
      }).pipe(map(() => undefined));
    },
  };

  return createVendorDriver(
    {
      name: 'volcengine',
      features: ['invisible'],
      handlers,
      refuse(command) {
        switch (command.type) {
          case 'join':
            return command.role === 'audience'
              ? new RtcError(
                  'UNSUPPORTED',
                  'volcengine has no roles; join invisible (visible: false) to watch',
                )
              : null;
          case 'publish':
            if (command.kind !== 'main')
              return new RtcError(
                'UNSUPPORTED',
                'the volcengine mini program SDK publishes the camera stream only',
              );
            return command.small
              ? new RtcError('UNSUPPORTED', 'the volcengine mini program SDK has no small stream')
              : null;
          case 'subscribe':
            return command.small
              ? new RtcError('UNSUPPORTED', 'the volcengine mini program SDK has no small stream')
              : null;
          default:
            return null;
        }
      },
      connect: (session) =>
        new Observable((subscriber) => {
          const client = new options.sdk.Client();
          clients.set(session, client);
          const self = session.join.userId;
          const listeners: [string, (payload?: VolcengineEventPayload) => void][] = [];
          const on = (event: string, listener: (payload: VolcengineEventPayload) => void) => {
            const wrapped = (payload?: VolcengineEventPayload) => listener(payload ?? {});
            listeners.push([event, wrapped]);
            client.on(event, wrapped);
          };
          const remote = (e: VolcengineEventPayload) => !!e.uid && e.uid !== self;
          const known = (e: VolcengineEventPayload) => {
            const stream = session.state.streams.get(streamIdOf(e));
            if (!stream) return undefined;
            const { subscription: _subscription, ...descriptor } = stream;
            return descriptor;
          };

          on(EVENTS.PEER_ONLINE, (e) => {
            if (remote(e))
              session.emit({
                type: 'peer-joined',
                peer: { userId: e.uid!, role: 'broadcaster', visible: true },
              });
          });
          on(EVENTS.PEER_LEAVE, (e) => {
            if (remote(e)) session.emit({ type: 'peer-left', userId: e.uid!, reason: 'leave' });
          });
          on(EVENTS.STREAM_ADDED, (e) => {
            if (!remote(e)) return;
            const state = e.streamPublishState ?? {};
            session.emit({
              type: 'stream-added',
              stream: {
                id: streamIdOf(e),
                userId: e.uid!,
                kind: e.screen ? 'screen' : 'main',
                hasAudio: !e.screen,
                hasVideo: true,
                hasSmall: false,
                audioMuted: state.audio === false,
                videoMuted: state.video === false,
              },
            });
          });
          on(EVENTS.STREAM_REMOVED, (e) => {
            if (remote(e))
              session.emit({
                type: 'stream-removed',
                streamId: streamIdOf(e),
                userId: e.uid!,
                reason: 'unpublished',
              });
          });
          const muteBit =
            (bit: 'audioMuted' | 'videoMuted', value: boolean) => (e: VolcengineEventPayload) => {
              const stream = remote(e) ? known(e) : undefined;
              if (stream) session.emit({ type: 'stream-updated', stream: { ...stream, [bit]: value } });
            };
          on(EVENTS.MUTE_AUDIO, muteBit('audioMuted', true));
          on(EVENTS.UNMUTE_AUDIO, muteBit('audioMuted', false));
          on(EVENTS.MUTE_VIDEO, muteBit('videoMuted', true));
          on(EVENTS.UNMUTE_VIDEO, muteBit('videoMuted', false));
          on(EVENTS.UPDATE_URL, (e) => {
            if (!e.uid || !e.url) return;
            session.emit({
              type: 'url-updated',
              streamId: streamIdOf(e),
              direction: e.uid === self ? 'push' : 'play',
              url: e.url,
            });
          });
          on(EVENTS.STREAM_FAILED, (e) => {
            if (!e.uid) return;
            session.emit({
              type: 'stream-failed',
              streamId: streamIdOf(e),
              direction: e.uid === self ? 'push' : 'play',
              reason: e.reason ?? 'stream failed',
            });
          });
          on(EVENTS.CLIENT_BANNED, (e) => subscriber.error(session.kicked('kicked', e.reason)));
          on(EVENTS.ERROR, (e) =>
            session.emit({
              type: 'error',
              error: vendorError('volcengine', e, 'CONNECTION_LOST'),
              source: 'connection',
            }),
          );
          on(EVENTS.DISCONNECT, (e) =>
            subscriber.error(
              new RtcError('CONNECTION_LOST', `volcengine disconnected${e.reason ? `: ${e.reason}` : ''}`),
            ),
          );

          const { join } = session;
          const steps = concat(
            call(() => client.init(options.appId), 'CONNECT_FAILED'),
            session.self.visible ? of(undefined) : call(() => client.setUserVisibility(false)),
            session.self.businessId
              ? call(() => client.setBusinessId(session.self.businessId!))
              : of(undefined),
            call(() => client.join(join.token, join.roomId, join.userId), 'CONNECT_FAILED').pipe(
              map(() => 'joined' as const),
            ),
          );
          const running = steps.subscribe({
            next: (step) => {
              if (step === 'joined')
                subscriber.next({ sessionId: `${self}@${join.roomId}#${session.attempt}` });
            },
            error: (err: unknown) => subscriber.error(err),
          });
          return () => {
            running.unsubscribe();
            for (const [event, listener] of listeners) client.off(event, listener);
            clients.delete(session);
            // A rejoin starts from a fresh client; destroy() also leaves if still in the room.
            try {
              Promise.resolve(client.destroy()).then(undefined, () => undefined);
            } catch {
              // a client that cannot be destroyed has nothing left to release
            }
          };
        }),
      leave: (session) => {
        const client = clients.get(session);
        return client ? call(() => client.leave()) : of(undefined);
      },
    },
    options,
  );
}
