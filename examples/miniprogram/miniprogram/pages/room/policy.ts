/**
 * The policy switch of the room page: which remote streams to subscribe, and how.
 */
import { distinctUntilChanged, of, switchMap, type Observable } from 'rxjs';
import { audioOnlyWhen, maxVideo, subscribeAll, type AutoSubscribePolicy } from 'rxroom';

/** The choices of the switch. */
export type PolicyName = 'all' | 'speakers' | 'audio-only';

/** The switch's buttons, in order. */
export const POLICIES: readonly { readonly name: PolicyName; readonly label: string }[] = [
  { name: 'all', label: 'Everyone' },
  { name: 'speakers', label: 'Active speakers' },
  { name: 'audio-only', label: 'Audio only' },
];

/** How many of the loudest people get video under `speakers`. */
export const SPEAKERS_WITH_VIDEO = 2;

/** Whether `value` is one of the {@link POLICIES}. */
export function isPolicyName(value: unknown): value is PolicyName {
  return POLICIES.some((p) => p.name === value);
}

/**
 * One policy for `autoSubscribe` that follows the switch: each time `selected$` changes, the plan
 * is recomputed by the policy now selected, and autoSubscribe turns the difference into
 * subscribe/unsubscribe commands.
 *
 * - `all`: every stream, audio and video.
 * - `speakers`: everyone's audio, video only for the {@link SPEAKERS_WITH_VIDEO} loudest
 *   (`speakers$`, e.g. `activeSpeaker(client.volume$)`). Audio stays on for everyone because the
 *   volume that says who speaks comes from the players: unsubscribing the quiet ones would make
 *   them unable to become speakers.
 * - `audio-only`: nobody's video (saves the most data).
 *
 * @example
 * ```ts
 * autoSubscribe(client, switchablePolicy(selected$, activeSpeaker(client.volume$))).subscribe()
 * ```
 */
export function switchablePolicy(
  selected$: Observable<PolicyName>,
  speakers$: Observable<readonly string[]>,
): AutoSubscribePolicy {
  const policies: Record<PolicyName, AutoSubscribePolicy> = {
    all: subscribeAll(),
    speakers: maxVideo(SPEAKERS_WITH_VIDEO, speakers$),
    'audio-only': audioOnlyWhen(of(true)),
  };
  // plan$ and room$ replay their latest value, so the newly selected policy starts at once.
  return (plan$, room$) =>
    selected$.pipe(
      distinctUntilChanged(),
      switchMap((name) => policies[name](plan$, room$)),
    );
}
