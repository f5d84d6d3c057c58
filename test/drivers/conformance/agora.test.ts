/**
 * The Agora driver against a fake Agora service (test/drivers/fakes/fake-agora.ts), in virtual
 * time.
 */
import { agoraDriver } from '../../../src/bindings/drivers/agora';
import { createClient, type RtcClient } from '../../../src/streams/create-client';
import { FakeAgoraServer } from '../fakes/fake-agora';
import { result, virtualScheduler, virtualUntil, type ConformanceHarness } from './harness';
import { runConformance } from './suite';

function agoraHarness(): ConformanceHarness {
  const server = new FakeAgoraServer();
  const scheduler = virtualScheduler();
  const roomId = 'agora-room';
  const clients: RtcClient[] = [];
  const driver = () => agoraDriver({ sdk: server.sdk, appId: server.appId, scheduler });
  const member = (userId: string) => {
    const m = server.channel(roomId).get(userId);
    if (!m) throw new Error(`${userId} is not in ${roomId}`);
    return m;
  };
  return {
    driverName: 'agora',
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
    async teardown() {
      for (const c of clients) c.destroy();
    },
  };
}

runConformance('agora', async () => agoraHarness());
