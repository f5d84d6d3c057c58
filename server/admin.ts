/**
 * What the admin API does, apart from HTTP: on one node over its hub, and in a cluster over every
 * node (each call goes to the room's home node; lists and stats gather every node's answer).
 */
import type { KickReason } from '../src/protocol';
import type { ClusterNode } from './cluster/node';
import type { Hub } from './hub';
import type { ServerStats } from './index';
import type { HookVerdict, MediaHook } from './media-hooks';
import type { Room } from './room';

/** A room in the admin list. */
export interface RoomSummary {
  readonly room: string;
  readonly createdAt: number;
  readonly sessions: number;
  readonly peers: number;
  readonly publishers: number;
  readonly streams: number;
  readonly connected: number;
  /** The node serving the room. */
  readonly node: string;
}

/** The counters of one node in `GET /admin/stats`. */
export type NodeStats = ServerStats & { readonly node: string };

/** Counters summed over the nodes. */
export interface TotalStats {
  rooms: number;
  sessions: number;
  connectedSessions: number;
  graceSessions: number;
  connections: number;
  streams: number;
  framesIn: number;
  rateLimited: number;
  joins: number;
  resumes: number;
}

/** `GET /admin/stats`: every node, and the sums. */
export interface ClusterStats {
  readonly nodes: readonly NodeStats[];
  readonly total: TotalStats;
}

/** The admin view of a room. */
export function describeRoom(room: Room, node: string) {
  const sessions = [...room.sessions.values()];
  return {
    room: room.id,
    node,
    createdAt: room.createdAt,
    ...room.counts(),
    peers: sessions.filter((s) => s.visible).map((s) => s.peerInfo()),
    streams: room.streams(),
    attributes: Object.fromEntries(room.attributes),
    sessions: sessions.map((s) => ({
      session: s.id,
      ...s.peerInfo(),
      connected: s.connected,
      seq: s.seq,
      joinedAt: s.joinedAt,
      ...(s.detachedAt === undefined ? {} : { detachedAt: s.detachedAt }),
      privileges: s.privileges,
      publications: [...s.publications.values()].map((p) => ({ stream: p.stream.id, url: p.url })),
      subscriptions: [...s.subscriptions.values()].map((sub) => sub.stream),
    })),
    reports: Object.fromEntries(
      [...room.reports].map(([user, reports]) => [user, Object.fromEntries(reports)] as const),
    ),
  };
}

export type RoomView = ReturnType<typeof describeRoom>;

/** The admin operations of one node, on the rooms it serves. */
export interface NodeAdmin {
  rooms(): RoomSummary[];
  room(id: string): RoomView | undefined;
  /** Sessions removed, or undefined when there is no such room. */
  closeRoom(id: string): number | undefined;
  kick(room: string, user: string, reason: KickReason | undefined, message: string | undefined): boolean;
  failStream(
    room: string,
    stream: string,
    direction: 'push' | 'play',
    reason: string,
    user?: string,
  ): boolean;
  stats(): NodeStats;
  /** Whether this node follows the stream of a media hook's form. */
  follows(fields: readonly (readonly [string, string])[]): boolean;
  /** Runs a media hook (nginx-rtmp's callback) here. */
  mediaHook(hook: MediaHook, fields: readonly (readonly [string, string])[]): HookVerdict;
}

/** {@link NodeAdmin} over a hub. */
export function nodeAdmin(hub: Hub, node: string, stats: () => ServerStats): NodeAdmin {
  return {
    rooms: () =>
      [...hub.rooms.values()].map((r) => ({ room: r.id, createdAt: r.createdAt, ...r.counts(), node })),
    room: (id) => {
      const room = hub.rooms.get(id);
      return room && describeRoom(room, node);
    },
    closeRoom: (id) => hub.closeRoom(id),
    kick: (room, user, reason, message) => {
      const session = hub.rooms.get(room)?.byUser.get(user);
      if (!session) return false;
      hub.kick(session, reason ?? 'kicked', message);
      return true;
    },
    failStream: (room, stream, direction, reason, user) =>
      hub.failStream(room, stream, direction, reason, user),
    stats: () => ({ node, ...stats() }),
    follows: (fields) => hub.mediaWatch.follows(fields),
    mediaHook: (hook, fields) => hub.mediaWatch.hook(hook, fields),
  };
}

/** The admin API's operations, whatever the number of nodes: {@link NodeAdmin}'s, answered later, and stats of every node. */
export type Admin = {
  [K in Exclude<keyof NodeAdmin, 'stats' | 'follows'>]: (
    ...args: Parameters<NodeAdmin[K]>
  ) => Promise<ReturnType<NodeAdmin[K]>>;
} & { stats(): Promise<ClusterStats> };

