/**
 * Peers see who is reconnecting, against the reference server over real sockets: a member's
 * socket is cut (NodePlatform.dropSockets: no close frame, as a lost network) and the others see
 * it `reconnecting` for the server's grace window, then back when it resumes, or gone when the
 * window runs out.
 */
import { firstValueFrom } from 'rxjs';
import { Harness, until, waitFor, type TestClient } from '../support/integration';
import type { RoomEvent } from '../../src/streams/room-event';
import { roomViewModel, type RoomViewModel } from '../../src/operators/room-view-model';

async function room(h: Harness) {
  const a = h.client('a');
  const b = h.client('b');
  await h.join(a);
  await h.join(b);
  await firstValueFrom(a.client.publish());
  await until(b, (r) => !!r.streams.get('a:main'));
  await firstValueFrom(b.client.subscribe('a:main', { video: false }));
  return { a, b };
}

const peerEvents = (c: TestClient) => {
  const seen: string[] = [];
  c.client.events$.subscribe((e: RoomEvent) => {
    if (e.type === 'peer-reconnecting' || e.type === 'peer-reconnected' || e.type === 'peer-left')
      seen.push(`${e.type} ${e.userId}`);
  });
  return seen;
};

describe('a peer reconnecting, within the grace window', () => {
  // Long enough that the window never runs out while a waits offline.
  const h = new Harness({ grace: 30_000 });
  beforeEach(() => h.start());
  afterEach(() => h.stop());

  it('is seen reconnecting by the others, on its players too, and back when it resumes', async () => {
    const { a, b } = await room(h);
    const seen = peerEvents(b);
    const views: RoomViewModel[] = [];
    const vm = roomViewModel(b.client).subscribe((v) => views.push(v));

    a.platform.goOffline();
    a.platform.dropSockets();
    await until(b, (r) => r.peers.get('a')?.reconnecting === true);
    // Still in the room, with its stream and b's subscription.
    expect(b.client.state.streams.get('a:main')?.subscription).not.toBeNull();
    expect(views.at(-1)?.players.map((p) => [p.streamId, p.reconnecting])).toEqual([['a:main', true]]);

    // A newcomer during the window learns it from its join snapshot.
    const c = h.client('c');
    await h.join(c);
    expect(c.client.state.peers.get('a')?.reconnecting).toBe(true);

    a.platform.goOnline();
    await waitFor(a.client.connection$, (s) => s.status === 'resumed');
    await until(b, (r) => r.peers.get('a') !== undefined && r.peers.get('a')?.reconnecting === undefined);
    await until(c, (r) => r.peers.get('a')?.reconnecting === undefined);
    expect(views.at(-1)?.players.map((p) => [p.streamId, p.reconnecting])).toEqual([['a:main', false]]);
    expect(seen).toEqual(['peer-reconnecting a', 'peer-reconnected a']);
    // The one who reconnected is told nothing about itself.
    expect(a.client.state.peers.get('a')).toBeUndefined();
    vm.unsubscribe();
  });
});

describe('a peer reconnecting, past the grace window', () => {
  const h = new Harness({ grace: 300 });
  beforeEach(() => h.start());
  afterEach(() => h.stop());

  it('is seen reconnecting, then leaves (timeout) with its streams', async () => {
    const { a, b } = await room(h);
    const seen = peerEvents(b);
    a.platform.goOffline();
    a.platform.dropSockets();
    await until(b, (r) => !r.peers.get('a'));
    expect(b.client.state.streams.get('a:main')).toBeUndefined();
    expect(seen).toEqual(['peer-reconnecting a', 'peer-left a']);
  });
});
