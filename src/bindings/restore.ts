/**
 * What a driver restores after a full rejoin (the old session is gone): the user's publications
 * with their mute bits, then their subscriptions with their options and receiver mutes. Shared by
 * the built-in driver and the vendor driver kit, so both restore the same way.
 */
import { catchError, concat, concatMap, defer, EMPTY, type Observable } from 'rxjs';
import type { CommandOf, CommandResult, CommandType } from '../streams/command';
import type { StreamKind, Subscription } from '../streams/model';

/** A publication as the user asked for it. */
export interface WantedPublication {
  readonly kind: StreamKind;
  /** A custom stream tag (the stream is `user:tag`). */
  readonly tag?: string;
  readonly audio: boolean;
  readonly video: boolean;
  readonly small: boolean;
  readonly audioMuted: boolean;
  readonly videoMuted: boolean;
}

/** A subscription as the user asked for it. */
export interface WantedSubscription {
  readonly audio: boolean;
  readonly video: boolean;
  readonly small: boolean;
  readonly audioMuted: boolean;
  readonly videoMuted: boolean;
}

/** How the restore reaches the backend. */
export interface RestoreTarget {
  /** Runs a command on the live session. */
  run<T extends CommandType>(command: CommandOf<T>): Observable<CommandResult<T>>;
  /** Reports a failed step and returns EMPTY, so the other steps still run. */
  failed(error: unknown): Observable<never>;
  /** The subscription the backend last confirmed, to skip what is already as wanted. */
  current?(streamId: string): Subscription | undefined;
}

/** Publishes again and mutes again as wanted. */
export function republish(target: RestoreTarget, p: WantedPublication): Observable<unknown> {
  return target
    .run({
      type: 'publish',
      kind: p.kind,
      ...(p.tag !== undefined ? { tag: p.tag } : {}),
      audio: p.audio,
      video: p.video,
      small: p.small,
    })
    .pipe(
      concatMap((pub) =>
        p.audioMuted || p.videoMuted
          ? target.run({
              type: 'mute-local',
              streamId: pub.stream.id,
              audio: p.audioMuted,
              video: p.videoMuted,
            })
          : EMPTY,
      ),
    );
}

/** Subscribes again as wanted, skipping what is already so (autoSubscribe may have done it). */
export function resubscribe(
  target: RestoreTarget,
  streamId: string,
  sub: WantedSubscription,
): Observable<unknown> {
  return defer(() => {
    const live = target.current?.(streamId);
    const same = live && live.audio === sub.audio && live.video === sub.video && live.small === sub.small;
    return concat(
      same
        ? EMPTY
        : target.run({ type: 'subscribe', streamId, audio: sub.audio, video: sub.video, small: sub.small }),
      defer(() => {
        const now = target.current?.(streamId);
        const muted = now && now.audioMuted === sub.audioMuted && now.videoMuted === sub.videoMuted;
        const anyMute = sub.audioMuted || sub.videoMuted || !!now?.audioMuted || !!now?.videoMuted;
        return muted || !anyMute
          ? EMPTY
          : target.run({ type: 'mute-remote', streamId, audio: sub.audioMuted, video: sub.videoMuted });
      }),
    );
  });
}

/**
 * Every restore step, one after the other (the backend answers in order and the state stays easy
 * to follow); a failed step is reported and the rest go on. Wanted subscriptions whose stream is
 * not `present` yet are handed to `awaitStream` instead: after a restart the others come back one
 * by one.
 */
export function restoreSession(
  target: RestoreTarget,
  wanted: {
    readonly publications: Iterable<WantedPublication>;
    readonly subscriptions: Iterable<readonly [string, WantedSubscription]>;
  },
  present: ReadonlySet<string>,
  awaitStream: (streamId: string) => void,
): Observable<unknown> {
  const steps: Observable<unknown>[] = [];
  const failed = catchError((e: unknown) => target.failed(e));
  for (const p of wanted.publications) steps.push(republish(target, p).pipe(failed));
  for (const [streamId, sub] of [...wanted.subscriptions]) {
    if (present.has(streamId)) steps.push(resubscribe(target, streamId, sub).pipe(failed));
    else awaitStream(streamId);
  }
  return concat(...steps);
}
