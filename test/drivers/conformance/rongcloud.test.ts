/**
 * The RongCloud driver over the real `@rongcloud/plugin-wechat-rtc` package, set up on a fake
 * engine context and a fake RongCloud service (test/drivers/fakes/fake-rongcloud.ts). The plugin
 * keeps its component contexts in module globals, so each user gets its own copy of the module,
 * as each phone has its own.
 */
import { BehaviorSubject } from 'rxjs';
import { rongcloudDriver, type RongCloudConnectionStatus } from '../../../src/bindings/drivers/rongcloud';
import { createClient, type RtcClient } from '../../../src/streams/create-client';
import {
  FakeRongCloudServer,
  pluginFor,
  setUpPlugin,
  unrefTimers,
  type FakePluginContext,
} from '../fakes/fake-rongcloud';
import { result, turn, virtualScheduler, virtualUntil, type ConformanceHarness } from './harness';
import { runConformance } from './suite';

unrefTimers();

function rongcloudHarness(): ConformanceHarness {
  const server = new FakeRongCloudServer();
  const scheduler = virtualScheduler();
  const roomId = 'rc-room';
  const [A, B, C] = ['alice', 'bob', 'carol'] as const;
  const clients: RtcClient[] = [];
  const im = new Map<
    string,
    { context: FakePluginContext; status: BehaviorSubject<RongCloudConnectionStatus> }
  >();
  const imOf = (userId: string) => {
    const entry = im.get(userId);
    if (!entry) throw new Error(`no IM client for ${userId}`);
    return entry;
  };
  const make = (userId: string) => {
    const context = server.connect(userId);
    const status = new BehaviorSubject<RongCloudConnectionStatus>('connected');
    im.set(userId, { context, status });
    const plugin = pluginFor(userId);
    // The third user joins where it is already in the room elsewhere, with joinType REFUSE.
    if (userId === C) server.occupy(roomId, C);
    return rongcloudDriver({
      client: setUpPlugin(plugin, context, server.runtime(userId)),
      plugin,
      scheduler,
      connection$: status,
      ...(userId === C ? { joinType: 1 as const } : {}),
    });
  };
  return {
    driverName: 'rongcloud',
    capabilities: make('capabilities').capabilities,
    userIds: [A, B, C],
    roomId,
    traits: { presence: true, recovery: 'resumed' },
    client(userId) {
      const client = createClient({ driver: make(userId), scheduler });
      clients.push(client);
      return client;
    },
    async join(client, userId) {
      await result(client.join({ token: 'im-connected', roomId, userId }));
    },
    refusedJoin: {
      token: 'im-connected',
      expected: 'DUPLICATE_SESSION',
      vendorCode: 'rongcloud 40032 → 53029',
    },
    until: virtualUntil(scheduler),
    async kick(userId) {
      server.kick(roomId, userId);
    },
    async drop(userId) {
      const { context, status } = imOf(userId);
      context.suspend();
      status.next('suspended');
      await turn();
      context.reconnect();
      status.next('connected');
    },
    async backgroundError() {
      // The plugin reports no errors outside its calls.
      return null;
    },
    async teardown() {
      for (const c of clients) c.destroy();
      // Let the plugin finish leaving (its invoker and MediaServer /exit run on timers).
      for (let i = 0; i < 5; i++) await turn();
    },
  };
}

runConformance('rongcloud', async () => rongcloudHarness());
