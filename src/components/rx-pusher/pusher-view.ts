/**
 * What `rx-pusher` shows for the page's client, and the `<live-pusher>` context it lends the client.
 */
import {
  combineLatest,
  distinctUntilChanged,
  map,
  merge,
  Observable,
  switchMap,
  type SchedulerLike,
} from 'rxjs';
import {
  deepEqual,
  LOCAL_USER,
  type NetQuality,
  type Publication,
  type PusherContext,
  type PusherSettings,
  type RtcClient,
  DEFAULT_PUSHER_SETTINGS,
} from '../../index';
import { userLevels, type UserLevelsOptions } from '../shared/levels';

/**
 * The data of `rx-pusher` (its template reads these): the client's pusher settings (`setPusher`,
 * `switchCamera`), its publication and its levels.
 */
export interface PusherData extends PusherSettings {
  /** Push URL; '' while not publishing (the `<live-pusher>` is then not rendered). */
  readonly url: string;
  readonly publishing: boolean;
  readonly enableMic: boolean;
  readonly enableCamera: boolean;
  /** This client's user id ('' before joining). */
  readonly userId: string;
  /** 0–100, quantised to `volume-step`. */
  readonly volume: number;
  readonly speaking: boolean;
  readonly quality: NetQuality;
}

/**
 * The data of a pusher with no client: not publishing, silent.
 *
 * @example
 * ```ts
 * emptyPusher().publishing // false
 * ```
 */
export function emptyPusher(): PusherData {
  return {
    ...DEFAULT_PUSHER_SETTINGS,
    url: '',
    publishing: false,
    enableMic: false,
    enableCamera: false,
    userId: '',
    volume: 0,
    speaking: false,
    quality: 'unknown',
  };
}

function publicationData(publication: Publication | null) {
  if (!publication) return { url: '', publishing: false, enableMic: false, enableCamera: false };
  const s = publication.stream;
  return {
    url: publication.url,
    publishing: true,
    enableMic: s.hasAudio && !s.audioMuted,
    enableCamera: s.hasVideo && !s.videoMuted,
  };
}

/** What {@link pusherView} needs of the client. */
export type PusherViewClient = Pick<
  RtcClient,
  'select' | 'localStream$' | 'volume$' | 'netStatus$' | 'registerPusherContext' | 'pusher$'
>;

/**
 * The data of `rx-pusher` for `client`: its camera/mic publication and its own levels (kept under
 * {@link LOCAL_USER} until it has joined, under its user id after). While subscribed, `context` is
 * registered as the client's `<live-pusher>` context (media recovery restarts the push through it).
 *
 * @example
 * ```ts
 * pusherView(client, { volumeStep: 10 }, context, asyncScheduler).subscribe(render)
 * ```
 */
export function pusherView(
  client: PusherViewClient,
  options: UserLevelsOptions,
  context: PusherContext,
  scheduler: SchedulerLike,
): Observable<PusherData> {
  const registration$ = new Observable<never>(() => client.registerPusherContext(context));
  const levels$ = client
    .select((s) => s.self?.userId ?? LOCAL_USER)
    .pipe(switchMap((user) => userLevels(client, user, options, scheduler)));
  const data$ = combineLatest({
    publication: client.localStream$,
    userId: client.select((s) => s.self?.userId ?? ''),
    levels: levels$,
    attributes: client.pusher$,
  }).pipe(
    map(({ publication, userId, levels, attributes }): PusherData => ({
      ...attributes,
      ...publicationData(publication),
      userId,
      ...levels,
    })),
    distinctUntilChanged<PusherData>(deepEqual),
  );
  return merge(registration$, data$);
}
