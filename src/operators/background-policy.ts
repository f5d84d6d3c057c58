import { asyncScheduler, first, Observable, Subscription as RxSubscription, type SchedulerLike } from 'rxjs';
import { asRtcError } from '../errors';
import type { AppHideInfo } from '../bindings/platform';
import type { RtcClient } from '../streams/client/types';
import { isConnected } from '../streams/model';
import type { BackgroundEvent } from '../streams/room-event';
import { KEEP_PLAN, muteAll, type BackgroundPolicy } from './background-policies';

/** The part of the client the background policy drives. */
export type BackgroundTarget = Pick<RtcClient, 'state' | 'room$' | 'muteLocal' | 'leave'>;

/** Options of {@link backgroundPolicy}. */
export interface BackgroundPolicyOptions {
  /** The app went to the background; `{ reason: 'quit' }` when the user closed it. */
  readonly hide$: Observable<AppHideInfo | void>;
  /** The app came back to the foreground. */
  readonly show$: Observable<unknown>;
  /**
   * Stops the local media at once (the `<live-pusher>`), called when the user closes the mini
   * program: a close must not wait for a server round trip to silence the microphone.
   */
  readonly stopMedia?: () => void;
}

/** Mute bits the policy turned on, per own stream. */
interface Bits {
  audio: boolean;
  video: boolean;
}

/**
 * Applies a background policy for as long as it is subscribed: when the app is hidden it mutes
 * what the policy says (only bits that are on: what the user muted stays theirs) and arms
 * `leaveAfter`; when the app is shown it waits for the connection and unmutes exactly the bits it
 * muted, or leaves if the app stayed hidden longer than `leaveAfter`. When the user closes the
 * mini program (`wx.onAppHide` reason 0, base library 3.5.7), it stops the media at once and
 * leaves. Every step is reported as a `background` event.
 *
 * `createClient` runs it with {@link muteAll} by default (option `background`); with
 * `createRoomClient`, run it yourself.
 *
 * @example
 * ```ts
 * backgroundPolicy(client, combineBackgroundPolicies(muteVideo, leaveAfter(30_000)), {
 *   hide$: appHide$(platform),
 *   show$: appShow$(platform),
 *   stopMedia: () => wx.createLivePusherContext().stop(),
 * }).subscribe((e) => console.log(e.action))
 * ```
 */
export function backgroundPolicy(
  client: BackgroundTarget,
  policy: BackgroundPolicy = muteAll,
  options: BackgroundPolicyOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<BackgroundEvent> {
  return new Observable<BackgroundEvent>((subscriber) => {
    const running = new RxSubscription();
    const ours = new Map<string, Bits>();
    let hiddenAt: number | null = null;
    let leaveAfter: number | undefined;
    let leaveTimer: RxSubscription | null = null;
    let restoring: RxSubscription | null = null;
    const emit = (e: BackgroundEvent) => subscriber.next(e);
    const failed = (error: unknown, streamId?: string) =>
      emit({
        type: 'background',
        action: 'failed',
        ...(streamId !== undefined ? { streamId } : {}),
        error: asRtcError(error),
      });

    const run = <T>(call: Observable<T>, done: () => void, streamId?: string) => {
      running.add(call.subscribe({ complete: done, error: (e: unknown) => failed(e, streamId) }));
    };

    const disarm = () => {
      leaveTimer?.unsubscribe();
      leaveTimer = null;
      restoring?.unsubscribe();
      restoring = null;
    };

    const leave = (then: () => void) => {
      ours.clear();
      if (!client.state.roomId) return then();
      run(client.leave(), then);
    };

    const onHide = (info: AppHideInfo | void) => {
      if (info?.reason === 'quit') {
        disarm();
        hiddenAt = null;
        options.stopMedia?.();
        leave(() => undefined);
        emit({ type: 'background', action: 'closed' });
        return;
      }
      // Not in a room: nothing is published, and there is nothing to leave.
      if (hiddenAt !== null || !client.state.roomId) return;
      restoring?.unsubscribe();
      restoring = null;
      hiddenAt = scheduler.now();
      const room = client.state;
      const plan = policy(KEEP_PLAN, room);
      leaveAfter = plan.leaveAfter;
      for (const [id, pub] of Object.entries(room.self?.publications ?? {})) {
        const s = pub.stream;
        const audio = plan.muteAudio && s.hasAudio && !s.audioMuted;
        const video = plan.muteVideo && s.hasVideo && !s.videoMuted;
        if (!audio && !video) continue;
        const before = ours.get(id);
        ours.set(id, { audio: audio || !!before?.audio, video: video || !!before?.video });
        run(
          client.muteLocal({ ...(audio ? { audio: true } : {}), ...(video ? { video: true } : {}) }, id),
          () => emit({ type: 'background', action: 'muted', streamId: id, audio, video }),
          id,
        );
      }
      if (leaveAfter !== undefined) {
        const since = hiddenAt;
        leaveTimer = scheduler.schedule(() => {
          leaveTimer = null;
          leave(() => emit({ type: 'background', action: 'left', hiddenFor: scheduler.now() - since }));
        }, leaveAfter);
      }
    };

    const restore = () => {
      const room = client.state;
      for (const [id, bits] of [...ours]) {
        ours.delete(id);
        const s = room.self?.publications[id]?.stream;
        if (!s) continue;
        const audio = bits.audio && s.audioMuted;
        const video = bits.video && s.videoMuted;
        if (!audio && !video) continue;
        run(
          client.muteLocal({ ...(audio ? { audio: false } : {}), ...(video ? { video: false } : {}) }, id),
          () => emit({ type: 'background', action: 'restored', streamId: id, audio, video }),
          id,
        );
      }
    };

    const onShow = () => {
      if (hiddenAt === null) return;
      const hiddenFor = scheduler.now() - hiddenAt;
      hiddenAt = null;
      disarm();
      // The timer may not have fired: WeChat suspends a hidden app's JavaScript after ~5 s.
      if (leaveAfter !== undefined && hiddenFor >= leaveAfter && client.state.roomId) {
        leave(() => emit({ type: 'background', action: 'left', hiddenFor }));
        return;
      }
      if (ours.size === 0) return;
      // Unmute once commands can reach the backend again (a hidden app often comes back
      // reconnecting); a room left meanwhile has nothing to restore.
      restoring = client.room$.pipe(first((s) => !s.roomId || isConnected(s.connection))).subscribe((s) => {
        restoring = null;
        if (s.roomId) restore();
        else ours.clear();
      });
    };

    running.add(options.hide$.subscribe(onHide));
    running.add(options.show$.subscribe(onShow));
    return () => {
      disarm();
      running.unsubscribe();
    };
  });
}
