import { concat, EMPTY, type Observable } from 'rxjs';
import type { RtcClient } from '../streams/client/types';

/** The part of the client {@link republish} drives. */
export type RepublishTarget = Pick<RtcClient, 'state' | 'publish' | 'unpublish' | 'muteLocal'>;

/**
 * Publishes one of this client's streams again with what it had (kind, tracks, small variant,
 * mute bits), for a fresh push URL: after the old one was refused, or after the user granted the
 * permission the push lacked. Nothing when the stream is not published.
 *
 * @example
 * ```ts
 * republish(client, `${me}:main`).subscribe()
 * ```
 */
export function republish(client: RepublishTarget, streamId: string): Observable<unknown> {
  const pub = client.state.self?.publications[streamId];
  if (!pub) return EMPTY;
  const s = pub.stream;
  return concat(
    client.unpublish(streamId),
    client.publish({ kind: s.kind, audio: s.hasAudio, video: s.hasVideo, small: s.hasSmall }),
    s.audioMuted || s.videoMuted
      ? client.muteLocal({ audio: s.audioMuted, video: s.videoMuted }, s.kind)
      : EMPTY,
  );
}
