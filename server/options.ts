/**
 * Options of the reference server, their defaults and their validation. Everything else in the
 * server reads the resolved form, so no module has to know a default.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { LIMITS } from '../src/protocol';

/** What to do when a user joins a room where the same user already has a session. */
export type DuplicateUserPolicy = 'kick' | 'refuse';

/** The log levels pino knows, plus `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Options of {@link startServer}. Every field is optional; durations are milliseconds. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1` (loopback only). */
  readonly host?: string;
  /** HS256 secret shared with the app's token service. Default `rxroom-dev-secret` (with a warning). */
  readonly secret?: string;
  /** App id that tokens must name in their `app` claim. Default `rxroom`. */
  readonly appId?: string;
  /** Bearer secret of the admin HTTP API. The admin API answers 404 while this is unset. */
  readonly adminSecret?: string;
  /** Push URL template. Placeholders: `{room}` `{user}` `{stream}` `{kind}` `{key}` `{token}`. */
  readonly pushTemplate?: string;
  /** Play URL template, same placeholders as {@link ServerOptions.pushTemplate}. */
  readonly playTemplate?: string;
  /** Lifetime of the media tokens in URLs; URLs are re-issued (`url-updated`) at 80 % of it. Default 1 h. */
  readonly mediaTokenTtl?: number;
  /**
   * Serve the nginx-rtmp hooks (`POST /media/on_publish` …, docs/deploy.md) and drive stream state
   * by media: a published stream is `pending` until its media arrives. Default false: streams are
   * live on publish and no hook is served.
   */
  readonly mediaHooks?: boolean;
  /** The media server's application the hooks accept (`rtmp://host/<app>/…`). Default `live`. */
  readonly mediaApp?: string;
  /**
   * Base URL of the media server's loopback HTTP block with `rtmp_control` at `/control` and
   * `rtmp_stat` at `/stat`, e.g. `http://127.0.0.1:8081`. When set, the server drops media
   * sessions on kick, leave and unpublish, and reads `/stat` to learn which streams are live.
   */
  readonly mediaControl?: string;
  /** How long a stream whose media stopped (`lost`) stays before it is removed. Default 10,000. */
  readonly mediaLostGrace?: number;
  /** Visible users per room (`ROOM_FULL`). Default 20. */
  readonly maxVisible?: number;
  /** Sessions publishing at least one stream, per room (`PUBLISHER_LIMIT`). Default 8. */
  readonly maxPublishers?: number;
  /** How long a session whose socket dropped stays in the room, waiting for a resume. Default 20,000. */
  readonly grace?: number;
  /** Ping interval announced to clients. Default 10,000. */
  readonly heartbeatInterval?: number;
  /** Silence after which the server closes a socket with 4004. Default 30,000. */
  readonly heartbeatTimeout?: number;
  /** Time a new socket has to send `join` before it is closed with 4003. Default 10,000. */
  readonly joinTimeout?: number;
  /** Largest accepted frame in bytes (close 1009 above it). Default 65,536. */
  readonly maxFrameBytes?: number;
  /** Sustained frames per second per connection. Default 50. */
  readonly rateLimit?: number;
  /** Frames a connection may send in a burst above the sustained rate. Default 100. */
  readonly rateBurst?: number;
  /** Pushes kept per room (one log its sessions share) for replay on resume. Default 256. */
  readonly replayBuffer?: number;
  /**
   * How long before the `exp` of a session's token the server sends `token-expiring` (docs/protocol.md
   * §9), so the client has time to get a new one and send `renew-token`. Default 60,000.
   */
  readonly tokenExpiryLead?: number;
  /**
   * Open sockets allowed from one IP address; more are refused at the upgrade with HTTP 429.
   * 0 = no limit. Default 64. Behind a proxy every client shares its address: raise or disable it.
   */
  readonly maxConnectionsPerIp?: number;
  /**
   * Connections from one IP address that have not yet sent complete request headers (a WebSocket
   * upgrade or an HTTP request in progress); more are closed at once. 0 = no limit. Default 16.
   */
  readonly maxPendingPerIp?: number;
  /**
   * Time a new connection has to send complete request headers; then it gets HTTP 408 and is
   * closed (checked every second, so a cut comes at most a second later). Default 5,000.
   */
  readonly headersTimeout?: number;
  /** `kick` (default): a new session replaces the user's old one. `refuse`: `DUPLICATE_SESSION`. */
  readonly duplicateUser?: DuplicateUserPolicy;
  /** Serve `POST /dev/token` (signs tokens for anyone who asks: development only). Default false. */
  readonly devTokens?: boolean;
  /**
   * A Redis URL (`redis://host:port/db`): rooms are kept in Redis and this server is one node of a
   * cluster (docs/deploy.md). Without it every room lives in this process (the embedded default).
   */
  readonly redis?: string;
  /**
   * `redis` is one node of a Redis Cluster (the others are found from it): every key of a room is
   * in one hash slot, so its scripts run there; nodes talk over sharded pub/sub, so it needs Redis
   * 7 or later. Default false (a single Redis).
   */
  readonly redisCluster?: boolean;
  /** This node's id in a cluster (letters, digits, `_.-`, at most 64). Default: a random one. */
  readonly nodeId?: string;
  /**
   * Lifetime of this node's liveness key in Redis, refreshed every third of it; a node silent that
   * long is dead and its rooms move to another node. Default 5,000.
   */
  readonly nodeTtl?: number;
  /** Log level. Default `silent`, so embedding the server (and tests) stays quiet. */
  readonly logLevel?: LogLevel;
  /** A pino logger to use instead of creating one (its level wins over `logLevel`). */
  readonly logger?: Logger;
}

