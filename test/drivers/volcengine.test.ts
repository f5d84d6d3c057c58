/**
 * What is particular to the Volcengine driver, over the fake Volcengine SDK and service in virtual
 * time: visibility, business id, stats reports, vendor URL and failure events, both-tracks-muted
 * streams, and the rejoin after DISCONNECT.
 */
import { volcengineDriver, type VolcengineDriverOptions } from '../../src/bindings/drivers/volcengine';
import { createClient, type RtcClient } from '../../src/streams/create-client';
import type { RoomEvent } from '../../src/streams/room-event';
import { advance, failure, result, turn, virtualScheduler, virtualUntil } from './conformance/harness';
import { EVENTS, FakeVolcengineServer } from './fakes/fake-volcengine';

const ROOM = 'volc-room';

function setup(extra: Partial<VolcengineDriverOptions> = {}) {
  const server = new FakeVolcengineServer();
  const scheduler = virtualScheduler();
  const until = virtualUntil(scheduler);
  const clients: RtcClient[] = [];
  const client = () => {
    const c = createClient({
      driver: volcengineDriver({ sdk: server.sdk, appId: server.appId, scheduler, ...extra }),
      scheduler,
      // Reports are sent by these tests explicitly.
      reportStats: false,
    });
    clients.push(c);
    return c;
  };
  const joined = async (userId: string, options: { visible?: boolean; businessId?: string } = {}) => {
    const c = client();
    await result(c.join({ token: 'tok', roomId: ROOM, userId, ...options }));
    return c;
  };
  return { server, scheduler, until, client, joined, teardown: () => clients.forEach((c) => c.destroy()) };
}

let t: ReturnType<typeof setup>;
afterEach(() => t.teardown());

const events = (c: RtcClient) => {
  const seen: RoomEvent[] = [];
  c.events$.subscribe((e) => seen.push(e));
  return seen;
};

