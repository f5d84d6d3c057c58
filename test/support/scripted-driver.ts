/**
 * A driver that answers every command at once, the way the built-in driver reports results
 * (mute-local → `local-mute-changed`, leave → `left`, publish → `published` …), and records the
 * commands it got. For operator tests that need a client whose state follows its commands.
 */
import { defer, of, Subject, throwError, type Observable } from 'rxjs';
import { RtcError } from '../../src/errors';
import type { Capability, Command, Driver } from '../../src/streams/command';
import type { RoomState, StreamDescriptor } from '../../src/streams/model';
import type { RoomEvent } from '../../src/streams/room-event';
import { joined, stream } from './room-fixtures';

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
  'report',
];

export function scriptedDriver(): ScriptedDriver {
  const events = new Subject<RoomEvent>();
  const commands: Command[] = [];
  const failing = new Map<Command['type'], RtcError>();
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
              const publication = { stream, url: `rtmp://push/${stream.id}?fresh` };
              events.next({ type: 'published', publication });
              return of(publication);
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
