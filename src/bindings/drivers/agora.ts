/**
 * Agora's mini program SDK (`agora-miniapp-sdk`, not on npm) as an rxroom driver. The SDK is
 * injected, so the page ships whichever build the app has. Two contracts, chosen explicitly:
 * `callback` (default) is the vendor document's (seed 002, "Class Client"); `promise` is the newer
 * 2.6.x SDK's (not in the seeds; see docs/drivers.md).
 *
 * Agora has no peer presence events: a peer is seen while it publishes (`stream-added` brings it,
 * `stream-removed` takes it away). It has no automatic reconnection either: the driver kit
 * rejoins with documented calls only (destroy, new client, init, setRole, join, publish again),
 * paced by rxroom's `reconnect` operator and policy.
 */
import { concat, concatMap, EMPTY, last, map, Observable, of, throwError } from 'rxjs';
import { RtcError } from '../../errors';
import type { StreamDescriptor, Subscription } from '../../streams/model';
import { fromCallbacks, fromVendorPromise } from './kit/vendor-calls';
import {
  createVendorDriver,
  type CommandHandlers,
  type VendorDriverOptions,
  type VendorSession,
} from './kit/vendor-driver';
import { vendorError } from './kit/vendor-errors';
import type { CommandOf, Driver } from '../../streams/command';
import { selectPeer, selectStream } from '../../streams/selectors';
import type { NativeEvent } from '../native/decode';

/**
 * The failure value of Agora's callbacks and `error` events (seed 002: `err: {code, reason}`).
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

/** A user id as Agora sends it: a uint32, or a string with the promise contract's `uidType` 1. */
type AgoraUid = number | string;

type Ok<T = void> = (value: T) => void;
type Fail = (err: AgoraError) => void;

/**
 * The `target` of Agora's mute calls (seed 002 "mute", "muteLocal").
 *
 * @example
 * ```ts
 * const target: AgoraTarget = 'all'
 * ```
 */
export type AgoraTarget = 'audio' | 'video' | 'all';

/**
 * Agora's `Client` in the **callback contract of the vendor document** (seed 002, "Class Client"):
 * every method is `(…, onSuccess, onFailure): void`. The default contract of {@link agoraDriver}.
 *
 * @example
 * ```ts
 * const { Client } = require('./lib/agora-miniapp-sdk') // the app's copy
 * const client: AgoraCallbackClient = new Client()
 * ```
 */
export interface AgoraCallbackClient {
  init(appId: string, onSuccess: Ok, onFailure: Fail): unknown;
  setRole(role: 'broadcaster' | 'audience', onSuccess: Ok, onFailure: Fail): unknown;
  join(
    token: string | undefined,
    channel: string,
    uid: number,
    onSuccess: Ok<AgoraUid>,
    onFailure: Fail,
  ): unknown;
  leave(onSuccess: Ok, onFailure: Fail): unknown;
  destroy(onSuccess: Ok, onFailure: Fail): unknown;
  publish(onSuccess: Ok<string>, onFailure: Fail): unknown;
  unpublish(onSuccess: Ok, onFailure: Fail): unknown;
  subscribe(uid: number, onSuccess: Ok<string>, onFailure: Fail): unknown;
  unsubscribe(uid: number, onSuccess: Ok, onFailure: Fail): unknown;
  mute(uid: number, target: AgoraTarget, onSuccess: Ok, onFailure: Fail): unknown;
  unmute(uid: number, target: AgoraTarget, onSuccess: Ok, onFailure: Fail): unknown;
  muteLocal(target: AgoraTarget, onSuccess: Ok, onFailure: Fail): unknown;
  unmuteLocal(target: AgoraTarget, onSuccess: Ok, onFailure: Fail): unknown;
  on(event: string, callback: (payload?: AgoraEventPayload) => void): unknown;
}