describe('volcengine driver', () => {
  it('invisible users watch unseen; turning visible announces them', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob', { visible: false });
    expect(t.server.clients[1]!.calls.slice(0, 3)).toEqual(['init', 'setUserVisibility:false', 'join']);
    expect(b.state.self).toMatchObject({ visible: false });
    await turn();
    expect(a.state.peers.get('bob')).toBeUndefined();
    expect(await failure(b.publish())).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(await result(b.setVisibility(true))).toMatchObject({ userId: 'bob', visible: true });
    await t.until('alice sees bob', () => !!a.state.peers.get('bob'));
    expect(b.state.self).toMatchObject({ visible: true });
  });

  it('sets the business id at join and later', async () => {
    t = setup();
    const a = await t.joined('alice', { businessId: 'class-a' });
    const client = t.server.clients[0]!;
    expect(client.calls.slice(0, 3)).toEqual(['init', 'setBusinessId:class-a', 'join']);
    expect(await result(a.setBusinessId('class-b'))).toEqual({
      userId: 'alice',
      role: 'broadcaster',
      visible: true,
      businessId: 'class-b',
    });
    expect(client.businessId).toBe('class-b');
    expect(a.state.self?.businessId).toBe('class-b');
  });

  it('sends stats reports through the report* methods', async () => {
    t = setup();
    const a = await t.joined('alice');
    await result(a.report({ kind: 'pusher-state', code: 1002, message: 'pushing' }));
    await result(a.report({ kind: 'pusher-net', info: { videoFPS: 15 } }));
    await result(a.report({ kind: 'player-state', streamId: 'bob:main', code: 2004 }));
    await result(a.report({ kind: 'player-net', streamId: 'bob:main', info: { videoFPS: 12 } }));
    expect(t.server.clients[0]!.reports).toEqual([
      { method: 'reportPusherStateChange', event: { detail: { code: 1002, message: 'pushing' } } },
      { method: 'reportPusherNetStatusChange', event: { detail: { info: { videoFPS: 15 } } } },
      { method: 'reportPlayerStateChange', userId: 'bob', event: { detail: { code: 2004 } } },
      { method: 'reportPlayerNetStatusChange', userId: 'bob', event: { detail: { info: { videoFPS: 12 } } } },
    ]);
  });

  it('UPDATE_URL and STREAM_FAILED become url-updated and stream-failed', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(b.publish());
    await t.until('alice sees bob', () => !!a.state.streams.get('bob:main'));
    await result(a.publish());
    await result(a.subscribe('bob:main'));
    const seen = events(a);
    const client = t.server.clients[0]!;
    client.fire(EVENTS.UPDATE_URL, { uid: 'alice', screen: false, url: 'rtmp://volc.test/push/again' });
    client.fire(EVENTS.UPDATE_URL, { uid: 'bob', screen: false, url: 'rtmp://volc.test/play/again' });
    client.fire(EVENTS.STREAM_FAILED, { uid: 'bob', screen: false, reason: 'pull failed' });
    await t.until(
      'urls',
      () => a.state.streams.get('bob:main')?.subscription?.url === 'rtmp://volc.test/play/again',
    );
    expect(a.state.self?.publications['alice:main']?.url).toBe('rtmp://volc.test/push/again');
    expect(seen).toContainEqual({
      type: 'stream-failed',
      streamId: 'bob:main',
      direction: 'play',
      reason: 'pull failed',
    });
  });

  it('screen streams of others (screen: true) are user:screen streams', async () => {
    t = setup();
    const a = await t.joined('alice');
    t.server.clients[0]!.fire(EVENTS.STREAM_ADDED, {
      uid: 'bob',
      screen: true,
      streamPublishState: { audio: false, video: true },
    });
    await t.until('alice sees the share', () => !!a.state.streams.get('bob:screen'));
    expect(a.state.streams.get('bob:screen')).toMatchObject({
      kind: 'screen',
      hasAudio: false,
      videoMuted: false,
    });
    t.server.clients[0]!.fire(EVENTS.STREAM_REMOVED, { uid: 'bob', screen: true });
    await t.until('share gone', () => !a.state.streams.get('bob:screen'));
  });

  it('a stream whose both tracks are muted is removed for the others, and comes back', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(b.publish());
    await t.until('alice sees bob', () => !!a.state.streams.get('bob:main'));
    await result(b.muteLocal({ audio: true, video: true }));
    await t.until('bob:main removed', () => !a.state.streams.get('bob:main'));
    await result(b.muteLocal({ video: false }));
    await t.until('bob:main back', () => a.state.streams.get('bob:main')?.videoMuted === false);
    expect(a.state.streams.get('bob:main')?.audioMuted).toBe(true);
  });

  it('after DISCONNECT: a fresh client joins again, as invisible as before, and the old one is released', async () => {
    t = setup();
    const a = await t.joined('alice', { visible: false, businessId: 'b1' });
    const first = t.server.clients[0]!;
    expect(first.listenerCount).toBe(13);
    t.server.drop(ROOM, 'alice');
    await t.until('rejoined', () => a.state.connection.status === 'rejoined');
    expect(first.destroyed).toBe(true);
    expect(first.listenerCount).toBe(0);
    expect(t.server.clients[1]!.calls.slice(0, 4)).toEqual([
      'init',
      'setUserVisibility:false',
      'setBusinessId:b1',
      'join',
    ]);
    expect(a.state.self).toMatchObject({ visible: false, businessId: 'b1' });
  });

  it('a ban ends the session kicked; audience joins and small streams are refused', async () => {
    t = setup();
    const audience = await failure(
      t.client().join({ token: 'tok', roomId: ROOM, userId: 'x', role: 'audience' }),
    );
    expect(audience.code).toBe('UNSUPPORTED');
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(b.publish());
    await t.until('alice sees bob', () => !!a.state.streams.get('bob:main'));
    expect(await failure(a.subscribe('bob:main', { small: true }))).toMatchObject({ code: 'UNSUPPORTED' });
    t.server.kick(ROOM, 'alice');
    await t.until('kicked', () => a.state.connection.status === 'kicked');
    advance(t.scheduler, 60_000);
    expect(t.server.clients.filter((c) => !c.destroyed)).toHaveLength(1);
  });
});
