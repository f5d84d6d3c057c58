/**
 * A multi-node rxroom server for tests: a throwaway Redis (./redis.ts) and N `rxroom-server`
 * processes run from source (`node --import tsx server/cli.ts --redis … --node-id …`), each on a
 * free port of 127.0.0.1. A node is ready when it prints its `listening on` line. Nodes can be
 * SIGKILLed (a crash), stopped with SIGTERM (a graceful stop, which hands its rooms over) and
 * started again on the same port with the same id. Every process is stopped by its PID.
 *
 * The nodes' stderr (their logs, at `warn` unless DEBUG is set) is kept; {@link withClusterLogs}
 * adds it to a failing test's error, and with DEBUG set it is echoed as it comes.
 */
import { join } from 'node:path';
import { startProcess, type TestProcess } from './process';
import { startRedis, type TestRedis } from './redis';

/** The repository root: the nodes run server/cli.ts from here. */
const ROOT = join(__dirname, '..', '..');
const LISTENING = /^rxroom-server listening on (ws:\/\/\S+) \(http: (http:\/\/\S+)\)$/;

export interface ClusterOptions {
  /** Number of nodes (default 3). */
  readonly nodes?: number;
  /** A Redis to use; by default the cluster starts (and stops) its own. */
  readonly redis?: TestRedis;
  /** `--grace`, ms (default 3000). */
  readonly grace?: number;
  /** `--node-ttl`, ms (default 1000: a killed node's rooms move soon). */
  readonly nodeTtl?: number;
  /** `--admin-secret` (default `cluster-admin`). */
  readonly adminSecret?: string;
  /** More server flags, e.g. `{ 'heartbeat-interval': 400 }` (`true`: a flag without a value). */
  readonly flags?: Readonly<Record<string, string | number | true>>;
  /** Node ids; default `n1`, `n2`, … */
  readonly ids?: readonly string[];
}

/** One node process. Its id, port and URLs stay the same across restarts. */
export interface ClusterNode {
  readonly id: string;
  readonly port: number;
  /** `ws://127.0.0.1:PORT`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` (admin API, /health). */
  readonly httpUrl: string;
  /** The PID of the current process. */
  readonly pid: number;
  /** True while the process runs. */
  alive(): boolean;
  /** SIGKILL: the node dies without a word (its Redis key expires after the node TTL). */
  kill(): Promise<void>;
  /** SIGTERM, and waits for the process to end (a graceful stop). */
  stop(): Promise<void>;
  /** Stops it (SIGTERM) if it runs, then starts it again with the same id on the same port. */
  restart(): Promise<void>;
  /** stderr and stdout of this node's processes so far (the last 16 kB of each). */
  output(): string;
}

export interface Cluster {
  readonly redis: TestRedis;
  readonly nodes: readonly ClusterNode[];
  readonly adminSecret: string;
  /** The nodes whose process runs. */
  live(): ClusterNode[];
  /** The WebSocket URLs of the live nodes (a load balancer's list: see FaultProxy). */
  urls(): string[];
  /** GET (or another method) of an admin path on `node` (default: the first live node). */
  admin<T = unknown>(
    path: string,
    node?: ClusterNode,
    init?: { method?: string; body?: unknown },
  ): Promise<{ status: number; body: T }>;
  /** Every node's output so far, and Redis's, for a failure message. */
  logs(): string;
  /** Stops every node (SIGKILL: nothing to hand over at the end) and the Redis it started. */
  stop(): Promise<void>;
}

/** Starts the node processes (in parallel) and resolves once every one is listening. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.nodes ?? 3;
  const ownRedis = !options.redis;
  const redis = options.redis ?? (await startRedis());
  const adminSecret = options.adminSecret ?? 'cluster-admin';
  const nodes: Node[] = [];
  try {
    const ids = options.ids ?? Array.from({ length: count }, (_, i) => `n${i + 1}`);
    const flags = {
      grace: options.grace ?? 3000,
      'node-ttl': options.nodeTtl ?? 1000,
      'admin-secret': adminSecret,
      ...options.flags,
    };
    for (const id of ids) nodes.push(new Node(id, redis.url, flags));
    await Promise.all(nodes.map((n) => n.start(0)));
  } catch (e) {
    await Promise.all(nodes.map((n) => n.kill()));
    if (ownRedis) await redis.stop();
    throw e;
  }
  const live = () => nodes.filter((n) => n.alive());
  return {
    redis,
    nodes,
    adminSecret,
    live,
    urls: () => live().map((n) => n.url),
    async admin<T>(path: string, node?: ClusterNode, init: { method?: string; body?: unknown } = {}) {
      const target = node ?? live()[0];
      if (!target) throw new Error('no live node to ask');
      const res = await fetch(`${target.httpUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${adminSecret}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    logs: () =>
      [
        ...nodes.map((n) => `--- node ${n.id} (port ${n.port}) ---\n${n.output()}`),
        `--- redis ${redis.url} ---\n${redis.output()}`,
      ].join('\n'),
    async stop() {
      await Promise.all(nodes.map((n) => n.kill()));
      if (ownRedis) await redis.stop();
    },
  };
}

class Node implements ClusterNode {
  private proc: TestProcess | undefined;
  private earlier = '';
  port = 0;

  constructor(
    readonly id: string,
    private readonly redisUrl: string,
    private readonly flags: Readonly<Record<string, string | number | true>>,
  ) {}

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }
  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get pid(): number {
    if (!this.proc) throw new Error(`node ${this.id} has not started`);
    return this.proc.pid;
  }

  alive(): boolean {
    return !!this.proc && !this.proc.done();
  }

  async start(port: number): Promise<void> {
    const args = [
      '--import',
      'tsx',
      'server/cli.ts',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--redis',
      this.redisUrl,
      '--node-id',
      this.id,
      '--log-level',
      process.env.DEBUG ? 'info' : 'warn',
      ...Object.entries(this.flags).flatMap(([flag, value]) =>
        value === true ? [`--${flag}`] : [`--${flag}`, String(value)],
      ),
    ];
    if (this.proc) this.earlier += `${this.proc.output()}\n--- restarted ---\n`;
    const proc = startProcess(process.execPath, args, {
      cwd: ROOT,
      echo: !!process.env.DEBUG,
      name: `node ${this.id}`,
    });
    this.proc = proc;
    const [, url] = await proc.line(LISTENING);
    this.port = Number(new URL(url!).port);
  }

  async kill(): Promise<void> {
    await this.proc?.stop('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.proc?.stop('SIGTERM');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start(this.port);
  }

  output(): string {
    return this.earlier + (this.proc?.output() ?? '');
  }
}

/**
 * Wraps a test body so that, when it fails, the cluster's logs are added to its error (they are
 * not printed otherwise, unless DEBUG is set).
 */
export function withClusterLogs(
  cluster: () => Cluster | undefined,
  body: () => Promise<void>,
): () => Promise<void> {
  return async () => {
    try {
      await body();
    } catch (e) {
      const logs = cluster()?.logs() ?? '(no cluster)';
      if (e instanceof Error) {
        e.message += `\n\n${logs}`;
        throw e;
      }
      throw new Error(`${String(e)}\n\n${logs}`);
    }
  };
}
