/**
 * Volcengine's RTC mini program SDK (`VolcEngineRTC_MiniApp`, 3.x, not on npm) as an rxroom
 * driver, written against the vendor document (seed 001 "Client"): `(…, onSuccess, onFailure)`
 * calls with the documented arguments; the EVENTS carry `{uid, screen, …}` payloads (assumed
 * where the document is silent, see docs/drivers.md). The SDK is injected.
 *
 * On DISCONNECT the vendor's docs say "reconnect here"; the driver kit does it with rxroom's
 * `reconnect` operator and policy: a fresh client joins again and restores what the user had.
 */
import { concat, concatMap, defer, map, Observable, of, throwError } from 'rxjs';
import { RtcError } from '../../errors';
import type { Driver } from '../../streams/command';
import type { Peer, StreamDescriptor, StreamKind } from '../../streams/model';
import { fromCallbacks } from './kit/vendor-calls';
import { selectStream, selectStreamList } from '../../streams/selectors';
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

type Ok<T = void> = (value: T) => void;
type Fail = (err: unknown) => void;

/**
 * The SDK's `Client` as the vendor document gives it (seed 001 "Client", each function's
 * signature): `(…, onSuccess, onFailure)` callbacks. The driver calls nothing else.
 *
 * @example
 * ```ts
 * const { Client } = require('./VolcEngineRTC_MiniApp')
 * const client: VolcengineClientLike = new Client()
 * ```
 */
