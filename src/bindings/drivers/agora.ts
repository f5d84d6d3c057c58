/**
 * Agora's mini program SDK (`agora-miniapp-sdk`, not on npm; written against the 2.6.x contract)
 * as an rxroom driver. The SDK is injected, so the page ships whichever build the app has.
 *
 * Agora has no peer presence events: a peer is seen while it publishes (`stream-added` brings it,
 * `stream-removed` takes it away). It has no automatic reconnection either; its documented recipe
 * (destroy the client, wait, new client, init, setRole, rejoin with the known uids, publish again)
 * is carried out by the driver kit with rxroom's `reconnect` operator and policy.
 */
import { concat, concatMap, EMPTY, last, map, Observable, of, throwError } from 'rxjs';
import { RtcError } from '../../errors';
import type { StreamDescriptor, Subscription } from '../../streams/model';
import { fromCallbacks } from './kit/vendor-calls';
import {
  createVendorDriver,
  type CommandHandlers,
  type VendorDriverOptions,
  type VendorSession,
} from './kit/vendor-driver';
import { vendorError } from './kit/vendor-errors';
import type { Driver } from '../../streams/command';

/**
 * The failure value of Agora's callbacks and `error` events.
 *
 * @example
 * ```ts
 * const e: AgoraError = { code: 904, reason: 'WebSocket disconnected' }
 * ```
 */
export interface AgoraError {
  readonly code: number;
  readonly reason?: string;
}

/** A user id as Agora sends it: a uint32, or a string with `uidType` 1. */
type AgoraUid = number | string;

/**
 * The part of Agora's `Client` the driver uses (signatures of the 2.6.x mini program SDK).
 *
 * @example
 * ```ts
 * const { Client } = require('./lib/agora-miniapp-sdk') // the app's copy
 * const client: AgoraClientLike = new Client()
 * ```
 */
export interface AgoraClientLike {
  init(appId: string, onSuccess?: () => void, onFailure?: (err: AgoraError) => void): unknown;
  setRole(
    role: 'broadcaster' | 'audience',
    onSuccess?: () => void,
    onFailure?: (err: AgoraError) => void,
  ): unknown;
  join(
    channelKey: string | undefined,
    channel: string,
    uid: AgoraUid,
    isAudioOnly: boolean,
    uidType: 0 | 1,
    onSuccess?: (uid: AgoraUid) => void,
    onFailure?: (err: AgoraError) => void,
  ): unknown;
  rejoin(
    channelKey: string | undefined,
    channel: string,
    uid: AgoraUid,
    uids: readonly AgoraUid[],
    onSuccess?: (uid: AgoraUid) => void,
    onFailure?: (err: AgoraError) => void,
  ): unknown;
  publish(onSuccess?: (url: string) => void, onFailure?: (err: AgoraError) => void): unknown;
  unpublish(onSuccess?: () => void, onFailure?: (err: AgoraError) => void): unknown;
  subscribe(
    uid: AgoraUid,
    options: { audio?: boolean; video?: boolean },
    onSuccess?: (url: string, rotation?: number) => void,
    onFailure?: (err: AgoraError) => void,
  ): unknown;
  unsubscribe(uid: AgoraUid, onSuccess?: () => void, onFailure?: (err: AgoraError) => void): unknown;
  mute(
    uid: AgoraUid,
    target: AgoraTarget,
    onSuccess?: () => void,
    onFailure?: (err: AgoraError) => void,
  ): unknown;
  unmute(
    uid: AgoraUid,
    target: AgoraTarget,
    onSuccess?: () => void,
    onFailure?: (err: AgoraError) => void,
  ): unknown;
  muteLocal(target: AgoraTarget, onSuccess?: () => void, onFailure?: (err: AgoraError) => void): unknown;
  unmuteLocal(target: AgoraTarget, onSuccess?: () => void, onFailure?: (err: AgoraError) => void): unknown;
  setRemoteVideoStreamType(
    uid: AgoraUid,
    streamType: 0 | 1,
    onSuccess?: (url: string) => void,
    onFailure?: (err: AgoraError) => void,
  ): unknown;
  leave(onSuccess?: () => void, onFailure?: (err: AgoraError) => void): unknown;
  destroy(onSuccess?: () => void, onFailure?: (err: AgoraError) => void): unknown;
  on(event: string, callback: (payload?: AgoraEventPayload) => void): unknown;
  updatePusherStateChange(e: { detail: { code: number; message?: string } }): unknown;
  updatePusherNetStatus(e: { detail: { info: object } }): unknown;
  updatePlayerStateChange(uid: AgoraUid, e: { detail: { code: number; message?: string } }): unknown;
  updatePlayerNetStatus(uid: AgoraUid, e: { detail: { info: object } }): unknown;
}

