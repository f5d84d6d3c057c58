/**
 * roomViewModel shows a peer that is reconnecting on its players, and changes only that peer's
 * players when the mark comes and goes.
 */
import { TestScheduler } from 'rxjs/testing';
import { createRoomClient } from '../../src/streams/client/room-client';
import { roomViewModel, type RoomViewModel } from '../../src/operators/room-view-model';
import { scriptedDriver } from '../support/scripted-driver';
import { joined, peer, stream, subscription } from '../support/room-fixtures';

describe('roomViewModel: reconnecting peers', () => {
  it('flags the players of a reconnecting peer, and only those, until it is back', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { driver, emit } = scriptedDriver();
    const client = createRoomClient({ driver });
    emit(
      joined({
        peers: [peer('bob'), peer('carol')],
        streams: [stream('bob'), stream('bob', { kind: 'screen' }), stream('carol')],
        subscriptions: [subscription('bob:main'), subscription('bob:screen'), subscription('carol:main')],
      }),
    );
    const seen: RoomViewModel[] = [];
    const sub = roomViewModel(client, {}, scheduler).subscribe((vm) => seen.push(vm));
    const flags = () => seen.at(-1)!.players.map((p) => `${p.streamId} ${p.reconnecting}`);
    expect(flags()).toEqual(['bob:main false', 'bob:screen false', 'carol:main false']);

    const before = seen.at(-1)!;
    emit({ type: 'peer-reconnecting', userId: 'bob' });
    expect(flags()).toEqual(['bob:main true', 'bob:screen true', 'carol:main false']);
    // carol's player is the same object: only bob's paths change for the page.
    expect(seen.at(-1)!.players[2]).toBe(before.players[2]);

    const count = seen.length;
    emit({ type: 'peer-updated', peer: peer('bob', { businessId: 'x' }) });
    expect(seen.length).toBe(count);

    emit({ type: 'peer-reconnected', userId: 'bob' });
    expect(flags()).toEqual(['bob:main false', 'bob:screen false', 'carol:main false']);

    // A peer that is reconnecting when its stream is first subscribed shows it at once.
    emit({ type: 'peer-reconnecting', userId: 'carol' });
    emit({ type: 'unsubscribed', streamId: 'carol:main' });
    emit({ type: 'subscribed', subscription: subscription('carol:main') });
    expect(flags()).toEqual(['bob:main false', 'bob:screen false', 'carol:main true']);
    sub.unsubscribe();
    client.destroy();
  });
});
