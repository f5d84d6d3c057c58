/**
 * What is particular to the RongCloud driver, over the real `@rongcloud/plugin-wechat-rtc` on the
 * fake engine and service: attributes and messages between clients, a second device, the plugin's
 * own resume after an IM drop, rxroom's rejoin after the plugin gives up, and the component
 * contexts the driver stands in for.
 */
import { BehaviorSubject } from 'rxjs';
import { rongcloudDriver, type RongCloudConnectionStatus } from '../../src/bindings/drivers/rongcloud';
import { decodePusherNetStatus } from '../../src/bindings/native/decode';
import { delaysReconnectPolicy } from '../../src/operators/reconnect-policy';
import { createClient, type RtcClient } from '../../src/streams/create-client';
import type { RoomEvent } from '../../src/streams/room-event';
import { selectStream } from '../../src/streams/selectors';
import { failure, result, turn, virtualScheduler, virtualUntil } from './conformance/harness';
import {
  FakeRongCloudServer,
  pluginFor,
  setUpPlugin,
  unrefTimers,
  type FakePluginContext,
} from './fakes/fake-rongcloud';

const ROOM = 'rc-room';

unrefTimers();

function setup() {
  const server = new FakeRongCloudServer();
  const scheduler = virtualScheduler();
  const until = virtualUntil(scheduler);
  const clients: RtcClient[] = [];
  const joined = async (userId: string, device = userId, tag?: string) => {
    const context = server.connect(userId);
    const status = new BehaviorSubject<RongCloudConnectionStatus>('connected');
    const plugin = pluginFor(device);
    const client = createClient({
      driver: rongcloudDriver({
        client: setUpPlugin(plugin, context, server.runtime(userId)),
        plugin,
        scheduler,
        connection$: status,
        reconnect: { policy: delaysReconnectPolicy([1000, 1000, 1000]) },
        ...(tag ? { tag } : {}),
      }),
      scheduler,
    });
    clients.push(client);
    await result(client.join({ token: 'im', roomId: ROOM, userId }));
    const events: RoomEvent[] = [];
    client.events$.subscribe((e) => events.push(e));
    return { client, context, status, plugin, events };
  };
  const drop = (user: { context: FakePluginContext; status: BehaviorSubject<RongCloudConnectionStatus> }) => {
    user.context.suspend();
    user.status.next('suspended');
  };
  const back = (user: { context: FakePluginContext; status: BehaviorSubject<RongCloudConnectionStatus> }) => {
    user.context.reconnect();
    user.status.next('connected');
  };
  return {
    server,
    until,
    joined,
    drop,
    back,
    async teardown() {
      clients.forEach((c) => c.destroy());
      for (let i = 0; i < 5; i++) await turn();
    },
  };
}

let t: ReturnType<typeof setup>;
afterEach(async () => {
  jest.useRealTimers();
  await t.teardown();
});