/**
 * The `target` of Agora's mute calls.
 *
 * @example
 * ```ts
 * const target: AgoraTarget = 'all'
 * ```
 */
export type AgoraTarget = 'audio' | 'video' | 'all';

/**
 * What Agora's events carry (`stream-added {uid}`, `update-url {uid, url}`, `error {code, reason}` …).
 *
 * @example
 * ```ts
 * const payload: AgoraEventPayload = { uid: 1001, url: 'rtmp://…' }
 * ```
 */
export interface AgoraEventPayload {
  readonly uid?: AgoraUid;
  readonly url?: string;
  readonly code?: number;
  readonly reason?: string;
  readonly rotation?: number;
}

/**
 * The SDK module: its `Client` class.
 *
 * @example
 * ```ts
 * const sdk: AgoraSdk = require('./lib/agora-miniapp-sdk')
 * ```
 */
export interface AgoraSdk {
  readonly Client: new () => AgoraClientLike;
}

/**
 * Options of {@link agoraDriver}.
 *
 * @example
 * ```ts
 * const options: AgoraDriverOptions = { sdk: AgoraMiniappSDK, appId: 'your-app-id' }
 * ```
 */
export interface AgoraDriverOptions extends VendorDriverOptions {
  readonly sdk: AgoraSdk;
  readonly appId: string;
  /**
   * `number` (default): rxroom user ids are decimal uint32 strings (`'1001'`), sent as numbers;
   * `string`: user ids are sent as string uids (`uidType` 1, SDK 2.6+).
   */
  readonly uidType?: 'number' | 'string';
  /** Join as an audio-only client (`isAudioOnly`). Default false. */
  readonly audioOnly?: boolean;
}

/** Agora errors after which its docs say: destroy the client and rejoin. */
const REJOIN_CODES = new Set([500, 501, 502, 904, 905]);
/** "Normal server exit": the SDK itself ignores it. */
const IGNORED_CODES = new Set([503]);
const MAX_UID = 4_294_967_295;

/**
 * A driver over Agora's mini program SDK. Pass the SDK module (the app's copy of
 * `agora-miniapp-sdk`) and the app id; use it with `createClient({ driver })`.
 *
 * Supports join (broadcaster or audience), leave, publish (main only), subscribe (with the small
 * stream through `setRemoteVideoStreamType`), local and remote mute, and set-role. Reconnection
 * follows Agora's recipe, driven by rxroom's reconnect policy. Component events given to
 * `client.dispatchNative` are forwarded to the SDK's `update*` methods.
 *
 * @example
 * ```ts
 * import * as AgoraMiniappSDK from '../../lib/agora-miniapp-sdk'
 * import { createClient } from 'rxroom'
 * import { agoraDriver } from 'rxroom/drivers/agora'
 *
 * const client = createClient({ driver: agoraDriver({ sdk: AgoraMiniappSDK, appId: APP_ID }) })
 * client.join({ token, roomId: 'class-7', userId: '1001' }).subscribe()
 * ```
 */
