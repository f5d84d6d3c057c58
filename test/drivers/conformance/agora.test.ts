/**
 * The Agora driver against the fake Agora service (test/drivers/fakes/fake-agora.ts), in virtual
 * time, in both of its contracts: the vendor document's callbacks (default) and the newer
 * promise SDK (`contract: 'promise'`), each over its own fake client.
 */
import { agoraDriver, type AgoraDriverOptions } from '../../../src/bindings/drivers/agora';
import { createClient, type RtcClient } from '../../../src/streams/create-client';
import { FakeAgoraServer } from '../fakes/fake-agora';
import { result, virtualScheduler, virtualUntil, type ConformanceHarness } from './harness';
import { runConformance } from './suite';

function agoraHarness(contract: 'callback' | 'promise'): ConformanceHarness {
  const server = new FakeAgoraServer();
  const scheduler = virtualScheduler();
  const roomId = 'agora-room';
  const clients: RtcClient[] = [];
  const options = (): AgoraDriverOptions =>
    contract === 'promise'
      ? { contract, sdk: server.promiseSdk, appId: server.appId, scheduler }
      : { sdk: server.sdk, appId: server.appId, scheduler };
  const driver = () => agoraDriver(options());
  const member = (userId: string) => {
    const m = server.channel(roomId).get(userId);
    if (!m) throw new Error(`${userId} is not in ${roomId}`);
    return m;
  };
  return {
    driverName: 'agora',
    matrixColumn: contract === 'promise' ? 'agora (promise)' : 'agora',
    capabilities: driver().capabilities,
    userIds: ['1001', '1002', '1003'],
    roomId,
    traits: { presence: false, recovery: 'rejoined' },
    client() {
      const client = createClient({ driver: driver(), scheduler });
      clients.push(client);
      return client;
    },
    async join(client, userId) {
      await result(client.join({ token: 'agora-token', roomId, userId }));
    },
    refusedJoin: { token: 'bad', expected: 'TOKEN_MISMATCH', vendorCode: 'agora 401' },
    until: virtualUntil(scheduler),
    async kick(userId) {
      server.kick(roomId, Number(userId));
    },
    async drop(userId) {
      server.drop(roomId, Number(userId));
    },
    async backgroundError(userId) {
      member(userId).client.fire('error', { code: 903, reason: 'request timed out' });
      return 'TIMEOUT';
    },
    receiving(userId, streamId) {
      const uid = streamId.slice(0, streamId.lastIndexOf(':'));
      const reception = member(userId).client.receptions.get(uid);
      return reception ? { audio: !reception.audioMuted, video: !reception.videoMuted } : null;
    },
    ...(contract === 'promise' ? { reports: (userId: string) => member(userId).client.reports } : {}),
    async teardown() {
      for (const c of clients) c.destroy();
      expect(server.uncaught).toEqual([]);
    },
  };
}

runConformance('agora', async () => agoraHarness('callback'));
runConformance('agora (promise contract)', async () => agoraHarness('promise'));
