/**
 * The data of the room page, from rxroom's ready `roomViewModel`.
 */
import { combineLatest, distinctUntilChanged, map, type Observable } from 'rxjs';
import { deepEqual, roomViewModel, type BannerView, type RtcClient } from 'rxroom';
import type { PolicyName } from './policy';

/** One cell of the grid: an `<rx-player>` and its buttons. */
export interface PlayerCell {
  readonly streamId: string;
  readonly userId: string;
  readonly kind: 'main' | 'screen';
  /** Audio off: muted by its owner or here. */
  readonly muted: boolean;
  readonly videoOff: boolean;
}

/** What the room page renders. */
export interface RoomPageView {
  readonly roomId: string;
  readonly userId: string;
  readonly peerCount: number;
  readonly banner: BannerView;
  readonly players: readonly PlayerCell[];
  readonly pusher: {
    readonly publishing: boolean;
    readonly enableMic: boolean;
    readonly enableCamera: boolean;
  };
  readonly policy: PolicyName;
  /** The last failed action, for the error line ('' when none). */
  readonly error: string;
}

/**
 * The page's view model: the room, the selected policy and the last error. Volume, net quality and
 * speaking are left out on purpose: `<rx-player>` and `<rx-pusher>` show them through their own
 * `setData`, so a volume tick re-renders one small component instead of the page. What is left
 * changes only when the room does.
 *
 * @example
 * ```ts
 * Page(bindPage({ ... }, (page) => roomPageView(page.client, page.policy$, page.error$)))
 * ```
 */
export function roomPageView(
  client: Pick<RtcClient, 'room$' | 'volume$' | 'netStatus$'>,
  policy$: Observable<PolicyName>,
  error$: Observable<string>,
): Observable<RoomPageView> {
  return combineLatest([roomViewModel(client), policy$, error$]).pipe(
    map(([vm, policy, error]): RoomPageView => ({
      roomId: vm.roomId,
      userId: vm.userId,
      peerCount: vm.peerCount,
      banner: vm.banner,
      players: vm.players.map((p) => ({
        streamId: p.streamId,
        userId: p.userId,
        kind: p.kind,
        muted: p.muted,
        videoOff: p.videoOff,
      })),
      pusher: {
        publishing: vm.pusher.publishing,
        enableMic: vm.pusher.enableMic,
        enableCamera: vm.pusher.enableCamera,
      },
      policy,
      error,
    })),
    distinctUntilChanged<RoomPageView>(deepEqual),
  );
}