/**
 * Agora's `Client` in the **newer promise contract** (not in the vendor documents rxroom has: the
 * 2.6.x mini program SDK): `join(token, channel, uid, isAudioOnly, uidType)`,
 * `subscribe(uid, options)` → `{url, rotation}`, every method returning a Promise. Chosen with
 * `agoraDriver({ contract: 'promise' })`.
 *
 * @example
 * ```ts
 * const client: AgoraPromiseClient = new AgoraMiniappSDK.Client()
 * ```
 */
export interface AgoraPromiseClient {
  init(appId: string): Promise<unknown>;
  setRole(role: 'broadcaster' | 'audience'): Promise<unknown>;
  join(
    token: string | undefined,
    channel: string,
    uid: AgoraUid,
    isAudioOnly: boolean,
    uidType: 0 | 1,
  ): Promise<unknown>;
  leave(): Promise<unknown>;
  destroy(): Promise<unknown>;
  publish(): Promise<string>;
  unpublish(): Promise<unknown>;
  subscribe(
    uid: AgoraUid,
    options: { audio: boolean; video: boolean },
  ): Promise<{ url: string; rotation?: number }>;
  unsubscribe(uid: AgoraUid): Promise<unknown>;
  mute(uid: AgoraUid, target: AgoraTarget): Promise<unknown>;
  unmute(uid: AgoraUid, target: AgoraTarget): Promise<unknown>;
  muteLocal(target: AgoraTarget): Promise<unknown>;
  unmuteLocal(target: AgoraTarget): Promise<unknown>;
  setRemoteVideoStreamType(uid: AgoraUid, streamType: 0 | 1): Promise<unknown>;
  /** Replaces the token of the joined channel before it expires. */
  renewToken(token: string): Promise<unknown>;
  on(event: string, callback: (payload?: AgoraEventPayload) => void): unknown;
  updatePusherStateChange(e: { detail: { code: number; message?: string } }): unknown;
  updatePusherNetStatus(e: { detail: { info: object } }): unknown;
  updatePlayerStateChange(uid: AgoraUid, e: { detail: { code: number; message?: string } }): unknown;
  updatePlayerNetStatus(uid: AgoraUid, e: { detail: { info: object } }): unknown;
}

/**
 * What Agora's events carry (`stream-added {uid}` per seed 002 "on"; `update-url {uid, url}`,
 * `error {code, reason}` … per Agora's event list).
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
 * The SDK module: its `Client` class, of the contract the driver is told.
 *
 * @example
 * ```ts
 * const sdk: AgoraSdk = require('./lib/agora-miniapp-sdk')
 * ```
 */
export interface AgoraSdk<C = AgoraCallbackClient | AgoraPromiseClient> {
  readonly Client: new () => C;
}

/**
 * Options of {@link agoraDriver}.
 *
 * @example
 * ```ts
 * const options: AgoraDriverOptions = { sdk: AgoraMiniappSDK, appId: 'your-app-id' }
 * ```
 */
export type AgoraDriverOptions = AgoraCallbackOptions | AgoraPromiseOptions;

interface AgoraCommonOptions extends VendorDriverOptions {
  readonly appId: string;
}

/**
 * The document's callback contract (default).
 *
 * @example
 * ```ts
 * const options: AgoraCallbackOptions = { sdk, appId, contract: 'callback' }
 * ```
 */
export interface AgoraCallbackOptions extends AgoraCommonOptions {
  /** `callback` (default): the SDK follows the vendor document (seed 002). */
  readonly contract?: 'callback';
  readonly sdk: AgoraSdk<AgoraCallbackClient>;
}

/**
 * The newer promise contract, chosen explicitly (never guessed from function arity).
 *
 * @example
 * ```ts
 * const options: AgoraPromiseOptions = { sdk, appId, contract: 'promise', uidType: 'string' }
 * ```
 */
