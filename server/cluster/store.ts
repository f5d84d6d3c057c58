/**
 * The Redis room store: the rooms this node is home of, kept in memory as on a single node and
 * written through to Redis after every change, so another node can take a room over when this
 * one dies or stops (docs/deploy.md).
 *
 * - A room is claimed (compare-and-set on its owner key) before a join looks at it, and loaded from
 *   Redis when it has state there: its sessions wait in their grace window for their clients.
 * - Changes are gathered per room and written at the end of the synchronous stretch that made them,
 *   in one Lua script that checks ownership first (a node that lost a room cannot overwrite it).
 * - Pushes go to the room's stream with the room's sequence as entry id, bounded at the replay
 *   buffer; a room taken over replays from it, so a resume by `seq` works across nodes.
 */
import type { Logger } from 'pino';
import type { PublicationInfo, Role, SubscriptionInfo } from '../../src/protocol';
import { Room, type RoomChange } from '../room';
import { MemoryRoomStore } from '../room-store';
import { Session, type Privileges } from '../session';
import { defineScripts, ownerRoomsKey, roomKeyList, roomKeys, type RedisClient, type Scripts } from './keys';

/** A session as written to its room's membership hash. */
export interface SessionRecord {
  readonly id: string;
  readonly user: string;
  readonly visible: boolean;
  readonly role: Role;
  readonly businessId?: string;
  readonly privileges: Privileges;
  readonly publications: readonly PublicationInfo[];
  readonly subscriptions: readonly SubscriptionInfo[];
  readonly tokenExp: number;
  readonly joinedAt: number;
}

function recordOf(s: Session): SessionRecord {
  return {
    id: s.id,
    user: s.user,
    visible: s.visible,
    role: s.role,
    ...(s.businessId === undefined ? {} : { businessId: s.businessId }),
    privileges: s.privileges,
    publications: [...s.publications.values()],
    subscriptions: [...s.subscriptions.values()],
    tokenExp: s.tokenExp,
    joinedAt: s.joinedAt,
  };
}

function sessionOf(room: string, r: SessionRecord, seq: number, snapshotNext: boolean): Session {
  const s = new Session({
    id: r.id,
    room,
    user: r.user,
    visible: r.visible,
    role: r.role,
    businessId: r.businessId,
    privileges: r.privileges,
    joinedAt: r.joinedAt,
  });
  for (const p of r.publications) s.publications.set(p.stream.tag ?? p.stream.kind, p);
  for (const sub of r.subscriptions) s.subscriptions.set(sub.stream, sub);
  s.tokenExp = r.tokenExp;
  s.restoreSeq(seq);
  s.snapshotNext = snapshotNext;
  return s;
}

/** What was last written of a room, to write only what changed. */
interface Written {
  readonly sessions: Map<string, string>;
  readonly seqs: Map<string, number>;
  attrs: string;
}

/** What a node does with what the store finds. */
export interface StoreHost {
  /** A session loaded with a room taken over: it waits for its client in its grace window. */
  adopt(session: Session): void;
  /** This node lost a room it held (another node owns it now, or Redis lost it); `reason` goes to its clients. */
  lost(room: string, reason: string): void;
}

/** Rooms of one node of a cluster, written through to Redis. */
export class RedisRoomStore extends MemoryRoomStore {
  private readonly written = new Map<string, Written>();
  /** Rooms to write at the end of this tick, and whether their state (not only their log) changed. */
  private readonly dirty = new Map<Room, boolean>();
  private flushing = false;
  private readonly loading = new Map<string, Promise<boolean>>();
  /** Writes not yet answered by Redis; {@link RedisRoomStore.settled} waits for them. */
  private inFlight = new Set<Promise<unknown>>();
  host: StoreHost | undefined;

  /**
   * @param node - this node's id.
   * @param tag - this run's owner tag (`<node>/<incarnation>`); changes when the node rejoins.
   */
  constructor(
    private readonly redis: RedisClient,
    readonly node: string,
    public tag: string,
    replayLog: number,
    private readonly log: Logger,
  ) {
    super(replayLog);
    this.scripts = defineScripts(redis);
  }

  /** The cluster's Lua scripts, on this store's connection. */
  readonly scripts: Scripts;

  override open(id: string): Room {
    const existing = this.get(id);
    if (existing) return existing;
    const room = super.open(id);
    this.watch(room, { sessions: new Map(), seqs: new Map(), attrs: '{}' });
    return room;
  }

