import type { RemoteStream, RoomState } from '../streams/model';

/** How one stream should be subscribed. */
export interface WantedSubscription {
  readonly audio: boolean;
  readonly video: boolean;
  readonly small: boolean;
}

/** The subscriptions a policy wants: stream id → options. Streams not listed are not wanted. */
export type SubscriptionPlan = Readonly<Record<string, WantedSubscription>>;

/** Every remote stream, with the tracks it has, big variant: where every policy chain starts. */
export function planAll(state: RoomState): SubscriptionPlan {
  const plan: Record<string, WantedSubscription> = {};
  for (const [id, s] of state.streams) {
    if (s.hasAudio || s.hasVideo) plan[id] = { audio: s.hasAudio, video: s.hasVideo, small: false };
  }
  return plan;
}

/** Applies `change` to every entry and drops entries left with neither audio nor video. */
export function mapPlan(
  plan: SubscriptionPlan,
  change: (wanted: WantedSubscription, streamId: string) => WantedSubscription | null,
): SubscriptionPlan {
  const next: Record<string, WantedSubscription> = {};
  for (const id in plan) {
    const w = change(plan[id]!, id);
    if (w && (w.audio || w.video)) next[id] = w;
  }
  return next;
}

/** The owner of a stream id (`user:kind`). */
export function ownerOf(streamId: string, streams: ReadonlyMap<string, RemoteStream>): string {
  return streams.get(streamId)?.userId ?? streamId.slice(0, streamId.lastIndexOf(':'));
}

/** One step towards the plan: what the reconciler asks the client to do. */
export type SubscriptionAction =
  | { readonly type: 'subscribe'; readonly streamId: string; readonly options: WantedSubscription }
  | { readonly type: 'unsubscribe'; readonly streamId: string };

/**
 * The actions that make the subscriptions of `state` equal `plan`, for the streams not in `busy`.
 * Pure. A subscription with other options is subscribed again (the server updates it in place).
 * Plan entries for streams the room no longer has are ignored: there is nothing to subscribe.
 * Actions come in stream id order, so a reconciliation is the same whatever order the room's
 * map iterates in.
 */
export function diffPlan(
  state: RoomState,
  plan: SubscriptionPlan,
  busy: ReadonlySet<string> = new Set(),
): SubscriptionAction[] {
  const actions: SubscriptionAction[] = [];
  for (const id in plan) {
    if (busy.has(id) || !state.streams.get(id)) continue;
    const want = plan[id]!;
    const have = state.streams.get(id)!.subscription;
    if (!have || have.audio !== want.audio || have.video !== want.video || have.small !== want.small) {
      actions.push({ type: 'subscribe', streamId: id, options: want });
    }
  }
  for (const [id, stream] of state.streams) {
    if (busy.has(id) || plan[id] || !stream.subscription) continue;
    actions.push({ type: 'unsubscribe', streamId: id });
  }
  return actions.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
}
