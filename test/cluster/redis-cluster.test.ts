/**
 * The multi-node server on a Redis Cluster (`--redis-cluster`): three Redis shards joined by
 * `redis-cli --cluster create`, three rxroom nodes. Every key of a room carries the hash tag
 * `{room}`, so a room's scripts run on the shard of its slot; rooms are spread over the shards.
 * Raw protocol clients; nothing here asserts a duration.
 */
import { Cluster as RedisClusterClient } from 'ioredis';
import { DEV_SECRET } from '../../server';
import type { JoinAckData } from '../../src/protocol';
import { Client, closeClients, token } from '../server/support';
import { startCluster, withClusterLogs, type Cluster } from '../support/cluster';
import { startRedisCluster, type TestRedisCluster } from '../support/redis';

jest.setTimeout(120_000);

let redis: TestRedisCluster | undefined;
let cluster: Cluster | undefined;

beforeAll(async () => {
  redis = await startRedisCluster(3);
  cluster = await startCluster({
    nodes: 3,
    redis,
    grace: 3000,
    nodeTtl: 1000,
    flags: { 'redis-cluster': true },
  });
}, 120_000);

afterEach(async () => {
  await closeClients();
});

afterAll(async () => {
  await cluster?.stop();
  await redis?.stop();
});

async function join(url: string, room: string, user: string): Promise<{ client: Client; ack: JoinAckData }> {
  const client = await Client.open(url);
  const ack = await client.ok('join', { token: await token(room, user, { secret: DEV_SECRET }), room, user });
  return { client, ack };
}

it(
  "a burst of pushes reaches the clients of other doors in the room's order",
  withClusterLogs(
    () => cluster,
    async () => {
      const [n1, n2, n3] = cluster!.nodes;
      const room = 'hotel';
      // a's door n1 is the home; b and c are relayed to it by n2 and n3.
      const a = await join(n1!.url, room, 'a');
      const b = await join(n2!.url, room, 'b');
      const c = await join(n3!.url, room, 'c');
      // 80 messages each from a and c, sent without waiting (within the rate limiter's burst).
      const sent = (from: string) => Array.from({ length: 80 }, (_, i) => `${from}${i}`);
      await Promise.all([
        ...sent('a').map((content) => a.client.ok('message', { name: 'n', content })),
        ...sent('c').map((content) => c.client.ok('message', { name: 'n', content })),
      ]);
      await b.client.next('message', (m) => m.content === 'a79');
      await b.client.next('message', (m) => m.content === 'c79');
      const got = b.client.pushes('message').map((m) => m.content as string);
      // b's pushes came in the home's order (their seqs are checked when the clients close), and
      // each sender's messages in the order it sent them.
      expect(got.filter((t) => t.startsWith('a'))).toEqual(sent('a'));
      expect(got.filter((t) => t.startsWith('c'))).toEqual(sent('c'));
    },
  ),
);

it(
  'rooms on every shard: joins, pushes and messages cross the nodes, and a dead home is taken over',
  withClusterLogs(
    () => cluster,
    async () => {
      const c = cluster!;
      const [n1, n2, n3] = c.nodes;
      const rooms = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
      // Their keys land on different shards (by the slot of the room id).
      const shards = clusterClient(redis!);
      try {
        const owners = new Set<string>();
        for (const room of rooms) {
          const slot = (await shards.cluster('KEYSLOT', `rxroom:room:{${room}}:owner`)) as number;
          owners.add(shardOf(await shards.cluster('SLOTS'), slot));
        }
        expect(owners.size).toBeGreaterThan(1);
      } finally {
        shards.disconnect();
      }
      for (const room of rooms) {
        const a = await join(n1!.url, room, 'a');
        const b = await join(n2!.url, room, 'b');
        const cc = await join(n3!.url, room, 'c');
        await a.client.ok('publish', { audio: true, video: true });
        await b.client.ok('attrs-set', { attributes: { room } });
        await cc.client.ok('message', { name: 'chat', content: `hello ${room}` });
        for (const x of [b, cc]) await x.client.next('stream-added');
        for (const x of [a, cc]) await x.client.next('attributes-changed');
        for (const x of [a, b]) expect((await x.client.next('message')).content).toBe(`hello ${room}`);
        const view = await c.admin<{ node: string; sessions: unknown[]; attributes: Record<string, string> }>(
          `/admin/rooms/${room}`,
          n3,
        );
        expect(view.body).toMatchObject({ node: 'n1', attributes: { room } });
        expect(view.body.sessions).toHaveLength(3);
      }
      // n1 dies. In golf (home n2) b sees a, whose door was n1, reconnecting; alpha (home n1) is
      // taken over by a survivor, from its shard, when d joins it.
      const b = await join(n2!.url, 'golf', 'b');
      await join(n1!.url, 'golf', 'a');
      expect((await c.admin<{ node: string }>('/admin/rooms/golf', n3)).body.node).toBe('n2');
      await n1!.kill();
      const gone = await b.client.next('peer-reconnecting');
      expect(gone.user).toBe('a');
      const other = await join(n3!.url, 'alpha', 'd');
      expect(other.ack.mode).toBe('joined');
      expect((await c.admin<{ node: string }>('/admin/rooms/alpha', n3)).body.node).not.toBe('n1');
    },
  ),
);

/** The address of the shard serving `slot`, from CLUSTER SLOTS. */
function shardOf(slots: unknown, slot: number): string {
  for (const range of slots as [number, number, [string, number]][]) {
    if (slot >= range[0] && slot <= range[1]) return `${range[2][0]}:${range[2][1]}`;
  }
  throw new Error(`no shard serves slot ${slot}`);
}

/** A client of the whole Redis Cluster, from its first shard. */
function clusterClient(r: TestRedisCluster): RedisClusterClient {
  return new RedisClusterClient([{ host: '127.0.0.1', port: r.port }]);
}
