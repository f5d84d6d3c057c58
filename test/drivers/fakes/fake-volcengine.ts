/**
 * A fake of Volcengine's RTC mini program SDK (3.x, PLATFORM.md §7) and of the room service it
 * talks to. Several fake clients share one {@link FakeVolcengineServer}, so peers, streams and
 * mute bits flow between them:
 * - `Client` methods return Promises that settle a microtask later; events arrive the same way;
 * - EVENTS and payloads as documented: STREAM_ADDED `{uid, screen, streamPublishState}` (also for
 *   streams already in the room at join, and when a user turns a track back on after muting
 *   both), STREAM_REMOVED `{uid, screen}` (also when both tracks are muted), MUTE_/UNMUTE_AUDIO and
 *   _VIDEO `{uid, screen}`, UPDATE_URL `{uid, screen, url}`, STREAM_FAILED `{uid, screen, reason}`;
 *   CLIENT_BANNED, PEER_ONLINE, PEER_LEAVE, ERROR and DISCONNECT payloads are undocumented (U):
 *   the fake sends `{uid}` / `{errMsg}` / `{reason}`;
 * - ERROR_CODES are the documented numbers: join before init → 100009 NOT_LOGIN, a token of
 *   `bad` → 200004 LOGIN_FAILED, a second join → 100003 ALREADY_IN_ROOM, a second publish →
 *   100005 ALREADY_PUBLISHED, subscribing to a missing stream → 300001 SUBSCRIBE_FAILED;
 * - invisible users (setUserVisibility(false)) are not announced to others and cannot publish;
 * - DISCONNECT is the end of the SDK's connection: nothing reconnects by itself.
 */
import type {
  VolcengineClientLike,
  VolcengineComponentEvent,
  VolcengineEventPayload,
  VolcengineEvents,
} from '../../../src/bindings/drivers/volcengine';

export const EVENTS: VolcengineEvents = {
  STREAM_ADDED: 'stream-added',
  STREAM_REMOVED: 'stream-removed',
  UPDATE_URL: 'update-url',
  STREAM_FAILED: 'stream-failed',
  MUTE_AUDIO: 'mute-audio',
  UNMUTE_AUDIO: 'unmute-audio',
  MUTE_VIDEO: 'mute-video',
  UNMUTE_VIDEO: 'unmute-video',
  CLIENT_BANNED: 'client-banned',
  PEER_ONLINE: 'peer-online',
  PEER_LEAVE: 'peer-leave',
  ERROR: 'error',
  DISCONNECT: 'disconnect',
};

export const ERROR_CODES = {
  INVALID_PARAMS: 100001,
  NOT_IN_ROOM: 100002,
  ALREADY_IN_ROOM: 100003,
  CONNECTING: 100004,
  ALREADY_PUBLISHED: 100005,
  NOT_PUBLISHED: 100006,
  UID_NOT_FOUND: 100007,
  HAS_INITED: 100008,
  NOT_LOGIN: 100009,
  LOGIN_FAILED: 200004,
  SUBSCRIBE_FAILED: 300001,
} as const;

interface Member {
  readonly userId: string;
  readonly client: FakeVolcengineClient;
  visible: boolean;
  publishing: boolean;
  audio: boolean;
  video: boolean;
}

class VolcError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
  }
}

const later = (fn: () => void) => queueMicrotask(fn);

export class FakeVolcengineServer {
  readonly appId = 'volc-test-app';
  readonly rooms = new Map<string, Map<string, Member>>();
  readonly clients: FakeVolcengineClient[] = [];
  private urls = 0;

  readonly sdk = { Client: makeClientClass(this), EVENTS, ERROR_CODES };

  room(id: string): Map<string, Member> {
    let room = this.rooms.get(id);
    if (!room) {
      room = new Map();
      this.rooms.set(id, room);
    }
    return room;
  }

  url(kind: 'push' | 'play', roomId: string, userId: string): string {
    return `rtmp://volc.test/${kind}/${roomId}/${userId}?n=${++this.urls}`;
  }

  others(roomId: string, userId: string): Member[] {
    return [...this.room(roomId).values()].filter((m) => m.userId !== userId);
  }

  /** Announces a member's stream state change to everyone else. */
  announce(roomId: string, member: Member, event: string): void {
    if (!member.visible) return;
    for (const other of this.others(roomId, member.userId)) {
      other.client.fire(
        event,
        event === EVENTS.STREAM_ADDED
          ? {
              uid: member.userId,
              screen: false,
              streamPublishState: { audio: member.audio, video: member.video },
            }
          : { uid: member.userId, screen: false },
      );
    }
  }

