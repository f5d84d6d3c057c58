/**
 * The media side of a client: the `<live-pusher>`/`<live-player>` settings a page binds, the
 * commands that change them, the context calls, and the media events (BGM, fullscreen,
 * picture-in-picture). Settings are local to this client, not room state: they live beside
 * `room$`, like `volume$` (ARCHITECTURE.md decision 6), and survive reconnections.
 */
import type { Observable } from 'rxjs';
import {
  BehaviorSubject,
  combineLatest,
  defer,
  distinctUntilChanged,
  filter,
  map,
  of,
  shareReplay,
  throwError,
} from 'rxjs';
import { RtcError, asRtcError } from '../../errors';
import { pusherControls, playerControls } from '../../bindings/media-controls';
import type { NativeEvent } from '../../bindings/native/decode';
import type { Driver, MediaChange } from '../command';
import {
  checkPlayerChange,
  checkPusherChange,
  DEFAULT_PLAYER_SETTINGS,
  DEFAULT_PUSHER_SETTINGS,
  type PlayerAttributes,
  type PlayerSettings,
  type PusherAttributes,
  type PusherSettings,
} from '../media-attributes';
import type { Publication, RemoteStream, RoomState } from '../model';
import { PersistentMap } from '../persistent-map';
import { deepEqual } from '../selectors';
import type { RoomEvent } from '../room-event';
import { badStreamId } from './checks';
import type { MediaContexts } from './contexts';
import type { MediaEvent, RtcClient } from './types';

/** The members of {@link RtcClient} this module makes. */
export type MediaMembers = Pick<
  RtcClient,
  | 'pusher$'
  | 'playerSettings$'
  | 'player$'
  | 'setPusher'
  | 'setPlayer'
  | 'switchCamera'
  | 'livePusher'
  | 'livePlayer'
  | 'mediaEvents$'
>;

/** What the media side reads of the client. */
export interface MediaContext {
  readonly driver: Driver;
  readonly state$: Observable<RoomState>;
  readonly localStream$: Observable<Publication | null>;
  readonly events$: Observable<RoomEvent>;
  readonly contexts: MediaContexts;
  readonly destroyed: () => boolean;
}

const MEDIA_EVENTS: ReadonlySet<NativeEvent['type']> = new Set([
  'pusher-bgm-start',
  'pusher-bgm-progress',
  'pusher-bgm-complete',
  'player-fullscreen',
  'pusher-picture-in-picture',
  'player-picture-in-picture',
]);

function pusherAttributes(settings: PusherSettings, publication: Publication | null): PusherAttributes {
  const s = publication?.stream;
  return {
    ...settings,
    url: publication?.url ?? '',
    enableMic: !!s && s.hasAudio && !s.audioMuted,
    enableCamera: !!s && s.hasVideo && !s.videoMuted,
  };
}

function playerAttributes(
  streamId: string,
  settings: PlayerSettings,
  stream: RemoteStream | null,
): PlayerAttributes {
  const sub = stream?.subscription ?? null;
  return {
    ...settings,
    streamId,
    src: sub?.url ?? '',
    // The player's own mute, or the room's: the owner muted, muted here, or audio not received.
    muted: settings.muted || !stream || !sub || stream.audioMuted || sub.audioMuted || !sub.audio,
  };
}