  private watch(room: Room, written: Written): void {
    this.written.set(room.id, written);
    room.changed = (r, what) => this.markDirty(r, what);
  }

  /** The room ended: forgotten here, and its keys deleted (if this node still owns it). */
  override drop(id: string): void {
    this.forget(id);
    this.track(
      this.scripts
        .drop(...roomKeyList(id), this.tag)
        .then(() => this.redis.srem(ownerRoomsKey(this.tag), id)),
    );
  }

  override forget(id: string): void {
    const room = this.get(id);
    if (room) {
      room.changed = undefined;
      this.dirty.delete(room);
    }
    super.forget(id);
    this.written.delete(id);
  }

  override clear(): void {
    for (const room of this.values()) room.changed = undefined;
    this.dirty.clear();
    this.written.clear();
    super.clear();
  }

  /**
   * Claims the room for this node and loads it when Redis holds its state (a room whose home died
   * or stopped). `expected` is the owner tag of a dead node the claim may take the room from;
   * `forJoin` is false for a sweep, which leaves a room with nobody in it to whoever joins it next.
   */
  prepare(id: string, expected = '', forJoin = true): Promise<boolean> {
    if (this.get(id)) return Promise.resolve(true);
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.claimAndLoad(id, expected, forJoin).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  /** The owner tag of the room's home node, if any. */
  async owner(id: string): Promise<string | null> {
    return this.redis.get(roomKeys(id).owner);
  }

  private async claimAndLoad(id: string, expected: string, forJoin: boolean): Promise<boolean> {
    const keys = roomKeys(id);
    // The room goes into this run's index before the claim, not after: the index and the owner key
    // are in different hash slots, so no script can write both, and a node dying between the two
    // commands must leave a listed room it may not own (its sweep then finds the owner is someone
    // else, or nobody and claims it), never an owned room that no sweep lists.
    await this.redis.sadd(ownerRoomsKey(this.tag), id);
    const [won, previous] = (await this.scripts.claim(keys.owner, this.tag, expected)) as [number, string];
    if (won !== 1) {
      if (!this.get(id)) await this.redis.srem(ownerRoomsKey(this.tag), id);
      return false;
    }
    // A room given up by a stopping node was written through before it let go: resumes may replay
    // from its log. One whose node died (or restarted) may have lost its last changes: snapshots.
    const handedOver = previous === '';
    const [members, attrs, log, meta, seqs] = await Promise.all([
      this.redis.hgetall(keys.members),
      this.redis.hgetall(keys.attrs),
      this.redis.xrange(keys.log, '-', '+'),
      this.redis.get(keys.meta),
      this.redis.hgetall(keys.seqs),
    ]);
    if (this.get(id)) return true;
    const records = Object.values(members).map((text) => JSON.parse(text) as SessionRecord);
    const leftovers = log.length > 0 || Object.keys(attrs).length > 0 || meta !== null;
    if (records.length === 0 && !leftovers && forJoin) return true;
    if (records.length === 0) {
      // Nobody is in it: whatever is left of it (a node died while it emptied) is not a room. The
      // claim stays for the join about to come (which opens the room), or goes for a sweep.
      await this.scripts.drop(...roomKeyList(id), this.tag);
      if (!forJoin) {
        await this.redis.srem(ownerRoomsKey(this.tag), id);
        return true;
      }
      const [again] = (await this.scripts.claim(keys.owner, this.tag, '')) as [number, string];
      return again === 1;
    }
    const createdAt = meta ? (JSON.parse(meta) as { createdAt: number }).createdAt : Date.now();
    const room = new Room(id, this.replayLog, createdAt);
    for (const [key, value] of Object.entries(attrs)) room.attributes.set(key, value);
    for (const [, fields] of log) {
      const text = fields[1];
      if (text !== undefined) {
        const entry = JSON.parse(text) as { t: string; e?: string; o?: string };
        room.log.append(entry.t, { except: entry.e, to: entry.o });
      }
    }
    const sessions = records.map((r) => sessionOf(id, r, Number(seqs[r.id] ?? 0), !handedOver));
    this.rooms.set(id, room);
    for (const s of sessions) room.add(s);
    this.watch(room, {
      sessions: new Map(sessions.map((s) => [s.id, JSON.stringify(recordOf(s))])),
      seqs: new Map(sessions.map((s) => [s.id, s.seq])),
      attrs: JSON.stringify(Object.fromEntries(room.attributes)),
    });
    if (sessions.length > 0) {
      this.log.info({ room: id, sessions: sessions.length }, 'room taken over');
      for (const s of sessions) this.host?.adopt(s);
    }
    return true;
  }

  /** Waits until every write sent so far is answered. */
  async settled(): Promise<void> {
    this.flush(false);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Gives up every room of this node, state written, so other nodes take them on (a stopping node). */
  async release(): Promise<void> {
    // Everything, the sessions' push numbers included: the next home replays from the log.
    this.flush(true);
    await this.settled();
    const ids = [...this.values()].map((r) => r.id);
    await Promise.all(ids.map((id) => this.scripts.release(roomKeys(id).owner, this.tag)));
    if (ids.length > 0) await this.redis.srem(ownerRoomsKey(this.tag), ...ids);
  }

  private markDirty(room: Room, what: RoomChange): void {
    this.dirty.set(room, this.dirty.get(room) === true || what === 'state');
    if (this.flushing) return;
    this.flushing = true;
    queueMicrotask(() => this.flush(false));
  }

  /** Writes the rooms changed this tick; `all`: every room, whole (before handing them over). */
  private flush(all: boolean): void {
    this.flushing = false;
    const rooms: [Room, boolean][] = all ? [...this.values()].map((r) => [r, true]) : [...this.dirty];
    this.dirty.clear();
    for (const [room, state] of rooms) if (this.get(room.id) === room) this.commit(room, state, all);
  }

  /**
   * Writes one room through: its new pushes always; its sessions and attributes when its state
   * changed. A session's push number is written with its record, and for every session when `seqs`
   * (a room handed over resumes by number; one taken over from a dead node answers with snapshots,
   * which carry the number the store has).
   */
  private commit(room: Room, state: boolean, seqs: boolean): void {
    const written = this.written.get(room.id);
    if (!written) return;
    const pushes = room.unsaved.splice(0).map((p) =>
      JSON.stringify({
        t: p.tail,
        ...(p.except === undefined ? {} : { e: p.except }),
        ...(p.to === undefined ? {} : { o: p.to }),
      }),
    );
    if (!state) {
      if (pushes.length === 0) return;
      this.send(room, ['-', 0, 0, -1, 0, pushes.length, ...pushes]);
      return;
    }
    const upserts: string[] = [];
    const numbers: (string | number)[] = [];
    const seen = new Set<string>();
    for (const s of room.sessions.values()) {
      seen.add(s.id);
      const text = JSON.stringify(recordOf(s));
      const changed = written.sessions.get(s.id) !== text;
      if (changed) {
        upserts.push(s.id, text);
        written.sessions.set(s.id, text);
      }
      if ((changed || seqs) && written.seqs.get(s.id) !== s.seq) {
        numbers.push(s.id, s.seq);
        written.seqs.set(s.id, s.seq);
      }
    }
    const deletes: string[] = [];
    for (const id of written.sessions.keys()) {
      if (!seen.has(id)) {
        deletes.push(id);
        written.sessions.delete(id);
        written.seqs.delete(id);
      }
    }
    const attrsText = JSON.stringify(Object.fromEntries(room.attributes));
    let attrs: string[] | undefined;
    if (attrsText !== written.attrs) {
      written.attrs = attrsText;
      attrs = [...room.attributes].flat();
    }
    if (upserts.length === 0 && deletes.length === 0 && !attrs && numbers.length === 0 && pushes.length === 0)
      return;
    this.send(room, [
      JSON.stringify({ createdAt: room.createdAt, node: this.node, ...room.counts() }),
      upserts.length / 2,
      ...upserts,
      deletes.length,
      ...deletes,
      attrs ? attrs.length / 2 : -1,
      ...(attrs ?? []),
      numbers.length / 2,
      ...numbers,
      pushes.length,
      ...pushes,
    ]);
  }

  /** Runs the commit script for `room` (meta JSON or `-`, then the counted lists). */
  private send(room: Room, args: (string | number)[]): void {
    this.track(
      this.scripts.commit(...roomKeyList(room.id), this.tag, this.replayLog, ...args).then((seq) => {
        if (seq === -1 && this.get(room.id) === room) {
          this.log.warn({ room: room.id }, 'room is owned by another node now');
          this.host?.lost(room.id, 'the room moved to another node; reconnect');
        }
      }),
    );
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((e: unknown) => this.log.error({ err: e }, 'redis write failed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}