  remove(roomId: string, userId: string): void {
    const room = this.room(roomId);
    const member = room.get(userId);
    if (!member) return;
    room.delete(userId);
    if (!member.visible) return;
    if (member.publishing && (member.audio || member.video))
      this.announce(roomId, member, EVENTS.STREAM_REMOVED);
    for (const other of this.others(roomId, userId)) other.client.fire(EVENTS.PEER_LEAVE, { uid: userId });
  }

  kick(roomId: string, userId: string): void {
    const member = this.room(roomId).get(userId);
    if (!member) throw new Error(`no ${userId} in ${roomId}`);
    this.remove(roomId, userId);
    member.client.fire(EVENTS.CLIENT_BANNED, { uid: userId, reason: 'kicked by the server' });
  }

  /** The client's WebSocket breaks for good: DISCONNECT; the others see it leave. */
  drop(roomId: string, userId: string): void {
    const member = this.room(roomId).get(userId);
    if (!member) throw new Error(`no ${userId} in ${roomId}`);
    this.remove(roomId, userId);
    member.client.fire(EVENTS.DISCONNECT, { reason: 'socket closed (1006)' });
  }
}

export class FakeVolcengineClient implements VolcengineClientLike {
  readonly calls: string[] = [];
  readonly reports: { method: string; userId?: string; event: VolcengineComponentEvent }[] = [];
  private readonly listeners = new Map<string, Set<(payload?: VolcengineEventPayload) => void>>();
  private inited = false;
  private visible = true;
  private roomId: string | null = null;
  private userId: string | null = null;
  businessId: string | null = null;
  destroyed = false;

  constructor(private readonly server: FakeVolcengineServer) {
    server.clients.push(this);
  }

  fire(event: string, payload?: VolcengineEventPayload): void {
    later(() => {
      if (this.destroyed) return;
      for (const l of [...(this.listeners.get(event) ?? [])]) l(payload);
    });
  }

  private answer<T>(name: string, run: () => T): Promise<T> {
    this.calls.push(name);
    return new Promise<T>((resolve, reject) =>
      later(() => {
        try {
          resolve(run());
        } catch (e) {
          reject(e);
        }
      }),
    );
  }

  private member(): Member {
    const member = this.roomId && this.userId ? this.server.room(this.roomId).get(this.userId) : undefined;
    if (!member) throw new VolcError(ERROR_CODES.NOT_IN_ROOM, 'not in a room');
    return member;
  }

  init(appId: string) {
    return this.answer('init', () => {
      if (this.inited) throw new VolcError(ERROR_CODES.HAS_INITED, 'already initialised');
      if (appId !== this.server.appId) throw new VolcError(ERROR_CODES.INVALID_PARAMS, 'unknown app id');
      this.inited = true;
    });
  }

  destroy() {
    this.calls.push('destroy');
    if (this.roomId && this.userId && this.server.room(this.roomId).get(this.userId)?.client === this)
      this.server.remove(this.roomId, this.userId);
    this.destroyed = true;
    this.roomId = null;
    return Promise.resolve();
  }

  join(token: string, roomId: string, userId: string) {
    return this.answer('join', () => {
      if (!this.inited) throw new VolcError(ERROR_CODES.NOT_LOGIN, 'init first');
      if (this.roomId) throw new VolcError(ERROR_CODES.ALREADY_IN_ROOM, 'already in a room');
      if (token === 'bad') throw new VolcError(ERROR_CODES.LOGIN_FAILED, 'token check failed');
      const room = this.server.room(roomId);
      if (room.has(userId)) this.server.remove(roomId, userId);
      const member: Member = {
        userId,
        client: this,
        visible: this.visible,
        publishing: false,
        audio: true,
        video: true,
      };
      room.set(userId, member);
      this.roomId = roomId;
      this.userId = userId;
      for (const other of this.server.others(roomId, userId)) {
        if (!other.visible) continue;
        this.fire(EVENTS.PEER_ONLINE, { uid: other.userId });
        if (other.publishing && (other.audio || other.video))
          this.fire(EVENTS.STREAM_ADDED, {
            uid: other.userId,
            screen: false,
            streamPublishState: { audio: other.audio, video: other.video },
          });
        if (member.visible) other.client.fire(EVENTS.PEER_ONLINE, { uid: userId });
      }
      return userId;
    });
  }

  leave() {
    return this.answer('leave', () => {
      if (this.roomId && this.userId) this.server.remove(this.roomId, this.userId);
      this.roomId = null;
    });
  }

  publish() {
    return this.answer('publish', () => {
      const member = this.member();
      if (!member.visible) throw new VolcError(ERROR_CODES.INVALID_PARAMS, 'invisible users cannot publish');
      if (member.publishing) throw new VolcError(ERROR_CODES.ALREADY_PUBLISHED, 'already published');
      member.publishing = true;
      member.audio = true;
      member.video = true;
      this.server.announce(this.roomId!, member, EVENTS.STREAM_ADDED);
      return this.server.url('push', this.roomId!, member.userId);
    });
  }

