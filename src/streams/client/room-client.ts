/**
 * createRoomClient: the room client with nothing but the driver it is given. It folds the
 * driver's RoomEvents into RoomState and exposes both as hot streams (ARCHITECTURE.md decisions
 * 1–3); pages subscribing and unsubscribing never open or close anything. It imports no driver,
 * no platform and no operator, so a page that brings a vendor driver bundles none of those;
 * `createClient` (../create-client.ts) composes it with the built-in driver, media recovery and
 * stats reporting.
 */
import {
  BehaviorSubject,
  distinctUntilChanged,
  filter,
  map,
  Observable,
  shareReplay,
  Subject,
  Subscription as RxSubscription,
} from 'rxjs';
import { RtcError, asRtcError } from '../../errors';
import { initialRoomState, type RoomState } from '../model';
import type { NetStatusMap, VolumeMap } from '../media-levels';
import type { RoomEvent } from '../room-event';
import type { MediaSymptom } from '../command';
import { PersistentMap } from '../persistent-map';
import {
  deepEqual,
  selectAttributes,
  selectConnection,
  selectLocalStream,
  selectPeers,
  selectRemoteStreams,
} from '../selectors';
import { commandMethods } from './commands';
import { contextRegistry, type MediaContexts } from './contexts';
import { createDispatch } from './dispatch';
import { renewOnExpiring } from '../../bindings/token-renewal';
import { mediaMembers } from './media';
import type { ClientInternals, RoomClientOptions, RtcClient, TokenExpiring } from './types';

const internals = new WeakMap<RtcClient, () => ClientInternals>();

/** What a driver that declares no self-recovered symptom recovers. */
const NO_SYMPTOMS: ReadonlySet<MediaSymptom> = new Set();

/** Internal: the live internals of a client (tests and debugging; not part of the public API). */
export function inspectClient(client: RtcClient): ClientInternals {
  const read = internals.get(client);
  if (!read) throw new TypeError('not an rxroom client');
  return read();
}

/** Internal: a client with the hooks that extensions composed around it need. */
export interface RoomClientHandle {
  readonly client: RtcClient;
  /** Feeds an event into the client's state and `events$` (e.g. media-recovery events). */
  readonly dispatch: (event: RoomEvent) => void;
  /** The native contexts registered with the client. */
  readonly contexts: MediaContexts;
  /** Runs for the client's lifetime; unsubscribed first thing on `destroy()`. */
  readonly background: RxSubscription;
}

/** Internal: builds a client and hands back its hooks (see {@link createRoomClient}). */
export function openRoomClient(options: RoomClientOptions): RoomClientHandle {
  const driver = options.driver;
  if (!driver) throw new RtcError('INVALID_ARGUMENT', 'createRoomClient needs a `driver`');
  const state = new BehaviorSubject<RoomState>(initialRoomState);
  const events = new Subject<RoomEvent>();
  const volume = new BehaviorSubject<VolumeMap>(PersistentMap.empty());
  const netStatus = new BehaviorSubject<NetStatusMap>(PersistentMap.empty());
  const dispatch = createDispatch({ state, events, volume, netStatus });
  const contexts = contextRegistry(options.platform);
  const background = new RxSubscription();
  let destroyed = false;
  const driverSubscription: RxSubscription = driver.events$.subscribe({
    next: dispatch,
    error: (err: unknown) => dispatch({ type: 'error', error: asRtcError(err), source: 'driver' }),
  });

  const select = <T>(
    selector: (s: RoomState) => T,
    same: (a: T, b: T) => boolean = deepEqual,
  ): Observable<T> =>
    state.pipe(map(selector), distinctUntilChanged<T>(same), shareReplay({ bufferSize: 1, refCount: true }));
  /**
   * The reducer gives a slice a new identity only when it changed, so the built-in slices compare
   * by reference: O(1) per event however large the room.
   */
  const slice = <T>(selector: (s: RoomState) => T): Observable<T> => select(selector, Object.is);

  const localStream$ = select(selectLocalStream, Object.is);
  const media = mediaMembers({
    driver,
    state$: state,
    localStream$,
    events$: events,
    contexts,
    destroyed: () => destroyed,
  });

  const client: RtcClient = {
    room$: state.asObservable(),
    peers$: slice(selectPeers),
    remoteStreams$: slice(selectRemoteStreams),
    localStream$,
    connection$: select(selectConnection),
    attributes$: select(selectAttributes),
    events$: events.asObservable(),
    errors$: new Observable<RtcError>((subscriber) =>
      events.subscribe({
        next: (e) => {
          if (e.type === 'error') subscriber.next(e.error);
        },
        complete: () => subscriber.complete(),
      }),
    ),
    tokenExpiring$: events.pipe(
      filter((e): e is Extract<RoomEvent, { type: 'token-expiring' }> => e.type === 'token-expiring'),
      map((e): TokenExpiring => (e.expiresAt === undefined ? {} : { expiresAt: e.expiresAt })),
    ),
    volume$: volume.asObservable(),
    netStatus$: netStatus.asObservable(),
    get state() {
      return state.value;
    },
    registerPusherContext: (context) => contexts.registerPusher(context),
    registerPlayerContext: (streamId, context) => contexts.registerPlayer(streamId, context),
    dispatchNative(event) {
      if (destroyed) return;
      dispatch({ type: 'native', event });
      try {
        driver.handleNative?.(event);
      } catch (e) {
        dispatch({
          type: 'error',
          error:
            e instanceof RtcError
              ? e
              : new RtcError('INTERNAL', `driver failed on a native event: ${String(e)}`),
          source: 'driver',
        });
      }
    },
    driverName: driver.name,
    driverRecovers: driver.recovers ?? NO_SYMPTOMS,
    select: (selector) => select(selector),
    ...commandMethods({
      driver,
      state: () => state.value,
      destroyed: () => destroyed,
      fetchToken: options.renewToken,
      ...(options.requestTimeout !== undefined ? { requestTimeout: options.requestTimeout } : {}),
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    }),
    ...media.members,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      background.unsubscribe();
      contexts.clear();
      driver.destroy();
      driverSubscription.unsubscribe();
      dispatch({ type: 'left', reason: 'destroyed' });
      media.complete();
      events.complete();
      state.complete();
      volume.complete();
      netStatus.complete();
    },
  };
  if (options.renewToken && driver.capabilities.has('renew-token')) {
    background.add(
      renewOnExpiring(client, options.renewToken, (error) =>
        dispatch({ type: 'error', error, source: 'operator' }),
      ),
    );
  }
  internals.set(client, () => ({
    destroyed,
    observers:
      [state, events, volume, netStatus].filter((subject) => subject.observed).length + media.observers(),
  }));
  return { client, dispatch, contexts, background };
}

/**
 * Creates a room client around the driver you give it, and nothing else: no built-in driver, no
 * wx platform, no media recovery, no stats reporting, so a page using a vendor driver bundles only
 * what it uses. `createClient` is this plus those parts; compose them yourself with
 * `mediaRecovery(client, …)` and `reportStats(client, …)` when you want them here.
 *
 * @example
 * ```ts
 * import { createRoomClient } from 'rxroom'
 * import { trtcDriver } from 'rxroom/drivers/trtc'
 *
 * const client = createRoomClient({ driver: trtcDriver({ sdk, sdkAppId, userSig }) })
 * client.join({ token, roomId: 'r1', userId: 'alice' }).subscribe()
 * // onUnload:
 * client.destroy()
 * ```
 */
export function createRoomClient(options: RoomClientOptions): RtcClient {
  return openRoomClient(options).client;
}
