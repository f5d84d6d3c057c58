/**
 * The TRTC driver over the real `trtc-wx-sdk` package. What the native `<live-pusher>` would do is
 * replayed by test/drivers/fakes/fake-trtc.ts, through rxroom's own WXML handlers and decoders.
 * Virtual time; the fake `wx` refuses network, and no telemetry request may even be attempted.
 */
import { nativeHandlers } from '../../../src/bindings/native/handlers';
import { trtcDriver } from '../../../src/bindings/drivers/trtc';
import { createClient, type RtcClient } from '../../../src/streams/create-client';
import { FakeLivePusher, FakeTrtcCloud, installFakeWx, loadTrtc } from '../fakes/fake-trtc';
import { result, turn, virtualScheduler, virtualUntil, type ConformanceHarness } from './harness';
import { runConformance } from './suite';

function trtcHarness(): ConformanceHarness {
  const wx = installFakeWx();
  // The SDK logs `Pusher reset` with console.log on every exitRoom, whatever its log level.
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const TRTC = loadTrtc();
  const cloud = new FakeTrtcCloud();
  const scheduler = virtualScheduler();
  const roomId = '8888';
  const clients: RtcClient[] = [];
  const pushers = new Map<string, FakeLivePusher>();
  const pusherOf = (userId: string) => {
    const pusher = pushers.get(userId);
    if (!pusher) throw new Error(`no page for ${userId}`);
    return pusher;
  };
  const driver = (page: object) => trtcDriver({ TRTC, page, sdkAppId: 1400000001, scheduler, logLevel: 4 });
  return {
    driverName: 'trtc',
    capabilities: driver({ pusher: new FakeLivePusher(cloud) }).capabilities,
    userIds: ['alice', 'bob', 'carol'],
    roomId,
    traits: { presence: true, recovery: 'rejoined' },
    client(userId) {
      const page = { pusher: new FakeLivePusher(cloud) };
      pushers.set(userId, page.pusher);
      const d = driver(page);
      const client = createClient({ driver: d, scheduler });
      // What the page does: bind the pusher attributes and the native handlers.
      page.pusher.handlers = nativeHandlers(client);
      d.pusher$.subscribe((attributes) => page.pusher.setAttributes(attributes));
      clients.push(client);
      return client;
    },
    async join(client, userId) {
      await result(client.join({ token: `sig-${userId}`, roomId, userId }));
    },
    refusedJoin: { token: cloud.badSignature, expected: 'TOKEN_INVALID', vendorCode: 'trtc -100018' },
    until: virtualUntil(scheduler),
    async kick(userId) {
      cloud.kick(userId);
    },
    async drop(userId) {
      cloud.drop(userId);
    },
    async backgroundError(userId) {
      pusherOf(userId).error(10001, 'camera permission denied');
      return 'MEDIA_PERMISSION_DENIED';
    },
    async teardown() {
      for (const c of clients) c.destroy();
      // exitRoom's stop callback logs a microtask later.
      await turn();
      log.mockRestore();
      wx.uninstall();
      expect(wx.requests).toEqual([]);
    },
  };
}

runConformance('trtc', async () => trtcHarness());
