/**
 * The built-in driver (rxroom's own protocol) against the real reference server on 127.0.0.1,
 * with clients on the Node platform: the yardstick the vendor drivers are held to. Real sockets,
 * so `until` waits for the clients' state to change.
 */
import { filter, firstValueFrom, merge, startWith, throwError, timeout } from 'rxjs';
import { protocolDriver } from '../../../src/bindings/protocol/protocol-driver';
import { nodePlatform } from '../../../src/bindings/node-platform';
import { Harness, type TestClient } from '../../support/integration';
import { type ConformanceHarness } from './harness';
import { runConformance } from './suite';

const ADMIN = 'conformance-admin';

async function rxroomHarness(): Promise<ConformanceHarness> {
  const server = new Harness({ adminSecret: ADMIN });
  await server.start();
  const roomId = 'conformance-room';
  const clients = new Map<string, TestClient>();
  const testClient = (userId: string) => {
    const c = clients.get(userId);
    if (!c) throw new Error(`no client for ${userId}`);
    return c;
  };
  return {
    driverName: 'rxroom',
    capabilities: protocolDriver({ url: server.server.url, platform: nodePlatform() }).capabilities,
    userIds: ['alice', 'bob', 'carol'],
    roomId,
    traits: { presence: true, recovery: 'resumed', tags: true },
    client(userId) {
      const c = server.client(userId);
      clients.set(userId, c);
      return c.client;
    },
    async join(client, userId, options = {}) {
      const c = testClient(userId);
      if (c.client !== client) throw new Error(`${userId} has another client`);
      await server.join(c, roomId, options);
    },
    refusedJoin: { token: 'not-a-jwt', expected: 'TOKEN_INVALID', vendorCode: 'server TOKEN_INVALID' },
    async until(what, test) {
      // Real sockets: wait for the clients' own state changes (with a deadline), not for time.
      const changes = merge(...[...clients.values()].map((c) => c.client.room$));
      await firstValueFrom(
        changes.pipe(
          startWith(null),
          filter(() => test()),
          timeout({ first: 5000, with: () => throwError(() => new Error(`never happened: ${what}`)) }),
        ),
      );
    },
    async kick(userId) {
      const res = await fetch(`${server.server.httpUrl}/admin/rooms/${roomId}/kick`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user: userId }),
      });
      if (!res.ok) throw new Error(`kick failed: ${res.status}`);
    },
    async drop(userId) {
      testClient(userId).platform.dropSockets();
    },
    async backgroundError() {
      // Nothing in the protocol fails outside a call without also ending the connection.
      return null;
    },
    async teardown() {
      await server.stop();
    },
  };
}

runConformance('rxroom', rxroomHarness);
