/**
 * A driver that carries out publish, subscribe and mutes the way the Driver contract
 * (src/streams/command.ts) says a backend does: a successful command emits its RoomEvent
 * (`published`, `subscribed`, …) before its result. It records every command.
 */
import { Subject, of, type Observable } from 'rxjs';
import type { Capability, Command, Driver, MediaSymptom } from '../../src/streams/command';
import type { Subscription } from '../../src/streams/model';
import type { RoomEvent } from '../../src/streams/room-event';
import { stream, subscription } from './room-fixtures';

/** The driver, the commands it got, and a way to emit backend events. */
export function answeringDriver(recovers: readonly MediaSymptom[] = []) {
  const events = new Subject<RoomEvent>();
  const commands: Command[] = [];
  let pushes = 0;
  const subs = new Map<string, Subscription>();
  const emit = (e: RoomEvent) => events.next(e);
  const driver: Driver = {
    name: 'answering',
    capabilities: new Set<Capability>([
      'publish',
      'unpublish',
      'subscribe',
      'unsubscribe',
      'mute-local',
      'mute-remote',
    ]),
    recovers: new Set(recovers),
    events$: events,
    execute: (command) => {
      commands.push(command);
      const c = command as Command;
      switch (c.type) {
        case 'publish': {
          const publication = {
            stream: stream('me', { hasAudio: c.audio, hasVideo: c.video }),
            url: `rtmp://push/me?v=${++pushes}`,
          };
          emit({ type: 'published', publication });
          return of(publication) as Observable<never>;
        }
        case 'unpublish':
          emit({ type: 'unpublished', streamId: c.streamId });
          break;
        case 'mute-local': {
          const s = stream('me', { audioMuted: !!c.audio, videoMuted: !!c.video });
          emit({ type: 'local-mute-changed', stream: s });
          return of(s) as Observable<never>;
        }
        case 'subscribe': {
          const sub = subscription(c.streamId, { audio: c.audio, video: c.video, small: c.small });
          subs.set(c.streamId, sub);
          emit({ type: 'subscribed', subscription: sub });
          return of(sub) as Observable<never>;
        }
        case 'unsubscribe':
          emit({ type: 'unsubscribed', streamId: c.streamId });
          break;
        case 'mute-remote': {
          const sub = { ...subs.get(c.streamId)!, audioMuted: !!c.audio, videoMuted: !!c.video };
          emit({ type: 'remote-mute-changed', subscription: sub });
          return of(sub) as Observable<never>;
        }
        default:
          break;
      }
      return of(undefined) as Observable<never>;
    },
    destroy: () => events.complete(),
  };
  return { driver, commands, emit };
}
