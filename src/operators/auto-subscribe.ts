import type { Subscription as RxSubscription } from 'rxjs';
import {
  asyncScheduler,
  auditTime,
  distinctUntilChanged,
  map,
  merge,
  Observable,
  tap,
  type SchedulerLike,
} from 'rxjs';
import type { RtcError } from '../errors';
import { asRtcError } from '../errors';
import type { RtcClient } from '../streams/client/types';
import type { RoomState, Subscription } from '../streams/model';
import { deepEqual } from '../streams/selectors';
import { diffPlan, planAll, type SubscriptionAction, type SubscriptionPlan } from './subscription-plan';

/**
 * A subscription policy: given the plan so far (every stream, at first) and the room, says which
 * streams to subscribe and how. Policies are plain functions, so they compose by chaining
 * (see `combinePolicies`) and are tested with marbles like any other Observable code.
 */
export type AutoSubscribePolicy = (
  plan$: Observable<SubscriptionPlan>,
  room$: Observable<RoomState>,
) => Observable<SubscriptionPlan>;

/** What {@link autoSubscribe} did, one report per finished action. */
export type AutoSubscribeReport =
  | (SubscriptionAction & { readonly ok: true })
  | (SubscriptionAction & { readonly ok: false; readonly error: RtcError });

/** The part of the client autoSubscribe drives. */
export type AutoSubscribeTarget = Pick<RtcClient, 'room$' | 'subscribe' | 'unsubscribe'>;

/** Options of {@link autoSubscribe}. */
export interface AutoSubscribeOptions {
  /**
   * Wait this many ms after a change before acting, so a burst of stream events costs one
   * reconciliation. Default 0 (the end of the current burst).
   */
  readonly settle?: number;
  /**
   * After a command failed, wait this many ms before trying the same again (sooner if the room
   * or the plan changes). Default 2000.
   */
  readonly retryAfter?: number;
}

/**
 * Keeps the client's subscriptions equal to what `policy` wants, for as long as it is subscribed.
 *
 * It is declarative: the policy describes the wanted set; autoSubscribe computes the difference
 * with the room and issues subscribe/unsubscribe commands. At most one command per stream is in
 * flight; when the plan changes meanwhile, the stream is looked at again when its command
 * finishes, so commands never contradict each other and are never duplicated. A stream removed
 * while its subscribe is in flight is simply dropped (the reducer forgets it). A failed command is
 * reported and not retried until the plan or the room changes.
 *
 * @example
 * ```ts
 * autoSubscribe(client, combinePolicies(maxVideo(4), audioOnlyWhen(poorNetwork$)))
 *   .pipe(takeUntil(unload$))
 *   .subscribe((r) => r.ok || console.warn(r.type, r.streamId, r.error.code))
 * ```
 */
export function autoSubscribe(
  client: AutoSubscribeTarget,
  policy: AutoSubscribePolicy = (plan$) => plan$,
  options: AutoSubscribeOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<AutoSubscribeReport> {
  return new Observable<AutoSubscribeReport>((subscriber) => {
    // Not shared: the client's room$ replays its latest state to every subscriber, which both
    // the policy and the reconciler need from the first moment.
    const room$ = client.room$;
    const all$ = room$.pipe(map(planAll), distinctUntilChanged<SubscriptionPlan>(deepEqual));
    const plan$ = policy(all$, room$).pipe(distinctUntilChanged<SubscriptionPlan>(deepEqual));
    const busy = new Map<string, RxSubscription>();
    /** Commands that failed, with the time before which the same one is not tried again. */
    const failed = new Map<string, { action: SubscriptionAction; until: number }>();
    const retryAfter = options.retryAfter ?? 2000;
    let retryTimer: RxSubscription | null = null;
    let room: RoomState | null = null;
    let plan: SubscriptionPlan | null = null;

    const reconcile = () => {
      if (!room || !plan || subscriber.closed || !room.roomId) return;
      const now = scheduler.now();
      let nextRetry = Infinity;
      for (const action of diffPlan(room, plan, new Set(busy.keys()))) {
        // Do not hammer a command that just failed with the same arguments.
        const f = failed.get(action.streamId);
        if (f && deepEqual(f.action, action) && now < f.until) {
          nextRetry = Math.min(nextRetry, f.until);
          continue;
        }
        failed.delete(action.streamId);
        run(action);
      }
      retryTimer?.unsubscribe();
      retryTimer = nextRetry === Infinity ? null : scheduler.schedule(reconcile, nextRetry - now);
    };

    const run = (action: SubscriptionAction) => {
      const id = action.streamId;
      const command: Observable<Subscription | void> =
        action.type === 'subscribe' ? client.subscribe(id, action.options) : client.unsubscribe(id);
      const report = (r: AutoSubscribeReport) => {
        busy.delete(id);
        subscriber.next(r);
        reconcile();
      };
      let finished = false;
      const sub = command.subscribe({
        error: (e: unknown) => {
          finished = true;
          const error = asRtcError(e);
          // The stream went away while the command was in flight: nothing to report.
          if (error.code !== 'STREAM_NOT_FOUND' && error.code !== 'NOT_SUBSCRIBED') {
            failed.set(id, { action, until: scheduler.now() + retryAfter });
          }
          report({ ...action, ok: false, error });
        },
        complete: () => {
          finished = true;
          report({ ...action, ok: true });
        },
      });
      if (!finished) busy.set(id, sub);
    };

    // The latest room and plan are kept as they come; only the reconciliation waits for the
    // burst to settle, so a finished command always compares with the state it produced.
    const latest = merge(
      room$.pipe(
        tap((r) => {
          if (room && r.streams !== room.streams) failed.clear();
          room = r;
        }),
      ),
      plan$.pipe(
        tap((p) => {
          if (plan && p !== plan) failed.clear();
          plan = p;
        }),
      ),
    );
    const main = latest.pipe(auditTime(options.settle ?? 0, scheduler)).subscribe({
      next: reconcile,
      error: (e: unknown) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    return () => {
      main.unsubscribe();
      retryTimer?.unsubscribe();
      // Commands already sent are left to finish: cancelling would not undo them at the server.
      busy.clear();
    };
  });
}
