import {
  asyncScheduler,
  combineLatest,
  distinctUntilChanged,
  map,
  startWith,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { RtcClient } from '../streams/create-client';
import { mediaStateOf, type ConnectionStatus, type MediaState, type RoomState } from '../streams/model';
import { deepEqual } from '../streams/selectors';
import { playerElementId } from '../bindings/native/handlers';
import { activeSpeaker, type ActiveSpeakerOptions } from './active-speaker';
import { netQuality, type NetQuality, type NetQualityOptions } from './net-quality';

/** One `<live-player>` of the page. */
export interface PlayerView {
  /** Stream id, for `data-stream-id` and `wx:key`. */
  readonly streamId: string;
  /** Element id for `id=` (and `createLivePlayerContext`). */
  readonly elementId: string;
  readonly userId: string;
  readonly kind: 'main' | 'screen';
  /** Play URL for `src`. */
  readonly url: string;
  /** Mute the player's audio (owner muted, or muted here). */
  readonly muted: boolean;
  /** Show a placeholder instead of video (owner disabled video, or not received). */
  readonly videoOff: boolean;
  /** Audio level, quantised to `volumeStep`. */
  readonly volume: number;
  readonly quality: NetQuality;
  readonly speaking: boolean;
  /** `pending` (no media yet), `live`, or `lost` (media stopped), on backends that watch media. */
  readonly media: MediaState;
}

/** The page's `<live-pusher>`. */
export interface PusherView {
  /** Push URL, or '' when not publishing. */
  readonly url: string;
  readonly publishing: boolean;
  readonly enableMic: boolean;
  readonly enableCamera: boolean;
  readonly volume: number;
  readonly quality: NetQuality;
  readonly speaking: boolean;
}

/** The connection banner. */
export interface BannerView {
  readonly show: boolean;
  readonly status: ConnectionStatus;
  /** Short English text; pages may map `status` to their own words. */
  readonly text: string;
}

/** The ready view model of the common room page. */
export interface RoomViewModel {
  readonly roomId: string;
  readonly userId: string;
  readonly players: readonly PlayerView[];
  readonly pusher: PusherView;
  readonly banner: BannerView;
  /** Remote users in the room. */
  readonly peerCount: number;
}

/** Options of {@link roomViewModel}. */
export interface RoomViewModelOptions {
  /** Volume is rounded to multiples of this, so noise causes no updates. Default 10. */
  readonly volumeStep?: number;
  readonly speaker?: ActiveSpeakerOptions;
  readonly quality?: NetQualityOptions;
}

function bannerOf(state: RoomState): BannerView {
  const c = state.connection;
  switch (c.status) {
    case 'reconnecting':
      return {
        show: true,
        status: c.status,
        text: c.waitingForNetwork
          ? 'Offline: waiting for the network…'
          : `Reconnecting (attempt ${c.attempt ?? 1}${c.delay ? `, in ${(c.delay / 1000).toFixed(1)} s` : ''})…`,
      };
    case 'connecting':
      return { show: true, status: c.status, text: 'Connecting…' };
    case 'failed':
      return { show: true, status: c.status, text: 'Connection lost. Please try again.' };
    case 'kicked':
      return { show: true, status: c.status, text: `Removed from the room (${c.kickReason ?? 'kicked'}).` };
    case 'disconnected':
      return { show: !!c.error, status: c.status, text: c.error ? 'Disconnected.' : '' };
    default:
      return { show: false, status: c.status, text: '' };
  }
}

const quantise = (v: number | undefined, step: number) => (v === undefined ? 0 : Math.round(v / step) * step);

/**
 * The view model of a typical room page, ready for `bindPage`: players with URL, mute flags,
 * quantised volume, net quality and a speaking flag; the pusher; a connection banner. Players are
 * in a stable order (by stream id) so updates become small path diffs.
 *
 * @example
 * ```ts
 * Page(bindPage({ ...nativeHandlers(() => client) }, () => roomViewModel(client)))
 * ```
 */
export function roomViewModel(
  client: Pick<RtcClient, 'room$' | 'volume$' | 'netStatus$'>,
  options: RoomViewModelOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<RoomViewModel> {
  const step = options.volumeStep ?? 10;
  const volume$ = client.volume$.pipe(
    map((levels) => {
      const q: Record<string, number> = {};
      for (const user in levels) q[user] = quantise(levels[user], step);
      return q;
    }),
    distinctUntilChanged<Record<string, number>>(deepEqual),
  );
  const speakers$ = activeSpeaker(client.volume$, options.speaker, scheduler);
  const quality$ = netQuality(client.netStatus$, options.quality, scheduler);
  return combineLatest([
    client.room$,
    volume$,
    speakers$,
    quality$.pipe(startWith<Readonly<Record<string, NetQuality>>>({})),
  ]).pipe(
    map(([room, volume, speakers, quality]) => {
      const me = room.self?.userId ?? '';
      const speaking = new Set(speakers);
      const players: PlayerView[] = Object.values(room.streams)
        .filter((s) => s.subscription)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((s) => ({
          streamId: s.id,
          elementId: playerElementId(s.id),
          userId: s.userId,
          kind: s.kind,
          url: s.subscription!.url,
          muted: s.audioMuted || s.subscription!.audioMuted || !s.subscription!.audio,
          videoOff: s.videoMuted || s.subscription!.videoMuted || !s.subscription!.video || !s.hasVideo,
          volume: volume[s.userId] ?? 0,
          quality: quality[s.userId] ?? 'unknown',
          speaking: speaking.has(s.userId),
          media: mediaStateOf(s),
        }));
      const main = me ? room.self?.publications[`${me}:main`] : undefined;
      const pusher: PusherView = {
        url: main?.url ?? '',
        publishing: !!main,
        enableMic: !!main && main.stream.hasAudio && !main.stream.audioMuted,
        enableCamera: !!main && main.stream.hasVideo && !main.stream.videoMuted,
        volume: volume[me] ?? 0,
        quality: quality[me] ?? 'unknown',
        speaking: speaking.has(me),
      };
      return {
        roomId: room.roomId ?? '',
        userId: me,
        players,
        pusher,
        banner: bannerOf(room),
        peerCount: Object.keys(room.peers).length,
      };
    }),
    distinctUntilChanged<RoomViewModel>(deepEqual),
  );
}