export interface VolcengineClientLike {
  init(appId: string, onSuccess: Ok, onFailure: Fail): unknown;
  destroy(onSuccess: Ok, onFailure: Fail): unknown;
  /** `(businessId: string) => boolean`; no effect after join. */
  setBusinessId(businessId: string): boolean;
  join(token: string, roomId: string, userId: string, onSuccess: Ok<string>, onFailure: Fail): unknown;
  leave(onSuccess: Ok, onFailure: Fail): unknown;
  /** onSuccess gets the push URL for `<live-pusher url>`. */
  publish(onSuccess: Ok<string>, onFailure: Fail): unknown;
  unpublish(onSuccess: Ok, onFailure: Fail): unknown;
  /** onSuccess gets the play URL for `<live-player src>`. */
  subscribe(
    userId: string,
    options: { audio: boolean; video: boolean; screen: boolean },
    onSuccess: Ok<string>,
    onFailure: Fail,
  ): unknown;
  unsubscribe(userId: string, options: { screen: boolean }, onSuccess: Ok, onFailure: Fail): unknown;
  /** `true` stops sending that track, `false` sends it; both required. */
  muteLocal(options: { audio: boolean; video: boolean }, onSuccess: Ok, onFailure: Fail): unknown;
  /** `true` stops receiving that track of the user's stream, `false` receives it; all required. */
  muteRemote(
    userId: string,
    options: { audio: boolean; video: boolean; screen: boolean },
    onSuccess: Ok,
    onFailure: Fail,
  ): unknown;
  setUserVisibility(enable: boolean, onSuccess: Ok, onFailure: Fail): unknown;
  on(event: string, callback: (payload?: VolcengineEventPayload) => void): unknown;
  off(event: string, callback: (payload?: VolcengineEventPayload) => void): unknown;
  reportPusherStateChange(code: number, message: string): unknown;
  reportPusherNetStatusChange(info: object): unknown;
  reportPlayerStateChange(uid: string, code: number, message: string): unknown;
  reportPlayerNetStatusChange(uid: string, info: object): unknown;
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
 * Codes for the room limits of the document (seed 001 "join": 20 visible users, 8 publishing).
 * The documents name the limits but not the codes of the refusals: these are assumptions
 * (docs/drivers.md), kept out of the shared code table.
 */
const LIMIT_CODES: Readonly<Record<number, 'ROOM_FULL' | 'PUBLISHER_LIMIT'>> = {
  200005: 'ROOM_FULL',
  200006: 'PUBLISHER_LIMIT',
};
/** seed 001 "join": "一个 RTC 房间最多同时容纳 20 名可见用户，最多 8 人可同时上麦". */
const MAX_PUBLISHERS = 8;

/**
 * A driver over Volcengine's RTC mini program SDK. Pass the SDK module (the app's copy of
 * `VolcEngineRTC_MiniApp`) and the app id; use it with `createClient({ driver })`.
 *
 * Every SDK call is the document's (seed 001 "Client"): callbacks, both mute booleans, the
 * subscribe options. Supports join (visible or invisible, with a business id), leave, publish and
 * subscribe (main and screen streams of others), local and remote mute and visibility. Every
 * `<live-pusher>` / `<live-player>` state and net-status event given to `client.dispatchNative`
 * goes to the matching `report*` method at once, with the documented arguments. Room attributes,
 * roles and messages are not in the SDK: the client answers `UNSUPPORTED`.
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
  const call = <T = void>(
    invoke: (ok: Ok<T>, fail: Fail) => unknown,
    fallback: 'INTERNAL' | 'CONNECT_FAILED' = 'INTERNAL',
  ) => fromCallbacks<T>(invoke, (e) => vendorError('volcengine', e, fallback, LIMIT_CODES));

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
  const selfPeer = (session: VendorSession, change: Partial<Pick<Peer, 'visible'>>): Peer => {
    const businessId = session.self.businessId;
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
      const publishers = new Set(selectStreamList(session.state).map((s) => s.userId));
      if (publishers.size >= MAX_PUBLISHERS)
        return throwError(
          () => new RtcError('PUBLISHER_LIMIT', `volcengine rooms have at most ${MAX_PUBLISHERS} publishers`),
        );
      return call<string>((ok, fail) => client.publish(ok, fail)).pipe(
        // The pusher captures both tracks; a track the user did not ask for is muted for others.
        concatMap((url) =>
          !c.audio || !c.video
            ? call((ok, fail) => client.muteLocal({ audio: !c.audio, video: !c.video }, ok, fail)).pipe(
                map(() => url),
              )
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
      return call((ok, fail) => client.unpublish(ok, fail));
    },
    subscribe: (c, session) => {
      const client = clientOf(session);
      const { userId, kind } = split(c.streamId);
      const screen = kind === 'screen';
      return call<string>((ok, fail) =>
        client.subscribe(userId, { audio: c.audio, video: c.video, screen }, ok, fail),
      ).pipe(
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
      return call((ok, fail) => client.unsubscribe(userId, { screen: kind === 'screen' }, ok, fail));
    },
    'mute-local': (c, session) => {
      const client = clientOf(session);
      const stream = session.state.self?.publications[c.streamId]?.stream;
      if (!stream) throw new RtcError('NOT_PUBLISHED', `${c.streamId} is not published`);
      // seed 001 muteLocal: both booleans, every time.
      const next = { audio: c.audio ?? stream.audioMuted, video: c.video ?? stream.videoMuted };
      return call((ok, fail) => client.muteLocal(next, ok, fail)).pipe(
        map((): StreamDescriptor => ({ ...stream, audioMuted: next.audio, videoMuted: next.video })),
      );
    },
    'mute-remote': (c, session) => {
      const client = clientOf(session);
      const sub = selectStream(c.streamId)(session.state)?.subscription;
      if (!sub) throw new RtcError('NOT_SUBSCRIBED', `${c.streamId} is not subscribed`);
      const { userId, kind } = split(c.streamId);
      // seed 001 muteRemote: audio, video and screen, every time.
      const next = {
        audio: c.audio ?? sub.audioMuted,
        video: c.video ?? sub.videoMuted,
        screen: kind === 'screen',
      };
      return call((ok, fail) => client.muteRemote(userId, next, ok, fail)).pipe(
        map(() => ({ ...sub, audioMuted: next.audio, videoMuted: next.video })),
      );
    },
    'set-visibility': (c, session) => {
      const client = clientOf(session);
      return call((ok, fail) => client.setUserVisibility(c.visible, ok, fail)).pipe(
        map(() => selfPeer(session, { visible: c.visible })),
      );
    },
    // seed 001 setBusinessId: "join 之后调用该方法无效" — it has no effect after join, so it is
    // never called then; the business id is set with join({ businessId }).
    'set-business-id': () =>
      throwError(
        () =>
          new RtcError(
            'INVALID_STATE',
            'volcengine ignores setBusinessId after join; pass businessId to join instead',
          ),
      ),
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
            const stream = selectStream(streamIdOf(e))(session.state);
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
          const businessId = session.self.businessId;
          const steps = concat(
            call((ok, fail) => client.init(options.appId, ok, fail), 'CONNECT_FAILED'),
            session.self.visible
              ? of(undefined)
              : call((ok, fail) => client.setUserVisibility(false, ok, fail)),
            // seed 001 setBusinessId: before join, answered at once with a boolean.
            defer(() =>
              !businessId || client.setBusinessId(businessId)
                ? of(undefined)
                : throwError(
                    () => new RtcError('INVALID_ARGUMENT', `volcengine refused business id ${businessId}`),
                  ),
            ),
            call<string>(
              (ok, fail) => client.join(session.token, join.roomId, join.userId, ok, fail),
              'CONNECT_FAILED',
            ).pipe(map(() => 'joined' as const)),
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
              client.destroy(
                () => undefined,
                () => undefined,
              );
            } catch {
              // a client that cannot be destroyed has nothing left to release
            }
          };
        }),
      leave: (session) => {
        const client = clients.get(session);
        return client ? call((ok, fail) => client.leave(ok, fail)) : of(undefined);
      },
      // seed 000/001: every live-pusher / live-player bindstatechange and bindnetstatus goes to
      // its report* method, unsampled, with the documented arguments.
      handleNative(event, session) {
        const client = session ? clients.get(session) : undefined;
        if (!client) return;
        switch (event.type) {
          case 'pusher-state':
            client.reportPusherStateChange(event.code, event.message ?? '');
            return;
          case 'pusher-net':
            client.reportPusherNetStatusChange(event.info);
            return;
          case 'player-state':
            if (event.streamId)
              client.reportPlayerStateChange(split(event.streamId).userId, event.code, event.message ?? '');
            return;
          case 'player-net':
            if (event.streamId) client.reportPlayerNetStatusChange(split(event.streamId).userId, event.info);
            return;
          default:
            return;
        }
      },
    },
    options,
  );
}
