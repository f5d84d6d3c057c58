/**
 * A driver that answers every command at once, the way the Driver contract (src/streams/command.ts)
 * says a backend does: a successful command emits its RoomEvent (mute-local →
 * `local-mute-changed`, leave → `left`, publish → `published`, subscribe → `subscribed` …) before
 * its result. It records the commands it got. For operator tests that need a client whose state
 * follows its commands; commands that read the room (mute-local, mute-remote) need `state` set.
 */
import { defer, of, Subject, throwError, type Observable } from 'rxjs';
import { RtcError } from '../../src/errors';
import type { Capability, Command, Driver, MediaSymptom } from '../../src/streams/command';
import type { RoomState, StreamDescriptor } from '../../src/streams/model';
import type { RoomEvent } from '../../src/streams/room-event';
import { joined, stream, subscription } from './room-fixtures';

export interface ScriptedDriver {
  readonly driver: Driver;
  readonly commands: Command[];
  emit(e: RoomEvent): void;
  /** The current state, once the client is created over the driver. */
  state: () => RoomState;
  /** Commands of these types fail with this error from now on. */
  failing: Map<Command['type'], RtcError>;
}

const ALL: Capability[] = [
  'leave',
  'publish',
  'unpublish',
  'mute-local',
  'subscribe',
  'unsubscribe',
  'mute-remote',
  'report',
];

/** `recovers`: the media symptoms the driver declares it recovers by itself (`Driver.recovers`). */
export function scriptedDriver(options: { recovers?: readonly MediaSymptom[] } = {}): ScriptedDriver {
  const events = new Subject<RoomEvent>();
  const commands: Command[] = [];
  const failing = new Map<Command['type'], RtcError>();
  /** Publications so far: each push URL is new (`?v=1`, `?v=2` …), as a backend's would be. */
  let pushes = 0;
  const self: ScriptedDriver = {
    commands,
    failing,
    emit: (e) => events.next(e),
    state: () => {
      throw new Error('no client yet');
    },
    driver: {
      name: 'scripted',
      capabilities: new Set<Capability>(ALL),
      recovers: new Set(options.recovers ?? []),
      events$: events,
      execute: (cmd) =>
        defer((): Observable<unknown> => {
          const command = cmd as Command;
          commands.push(command);
          const failure = failing.get(command.type);
          if (failure) return throwError(() => failure);
          const state = self.state();
          switch (command.type) {
            case 'leave':
              events.next({ type: 'left', reason: 'leave' });
              return of(undefined);
            case 'mute-local': {
              const pub = state.self?.publications[command.streamId];
              if (!pub) return throwError(() => new RtcError('NOT_PUBLISHED', command.streamId));
              const stream: StreamDescriptor = {
                ...pub.stream,
                ...(command.audio !== undefined ? { audioMuted: command.audio } : {}),
                ...(command.video !== undefined ? { videoMuted: command.video } : {}),
              };
              events.next({ type: 'local-mute-changed', stream });
              return of(stream);
            }
            case 'unpublish':
              events.next({ type: 'unpublished', streamId: command.streamId });
              return of(undefined);
            case 'publish': {
              const userId = state.self?.userId ?? 'me';
              const stream: StreamDescriptor = {
                id: `${userId}:${command.kind}`,
                userId,
                kind: command.kind,
                hasAudio: command.audio,
                hasVideo: command.video,
                hasSmall: command.small,
                audioMuted: false,
                videoMuted: false,
              };
              const publication = { stream, url: `rtmp://push/${stream.id}?v=${++pushes}` };
              events.next({ type: 'published', publication });
              return of(publication);
            }
            case 'subscribe': {
              const sub = subscription(command.streamId, {
                audio: command.audio,
                video: command.video,
                small: command.small,
              });
              events.next({ type: 'subscribed', subscription: sub });
              return of(sub);
            }
            case 'unsubscribe':
              events.next({ type: 'unsubscribed', streamId: command.streamId });
              return of(undefined);
            case 'mute-remote': {
              const current = state.streams.get(command.streamId)?.subscription;
              if (!current) return throwError(() => new RtcError('NOT_SUBSCRIBED', command.streamId));
              const sub = {
                ...current,
                ...(command.audio !== undefined ? { audioMuted: command.audio } : {}),
                ...(command.video !== undefined ? { videoMuted: command.video } : {}),
              };
              events.next({ type: 'remote-mute-changed', subscription: sub });
              return of(sub);
            }
            default:
              return of(undefined);
          }
        }) as Observable<never>,
      destroy: () => events.complete(),
    },
  };
  return self;
}

/** Joins `me` in room `r1`, connected, publishing `me:main` with the given mute bits. */
export function joinPublishing(
  d: ScriptedDriver,
  mute: { audioMuted?: boolean; videoMuted?: boolean } = {},
): void {
  d.emit(
    joined({
      self: {
        userId: 'me',
        role: 'broadcaster',
        visible: true,
        publications: { 'me:main': { stream: stream('me', mute), url: 'rtmp://push/me' } },
      },
    }),
  );
  d.emit({ type: 'connection', state: { status: 'connected' } });
}
