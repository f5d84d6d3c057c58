/**
 * roomViewModel binds the media settings: the pusher's (`setPusher`, `switchCamera`) and each
 * player's (`setPlayer`), and a change reaches the page as the few paths that changed.
 */
import { Subject, of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { roomViewModel, type RoomViewModel } from '../../src/operators/room-view-model';
import { createRoomClient } from '../../src/streams/create-client';
import { diffPaths } from '../../src/bindings/page/diff';
import { DEFAULT_PLAYER_SETTINGS, DEFAULT_PUSHER_SETTINGS } from '../../src/streams/media-attributes';
import type { Capability, Driver } from '../../src/streams/command';
import type { RoomEvent } from '../../src/streams/room-event';
import { joined, stream, subscription } from '../support/room-fixtures';

function room() {
  const events = new Subject<RoomEvent>();
  const driver: Driver = {
    name: 'vm',
    capabilities: new Set<Capability>(['join']),
    events$: events,
    execute: () => of(undefined) as Observable<never>,
    destroy: () => events.complete(),
  };
  const client = createRoomClient({ driver });
  events.next(
    joined({
      streams: [stream('bob'), stream('carol')],
      subscriptions: [subscription('bob:main'), subscription('carol:main')],
    }),
  );
  events.next({ type: 'published', publication: { stream: stream('me'), url: 'rtmp://push/me' } });
  return client;
}

describe('roomViewModel: media settings', () => {
  it('shows the settings on the pusher and each player, and diffs a change to its paths', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const client = room();
    const views: RoomViewModel[] = [];
    const sub = roomViewModel(client, {}, scheduler).subscribe((v) => views.push(v));
    const first = views[views.length - 1]!;
    expect(first.pusher).toMatchObject({
      ...DEFAULT_PUSHER_SETTINGS,
      url: 'rtmp://push/me',
      publishing: true,
    });
    expect(first.players.map((p) => [p.streamId, p.objectFit, p.soundMode])).toEqual([
      ['bob:main', DEFAULT_PLAYER_SETTINGS.objectFit, 'speaker'],
      ['carol:main', DEFAULT_PLAYER_SETTINGS.objectFit, 'speaker'],
    ]);

    client.setPusher({ beauty: 7 }).subscribe();
    client.switchCamera().subscribe();
    client.setPlayer('carol:main', { objectFit: 'contain', muted: true }).subscribe();
    const last = views[views.length - 1]!;
    expect(diffPaths(first, last)).toEqual({
      'pusher.beauty': 7,
      'pusher.devicePosition': 'back',
      'players[1].objectFit': 'contain',
      'players[1].muted': true,
    });

    // A setting equal to the current one makes no new view model.
    const count = views.length;
    client.setPusher({ beauty: 7 }).subscribe();
    expect(views.length).toBe(count);
    sub.unsubscribe();
    client.destroy();
  });
});
