/**
 * The media remedies shared by media recovery and the frozen-player watchdog: restart a
 * `<live-pusher>`/`<live-player>` through its context, subscribe to a stream again. Not operators:
 * each is one cold Observable that completes when the remedy is done, or errors with an RtcError.
 */
import { concat, EMPTY, Observable } from 'rxjs';
import { RtcError } from '../errors';
import { setupError } from '../bindings/setup-errors';
import type { RtcClient } from '../streams/client/types';

/** The context calls a restart needs (a LivePusherContext or a LivePlayerContext). */
type Restartable = { stop(o?: object): void; start?(o?: object): void; play?(o?: object): void };

/**
 * Stops the component, then starts (pusher) or plays (player) it again: completes when the start
 * succeeds; errors with INVALID_STATE without a context, the setup error of its errMsg (setupError) or
 * PUSH_FAILED / PLAY_FAILED when it fails.
 */
export function restartMedia(
  ctx: Restartable | null | undefined,
  label: 'pusher' | 'player',
): Observable<void> {
  return new Observable<void>((subscriber) => {
    if (!ctx) {
      subscriber.error(new RtcError('INVALID_STATE', `no ${label} context to restart`));
      return;
    }
    const again = () => {
      const go = ctx.start ?? ctx.play;
      go!.call(ctx, {
        success: () => {
          subscriber.next();
          subscriber.complete();
        },
        fail: (e: { errMsg?: string }) =>
          subscriber.error(
            // A setup problem (the live components not enabled, no system permission) names its fix.
            setupError(e?.errMsg) ??
              new RtcError(
                label === 'pusher' ? 'PUSH_FAILED' : 'PLAY_FAILED',
                e?.errMsg ?? `${label} restart failed`,
              ),
          ),
      });
    };
    ctx.stop({ complete: again });
  });
}

/**
 * Unsubscribes from a stream and subscribes again with the same options and receiver-side mute
 * bits (a fresh play URL). Completes at once when the stream is not subscribed.
 */
export function resubscribeStream(
  client: Pick<RtcClient, 'state' | 'subscribe' | 'unsubscribe' | 'muteRemote'>,
  streamId: string,
): Observable<unknown> {
  const sub = client.state.streams.get(streamId)?.subscription;
  if (!sub) return EMPTY;
  return concat(
    client.unsubscribe(streamId),
    client.subscribe(streamId, { audio: sub.audio, video: sub.video, small: sub.small }),
    sub.audioMuted || sub.videoMuted
      ? client.muteRemote(streamId, { audio: sub.audioMuted, video: sub.videoMuted })
      : EMPTY,
  );
}
