/**
 * The Volcengine driver against a fake Volcengine SDK and room service
 * (test/drivers/fakes/fake-volcengine.ts), in virtual time.
 */
import { volcengineDriver } from '../../../src/bindings/drivers/volcengine';
import { createClient, type RtcClient } from '../../../src/streams/create-client';
import { FakeVolcengineServer } from '../fakes/fake-volcengine';
import { result, virtualScheduler, virtualUntil, type ConformanceHarness } from './harness';
import { runConformance } from './suite';

function volcengineHarness(): ConformanceHarness {
  const server = new FakeVolcengineServer();
  const scheduler = virtualScheduler();
  const roomId = 'volc-room';
  const clients: RtcClient[] = [];
  const driver = () => volcengineDriver({ sdk: server.sdk, appId: server.appId, scheduler });
  const member = (userId: string) => {
    const m = server.room(roomId).get(userId);
    if (!m) throw new Error(`${userId} is not in ${roomId}`);
    return m;
  };
  return {
    driverName: 'volcengine',
    capabilities: driver().capabilities,
    userIds: ['alice', 'bob', 'carol'],
    roomId,
    traits: { presence: true, recovery: 'rejoined' },
    client() {
      const client = createClient({ driver: driver(), scheduler });
      clients.push(client);
      return client;
    },
    async join(client, userId) {
      await result(client.join({ token: 'volc-token', roomId, userId }));
    },
    refusedJoin: { token: 'bad', expected: 'TOKEN_INVALID', vendorCode: 'volcengine 200004 LOGIN_FAILED' },
    until: virtualUntil(scheduler),
    async kick(userId) {
      server.kick(roomId, userId);
    },
    async drop(userId) {
      server.drop(roomId, userId);
    },
    async backgroundError(userId) {
      member(userId).client.fire(server.sdk.EVENTS.ERROR, { errMsg: 'SocketTask onError' });
      return 'CONNECTION_LOST';
    },
    receiving(userId, streamId) {
      const uid = streamId.slice(0, streamId.lastIndexOf(':'));
      const reception = member(userId).client.receptions.get(uid);
      return reception ? { audio: !reception.audioMuted, video: !reception.videoMuted } : null;
    },
    reports: (userId) => member(userId).client.reports,
    async teardown() {
      for (const c of clients) c.destroy();
    },
  };
}

runConformance('volcengine', async () => volcengineHarness());
