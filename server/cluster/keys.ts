/**
 * Redis key and channel names of a cluster, and its Lua scripts (docs/deploy.md lists them).
 *
 * Every key of one room carries the hash tag `{<room>}`, so the keys a script touches sit in one
 * hash slot and the scripts run on Redis Cluster as on a single Redis.
 */
import type { Cluster, Redis } from 'ioredis';

/** A connection to a single Redis or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** Prefix of every key and channel, so a cluster can share a Redis with other applications. */
const P = 'rxroom:';

/** The keys of one room, in the order the scripts take them. */
export function roomKeys(room: string): RoomKeys {
  const tag = `${P}room:{${room}}`;
  return {
    owner: `${tag}:owner`,
    members: `${tag}:members`,
    attrs: `${tag}:attrs`,
    seq: `${tag}:seq`,
    log: `${tag}:log`,
    meta: `${tag}:meta`,
    seqs: `${tag}:seqs`,
  };
}

export interface RoomKeys {
  /** The owner tag of the room's home node (string). */
  readonly owner: string;
  /** Session id → session record (JSON): the room's membership (hash). */
  readonly members: string;
  /** Room attributes (hash). */
  readonly attrs: string;
  /** The room's push counter (integer): one atomic sequence per room; log entry ids. */
  readonly seq: string;
  /** The room's last pushes (stream, bounded at the replay buffer), entry id `<seq>-0`. */
  readonly log: string;
  /** The room's creation time and counts (JSON). */
  readonly meta: string;
  /**
   * Session id → the number of its last push (hash). Apart from the membership records, which
   * change only when a session does, while every push moves the numbers of all its recipients.
   */
  readonly seqs: string;
}

export const ROOM_KEY_ORDER = ['owner', 'members', 'attrs', 'seq', 'log', 'meta', 'seqs'] as const;

/** A room's keys in {@link ROOM_KEY_ORDER}, as a script takes them. */
export const roomKeyList = (room: string): string[] => {
  const keys = roomKeys(room);
  return ROOM_KEY_ORDER.map((k) => keys[k]);
};

/**
 * A node's liveness key: holds the node's incarnation (a fresh random id each time it starts) and
 * expires after the node TTL unless refreshed.
 */
export const nodeKey = (node: string): string => `${P}node:${node}`;
/**
 * A room's owner is an *owner tag*, `<node>/<incarnation>`: a node restarted under the same id is
 * another owner, so a survivor taking over the rooms of its dead run cannot race the new run.
 */
export const ownerTag = (node: string, incarnation: string): string => `${node}/${incarnation}`;
/** The node id and incarnation of an owner tag (or of a connection id, which starts with one). */
export function parseTag(tag: string): { node: string; incarnation: string } {
  const [node = '', incarnation = ''] = tag.split('/');
  return { node, incarnation };
}
/**
 * The rooms an owner (one run of a node) is or was home of (set), for the takeover once it dies. A
 * room is added before the claim, so the set may also list a room the run tried and failed to get.
 */
export const ownerRoomsKey = (tag: string): string => `${P}owner:${tag}:rooms`;
/** Every node that announced itself and has not been swept, with its incarnation (hash). */
export const NODES_KEY = `${P}nodes`;
/** Taken by the one survivor that sweeps a dead owner. */
export const sweepKey = (tag: string): string => `${P}sweep:${tag}`;
/** The pub/sub channel of a node: relayed frames and admin calls addressed to it. */
export const nodeChannel = (node: string): string => `${P}node:${node}`;

/**
 * Refreshes a node's liveness key (TTL ARGV[2] ms) if it still holds this run's incarnation
 * ARGV[1]. Returns 1 when refreshed, 0 when the key is gone, or the incarnation of the other run of
 * the same node id that holds it (a string).
 */
export const REFRESH_NODE = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if cur then return cur end
return 0`;

/** Removes node ARGV[1] from the node hash if its incarnation there is still ARGV[2]. */
export const FORGET_NODE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) return 1 end
return 0`;

/**
 * Makes ARGV[1] the owner when there is none, when the owner is ARGV[2] (a node found dead), or
 * when it is ARGV[1] already. Returns `{1, previous owner or ""}`, or `{0, live owner}`.
 */
export const CLAIM = `
local cur = redis.call('GET', KEYS[1])
if (not cur) or cur == ARGV[1] or cur == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[1])
  return {1, cur or ''}
end
return {0, cur}`;

/**
 * Writes a room through, if ARGV[1] still owns it (else returns -1: fenced). ARGV: owner, log
 * capacity, meta JSON (or `-`: unchanged), then counted lists: sessions to write (id, record)…, sessions to delete…,
 * attributes (-1 = unchanged, else key, value…), session numbers (id, seq)…, pushes to log (entry
 * JSON)…. Returns the room's seq.
 */
export const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local cap = tonumber(ARGV[2])
if ARGV[3] ~= '-' then redis.call('SET', KEYS[6], ARGV[3]) end
local i = 4
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HDEL', KEYS[2], ARGV[i]); redis.call('HDEL', KEYS[7], ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
if n >= 0 then
  redis.call('DEL', KEYS[3])
  for _ = 1, n do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]); i = i + 2 end
end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[7], ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
local seq = tonumber(redis.call('GET', KEYS[4]) or '0')
for _ = 1, n do
  seq = redis.call('INCR', KEYS[4])
  if cap > 0 then redis.call('XADD', KEYS[5], 'MAXLEN', cap, seq .. '-0', 'p', ARGV[i]) end
  i = i + 1
end
return seq`;

/** Deletes every key of a room if ARGV[1] owns it (the room ended). Returns 1 or 0. */
export const DROP = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
return 1`;

/** Gives up the ownership of a room (its state stays for the next home) if ARGV[1] owns it. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/** A Lua script as a command of its own (EVALSHA, loading the script when Redis lacks it). */
export type Script = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/** The scripts of a cluster, defined on one Redis connection. */
export interface Scripts {
  readonly claim: Script;
  readonly commit: Script;
  readonly drop: Script;
  readonly release: Script;
  readonly forgetNode: Script;
  readonly refreshNode: Script;
}

/** Defines the scripts on `redis` (ioredis sends each by its SHA1 after the first use). */
export function defineScripts(redis: RedisClient): Scripts {
  const define = (name: string, keys: number, lua: string): Script => {
    redis.defineCommand(name, { numberOfKeys: keys, lua });
    const command = (redis as unknown as Record<string, Script>)[name];
    if (!command) throw new Error(`script ${name} was not defined`);
    return (...args) => command.apply(redis, args);
  };
  return {
    claim: define('rxroomClaim', 1, CLAIM),
    commit: define('rxroomCommit', ROOM_KEY_ORDER.length, COMMIT),
    drop: define('rxroomDrop', ROOM_KEY_ORDER.length, DROP),
    release: define('rxroomRelease', 1, RELEASE),
    forgetNode: define('rxroomForgetNode', 1, FORGET_NODE),
    refreshNode: define('rxroomRefreshNode', 1, REFRESH_NODE),
  };
}
