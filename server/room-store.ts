/**
 * Where rooms live. The hub asks the store for a room by id, opens one on a first join and drops
 * it when its last session leaves; the room itself holds the membership, streams, attributes,
 * the room's push sequence and replay log, and fans each push out to its sessions.
 *
 * {@link MemoryRoomStore} keeps everything in this process: the embedded default.
 */
import { Room } from './room';

/** The rooms of a server, by id. */
export interface RoomStore {
  /** The room, if it has sessions. */
  get(id: string): Room | undefined;
  /** The room, created (empty, sequence 0) when there is none. */
  open(id: string): Room;
  /** Forgets a room (its log with it): it ended. */
  drop(id: string): void;
  /** Forgets a room here only: in a store shared by several nodes it lives on elsewhere. */
  forget(id: string): void;
  /** Every room. */
  values(): IterableIterator<Room>;
  /** Number of rooms. */
  readonly size: number;
  /** Forgets every room (server shutdown). */
  clear(): void;
  /**
   * Makes this server the room's home before a join looks at it (a store shared by several
   * servers: claims the room, loads it). False when another server holds the room.
   */
  prepare?(id: string): Promise<boolean>;
}

/** Rooms in this process's memory. */
export class MemoryRoomStore implements RoomStore {
  protected readonly rooms = new Map<string, Room>();

  /** @param replayLog - pushes each room keeps for resumes. */
  constructor(protected readonly replayLog: number) {}

  get(id: string): Room | undefined {
    return this.rooms.get(id);
  }

  open(id: string): Room {
    let room = this.rooms.get(id);
    if (!room) {
      room = new Room(id, this.replayLog);
      this.rooms.set(id, room);
    }
    return room;
  }

  drop(id: string): void {
    this.rooms.delete(id);
  }

  forget(id: string): void {
    this.rooms.delete(id);
  }

  values(): IterableIterator<Room> {
    return this.rooms.values();
  }

  get size(): number {
    return this.rooms.size;
  }

  clear(): void {
    this.rooms.clear();
  }
}
