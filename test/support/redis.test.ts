/**
 * The throwaway Redis of the cluster tests: it answers, a restart loses the data, stop frees the
 * port, and a missing binary is an error naming the install command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { REDIS_INSTALL_HINT, requireRedisServer, startRedis, type TestRedis } from './redis';

jest.setTimeout(60_000);

let redis: TestRedis | undefined;
const clients: Redis[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) if (c.status === 'ready') await c.quit();
  await redis?.stop();
  redis = undefined;
});

/** A client that fails a command at once instead of queueing it while disconnected. */
function client(url: string): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  clients.push(c);
  return c;
}

it('starts on 127.0.0.1, keeps data until a restart, which empties it on the same port', async () => {
  redis = await startRedis();
  expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
  const before = client(redis.url);
  await before.connect();
  await before.set('k', 'v');
  expect(await before.get('k')).toBe('v');
  expect(await before.config('GET', 'save')).toEqual(['save', '']);
  expect(await before.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
  await before.quit();
  const pid = redis.pid;
  await redis.restart();
  expect(redis.pid).not.toBe(pid);
  const after = client(redis.url);
  await after.connect();
  expect(await after.get('k')).toBeNull();
});

it('stop ends the process and frees the port', async () => {
  redis = await startRedis();
  const { url } = redis;
  await redis.stop();
  const refused = await new Promise<string>((resolve) => {
    const socket = connect(redis!.port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
  expect(refused).toBe('ECONNREFUSED');
  expect(url).toBe(`redis://127.0.0.1:${redis.port}`);
});

it('a missing redis-server is an error naming the install command', () => {
  const empty = mkdtempSync(join(tmpdir(), 'rxroom-no-redis-'));
  try {
    expect(() => requireRedisServer(empty)).toThrow(REDIS_INSTALL_HINT);
    expect(() => requireRedisServer()).not.toThrow();
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
