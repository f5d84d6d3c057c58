/**
 * createRoomClient is the client core: the driver it is given and nothing composed around it.
 * createClient is the same core plus media recovery and stats reporting, on by default.
 */
import { Subject, of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createClient, createRoomClient, type RtcClient } from '../../src/streams/create-client';
import { decodePusherNetStatus, decodePusherStateChange } from '../../src/bindings/native/decode';
import { builtInDriver } from '../../src/bindings/protocol/built-in-driver';
import { FakePlatform } from '../support/fake-platform';
import type { Capability, Command, Driver } from '../../src/streams/command';
import type { RoomEvent } from '../../src/streams/room-event';
import type { RtcError } from '../../src/errors';
import { joined, stream } from '../support/room-fixtures';

function recordingDriver() {
  const events = new Subject<RoomEvent>();
  const commands: Command['type'][] = [];
  const driver: Driver = {
    name: 'recording',
    capabilities: new Set<Capability>(['report', 'publish', 'unpublish']),
    events$: events,
    execute: (command) => {
      commands.push(command.type);
      return of(undefined) as Observable<never>;
    },
    destroy: () => events.complete(),
  };
  return { driver, commands, emit: (e: RoomEvent) => events.next(e) };
}

/** Joined with a published main stream, then a fatal push code and a net status sample. */
function exercise(client: RtcClient, emit: (e: RoomEvent) => void, scheduler: TestScheduler) {
  const seen: RoomEvent['type'][] = [];
  client.events$.subscribe((e) => seen.push(e.type));
  emit(joined());
  emit({ type: 'connection', state: { status: 'connected' } });
  emit({
    type: 'published',
    publication: { stream: stream('me'), url: 'rtmp://push/me' },
  });
  client.dispatchNative(decodePusherStateChange({ detail: { code: -1307 } }));
  client.dispatchNative(decodePusherNetStatus({ detail: { info: { netQualityLevel: 2 } } }));
  // Past every sampling window and backoff delay (flush stops at 750 virtual ms by default).
  scheduler.maxFrames = 60_000;
  scheduler.flush();
  return seen;
}

describe('createRoomClient', () => {
  it('runs no media recovery and sends no stats: only what the driver emits and the page feeds', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { driver, commands, emit } = recordingDriver();
    const client = createRoomClient({ driver });
    const seen = exercise(client, emit, scheduler);
    expect(seen).not.toContain('media-recovery');
    expect(commands).toEqual([]);
    expect(client.state.self?.userId).toBe('me');
    expect(client.driverName).toBe('recording');
    client.destroy();
  });

  it('createClient over the same driver recovers the push and reports stats by default', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { driver, commands, emit } = recordingDriver();
    const client = createClient({ driver, scheduler, mediaRecovery: { random: () => 0 } });
    const seen = exercise(client, emit, scheduler);
    expect(seen).toContain('media-recovery');
    expect(commands).toContain('report');
    client.destroy();
  });

  it('runs over the built-in driver when given it explicitly', () => {
    const platform = new FakePlatform();
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const client = createRoomClient({ driver: builtInDriver({ url: 'ws://x', platform, scheduler }) });
    const statuses: string[] = [];
    client.connection$.subscribe((c) => statuses.push(c.status));
    const joinErrors: string[] = [];
    client
      .join({ token: 't', roomId: 'r', userId: 'me' })
      .subscribe({ error: (e: RtcError) => joinErrors.push(e.code) });
    platform.last.fireOpen();
    expect(platform.last.frames[0]).toMatchObject({ t: 'join', room: 'r', user: 'me' });
    expect(client.driverName).toBe('rxroom');
    client.destroy();
    expect(platform.last.closedWith).not.toBeNull();
    expect(statuses).toEqual(['idle', 'connecting', 'disconnected']);
    expect(joinErrors).toEqual(['DESTROYED']);
  });

  it('throws INVALID_ARGUMENT without a driver', () => {
    expect(() => createRoomClient({} as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