export function agoraDriver(options: AgoraDriverOptions): Driver {
  const stringUids = options.uidType === 'string';
  const clients = new WeakMap<VendorSession, AgoraClientLike>();
  const toError = (fallback: 'INTERNAL' | 'CONNECT_FAILED') => (err: unknown) =>
    vendorError('agora', err, fallback);

  const uidOf = (userId: string): AgoraUid => (stringUids ? userId : Number(userId));
  const userIdOf = (uid: AgoraUid | undefined): string | null =>
    uid === undefined || uid === null ? null : String(uid);
  const streamIdOf = (userId: string) => `${userId}:main`;

  const clientOf = (session: VendorSession): AgoraClientLike => {
    const client = clients.get(session);
    if (!client) throw new RtcError('CONNECTION_LOST', 'no Agora client');
    return client;
  };

  /** A call taking (ok, fail) as its last two arguments. */
  const call = <T = void>(
    invoke: (ok: (value: T) => void, fail: (err: unknown) => void) => unknown,
  ): Observable<T> => fromCallbacks<T>(invoke, toError('INTERNAL'));

  const remoteStream = (userId: string, audioMuted = false, videoMuted = false): StreamDescriptor => ({
    id: streamIdOf(userId),
    userId,
    kind: 'main',
    // Agora does not say which tracks a remote stream has; its mute events tell what is off.
    hasAudio: true,
    hasVideo: true,
    hasSmall: false,
    audioMuted,
    videoMuted,
  });

  const ownPublication = (session: VendorSession) =>
    session.state.self?.publications[streamIdOf(session.join.userId)];

  /** Agora mutes one target per call; `all` when both bits change the same way. */
  const muteCalls = (
    change: { audio?: boolean | undefined; video?: boolean | undefined },
    current: { audioMuted: boolean; videoMuted: boolean },
    perform: (mute: boolean, target: AgoraTarget) => Observable<void>,
  ): Observable<void> => {
    const audio =
      change.audio !== undefined && change.audio !== current.audioMuted ? change.audio : undefined;
    const video =
      change.video !== undefined && change.video !== current.videoMuted ? change.video : undefined;
    if (audio !== undefined && audio === video) return perform(audio, 'all');
    return concat(
      audio !== undefined ? perform(audio, 'audio') : EMPTY,
      video !== undefined ? perform(video, 'video') : EMPTY,
      of(undefined),
    ).pipe(last());
  };

  const handlers: CommandHandlers = {
    publish: (c, session) => {
      const client = clientOf(session);
      return call<string>((ok, fail) => client.publish(ok, fail)).pipe(
        // Agora always pushes what the pusher captures: a track the user did not ask for is muted.
        concatMap((url) =>
          muteCalls(
            { audio: !c.audio, video: !c.video },
            { audioMuted: false, videoMuted: false },
            (mute, target) =>
              call<void>((ok, fail) =>
                mute ? client.muteLocal(target, ok, fail) : client.unmuteLocal(target, ok, fail),
              ),
          ).pipe(map(() => url)),
        ),
        map((url) => ({
          url,
          stream: {
            id: streamIdOf(session.join.userId),
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
      return call<void>((ok, fail) => client.unpublish(ok, fail));
    },
    subscribe: (c, session) => {
      const client = clientOf(session);
      const userId = c.streamId.slice(0, c.streamId.lastIndexOf(':'));
      const uid = uidOf(userId);
      return call<string>((ok, fail) =>
        client.subscribe(uid, { audio: c.audio, video: c.video }, (url) => ok(url), fail),
      ).pipe(
        concatMap((url) =>
          c.small
            ? call<string>((ok, fail) => client.setRemoteVideoStreamType(uid, 1, ok, fail)).pipe(
                map((smallUrl) => (typeof smallUrl === 'string' && smallUrl ? smallUrl : url)),
              )
            : of(url),
        ),
        map((url): Subscription => ({
          streamId: c.streamId,
          url,
          audio: c.audio,
          video: c.video,
          small: c.small,
          audioMuted: false,
          videoMuted: false,
        })),
      );
    },
    unsubscribe: (c, session) => {
      const client = clientOf(session);
      const uid = uidOf(c.streamId.slice(0, c.streamId.lastIndexOf(':')));
      return call<void>((ok, fail) => client.unsubscribe(uid, ok, fail));
    },
    'mute-local': (c, session) => {
      const client = clientOf(session);
      const pub = ownPublication(session);
      if (!pub) return throwError(() => new RtcError('NOT_PUBLISHED', `${c.streamId} is not published`));
      const stream = pub.stream;
      return muteCalls(c, stream, (mute, target) =>
        call<void>((ok, fail) =>
          mute ? client.muteLocal(target, ok, fail) : client.unmuteLocal(target, ok, fail),
        ),
      ).pipe(
        map(() => ({
          ...stream,
          audioMuted: c.audio ?? stream.audioMuted,
          videoMuted: c.video ?? stream.videoMuted,
        })),
      );
    },
    'mute-remote': (c, session) => {
      const client = clientOf(session);
      const sub = session.state.streams.get(c.streamId)?.subscription;
      if (!sub) return throwError(() => new RtcError('NOT_SUBSCRIBED', `${c.streamId} is not subscribed`));
      const uid = uidOf(c.streamId.slice(0, c.streamId.lastIndexOf(':')));
      return muteCalls(c, sub, (mute, target) =>
        call<void>((ok, fail) =>
          mute ? client.mute(uid, target, ok, fail) : client.unmute(uid, target, ok, fail),
        ),
      ).pipe(
        map(() => ({
          ...sub,
          audioMuted: c.audio ?? sub.audioMuted,
          videoMuted: c.video ?? sub.videoMuted,
        })),
      );
    },
    'set-role': (c, session) => {
      const client = clientOf(session);
      // Agora's docs: turning audience while publishing invalidates the push URL; stop first.
      const stop =
        c.role === 'audience' && ownPublication(session)
          ? call<void>((ok, fail) => client.unpublish(ok, fail))
          : of(undefined);
      return stop.pipe(
        concatMap(() => call<void>((ok, fail) => client.setRole(c.role, ok, fail))),
        map(() => ({ userId: session.join.userId, role: c.role, visible: true })),
      );
    },
  };

  return createVendorDriver(
    {
      name: 'agora',
      features: ['small-stream'],
      handlers,
      refuse(command) {
        switch (command.type) {
          case 'join':
            if (!command.visible)
              return new RtcError('UNSUPPORTED', 'agora has no invisible users; join as audience instead');
            if (!stringUids) {
              const n = Number(command.userId);
              if (!/^\d{1,10}$/.test(command.userId) || n < 1 || n > MAX_UID)
                return new RtcError(
                  'INVALID_ARGUMENT',
                  'agora user ids are uint32 numbers (1–4294967295); use uidType: "string" for others',
                );
            }
            return null;
          case 'publish':
            if (command.kind !== 'main')
              return new RtcError('UNSUPPORTED', 'agora mini programs publish the camera stream only');
            if (command.small)
              return new RtcError('UNSUPPORTED', 'agora mini programs cannot send a small stream');
            return null;
          default:
            return null;
        }
      },
      connect: (session) =>
        new Observable((subscriber) => {
          const client = new options.sdk.Client();
          clients.set(session, client);
          const self = session.join.userId;
          const uid = uidOf(self);
          const known = () => [...session.state.streams.values()].map((s) => uidOf(s.userId));
          const on = (event: string, listener: (payload: AgoraEventPayload) => void) =>
            client.on(event, (payload) => listener(payload ?? {}));

          on('stream-added', (e) => {
            const userId = userIdOf(e.uid);
            if (!userId || userId === self) return;
            if (!session.state.peers.get(userId))
              session.emit({ type: 'peer-joined', peer: { userId, role: 'broadcaster', visible: true } });
            const existing = session.state.streams.get(streamIdOf(userId));
            session.emit({
              type: 'stream-added',
              stream: remoteStream(userId, existing?.audioMuted, existing?.videoMuted),
            });
          });
          on('stream-removed', (e) => {
            const userId = userIdOf(e.uid);
            if (!userId || userId === self) return;
            session.emit({
              type: 'stream-removed',
              streamId: streamIdOf(userId),
              userId,
              reason: 'unpublished',
            });
            // Agora tells presence only through streams: a peer that stops publishing is gone.
            session.emit({ type: 'peer-left', userId, reason: 'leave' });
          });
          on('update-url', (e) => {
            const userId = userIdOf(e.uid);
            if (!userId || !e.url) return;
            session.emit({
              type: 'url-updated',
              streamId: streamIdOf(userId),
              direction: userId === self ? 'push' : 'play',
              url: e.url,
            });
          });
          const muteBit = (bit: 'audioMuted' | 'videoMuted', value: boolean) => (e: AgoraEventPayload) => {
            const userId = userIdOf(e.uid);
            const stream = userId ? session.state.streams.get(streamIdOf(userId)) : undefined;
            if (!stream) return;
            const { subscription: _subscription, ...descriptor } = stream;
            session.emit({ type: 'stream-updated', stream: { ...descriptor, [bit]: value } });
          };
          on('mute-audio', muteBit('audioMuted', true));
          on('unmute-audio', muteBit('audioMuted', false));
          on('mute-video', muteBit('videoMuted', true));
          on('unmute-video', muteBit('videoMuted', false));
          on('error', (e) => {
            const code = typeof e.code === 'number' ? e.code : undefined;
            if (code !== undefined && IGNORED_CODES.has(code)) return;
            const error = vendorError('agora', e, 'INTERNAL');
            if (code !== undefined && REJOIN_CODES.has(code)) subscriber.error(error);
            else session.emit({ type: 'error', error, source: 'driver' });
          });
          on('client-banned', () => subscriber.error(session.kicked('banned')));
          on('token-privilege-did-expire', () => subscriber.error(session.kicked('token-expired')));

          const enter =
            session.attempt === 0
              ? fromCallbacks<AgoraUid>(
                  (ok, fail) =>
                    client.join(
                      session.join.token,
                      session.join.roomId,
                      uid,
                      !!options.audioOnly,
                      stringUids ? 1 : 0,
                      ok,
                      fail,
                    ),
                  toError('CONNECT_FAILED'),
                )
              : fromCallbacks<AgoraUid>(
                  (ok, fail) =>
                    client.rejoin(session.join.token, session.join.roomId, uid, known(), ok, fail),
                  toError('CONNECT_FAILED'),
                );
          const steps = fromCallbacks<void>(
            (ok, fail) => client.init(options.appId, ok, fail),
            toError('CONNECT_FAILED'),
          ).pipe(
            concatMap(() =>
              fromCallbacks<void>(
                (ok, fail) => client.setRole(session.self.role, ok, fail),
                toError('INTERNAL'),
              ),
            ),
            concatMap(() => enter),
          );
          const running = steps.subscribe({
            next: () => subscriber.next({ sessionId: `${self}@${session.join.roomId}#${session.attempt}` }),
            error: (err: unknown) => subscriber.error(err),
          });
          return () => {
            running.unsubscribe();
            clients.delete(session);
            // Agora's recipe starts every rejoin from a destroyed client; leave() destroys too.
            try {
              client.destroy();
            } catch {
              // a client that already left may refuse; nothing is left to release
            }
          };
        }),
      leave: (session) => {
        const client = clients.get(session);
        return client ? call<void>((ok, fail) => client.leave(ok, fail)) : of(undefined);
      },
      handleNative(event, session) {
        const client = session ? clients.get(session) : undefined;
        if (!client) return;
        const uidOfStream = (streamId: string) => uidOf(streamId.slice(0, streamId.lastIndexOf(':')));
        switch (event.type) {
          case 'pusher-state':
            client.updatePusherStateChange({
              detail: {
                code: event.code,
                ...(event.message !== undefined ? { message: event.message } : {}),
              },
            });
            return;
          case 'pusher-net':
            client.updatePusherNetStatus({ detail: { info: event.info } });
            return;
          case 'player-state':
            client.updatePlayerStateChange(uidOfStream(event.streamId), {
              detail: {
                code: event.code,
                ...(event.message !== undefined ? { message: event.message } : {}),
              },
            });
            return;
          case 'player-net':
            client.updatePlayerNetStatus(uidOfStream(event.streamId), { detail: { info: event.info } });
            return;
          default:
            return;
        }
      },
    },
    options,
  );
}
