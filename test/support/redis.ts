/**
 * A throwaway Redis for the multi-node server's tests: `redis-server` on a free port of 127.0.0.1,
 * no persistence (nothing is written to disk, a restart starts empty), its own temporary working
 * directory, stopped by its PID.
 *
 * It comes from `apt-get install redis-server` (`.ci/run` installs it). As with nginx and ffmpeg
 * for the media tests, a missing binary is an error naming that command: the tests fail, never skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, until } from '../../examples/demo/media';
import { startProcess, type TestProcess } from './process';

/** The install command a missing redis-server calls for. */
export const REDIS_INSTALL_HINT = 'apt-get install -y --no-install-recommends redis-server';

/** Throws, naming the install command, when `redis-server` is not on `path` (default: PATH). */
export function requireRedisServer(path = process.env.PATH ?? ''): void {
  const found = spawnSync('/bin/sh', ['-c', 'command -v redis-server'], {
    stdio: 'ignore',
    env: { PATH: path },
  });
  if (found.status !== 0) {
    const where = process.env.CI === 'true' ? ' (CI: .ci/run installs it)' : '';
    throw new Error(`the cluster tests need redis-server on PATH${where}: ${REDIS_INSTALL_HINT}`);
  }
}

/** A running throwaway Redis. */
export interface TestRedis {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** The PID of the current redis-server (a new one after {@link TestRedis.restart}). */
  readonly pid: number;
  /** The process's output so far, for failure messages. */
  output(): string;
  /** Stops it by PID (SIGTERM, then waits for the exit) and removes its directory. */
  stop(): Promise<void>;
  /** Stops it and starts a new, empty one on the same port: a Redis restart that lost its data. */
  restart(): Promise<void>;
}

/** True once something on `port` answers PING with PONG. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: string) => {
      reply += d;
      if (!reply.includes('\r\n')) return;
      socket.destroy();
      resolve(reply.startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
  });
}

function launch(port: number, dir: string, extra: readonly string[] = []): TestProcess {
  return startProcess(
    'redis-server',
    [
      ...extra,
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      '--databases',
      '1',
    ],
    { name: `redis-server :${port}`, echo: !!process.env.DEBUG },
  );
}

/** Starts redis-server on `port` and resolves once it answers PING, or rejects if it ended first. */
async function ready(port: number, dir: string, extra: readonly string[] = []): Promise<TestProcess> {
  const proc = launch(port, dir, extra);
  await until(async () => {
    if (proc.done()) throw new Error(`redis-server on port ${port} ended at start:\n${proc.output()}`);
    return pong(port);
  }, `redis-server on port ${port}`);
  return proc;
}

/** Starts a throwaway Redis on a free port of 127.0.0.1. */
export async function startRedis(): Promise<TestRedis> {
  requireRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'rxroom-redis-'));
  let port = 0;
  let proc: TestProcess | undefined;
  // The free port is released before redis binds it: another process may take it in between.
  for (let attempt = 1; !proc; attempt++) {
    port = await freePort();
    try {
      proc = await ready(port, dir);
    } catch (e) {
      if (attempt === 3) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
  let current: TestProcess = proc;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return current.pid;
    },
    output: () => current.output(),
    async stop() {
      await current.stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await current.stop('SIGTERM');
      current = await ready(port, dir);
    },
  };
}

/**
 * A throwaway Redis Cluster, usable wherever a {@link TestRedis} is: its URL and PID are the first
 * shard's (the seed a client starts from); it cannot restart.
 */
export interface TestRedisCluster extends TestRedis {
  readonly ports: readonly number[];
}

/**
 * Starts `shards` redis-server processes in cluster mode on free ports (each with its bus port
 * chosen free too), joins them with `redis-cli --cluster create` (redis-cli comes with
 * redis-server's package) and resolves once every shard says `cluster_state:ok`.
 */
export async function startRedisCluster(shards = 3): Promise<TestRedisCluster> {
  requireRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'rxroom-redis-cluster-'));
  const procs: TestProcess[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop('SIGTERM')));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < shards; i++) {
      const port = await freePort();
      const bus = await freePort();
      const conf = join(dir, `nodes-${port}.conf`);
      procs.push(
        await ready(port, dir, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          conf,
          '--cluster-port',
          String(bus),
        ]),
      );
      ports.push(port);
    }
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    await until(
      async () =>
        ports.every((port) =>
          spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], {
            encoding: 'utf8',
          }).stdout.includes('cluster_state:ok'),
        ),
      'the Redis Cluster to be ok',
    );
  } catch (e) {
    await stop();
    throw e;
  }
  const first = procs[0];
  if (!first || ports[0] === undefined) throw new Error('a Redis Cluster needs at least one shard');
  return {
    url: `redis://127.0.0.1:${ports[0]}`,
    port: ports[0],
    pid: first.pid,
    ports,
    output: () => procs.map((p) => p.output()).join('\n'),
    stop,
    restart: () => Promise.reject(new Error('a test Redis Cluster does not restart')),
  };
}
