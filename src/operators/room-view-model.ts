import { asyncScheduler, Observable, Subscription, type SchedulerLike } from 'rxjs';
import type { RtcClient } from '../streams/create-client';
import type { VolumeMap } from '../streams/media-levels';
import {
  mediaStateOf,
  type ConnectionStatus,
  type MediaState,
  type RemoteStream,
  type RoomState,
} from '../streams/model';
import { PersistentMap } from '../streams/persistent-map';
import {
  DEFAULT_PLAYER_SETTINGS,
  DEFAULT_PUSHER_SETTINGS,
  type PlayerSettings,
  type PusherAttributes,
  type PusherSettings,
} from '../streams/media-attributes';
import { deepEqual } from '../streams/selectors';
import { playerElementId } from '../bindings/native/handlers';
import { activeSpeaker, type ActiveSpeakerOptions } from './active-speaker';
import { netQuality, type NetQuality, type NetQualityOptions } from './net-quality';

/**
 * One `<live-player>` of the page: its settings (`client.setPlayer`, bound as `object-fit="{{item.objectFit}}"`
 * and so on) and what the room says of it.
 */
export interface PlayerView extends PlayerSettings {
  /** Stream id, for `data-stream-id` and `wx:key`. */
  readonly streamId: string;
  /** Element id for `id=` (and `createLivePlayerContext`). */
  readonly elementId: string;
  readonly userId: string;
  readonly kind: 'main' | 'screen';
  /** Play URL for `src`. */
  readonly url: string;
  /** Mute the player's audio (owner muted, muted here, or `setPlayer(id, { muted: true })`). */
  readonly muted: boolean;
  /** Show a placeholder instead of video (owner disabled video, or not received). */
  readonly videoOff: boolean;
  /** Audio level, quantised to `volumeStep`. */
  readonly volume: number;
  readonly quality: NetQuality;
  readonly speaking: boolean;
  /** `pending` (no media yet), `live`, or `lost` (media stopped), on backends that watch media. */
  readonly media: MediaState;
  /**
   * The owner's connection dropped and the backend keeps its place for a grace window
   * (`Peer.reconnecting`): show "reconnecting…" over the player. Clears when it resumes.
   */
  readonly reconnecting: boolean;
}

