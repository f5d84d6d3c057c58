/**
 * "Top 4 speakers with video, everyone else audio": a big meeting where you hear everyone but only
 * download video for the people talking.
 */
import { combineLatest, map, type Observable } from 'rxjs';
import { mapPlan, type AutoSubscribePolicy } from 'rxroom';

function ownerOf(streamId: string): string {
  return streamId.slice(0, streamId.lastIndexOf(':'));
}

/**
 * Video only for the streams of the first `n` users of `speakers$` (loudest first, e.g.
 * `activeSpeaker(client.volume$)`), audio for everyone. Screen shares keep their video whoever is
 * speaking: nobody wants a slide deck turned into silence. A camera stream of a quiet user with no
 * audio track is dropped, since nothing would be left of it.
 *
 * Unlike the built-in `maxVideo(n, rank$)`, which fills free video slots with quiet people, this
 * shows video for speakers only.
 *
 * @example
 * ```ts
 * autoSubscribe(client, topSpeakersWithVideo(activeSpeaker(client.volume$), 4)).subscribe()
 * ```
 */
export function topSpeakersWithVideo(speakers$: Observable<readonly string[]>, n = 4): AutoSubscribePolicy {
  return (plan$) =>
    combineLatest([plan$, speakers$]).pipe(
      map(([plan, speakers]) => {
        const top = new Set(speakers.slice(0, Math.max(0, n)));
        return mapPlan(plan, (wanted, streamId) =>
          streamId.endsWith(':screen') || top.has(ownerOf(streamId)) ? wanted : { ...wanted, video: false },
        );
      }),
    );
}
