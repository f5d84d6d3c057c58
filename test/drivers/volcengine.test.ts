/**
 * What is particular to the Volcengine driver, over the fake Volcengine SDK and service in virtual
 * time: visibility, business id, stats reports, vendor URL and failure events, both-tracks-muted
 * streams, and the rejoin after DISCONNECT.
 */
import { volcengineDriver, type VolcengineDriverOptions } from '../../src/bindings/drivers/volcengine';
import {
  decodePlayerNetStatus,
  decodePlayerStateChange,
  decodePusherNetStatus,
  decodePusherStateChange,
} from '../../src/bindings/native/decode';
import { createClient, type RtcClient } from '../../src/streams/create-client';
import { selectPeer, selectStream, selectStreamList } from '../../src/streams/selectors';
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
    expect(selectPeer('bob')(a.state)).toBeNull();
    expect(await failure(b.publish())).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(await result(b.setVisibility(true))).toMatchObject({ userId: 'bob', visible: true });
    await t.until('alice sees bob', () => !!selectPeer('bob')(a.state));
    expect(b.state.self).toMatchObject({ visible: true });
  });

  it('sets the business id before join; after join it answers INVALID_STATE and calls nothing (seed 001 setBusinessId)', async () => {
    t = setup();
    const a = await t.joined('alice', { businessId: 'class-a' });
    const client = t.server.clients[0]!;
    expect(client.calls.slice(0, 3)).toEqual(['init', 'setBusinessId:class-a', 'join']);
    expect(client.businessId).toBe('class-a');
    const calls = client.calls.length;
    expect(await failure(a.setBusinessId('class-b'))).toMatchObject({ code: 'INVALID_STATE' });
    expect(client.calls.length).toBe(calls);
    expect(client.businessId).toBe('class-a');
    expect(a.state.self?.businessId).toBe('class-a');
  });

  it('every native state and net event goes to its report* method at once, with the documented arguments', async () => {
    t = setup();
    const a = await t.joined('alice');
    for (const code of [1001, 1002, 1003])
      a.dispatchNative(decodePusherStateChange({ detail: { code, message: `state ${code}` } }));
    a.dispatchNative(decodePusherNetStatus({ detail: { info: { videoFPS: 15 } } }));
    const player = (detail: object) => ({ currentTarget: { dataset: { streamId: 'bob:main' } }, detail });
    a.dispatchNative(decodePlayerStateChange(player({ code: 2004 })));
    a.dispatchNative(decodePlayerStateChange(player({ code: 2105, message: 'lag' })));
    a.dispatchNative(decodePlayerNetStatus(player({ info: { videoFPS: 12 } })));
    expect(t.server.clients[0]!.reports).toEqual([
      { method: 'reportPusherStateChange', args: [1001, 'state 1001'] },
      { method: 'reportPusherStateChange', args: [1002, 'state 1002'] },
      { method: 'reportPusherStateChange', args: [1003, 'state 1003'] },
      { method: 'reportPusherNetStatusChange', args: [expect.objectContaining({ videoFPS: 15 })] },
      { method: 'reportPlayerStateChange', args: ['bob', 2004, ''] },
      { method: 'reportPlayerStateChange', args: ['bob', 2105, 'lag'] },
      { method: 'reportPlayerNetStatusChange', args: ['bob', expect.objectContaining({ videoFPS: 12 })] },
    ]);
    // No second, sampled copy: client.report is not offered by this driver.
    expect(await failure(a.report({ kind: 'pusher-state', code: 1002 }))).toMatchObject({
      code: 'UNSUPPORTED',
    });
  });

  it('passes the subscribe options and both mute booleans every time (seed 001 subscribe, muteLocal, muteRemote)', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(b.publish());
    await t.until('alice sees bob', () => !!selectStream('bob:main')(a.state));
    await result(a.subscribe('bob:main', { audio: false }));
    const alice = t.server.clients[0]!;
    expect(alice.calls).toContain('subscribe:bob:{"audio":false,"video":true,"screen":false}');
    expect(alice.receptions.get('bob')?.options).toEqual({ audio: false, video: true, screen: false });
    await result(a.muteRemote('bob:main', { video: true }));
    expect(alice.calls).toContain('muteRemote:bob:{"audio":false,"video":true,"screen":false}');
    expect(alice.receptions.get('bob')).toMatchObject({ audioMuted: false, videoMuted: true });
    await result(a.muteRemote('bob:main', { video: false }));
    expect(alice.receptions.get('bob')).toMatchObject({ videoMuted: false });
    await result(b.muteLocal({ audio: true }));
    expect(t.server.clients[1]!.calls).toContain('muteLocal:{"audio":true,"video":false}');
    await result(a.unsubscribe('bob:main'));
    expect(alice.calls).toContain('unsubscribe:bob:{"screen":false}');
  });

  it('room limits of the document: a 21st visible user gets ROOM_FULL, a 9th publisher PUBLISHER_LIMIT', async () => {
    t = setup();
    for (let i = 0; i < 20; i++) t.server.fill(ROOM, `user${i}`, i < 8);
    expect(await failure(t.client().join({ token: 'tok', roomId: ROOM, userId: 'late' }))).toMatchObject({
      code: 'ROOM_FULL',
      reason: expect.stringContaining('volcengine 200005'),
    });
    // Invisible users do not count; the driver sees the 8 publishers and refuses a 9th at once.
    const watcher = await t.joined('watcher', { visible: false });
    await t.until('8 streams seen', () => selectStreamList(watcher.state).length === 8);
    t.server.room(ROOM).delete('user19');
    await result(watcher.setVisibility(true));
    const calls = t.server.clients.find((c) => c.calls.includes('join') && !c.destroyed)!.calls.length;
    expect(await failure(watcher.publish())).toMatchObject({ code: 'PUBLISHER_LIMIT' });
    expect(t.server.clients.find((c) => c.calls.includes('join') && !c.destroyed)!.calls.length).toBe(calls);
  });

  it('UPDATE_URL and STREAM_FAILED become url-updated and stream-failed', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(b.publish());
    await t.until('alice sees bob', () => !!selectStream('bob:main')(a.state));
    await result(a.publish());
    await result(a.subscribe('bob:main'));
    const seen = events(a);
    const client = t.server.clients[0]!;
    client.fire(EVENTS.UPDATE_URL, { uid: 'alice', screen: false, url: 'rtmp://volc.test/push/again' });
    client.fire(EVENTS.UPDATE_URL, { uid: 'bob', screen: false, url: 'rtmp://volc.test/play/again' });
    client.fire(EVENTS.STREAM_FAILED, { uid: 'bob', screen: false, reason: 'pull failed' });
    await t.until(
      'urls',
      () => selectStream('bob:main')(a.state)?.subscription?.url === 'rtmp://volc.test/play/again',
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
    await t.until('alice sees the share', () => !!selectStream('bob:screen')(a.state));
    expect(selectStream('bob:screen')(a.state)).toMatchObject({
      kind: 'screen',
      hasAudio: false,
      videoMuted: false,
    });
    t.server.clients[0]!.fire(EVENTS.STREAM_REMOVED, { uid: 'bob', screen: true });
    await t.until('share gone', () => !selectStream('bob:screen')(a.state));
  });

  it('a stream whose both tracks are muted is removed for the others, and comes back', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(b.publish());
    await t.until('alice sees bob', () => !!selectStream('bob:main')(a.state));
    await result(b.muteLocal({ audio: true, video: true }));
    await t.until('bob:main removed', () => !selectStream('bob:main')(a.state));
    await result(b.muteLocal({ video: false }));
    await t.until('bob:main back', () => selectStream('bob:main')(a.state)?.videoMuted === false);
    expect(t.server.clients[1]!.calls).toEqual(
      expect.arrayContaining([
        'muteLocal:{"audio":true,"video":true}',
        'muteLocal:{"audio":true,"video":false}',
      ]),
    );
    expect(selectStream('bob:main')(a.state)?.audioMuted).toBe(true);
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
    await t.until('alice sees bob', () => !!selectStream('bob:main')(a.state));
    expect(await failure(a.subscribe('bob:main', { small: true }))).toMatchObject({ code: 'UNSUPPORTED' });
    t.server.kick(ROOM, 'alice');
    await t.until('kicked', () => a.state.connection.status === 'kicked');
    advance(t.scheduler, 60_000);
    expect(t.server.clients.filter((c) => !c.destroyed)).toHaveLength(1);
  });
});