/** {@link ServerOptions} with every default filled in. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly secret: string;
  /** True when {@link ResolvedOptions.secret} is the public development default. */
  readonly defaultSecret: boolean;
  readonly appId: string;
  readonly adminSecret: string | undefined;
  readonly pushTemplate: string;
  readonly playTemplate: string;
  readonly mediaTokenTtl: number;
  readonly mediaHooks: boolean;
  readonly mediaApp: string;
  readonly mediaControl: string | undefined;
  readonly mediaLostGrace: number;
  readonly maxVisible: number;
  readonly maxPublishers: number;
  readonly grace: number;
  readonly heartbeatInterval: number;
  readonly heartbeatTimeout: number;
  readonly joinTimeout: number;
  readonly maxFrameBytes: number;
  readonly rateLimit: number;
  readonly rateBurst: number;
  readonly replayBuffer: number;
  readonly tokenExpiryLead: number;
  readonly maxConnectionsPerIp: number;
  readonly maxPendingPerIp: number;
  readonly headersTimeout: number;
  readonly duplicateUser: DuplicateUserPolicy;
  readonly devTokens: boolean;
  readonly redis: string | undefined;
  readonly redisCluster: boolean;
  readonly nodeId: string;
  readonly nodeTtl: number;
  readonly logLevel: LogLevel;
}

/** A Redis URL, checked here so a typo fails at start rather than on the first reconnect. */
function redisUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`option redis must be a redis:// or rediss:// URL, not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new TypeError(`option redis must be a redis:// or rediss:// URL, not ${JSON.stringify(value)}`);
  }
  return value;
}

function redisCluster(on: boolean, redis: string | undefined): boolean {
  if (on && (redis === undefined || redis === '')) {
    throw new RangeError('option redisCluster needs redis: the URL of one node of the Redis Cluster');
  }
  return on;
}

/** Node ids end up in Redis key and channel names: a safe alphabet, and random when not given. */
function nodeId(value: string | undefined): string {
  if (value === undefined || value === '') return `n-${randomBytes(6).toString('hex')}`;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value)) {
    throw new TypeError('option nodeId must be 1–64 of letters, digits, _ . -');
  }
  return value;
}

/** The development secret. Anyone can read it here, hence the warning when it is used. */
export const DEV_SECRET = 'rxroom-dev-secret';

/**
 * Default media URL template (for both directions): the short stream key and the compact media
 * token in the `t` argument, where the media hooks look for it.
 */
export const DEFAULT_MEDIA_TEMPLATE = 'rtmp://127.0.0.1/live/{key}?t={token}';

/** Every default in one place; the CLI prints these in `--help`. */
export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  appId: 'rxroom',
  pushTemplate: DEFAULT_MEDIA_TEMPLATE,
  playTemplate: DEFAULT_MEDIA_TEMPLATE,
  mediaTokenTtl: 3_600_000,
  mediaHooks: false,
  mediaApp: 'live',
  mediaLostGrace: 10_000,
  maxVisible: 20,
  maxPublishers: 8,
  grace: 20_000,
  heartbeatInterval: 10_000,
  heartbeatTimeout: 30_000,
  joinTimeout: 10_000,
  maxFrameBytes: LIMITS.maxFrameBytes,
  rateLimit: 50,
  rateBurst: 100,
  replayBuffer: 256,
  tokenExpiryLead: 60_000,
  maxConnectionsPerIp: 64,
  maxPendingPerIp: 16,
  nodeTtl: 5000,
  headersTimeout: 5_000,
  duplicateUser: 'kick',
  devTokens: false,
  logLevel: 'silent',
} as const satisfies Partial<ResolvedOptions>;

/** Log levels accepted by {@link resolveOptions} and the CLI. */
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Durations end up in setTimeout, which overflows above 2^31 - 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`option ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function text(name: string, value: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) {
    throw new TypeError(`option ${name} must be a non-empty string`);
  }
  return value;
}

function mediaControl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`option mediaControl must be an http:// URL, got ${value}`);
  }
  if (url.protocol !== 'http:')
    throw new TypeError(`option mediaControl must be an http:// URL, got ${value}`);
  return value.replace(/\/+$/, '');
}

/**
 * Fills in defaults and checks every option. Throws `RangeError`/`TypeError` naming the option,
 * so a bad configuration fails at start rather than at the first join.
 */