export interface AgoraPromiseOptions extends AgoraCommonOptions {
  readonly contract: 'promise';
  readonly sdk: AgoraSdk<AgoraPromiseClient>;
  /**
   * `number` (default): rxroom user ids are decimal uint32 strings (`'1001'`), sent as numbers;
   * `string`: user ids are sent as string uids (`uidType` 1).
   */
  readonly uidType?: 'number' | 'string';
  /** Join as an audio-only client (`isAudioOnly`). Default false. */
  readonly audioOnly?: boolean;
}

/** One contract's calls as cold Observables, so the driver body is the same for both. */
interface AgoraCalls {
  init(appId: string): Observable<unknown>;
  setRole(role: 'broadcaster' | 'audience'): Observable<unknown>;
  join(token: string, channel: string, uid: AgoraUid): Observable<unknown>;
  leave(): Observable<unknown>;
  destroy(): void;
  publish(): Observable<string>;
  unpublish(): Observable<unknown>;
  /** The play URL. */
  subscribe(uid: AgoraUid, audio: boolean, video: boolean): Observable<string>;
  unsubscribe(uid: AgoraUid): Observable<unknown>;
  muteRemote(uid: AgoraUid, target: AgoraTarget, mute: boolean): Observable<unknown>;
  muteLocal(target: AgoraTarget, mute: boolean): Observable<unknown>;
  /** Promise contract only. */
  small?(uid: AgoraUid): Observable<unknown>;
  /** Promise contract only. */
  renew?(token: string): Observable<unknown>;
  on(event: string, listener: (payload?: AgoraEventPayload) => void): void;
  forward?(event: NativeEvent, uidOfStream: (streamId: string) => AgoraUid): void;
}

/** Agora errors after which its docs say: destroy the client and join again. */
const REJOIN_CODES = new Set([500, 501, 502, 904, 905]);
/** "Normal server exit": the SDK itself ignores it. */
const IGNORED_CODES = new Set([503]);
const MAX_UID = 4_294_967_295;

/** The seed's callback contract as Observables (seed 002, "Class Client"). */
function callbackCalls(client: AgoraCallbackClient, toError: (e: unknown) => RtcError): AgoraCalls {
  const call = <T = void>(invoke: (ok: Ok<T>, fail: Fail) => unknown): Observable<T> =>
    fromCallbacks<T>((ok, fail) => invoke(ok, fail), toError);
  const num = (uid: AgoraUid) => Number(uid);
  return {
    init: (appId) => call((ok, fail) => client.init(appId, ok, fail)),
    setRole: (role) => call((ok, fail) => client.setRole(role, ok, fail)),
    join: (token, channel, uid) =>
      call<AgoraUid>((ok, fail) => client.join(token, channel, num(uid), ok, fail)),
    leave: () => call((ok, fail) => client.leave(ok, fail)),
    destroy: () =>
      client.destroy(
        () => undefined,
        () => undefined,
      ),
    publish: () => call<string>((ok, fail) => client.publish(ok, fail)),
    unpublish: () => call((ok, fail) => client.unpublish(ok, fail)),
    // The document's subscribe has no track options: the unwanted track is muted on receipt.
    subscribe: (uid, audio, video) =>
      call<string>((ok, fail) => client.subscribe(num(uid), ok, fail)).pipe(
        concatMap((url) =>
          !audio || !video
            ? call((ok, fail) =>
                client.mute(num(uid), !audio && !video ? 'all' : !audio ? 'audio' : 'video', ok, fail),
              ).pipe(map(() => url))
            : of(url),
        ),
      ),
    unsubscribe: (uid) => call((ok, fail) => client.unsubscribe(num(uid), ok, fail)),
    muteRemote: (uid, target, mute) =>
      call((ok, fail) =>
        mute ? client.mute(num(uid), target, ok, fail) : client.unmute(num(uid), target, ok, fail),
      ),
    muteLocal: (target, mute) =>
      call((ok, fail) => (mute ? client.muteLocal(target, ok, fail) : client.unmuteLocal(target, ok, fail))),
    on: (event, listener) => void client.on(event, listener),
  };
}