/** The media members of a client, and the subjects `destroy()` completes. */
export function mediaMembers(ctx: MediaContext): {
  members: MediaMembers;
  complete(): void;
  /** Subscribers still attached to the settings subjects (leak checks). */
  observers(): number;
} {
  const pusher = new BehaviorSubject<PusherSettings>(DEFAULT_PUSHER_SETTINGS);
  const players = new BehaviorSubject<PersistentMap<PlayerSettings>>(PersistentMap.empty());

  /** Guards every setting change: destroyed, checked, supported, accepted by the driver. */
  const change = <S extends object, A>(
    target: 'pusher' | 'player',
    check: () => RtcError | Partial<S>,
    apply: (changes: Partial<S>) => void,
    result: () => A,
    streamId?: string,
  ): Observable<A> =>
    defer(() => {
      if (ctx.destroyed()) return throwError(() => new RtcError('DESTROYED', 'the client was destroyed'));
      const checked = check();
      if (checked instanceof RtcError) return throwError(() => checked);
      const supported = ctx.driver.mediaSettings?.[target] as ReadonlySet<string> | undefined;
      const missing = supported && Object.keys(checked).find((name) => !supported.has(name));
      if (missing) {
        return throwError(
          () =>
            new RtcError('UNSUPPORTED', `${ctx.driver.name} cannot set the ${target} attribute ${missing}`),
        );
      }
      try {
        ctx.driver.applyMedia?.(
          (target === 'pusher'
            ? { target, changes: checked }
            : { target, streamId: streamId!, changes: checked }) as MediaChange,
        );
      } catch (e) {
        return throwError(() => asRtcError(e));
      }
      apply(checked);
      return of(result());
    });

  const pusher$ = combineLatest([pusher, ctx.localStream$]).pipe(
    map(([settings, publication]) => pusherAttributes(settings, publication)),
    distinctUntilChanged<PusherAttributes>(deepEqual),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
  const currentPusher = (): PusherAttributes => {
    let value: PusherAttributes | undefined;
    pusher$.subscribe((a) => (value = a)).unsubscribe();
    return value ?? pusherAttributes(pusher.value, null);
  };
  const player$ = (streamId: string): Observable<PlayerAttributes> =>
    combineLatest([
      players.pipe(map((m) => m.get(streamId) ?? DEFAULT_PLAYER_SETTINGS)),
      ctx.state$.pipe(map((s) => s.streams.get(streamId) ?? null)),
    ]).pipe(
      map(([settings, stream]) => playerAttributes(streamId, settings, stream)),
      distinctUntilChanged<PlayerAttributes>(deepEqual),
    );
  const currentPlayer = (streamId: string): PlayerAttributes => {
    let value: PlayerAttributes | undefined;
    player$(streamId)
      .subscribe((a) => (value = a))
      .unsubscribe();
    return value!;
  };

  const setPusher = (changes: Partial<PusherSettings>) =>
    change<PusherSettings, PusherAttributes>(
      'pusher',
      () => checkPusherChange(pusher.value, changes),
      (checked) => pusher.next({ ...pusher.value, ...checked }),
      currentPusher,
    );

  const members: MediaMembers = {
    pusher$,
    playerSettings$: players.asObservable(),
    player$,
    setPusher,
    switchCamera: () =>
      defer(() => setPusher({ devicePosition: pusher.value.devicePosition === 'front' ? 'back' : 'front' })),
    setPlayer: (streamId, changes) =>
      defer(() => {
        const bad = badStreamId(streamId);
        if (bad) return throwError(() => bad);
        const current = players.value.get(streamId) ?? DEFAULT_PLAYER_SETTINGS;
        return change<PlayerSettings, PlayerAttributes>(
          'player',
          () => checkPlayerChange(current, changes),
          (checked) => players.next(players.value.with(streamId, { ...current, ...checked })),
          () => currentPlayer(streamId),
          streamId,
        );
      }),
    livePusher: pusherControls(() => ctx.contexts.pusher()),
    livePlayer: (streamId) => playerControls(() => ctx.contexts.player(streamId)),
    mediaEvents$: ctx.events$.pipe(
      filter((e): e is Extract<RoomEvent, { type: 'native' }> => e.type === 'native'),
      map((e) => e.event),
      filter((e): e is MediaEvent => MEDIA_EVENTS.has(e.type)),
    ),
  };
  return {
    members,
    complete() {
      pusher.complete();
      players.complete();
    },
    observers: () => [pusher, players].filter((subject) => subject.observed).length,
  };
}
