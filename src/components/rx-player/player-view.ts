/**
 * What `rx-player` shows for one stream of one client, and the `<live-player>` context it lends the
 * client while it shows it.
 */
import { combineLatest, distinctUntilChanged, map, merge, Observable, type SchedulerLike } from 'rxjs';
import {
  deepEqual,
  mediaStateOf,
  playerElementId,
  type MediaState,
  type NetQuality,
  type PlayerContext,
  type PlayerSettings,
  type RemoteStream,
  type RtcClient,
  DEFAULT_PLAYER_SETTINGS,
} from '../../index';
import { userLevels, type UserLevelsOptions } from '../shared/levels';

/**
 * The data of `rx-player` (its template reads these): the stream's player settings
 * (`client.setPlayer`), what the room says of the stream, and its owner's levels.
 */
export interface PlayerData extends PlayerSettings {
  /** `id` of the inner `<live-player>`. */
  readonly elementId: string;
  /** Play URL; '' while the stream is not subscribed (the `<live-player>` is then not rendered). */
  readonly url: string;
  readonly userId: string;
  /** Audio muted by its owner, by this client (muteRemote or setPlayer), or not subscribed. */
  readonly muted: boolean;
  /** No video to show: owner disabled it, not received, or the stream has none. */
  readonly videoOff: boolean;
  /** 0–100, quantised to `volume-step`. */
  readonly volume: number;
  readonly speaking: boolean;
  readonly quality: NetQuality;
  /**
   * Where the stream's media stands (backends that watch it, e.g. the reference server with
   * media hooks): `pending` (no media yet, or no such stream), `live`, or `lost` (media stopped).
   */
  readonly media: MediaState;
  /**
   * The stream's owner lost its connection and the backend keeps its place for a grace window
   * (`Peer.reconnecting`); clears when it resumes.
   */
  readonly reconnecting: boolean;
}

/** The owner of a stream id (`user:kind`); user ids cannot hold `:`. */
export function ownerOfStreamId(streamId: string): string {
  const colon = streamId.lastIndexOf(':');
  return colon > 0 ? streamId.slice(0, colon) : streamId;
}

/**
 * The data of a player with no client (or no such stream): nothing to play, silent.
 *
 * @example
 * ```ts
 * emptyPlayer('bob:main').url // ''
 * ```
 */
export function emptyPlayer(streamId: string): PlayerData {
  return {
    ...DEFAULT_PLAYER_SETTINGS,
    elementId: playerElementId(streamId),
    url: '',
    userId: ownerOfStreamId(streamId),
    muted: true,
    videoOff: true,
    volume: 0,
    speaking: false,
    quality: 'unknown',
    media: 'pending',
    reconnecting: false,
  };
}

function streamData(streamId: string, stream: RemoteStream | null) {
  const sub = stream?.subscription ?? null;
  const media: MediaState = stream ? mediaStateOf(stream) : 'pending';
  if (!stream || !sub) return { url: '', muted: true, videoOff: true, media };
  return {
    media,
    url: sub.url,
    muted: stream.audioMuted || sub.audioMuted || !sub.audio,
    videoOff: stream.videoMuted || sub.videoMuted || !sub.video || !stream.hasVideo,
  };
}

/** What {@link playerView} needs of the client. */
export type PlayerViewClient = Pick<
  RtcClient,
  'select' | 'volume$' | 'netStatus$' | 'registerPlayerContext' | 'playerSettings$'
>;

/**
 * The data of `rx-player` for `streamId` of `client`. While subscribed, `context` is registered as the
 * stream's `<live-player>` context (media recovery restarts playback through it), and unregistered
 * when the subscription ends.
 *
 * @example
 * ```ts
 * playerView(client, 'bob:main', { volumeStep: 10 }, context, asyncScheduler).subscribe(render)
 * ```
 */
export function playerView(
  client: PlayerViewClient,
  streamId: string,
  options: UserLevelsOptions,
  context: PlayerContext,
  scheduler: SchedulerLike,
): Observable<PlayerData> {
  const userId = ownerOfStreamId(streamId);
  const registration$ = new Observable<never>(() => client.registerPlayerContext(streamId, context));
  const data$ = combineLatest({
    stream: client.select((s) => s.streams.get(streamId) ?? null),
    reconnecting: client.select((s) => s.peers.get(userId)?.reconnecting === true),
    levels: userLevels(client, userId, options, scheduler),
    settings: client.playerSettings$.pipe(
      map((all) => all.get(streamId) ?? DEFAULT_PLAYER_SETTINGS),
      distinctUntilChanged(),
    ),
  }).pipe(
    map(({ stream, reconnecting, levels, settings }): PlayerData => {
      const room = streamData(streamId, stream);
      return {
        ...emptyPlayer(streamId),
        ...settings,
        userId: stream?.userId ?? userId,
        ...room,
        muted: settings.muted || room.muted,
        reconnecting,
        ...levels,
      };
    }),
    distinctUntilChanged<PlayerData>(deepEqual),
  );
  return merge(registration$, data$);
}