/** The newer promise contract as Observables (Agora's 2.6.x mini program SDK). */
function promiseCalls(
  client: AgoraPromiseClient,
  toError: (e: unknown) => RtcError,
  options: AgoraPromiseOptions,
): AgoraCalls {
  const call = <T>(invoke: () => Promise<T>) => fromVendorPromise(invoke, toError);
  return {
    init: (appId) => call(() => client.init(appId)),
    setRole: (role) => call(() => client.setRole(role)),
    join: (token, channel, uid) =>
      call(() => client.join(token, channel, uid, !!options.audioOnly, options.uidType === 'string' ? 1 : 0)),
    leave: () => call(() => client.leave()),
    destroy: () => void Promise.resolve(client.destroy()).then(undefined, () => undefined),
    publish: () => call(() => client.publish()),
    unpublish: () => call(() => client.unpublish()),
    subscribe: (uid, audio, video) =>
      call(() => client.subscribe(uid, { audio, video })).pipe(map((answer) => answer.url)),
    unsubscribe: (uid) => call(() => client.unsubscribe(uid)),
    muteRemote: (uid, target, mute) =>
      call(() => (mute ? client.mute(uid, target) : client.unmute(uid, target))),
    muteLocal: (target, mute) => call(() => (mute ? client.muteLocal(target) : client.unmuteLocal(target))),
    small: (uid) => call(() => client.setRemoteVideoStreamType(uid, 1)),
    renew: (token) => call(() => client.renewToken(token)),
    on: (event, listener) => void client.on(event, listener),
    forward(event, uidOfStream) {
      const detail = (code: number, message: string | undefined) => ({
        detail: { code, ...(message !== undefined ? { message } : {}) },
      });
      switch (event.type) {
        case 'pusher-state':
          client.updatePusherStateChange(detail(event.code, event.message));
          return;
        case 'pusher-net':
          client.updatePusherNetStatus({ detail: { info: event.info } });
          return;
        case 'player-state':
          if (event.streamId)
            client.updatePlayerStateChange(uidOfStream(event.streamId), detail(event.code, event.message));
          return;
        case 'player-net':
          if (event.streamId)
            client.updatePlayerNetStatus(uidOfStream(event.streamId), { detail: { info: event.info } });
          return;
        default:
          return;
      }
    },
  };
}