const TOTAL_KEYS = [
  'rooms',
  'sessions',
  'connectedSessions',
  'graceSessions',
  'connections',
  'streams',
  'framesIn',
  'rateLimited',
  'joins',
  'resumes',
] as const;

function gather(nodes: NodeStats[]): ClusterStats {
  const total = Object.fromEntries(TOTAL_KEYS.map((k) => [k, 0])) as unknown as TotalStats;
  for (const n of nodes) for (const k of TOTAL_KEYS) total[k] += n[k];
  return { nodes, total };
}

/** The admin API of a server alone. */
export function singleAdmin(local: NodeAdmin): Admin {
  return {
    rooms: () => Promise.resolve(local.rooms()),
    room: (id) => Promise.resolve(local.room(id)),
    closeRoom: (id) => Promise.resolve(local.closeRoom(id)),
    kick: (...a) => Promise.resolve(local.kick(...a)),
    failStream: (...a) => Promise.resolve(local.failStream(...a)),
    stats: () => Promise.resolve(gather([local.stats()])),
    mediaHook: (hook, fields) => Promise.resolve(local.mediaHook(hook, fields)),
  };
}

/** An optional argument of a call from another node: JSON turned its `undefined` into `null`. */
function optional<T>(value: unknown): T | undefined {
  return value === null || value === undefined ? undefined : (value as T);
}

/** The operations other nodes may ask of this one (by name, over the cluster's channels). */
export function answerCall(local: NodeAdmin, op: string, args: unknown[]): unknown {
  switch (op) {
    case 'rooms':
      return local.rooms();
    case 'room':
      return local.room(args[0] as string) ?? null;
    case 'closeRoom':
      return local.closeRoom(args[0] as string) ?? null;
    case 'kick':
      return local.kick(
        args[0] as string,
        args[1] as string,
        optional<KickReason>(args[2]),
        optional<string>(args[3]),
      );
    case 'failStream':
      return local.failStream(
        args[0] as string,
        args[1] as string,
        args[2] as 'push' | 'play',
        args[3] as string,
        optional<string>(args[4]),
      );
    case 'stats':
      return local.stats();
    case 'mediaHook': {
      // Answered only by the node whose room follows the stream; the others say null.
      const fields = args[1] as [string, string][];
      return local.follows(fields) ? local.mediaHook(args[0] as MediaHook, fields) : null;
    }
    default:
      throw new Error(`unknown admin call ${op}`);
  }
}

/** The admin API of a cluster node: the same answers on every node. */
export function clusterAdmin(cluster: ClusterNode, local: NodeAdmin): Admin {
  // JSON carries undefined as a missing value; null comes back for "no such room".
  const onHome = async <T>(room: string, op: string, args: unknown[], none: T): Promise<T> => {
    const home = await cluster.homeOf(room);
    if (home === null) return none;
    const answer = (await cluster.call(home, op, args)) as T | null;
    return answer ?? none;
  };
  const everyNode = async <T>(op: string, args: unknown[] = []): Promise<T[]> => {
    const nodes = await cluster.nodes();
    const answers = await Promise.allSettled(nodes.map((n) => cluster.call(n, op, args)));
    return answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value as T] : []));
  };
  return {
    rooms: async () =>
      (await everyNode<RoomSummary[]>('rooms')).flat().sort((a, b) => (a.room < b.room ? -1 : 1)),
    room: (id) => onHome<RoomView | undefined>(id, 'room', [id], undefined),
    closeRoom: (id) => onHome<number | undefined>(id, 'closeRoom', [id], undefined),
    kick: (room, user, reason, message) => onHome(room, 'kick', [room, user, reason, message], false),
    failStream: (room, stream, direction, reason, user) =>
      onHome(room, 'failStream', [room, stream, direction, reason, user], false),
    stats: async () =>
      gather((await everyNode<NodeStats>('stats')).sort((a, b) => (a.node < b.node ? -1 : 1))),
    // The media server calls any node; the node whose room holds the stream answers (in one
    // call to every node), and this one refuses when none does.
    mediaHook: async (hook, fields) => {
      if (local.follows(fields)) return local.mediaHook(hook, fields);
      const verdicts = await everyNode<HookVerdict | null>('mediaHook', [hook, fields]);
      return verdicts.find((v) => v !== null) ?? local.mediaHook(hook, fields);
    },
  };
}