/** The page's `<live-pusher>`: its settings (`client.setPusher`, `switchCamera`) and the room's part. */
export interface PusherView extends PusherSettings {
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

const byId = (a: RemoteStream, b: RemoteStream) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What the levels say of one user, as the view shows it. */
interface UserLevels {
  readonly volume: number;
  readonly quality: NetQuality;
  readonly speaking: boolean;
}

function sameLevels(a: UserLevels, b: UserLevels): boolean {
  return a.volume === b.volume && a.quality === b.quality && a.speaking === b.speaking;
}

function playerOf(
  s: RemoteStream,
  levels: UserLevels,
  settings: PlayerSettings,
  reconnecting: boolean,
): PlayerView {
  const sub = s.subscription!;
  return {
    ...settings,
    streamId: s.id,
    elementId: playerElementId(s.id),
    userId: s.userId,
    kind: s.kind,
    url: sub.url,
    muted: settings.muted || s.audioMuted || sub.audioMuted || !sub.audio,
    videoOff: s.videoMuted || sub.videoMuted || !sub.video || !s.hasVideo,
    media: mediaStateOf(s),
    reconnecting,
    ...levels,
  };
}

const isReconnecting = (room: RoomState, user: string) => room.peers.get(user)?.reconnecting === true;

/** The settings part of the pusher's attributes. */
function settingsOf(attributes: PusherAttributes): PusherSettings {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the room's part is computed from the room
  const { url, enableMic, enableCamera, ...settings } = attributes;
  return settings;
}

function pusherOf(room: RoomState, me: string, levels: UserLevels, settings: PusherSettings): PusherView {
  const main = me ? room.self?.publications[`${me}:main`] : undefined;
  return {
    ...settings,
    url: main?.url ?? '',
    publishing: !!main,
    enableMic: !!main && main.stream.hasAudio && !main.stream.audioMuted,
    enableCamera: !!main && main.stream.hasVideo && !main.stream.videoMuted,
    ...levels,
  };
}

/**
 * The view model of a typical room page, ready for `bindPage`: players with URL, mute flags,
 * quantised volume, net quality and a speaking flag; the pusher; a connection banner. Players are
 * in a stable order (by stream id) so updates become small path diffs.
 *
 * The structure (players, pusher, banner) is rebuilt only when the room changes. A volume,
 * speaker or net-quality change touches only that user's entries: the cost of a volume tick does
 * not grow with the number of players (ARCHITECTURE.md decision 9). Emits only on change.
 *
 * @example
 * ```ts
 * Page(bindPage({ ...nativeHandlers(() => client) }, () => roomViewModel(client)))
 * ```
 */
export function roomViewModel(
  client: Pick<RtcClient, 'room$' | 'volume$' | 'netStatus$'> &
    Partial<Pick<RtcClient, 'pusher$' | 'playerSettings$'>>,
  options: RoomViewModelOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<RoomViewModel> {
  const step = options.volumeStep ?? 10;
  return new Observable<RoomViewModel>((subscriber) => {
    let room: RoomState | null = null;
    let rawVolume: VolumeMap = PersistentMap.empty();
    let volume = PersistentMap.empty<number>();
    let speaking: ReadonlySet<string> = new Set();
    let quality = PersistentMap.empty<NetQuality>();
    let pusherSettings: PusherSettings = DEFAULT_PUSHER_SETTINGS;
    let playerSettings = PersistentMap.empty<PlayerSettings>();
    /** Settings changed since the last build: rebuild the pusher / the players. */
    let pusherSettingsChanged = false;
    let playerSettingsChanged = false;
    let vm: RoomViewModel | null = null;
    let sent: RoomViewModel | null = null;
    /** Where each user's players are in `vm.players`. */
    let slots = new Map<string, number[]>();
    let ready = false;

    const levelsOf = (user: string): UserLevels => ({
      volume: volume.get(user) ?? 0,
      quality: quality.get(user) ?? 'unknown',
      speaking: speaking.has(user),
    });

    const build = (next: RoomState) => {
      const previous = room;
      room = next;
      const me = next.self?.userId ?? '';
      let players = vm?.players ?? [];
      if (!previous || previous.streams !== next.streams || playerSettingsChanged) {
        const subscribed = [...next.streams.values()].filter((s) => s.subscription).sort(byId);
        slots = new Map();
        players = subscribed.map((s, i) => {
          const at = slots.get(s.userId);
          if (at) at.push(i);
          else slots.set(s.userId, [i]);
          return playerOf(
            s,
            levelsOf(s.userId),
            playerSettings.get(s.id) ?? DEFAULT_PLAYER_SETTINGS,
            isReconnecting(next, s.userId),
          );
        });
      } else if (previous.peers !== next.peers) {
        // Only the users whose peer entry changed: a peer reconnecting or back.
        PersistentMap.changes(previous.peers, next.peers, (user) => {
          const reconnecting = isReconnecting(next, user);
          for (const i of slots.get(user) ?? []) {
            const p = players[i]!;
            if (p.reconnecting === reconnecting) continue;
            if (players === vm?.players) players = players.slice();
            (players as PlayerView[])[i] = { ...p, reconnecting };
          }
        });
      }
      const pusher =
        vm && previous && previous.self === next.self && !pusherSettingsChanged
          ? vm.pusher
          : pusherOf(next, me, levelsOf(me), pusherSettings);
      pusherSettingsChanged = false;
      playerSettingsChanged = false;
      const built: RoomViewModel = {
        roomId: next.roomId ?? '',
        userId: me,
        players,
        pusher,
        banner: vm && previous?.connection === next.connection ? vm.banner : bannerOf(next),
        peerCount: next.peers.size,
      };
      // A room change the page cannot see (attributes, say) keeps the view model: compared here,
      // on room changes only, so a level tick never pays for a whole-view comparison.
      if (!vm || !deepEqual(built, vm)) vm = built;
    };

    /** Applies the current levels to one user's player(s) and, if it is this client, the pusher. */
    const touch = (user: string) => {
      if (!vm || !room) return;
      const levels = levelsOf(user);
      let players = vm.players;
      for (const i of slots.get(user) ?? []) {
        const p = players[i]!;
        if (sameLevels(p, levels)) continue;
        if (players === vm.players) players = players.slice();
        (players as PlayerView[])[i] = { ...p, ...levels };
      }
      const mine = user === vm.userId && !sameLevels(vm.pusher, levels);
      if (players !== vm.players || mine) {
        vm = { ...vm, players, pusher: mine ? { ...vm.pusher, ...levels } : vm.pusher };
      }
    };

    const emit = () => {
      // build() and touch() make a new view model only when something shows differently.
      if (ready && vm && vm !== sent) {
        sent = vm;
        subscriber.next(vm);
      }
    };
    const fail = (e: unknown) => subscriber.error(e);
    const subscriptions = new Subscription();
    subscriptions.add(
      client.volume$.subscribe({
        next: (levels) => {
          PersistentMap.changes(rawVolume, levels, (user, _before, v) => {
            const q = v === undefined ? undefined : quantise(v, step);
            if (q === volume.get(user)) return;
            volume = q === undefined ? volume.without(user) : volume.with(user, q);
            touch(user);
          });
          rawVolume = levels;
          emit();
        },
        error: fail,
      }),
    );
    subscriptions.add(
      activeSpeaker(client.volume$, options.speaker, scheduler).subscribe({
        next: (speakers) => {
          const now = new Set(speakers);
          const before = speaking;
          speaking = now;
          for (const user of now) if (!before.has(user)) touch(user);
          for (const user of before) if (!now.has(user)) touch(user);
          emit();
        },
        error: fail,
      }),
    );
    subscriptions.add(
      netQuality(client.netStatus$, options.quality, scheduler).subscribe({
        next: (q) => {
          const before = quality;
          quality = q;
          PersistentMap.changes(before, q, (user) => touch(user));
          emit();
        },
        error: fail,
      }),
    );
    if (client.pusher$) {
      subscriptions.add(
        client.pusher$.subscribe({
          next: (attributes) => {
            const next = settingsOf(attributes);
            if (deepEqual(next, pusherSettings)) return;
            pusherSettings = next;
            pusherSettingsChanged = true;
            if (room) build(room);
            emit();
          },
          error: fail,
        }),
      );
    }
    if (client.playerSettings$) {
      subscriptions.add(
        client.playerSettings$.subscribe({
          next: (settings) => {
            if (settings === playerSettings) return;
            playerSettings = settings;
            playerSettingsChanged = true;
            if (room) build(room);
            emit();
          },
          error: fail,
        }),
      );
    }
    subscriptions.add(
      client.room$.subscribe({
        next: (next) => {
          build(next);
          emit();
        },
        error: fail,
        complete: () => subscriber.complete(),
      }),
    );
    ready = true;
    emit();
    return subscriptions;
  });
}