export function resolveOptions(options: ServerOptions = {}): ResolvedOptions {
  const o = options;
  const duplicateUser = o.duplicateUser ?? DEFAULTS.duplicateUser;
  if (duplicateUser !== 'kick' && duplicateUser !== 'refuse') {
    throw new RangeError(`option duplicateUser must be "kick" or "refuse", got ${String(duplicateUser)}`);
  }
  const logLevel = o.logLevel ?? DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new RangeError(`option logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  }
  // The join ack announces durations with the protocol's Millis schema (at most one day).
  const day = 24 * 3600 * 1000;
  const heartbeatTimeout = integer(
    'heartbeatTimeout',
    o.heartbeatTimeout ?? DEFAULTS.heartbeatTimeout,
    1,
    day,
  );
  // A short timeout without an explicit interval (tests) gets an interval that still fits in it.
  const heartbeatInterval = integer(
    'heartbeatInterval',
    o.heartbeatInterval ?? Math.min(DEFAULTS.heartbeatInterval, Math.floor(heartbeatTimeout / 3) || 1),
    1,
    day,
  );
  if (heartbeatInterval >= heartbeatTimeout) {
    throw new RangeError('option heartbeatInterval must be shorter than heartbeatTimeout');
  }
  return {
    port: integer('port', o.port ?? DEFAULTS.port, 0, 65535),
    host: text('host', o.host ?? DEFAULTS.host),
    secret: text('secret', o.secret ?? DEV_SECRET),
    defaultSecret: o.secret === undefined || o.secret === DEV_SECRET,
    appId: text('appId', o.appId ?? DEFAULTS.appId),
    adminSecret: o.adminSecret === undefined || o.adminSecret === '' ? undefined : o.adminSecret,
    pushTemplate: text('pushTemplate', o.pushTemplate ?? DEFAULTS.pushTemplate),
    playTemplate: text('playTemplate', o.playTemplate ?? DEFAULTS.playTemplate),
    mediaTokenTtl: integer('mediaTokenTtl', o.mediaTokenTtl ?? DEFAULTS.mediaTokenTtl, 100, MAX_TIMER_MS),
    mediaHooks: o.mediaHooks ?? DEFAULTS.mediaHooks,
    mediaApp: text('mediaApp', o.mediaApp ?? DEFAULTS.mediaApp),
    mediaControl: mediaControl(o.mediaControl),
    mediaLostGrace: integer('mediaLostGrace', o.mediaLostGrace ?? DEFAULTS.mediaLostGrace, 0, MAX_TIMER_MS),
    maxVisible: integer('maxVisible', o.maxVisible ?? DEFAULTS.maxVisible, 1, 1_000_000),
    maxPublishers: integer('maxPublishers', o.maxPublishers ?? DEFAULTS.maxPublishers, 0, 1_000_000),
    grace: integer('grace', o.grace ?? DEFAULTS.grace, 0, day),
    heartbeatInterval,
    heartbeatTimeout,
    joinTimeout: integer('joinTimeout', o.joinTimeout ?? DEFAULTS.joinTimeout, 1, MAX_TIMER_MS),
    // Below ~1 KiB not even a join fits; above the protocol limit clients would refuse our acks.
    maxFrameBytes: integer(
      'maxFrameBytes',
      o.maxFrameBytes ?? DEFAULTS.maxFrameBytes,
      1024,
      LIMITS.maxFrameBytes,
    ),
    rateLimit: integer('rateLimit', o.rateLimit ?? DEFAULTS.rateLimit, 1, 1_000_000),
    rateBurst: integer('rateBurst', o.rateBurst ?? DEFAULTS.rateBurst, 1, 1_000_000),
    replayBuffer: integer('replayBuffer', o.replayBuffer ?? DEFAULTS.replayBuffer, 0, 100_000),
    tokenExpiryLead: integer(
      'tokenExpiryLead',
      o.tokenExpiryLead ?? DEFAULTS.tokenExpiryLead,
      0,
      MAX_TIMER_MS,
    ),
    maxConnectionsPerIp: integer(
      'maxConnectionsPerIp',
      o.maxConnectionsPerIp ?? DEFAULTS.maxConnectionsPerIp,
      0,
      1_000_000,
    ),
    maxPendingPerIp: integer('maxPendingPerIp', o.maxPendingPerIp ?? DEFAULTS.maxPendingPerIp, 0, 1_000_000),
    // Node refuses a headers timeout above its request timeout (5 minutes by default).
    headersTimeout: integer('headersTimeout', o.headersTimeout ?? DEFAULTS.headersTimeout, 100, 300_000),
    duplicateUser,
    devTokens: o.devTokens ?? DEFAULTS.devTokens,
    redis: redisUrl(o.redis),
    redisCluster: redisCluster(o.redisCluster ?? false, o.redis),
    nodeId: nodeId(o.nodeId),
    nodeTtl: integer('nodeTtl', o.nodeTtl ?? DEFAULTS.nodeTtl, 300, 600_000),
    logLevel,
  };
}