  unpublish() {
    return this.answer('unpublish', () => {
      const member = this.member();
      if (!member.publishing) throw new VolcError(ERROR_CODES.NOT_PUBLISHED, 'not published');
      member.publishing = false;
      this.server.announce(this.roomId!, member, EVENTS.STREAM_REMOVED);
    });
  }

  subscribe(userId: string, options: { screen: boolean }) {
    return this.answer(`subscribe:${userId}`, () => {
      this.member();
      const target = this.server.room(this.roomId!).get(userId);
      if (options.screen || !target?.publishing || !target.visible)
        throw new VolcError(ERROR_CODES.SUBSCRIBE_FAILED, `no stream of ${userId}`);
      return this.server.url('play', this.roomId!, userId);
    });
  }

  unsubscribe(userId: string, _options: { screen: boolean }) {
    return this.answer(`unsubscribe:${userId}`, () => {
      this.member();
    });
  }

  muteLocal(options: { audio?: boolean; video?: boolean }) {
    return this.answer(`muteLocal:${JSON.stringify(options)}`, () => {
      const member = this.member();
      if (!member.publishing) throw new VolcError(ERROR_CODES.NOT_PUBLISHED, 'not published');
      const before = member.audio || member.video;
      const audioChange = options.audio !== undefined && member.audio === options.audio;
      const videoChange = options.video !== undefined && member.video === options.video;
      if (options.audio !== undefined) member.audio = !options.audio;
      if (options.video !== undefined) member.video = !options.video;
      const after = member.audio || member.video;
      if (before && !after) return this.server.announce(this.roomId!, member, EVENTS.STREAM_REMOVED);
      if (!before && after) return this.server.announce(this.roomId!, member, EVENTS.STREAM_ADDED);
      if (audioChange)
        this.server.announce(this.roomId!, member, member.audio ? EVENTS.UNMUTE_AUDIO : EVENTS.MUTE_AUDIO);
      if (videoChange)
        this.server.announce(this.roomId!, member, member.video ? EVENTS.UNMUTE_VIDEO : EVENTS.MUTE_VIDEO);
    });
  }

  muteRemote(userId: string, options: { screen: boolean; audio?: boolean; video?: boolean }) {
    return this.answer(`muteRemote:${userId}:${JSON.stringify(options)}`, () => {
      this.member();
      if (!this.server.room(this.roomId!).get(userId)) throw new VolcError(ERROR_CODES.UID_NOT_FOUND, userId);
    });
  }

  setUserVisibility(visible: boolean) {
    return this.answer(`setUserVisibility:${visible}`, () => {
      this.visible = visible;
      const member = this.roomId && this.userId ? this.server.room(this.roomId).get(this.userId) : undefined;
      if (!member || member.visible === visible) return;
      if (!visible) {
        if (member.publishing && (member.audio || member.video))
          this.server.announce(this.roomId!, member, EVENTS.STREAM_REMOVED);
        member.publishing = false;
        for (const other of this.server.others(this.roomId!, member.userId))
          other.client.fire(EVENTS.PEER_LEAVE, { uid: member.userId });
        member.visible = false;
      } else {
        member.visible = true;
        for (const other of this.server.others(this.roomId!, member.userId))
          other.client.fire(EVENTS.PEER_ONLINE, { uid: member.userId });
      }
    });
  }

  setBusinessId(businessId: string) {
    return this.answer(`setBusinessId:${businessId}`, () => {
      this.businessId = businessId;
      return 0;
    });
  }

  on(event: string, listener: (payload?: VolcengineEventPayload) => void) {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
  }

  off(event: string, listener?: (payload?: VolcengineEventPayload) => void) {
    if (listener) this.listeners.get(event)?.delete(listener);
    else this.listeners.delete(event);
  }

  get listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  reportPusherStateChange(event: VolcengineComponentEvent) {
    this.reports.push({ method: 'reportPusherStateChange', event });
  }
  reportPusherNetStatusChange(event: VolcengineComponentEvent) {
    this.reports.push({ method: 'reportPusherNetStatusChange', event });
  }
  reportPlayerStateChange(userId: string, event: VolcengineComponentEvent) {
    this.reports.push({ method: 'reportPlayerStateChange', userId, event });
  }
  reportPlayerNetStatusChange(userId: string, event: VolcengineComponentEvent) {
    this.reports.push({ method: 'reportPlayerNetStatusChange', userId, event });
  }
}

function makeClientClass(server: FakeVolcengineServer): new () => FakeVolcengineClient {
  return class extends FakeVolcengineClient {
    constructor() {
      super(server);
    }
  };
}