/**
 * A driver over Agora's mini program SDK. Pass the SDK module (the app's copy of
 * `agora-miniapp-sdk`) and the app id; use it with `createClient({ driver })`.
 *
 * By default the SDK is called as Agora's mini program document describes it (callbacks,
 * `join(token, channel, uid, onSuccess, onFailure)`, `subscribe(uid, onSuccess, onFailure)`).
 * Newer SDK builds that take `join(token, channel, uid, isAudioOnly, uidType)` and return Promises
 * are used with `contract: 'promise'`; the driver never guesses the contract from the functions.
 *
 * Supports join (broadcaster or audience), leave, publish (main only), subscribe, local and remote
 * mute, and set-role; with the promise contract also the small stream
 * (`setRemoteVideoStreamType`), string uids and the SDK's component forwarders. Reconnection is
 * built from documented calls (destroy, new client, init, setRole, join), driven by rxroom's
 * reconnect policy.
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
  const promise = options.contract === 'promise';
  const stringUids = options.contract === 'promise' && options.uidType === 'string';
  const clients = new WeakMap<VendorSession, AgoraCalls>();
  const toError = (fallback: 'INTERNAL' | 'CONNECT_FAILED') => (err: unknown) =>
    vendorError('agora', err, fallback);
  const makeCalls = (fallback: 'INTERNAL' | 'CONNECT_FAILED'): AgoraCalls =>
    options.contract === 'promise'
      ? promiseCalls(new options.sdk.Client(), toError(fallback), options)
      : callbackCalls(new options.sdk.Client(), toError(fallback));

  const uidOf = (userId: string): AgoraUid => (stringUids ? userId : Number(userId));
  const userIdOf = (uid: AgoraUid | undefined): string | null =>
    uid === undefined || uid === null ? null : String(uid);
  const streamIdOf = (userId: string) => `${userId}:main`;
  const userOfStream = (streamId: string) => streamId.slice(0, streamId.lastIndexOf(':'));

  const clientOf = (session: VendorSession): AgoraCalls => {
    const client = clients.get(session);
    if (!client) throw new RtcError('CONNECTION_LOST', 'no Agora client');
    return client;
  };

  const remoteStream = (userId: string, audioMuted = false, videoMuted = false): StreamDescriptor => ({
    id: streamIdOf(userId),
    userId,
    kind: 'main',
    // Agora does not say which tracks a remote stream has; its mute events tell what is off.
    hasAudio: true,
    hasVideo: true,
    hasSmall: promise,
    audioMuted,
    videoMuted,
  });

  const ownPublication = (session: VendorSession) =>
    session.state.self?.publications[streamIdOf(session.join.userId)];

  /** Agora mutes one target per call; `all` when both bits change the same way. */
  const muteCalls = (
    change: { audio?: boolean | undefined; video?: boolean | undefined },
    current: { audioMuted: boolean; videoMuted: boolean },
    perform: (mute: boolean, target: AgoraTarget) => Observable<unknown>,
  ): Observable<void> => {
    const audio =
      change.audio !== undefined && change.audio !== current.audioMuted ? change.audio : undefined;
    const video =
      change.video !== undefined && change.video !== current.videoMuted ? change.video : undefined;
    if (audio !== undefined && audio === video) return perform(audio, 'all').pipe(map(() => undefined));
    return concat(
      audio !== undefined ? perform(audio, 'audio') : EMPTY,
      video !== undefined ? perform(video, 'video') : EMPTY,
      of(undefined),
    ).pipe(
      last(),
      map(() => undefined),
    );
  };

  const handlers: CommandHandlers = {
    publish: (c, session) => {
      const client = clientOf(session);
      return client.publish().pipe(
        // Agora always pushes what the pusher captures: a track the user did not ask for is muted.
        concatMap((url) =>
          muteCalls(
            { audio: !c.audio, video: !c.video },
            { audioMuted: false, videoMuted: false },
            (mute, target) => client.muteLocal(target, mute),
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
    unpublish: (_c, session) =>
      clientOf(session)
        .unpublish()
        .pipe(map(() => undefined)),
    subscribe: (c, session) => {
      const client = clientOf(session);
      const uid = uidOf(userOfStream(c.streamId));
      return client.subscribe(uid, c.audio, c.video).pipe(
        concatMap((url) => (c.small && client.small ? client.small(uid).pipe(map(() => url)) : of(url))),
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
    unsubscribe: (c, session) =>
      clientOf(session)
        .unsubscribe(uidOf(userOfStream(c.streamId)))
        .pipe(map(() => undefined)),
    'mute-local': (c, session) => {
      const client = clientOf(session);
      const pub = ownPublication(session);
      if (!pub) return throwError(() => new RtcError('NOT_PUBLISHED', `${c.streamId} is not published`));
      const stream = pub.stream;
      return muteCalls(c, stream, (mute, target) => client.muteLocal(target, mute)).pipe(
        map(() => ({
          ...stream,
          audioMuted: c.audio ?? stream.audioMuted,
          videoMuted: c.video ?? stream.videoMuted,
        })),
      );
    },
    'mute-remote': (c, session) => {
      const client = clientOf(session);
      const sub = selectStream(c.streamId)(session.state)?.subscription;
      if (!sub) return throwError(() => new RtcError('NOT_SUBSCRIBED', `${c.streamId} is not subscribed`));
      const uid = uidOf(userOfStream(c.streamId));
      return muteCalls(c, sub, (mute, target) => client.muteRemote(uid, target, mute)).pipe(
        map(() => ({
          ...sub,
          audioMuted: c.audio ?? sub.audioMuted,
          videoMuted: c.video ?? sub.videoMuted,
        })),
      );
    },
    'set-role': (c, session) => {
      const client = clientOf(session);
      // seed 002 setRole: turning audience while publishing invalidates the push URL; stop first.
      const stop = c.role === 'audience' && ownPublication(session) ? client.unpublish() : of(undefined);
      return stop.pipe(
        concatMap(() => client.setRole(c.role)),
        map(() => ({ userId: session.join.userId, role: c.role, visible: true })),
      );
    },
    // The seed's SDK has no renewToken; the 2.6.x one has (docs/drivers.md): else UNSUPPORTED.
    ...(promise
      ? {
          'renew-token': (c: CommandOf<'renew-token'>, session: VendorSession) =>
            clientOf(session).renew!(c.token).pipe(map(() => ({}))),
        }
      : {}),
  };

  return createVendorDriver(
    {
      name: 'agora',
      features: promise ? ['small-stream'] : [],
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
                  promise
                    ? 'agora user ids are uint32 numbers (1–4294967295); use uidType: "string" for others'
                    : 'agora user ids are uint32 numbers (1–4294967295)',
                );
            }
            return null;
          case 'publish':
            if (command.kind !== 'main')
              return new RtcError('UNSUPPORTED', 'agora mini programs publish the camera stream only');
            if (command.small)
              return new RtcError('UNSUPPORTED', 'agora mini programs cannot send a small stream');
            return null;
          case 'subscribe':
            // The document's SDK has no way to ask for the small stream (seed 002 "subscribe").
            return command.small && !promise
              ? new RtcError(
                  'UNSUPPORTED',
                  "agora's documented SDK cannot play the small stream; use contract: 'promise'",
                )
              : null;
          default:
            return null;
        }
      },
      connect: (session) =>
        new Observable((subscriber) => {
          const client = makeCalls('CONNECT_FAILED');
          clients.set(session, client);
          const self = session.join.userId;
          const on = (event: string, listener: (payload: AgoraEventPayload) => void) =>
            client.on(event, (payload) => listener(payload ?? {}));

          on('stream-added', (e) => {
            const userId = userIdOf(e.uid);
            if (!userId || userId === self) return;
            if (!selectPeer(userId)(session.state))
              session.emit({ type: 'peer-joined', peer: { userId, role: 'broadcaster', visible: true } });
            const existing = selectStream(streamIdOf(userId))(session.state);
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
            const stream = userId ? selectStream(streamIdOf(userId))(session.state) : null;
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
          // Agora's warning before the token expires (2.6.x event list): renew now.
          on('token-privilege-will-expire', () => session.emit({ type: 'token-expiring' }));
          on('token-privilege-did-expire', () => subscriber.error(session.kicked('token-expired')));

          // The first join and every rejoin are the same documented steps on a fresh client.
          const steps = client.init(options.appId).pipe(
            concatMap(() => client.setRole(session.self.role)),
            concatMap(() => client.join(session.token, session.join.roomId, uidOf(self))),
          );
          const running = steps.subscribe({
            next: () => subscriber.next({ sessionId: `${self}@${session.join.roomId}#${session.attempt}` }),
            error: (err: unknown) => subscriber.error(err),
          });
          return () => {
            running.unsubscribe();
            clients.delete(session);
            // Every rejoin starts from a destroyed client (Agora's recipe); leave() destroys too.
            try {
              client.destroy();
            } catch {
              // a client that already left may refuse; nothing is left to release
            }
          };
        }),
      leave: (session) => {
        const client = clients.get(session);
        return client ? client.leave() : of(undefined);
      },
      handleNative(event, session) {
        const client = session ? clients.get(session) : undefined;
        // The document's SDK has no component forwarders; the promise contract's has four.
        client?.forward?.(event, (streamId) => uidOf(userOfStream(streamId)));
      },
    },
    options,
  );
}