describe('rongcloud driver', () => {
  it('media settings: the rc-livepusher / rc-liveplayer properties of seed 003, UNSUPPORTED beyond them', async () => {
    t = setup();
    const alice = await t.joined('alice');
    // 推流组件 / 配置属性: beauty, whiteness, devicePosition, filter …
    expect(await result(alice.client.setPusher({ beauty: 3, whiteness: 2, filter: 'pink' }))).toMatchObject({
      beauty: 3,
      whiteness: 2,
      filter: 'pink',
    });
    expect((await result(alice.client.switchCamera())).devicePosition).toBe('back');
    // Not among its properties: fps, voice changer, mode.
    expect(await failure(alice.client.setPusher({ fps: 20 }))).toMatchObject({
      code: 'UNSUPPORTED',
      reason: 'rongcloud cannot set the pusher attribute fps',
    });
    // 拉流组件 / 配置属性: muted, objectFit, pictureInPictureMode …; sound-mode is setAudioOutputDevice.
    expect(
      await result(
        alice.client.setPlayer('bob:main', {
          muted: true,
          objectFit: 'contain',
          pictureInPictureMode: ['push'],
          soundMode: 'ear',
        }),
      ),
    ).toMatchObject({ muted: true, objectFit: 'contain', pictureInPictureMode: ['push'], soundMode: 'ear' });
    expect(await failure(alice.client.setPlayer('bob:main', { minCache: 0.5 }))).toMatchObject({
      code: 'UNSUPPORTED',
    });
  });

  it('room attributes: set with notification, read, delete, and present at join', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(a.client.setAttributes({ topic: 'maths', level: '2' }));
    expect(a.client.state.attributes).toEqual({ topic: 'maths', level: '2' });
    await t.until('bob applies the change', () => b.client.state.attributes.topic === 'maths');
    expect(b.events).toContainEqual({
      type: 'attributes-changed',
      set: { topic: 'maths', level: '2' },
      deleted: [],
      by: 'alice',
    });
    expect(await result(b.client.getAttributes(['topic']))).toEqual({ topic: 'maths' });
    await result(a.client.deleteAttributes(['level']));
    await t.until('bob sees the deletion', () => b.client.state.attributes.level === undefined);
    const c = await t.joined('carol');
    expect(c.client.state.attributes).toEqual({ topic: 'maths' });
  });

  it('room messages reach the others as sent, with their unique id; private messages are refused', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(a.client.sendMessage('chat', 'hello'));
    await t.until('bob got it', () => b.events.some((e) => e.type === 'message'));
    // seed 003 sendMessage(name, content): the content goes as given, not wrapped.
    expect(a.context.sent).toContainEqual({ messageType: 'chat', content: 'hello' });
    expect(b.events.find((e) => e.type === 'message')).toEqual({
      type: 'message',
      from: 'alice',
      name: 'chat',
      content: 'hello',
      private: false,
      data: 'hello',
      messageId: expect.stringMatching(/^msg-\d+$/),
    });
    // Another SDK's non-string content (seed 003 onMessageReceive: content any) is kept as given.
    t.server.broadcast(ROOM, 'carol', 'poll', { question: 'lunch?', options: [1, 2] });
    await t.until('bob got the poll', () => b.events.some((e) => e.type === 'message' && e.name === 'poll'));
    expect(b.events.find((e) => e.type === 'message' && e.name === 'poll')).toMatchObject({
      from: 'carol',
      data: { question: 'lunch?', options: [1, 2] },
      content: '{"question":"lunch?","options":[1,2]}',
      messageId: expect.stringMatching(/^msg-\d+$/),
    });
    expect(await failure(a.client.sendMessage('chat', 'psst', { to: 'bob' }))).toMatchObject({
      code: 'UNSUPPORTED',
    });
  });

  it("an attribute change with the app's own notice {name, content} sends it as given (seed 003 setRoomAttribute)", async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    const notice = { name: 'topic-changed', content: '{"topic":"maths"}' };
    await result(a.client.setAttributes({ topic: 'maths' }, { notice }));
    await t.until('bob got the notice', () => b.events.some((e) => e.type === 'message'));
    expect(b.events.find((e) => e.type === 'message')).toMatchObject({
      from: 'alice',
      name: 'topic-changed',
      content: '{"topic":"maths"}',
      data: '{"topic":"maths"}',
    });
    expect(await result(b.client.getAttributes(['topic']))).toEqual({ topic: 'maths' });
    await result(a.client.deleteAttributes(['topic'], { notice: { name: 'topic-gone', content: '' } }));
    await t.until('bob got the second notice', () =>
      b.events.some((e) => e.type === 'message' && e.name === 'topic-gone' && e.content === ''),
    );
    expect(
      await failure(a.client.setAttributes({ k: 'v' }, { notice: { name: '', content: 'x' } })),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('the same user on a second device replaces the first (kicked: replaced)', async () => {
    t = setup();
    const first = await t.joined('alice', 'phone-1');
    await t.joined('alice', 'phone-2');
    await t.until('the first is replaced', () => first.client.state.connection.status === 'kicked');
    expect(first.client.state.connection.kickReason).toBe('replaced');
  });

  it('an IM drop is reconnecting, then resumed; the plugin catches up with what it missed', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(a.client.publish());
    t.drop(a);
    await t.until('reconnecting', () => a.client.state.connection.status === 'reconnecting');
    // Missed while away: the service sends alice nothing.
    await result(b.client.publish());
    await turn();
    expect(selectStream('bob:main')(a.client.state)).toBeNull();
    t.back(a);
    await t.until(
      'resumed with bob:main',
      () => a.client.state.connection.status === 'resumed' && !!selectStream('bob:main')(a.client.state),
    );
    expect(a.events.some((e) => e.type === 'joined')).toBe(false);
    expect(a.events).toContainEqual(expect.objectContaining({ type: 'resumed' }));
    expect(a.client.state.self?.publications['alice:main']).toBeDefined();
  });

  it('when the plugin gives up (pings failing for 30 s) rxroom rejoins and publishes again', async () => {
    // The plugin's pinger and command queue run on setTimeout: fake those clocks (not the
    // microtasks and setImmediate the fakes and `until` use).
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    t = setup();
    const pump = async <T>(promise: Promise<T>): Promise<T> => {
      let done = false;
      const settled = promise.finally(() => (done = true));
      while (!done) await jest.advanceTimersByTimeAsync(10);
      return settled;
    };
    const until = async (what: string, test: () => boolean) => {
      for (let i = 0; i < 200 && !test(); i++) await jest.advanceTimersByTimeAsync(10);
      await t.until(what, test);
    };
    const a = await pump(t.joined('alice'));
    const b = await pump(t.joined('bob'));
    const publication = await pump(result(a.client.publish()));
    await until('bob sees alice', () => !!selectStream('alice:main')(b.client.state));

    t.drop(a);
    await jest.advanceTimersByTimeAsync(31_000);
    await until('the plugin left the room', () =>
      a.events.some(
        (e) =>
          e.type === 'connection' &&
          e.state.status === 'reconnecting' &&
          !!e.state.error?.reason.includes('pings'),
      ),
    );
    // While the IM is down the reconnect waits for it instead of spending attempts.
    expect(a.client.state.connection).toMatchObject({ status: 'reconnecting', waitingForNetwork: true });
    t.back(a);
    await until(
      'rejoined and published',
      () =>
        a.client.state.connection.status === 'rejoined' && !!a.client.state.self?.publications['alice:main'],
    );
    expect(a.client.state.self?.publications['alice:main']?.url).not.toBe(publication.url);
    await until('bob sees alice again', () => !!selectStream('alice:main')(b.client.state));
  });

  it('a stream published under the screen tag is a screen stream', async () => {
    t = setup();
    const a = await t.joined('alice');
    // Publishing under the screen tag, as a share from another platform would be tagged.
    const b = await t.joined('bob', 'bob', 'screenshare');
    await result(b.client.publish({ audio: false }));
    await t.until('alice sees the share', () => !!selectStream('bob:screen')(a.client.state));
    expect(selectStream('bob:screen')(a.client.state)).toMatchObject({
      kind: 'screen',
      hasAudio: false,
      hasVideo: true,
    });
    const sub = await result(a.client.subscribe('bob:screen', { audio: false }));
    expect(sub.url).toContain('bob_screenshare');
  });

  it("a stream under a custom tag is user:tag, apart from the user's main stream (seed 003 publishStream(tag))", async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob', 'bob', 'lecture');
    await result(b.client.publish());
    await t.until('alice sees bob:lecture', () => !!selectStream('bob:lecture')(a.client.state));
    expect(selectStream('bob:lecture')(a.client.state)).toMatchObject({
      kind: 'main',
      tag: 'lecture',
      userId: 'bob',
    });
    expect(selectStream('bob:main')(a.client.state)).toBeNull();
    const sub = await result(a.client.subscribe('bob:lecture'));
    expect(sub.url).toContain('bob_lecture');
    await result(b.client.unpublish());
    await t.until('bob:lecture gone', () => !selectStream('bob:lecture')(a.client.state));
  });

  it('stands in for the components: player mute, and native events to the plugin contexts', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(b.client.publish());
    await t.until('alice sees bob', () => !!selectStream('bob:main')(a.client.state));
    await result(a.client.subscribe('bob:main'));
    const muted: string[] = [];
    a.plugin.__innerGetCoreContext__().addEventListener({
      mute: (msid: string) => muted.push(`mute ${msid}`),
      unmute: (msid: string) => muted.push(`unmute ${msid}`),
    });
    await result(a.client.muteRemote('bob:main', { audio: true }));
    await result(a.client.muteRemote('bob:main', { audio: false }));
    expect(muted).toEqual(['mute bob_RongCloudRTC', 'unmute bob_RongCloudRTC']);

    const net: unknown[] = [];
    a.plugin.__innerGetPusherContext__().on('netStatus', (info: unknown) => net.push(info));
    a.client.dispatchNative(decodePusherNetStatus({ detail: { info: { videoFPS: 15 } } }));
    expect(net).toEqual([{ videoFPS: 15 }]);
  });
});
