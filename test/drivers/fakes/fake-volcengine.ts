/**
 * A fake of Volcengine's RTC mini program SDK and of the room service it talks to, written from
 * the vendor document (seed 001 "Client", function descriptions; seed 000 for the method and
 * event lists). Several fake clients share one {@link FakeVolcengineServer}, so peers, streams
 * and mute bits flow between them.
 *
 * Calling convention, as each heading's signature says: `(…, onSuccess, onFailure)`; the
 * callbacks are optional ("必填: 否") except for `setUserVisibility` (required). Where the
 * member table (seed 001 "成员函数") lists a Promise return, the method returns that Promise too.
 * A value other than a function where a callback belongs makes the SDK throw `TypeError:
 * onSuccess is not a function` in its own asynchronous code (recorded in `server.uncaught`).
 * Required options the document types as booleans (`muteLocal`'s `audio` and `video`,
 * `muteRemote`'s `audio` and `video`) and required arguments fail with 100001 INVALID_PARAMS.
 *
 * Where the documents are silent (listed in docs/drivers.md as assumptions):
 * - EVENTS values are the anchors of seed 000 (`stream-added` …); payloads per PLATFORM.md §7:
 *   STREAM_ADDED `{uid, screen, streamPublishState}`, STREAM_REMOVED / MUTE_* / UNMUTE_*
 *   `{uid, screen}`, UPDATE_URL `{uid, screen, url}`, STREAM_FAILED `{uid, screen, reason}`,
 *   PEER_ONLINE / PEER_LEAVE `{uid}`, CLIENT_BANNED `{uid, reason}`, ERROR `{errMsg}`,
 *   DISCONNECT `{reason}`;
 * - error numbers are Volcengine's ERROR_CODES (PLATFORM.md §7); the room-limit refusals (seed
 *   001 "join": 20 visible users, 8 publishing) carry codes the documents do not give:
 *   {@link ASSUMED_LIMIT_CODES};
 * - `subscribe` returns nothing (the table's `string` cannot be the URL the server answers later);
 * - `setBusinessId` returns `true`, or `false` after join, when the document says it has no effect;
 * - `report*` with arguments of the wrong type throw a TypeError.
 */

export const EVENTS = {
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
} as const;

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

/** Codes for the documented room limits; the documents give none (assumption). */
export const ASSUMED_LIMIT_CODES = { ROOM_FULL: 200005, PUBLISHER_LIMIT: 200006 } as const;

/** seed 001 "join": a room holds at most 20 visible users, 8 of them publishing. */
export const LIMITS = { visible: 20, publishing: 8 } as const;

export interface VolcPayload {
  readonly uid?: string;
  readonly screen?: boolean;
  readonly streamPublishState?: { readonly audio: boolean; readonly video: boolean };
  readonly url?: string;
  readonly reason?: string;
  readonly errMsg?: string;
}

interface Member {
  readonly userId: string;
  readonly client: FakeVolcengineClient;
  visible: boolean;
  publishing: boolean;
  audio: boolean;
  video: boolean;
}

/** What a subscriber receives from one remote user's stream. */
export interface VolcReception {
  readonly url: string;
  readonly options: { readonly audio: boolean; readonly video: boolean; readonly screen: boolean };
  /** muteRemote: `true` stops receiving that track. */
  audioMuted: boolean;
  videoMuted: boolean;
}

/** VolcEngineRTCError (seed 001 "init"): `{code, reason}`. */
export interface VolcError {
  readonly code: number;
  readonly reason: string;
}

const later = (fn: () => void) => queueMicrotask(fn);
const err = (code: number, reason: string): VolcError => ({ code, reason });
const isError = (v: unknown): v is VolcError =>
  typeof v === 'object' && v !== null && 'code' in v && 'reason' in v && !('url' in v);
const invalid = (what: string) => err(ERROR_CODES.INVALID_PARAMS, what);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

export class FakeVolcengineServer {
  readonly appId = 'volc-test-app';
  readonly rooms = new Map<string, Map<string, Member>>();
  readonly clients: FakeVolcengineClient[] = [];
  /** Errors the SDK threw inside its own asynchronous code (a callback that is not a function). */
  readonly uncaught: Error[] = [];
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

  /** Announces a member's stream change to everyone else. */
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

  /** A visible user joins straight into the room (for limit tests); no SDK client behind it. */
  fill(roomId: string, userId: string, publishing: boolean): void {
    const ghost = new FakeVolcengineClient(this);
    this.room(roomId).set(userId, {
      userId,
      client: ghost,
      visible: true,
      publishing,
      audio: true,
      video: true,
    });
  }
}

type Callback = unknown;

export class FakeVolcengineClient {
  readonly calls: string[] = [];
  /** Every report* call, with its arguments as given. */
  readonly reports: { method: string; args: unknown[] }[] = [];
  /** Remote user (`uid` or `uid:screen`) → what this client receives. */
  readonly receptions = new Map<string, VolcReception>();
  private readonly listeners = new Map<string, Set<(payload?: VolcPayload) => void>>();
  private inited = false;
  private visible = true;
  private roomId: string | null = null;
  private userId: string | null = null;
  businessId: string | null = null;
  destroyed = false;

  constructor(private readonly server: FakeVolcengineServer) {
    server.clients.push(this);
  }

  fire(event: string, payload?: VolcPayload): void {
    later(() => {
      if (this.destroyed) return;
      for (const l of [...(this.listeners.get(event) ?? [])]) l(payload);
    });
  }

  private invoke(name: string, callback: Callback, value: unknown): void {
    if (callback === undefined) return;
    if (typeof callback !== 'function') {
      this.server.uncaught.push(new TypeError(`${name} is not a function`));
      return;
    }
    (callback as (v: unknown) => void)(value);
  }

  /** Answers a microtask later through the callbacks given and the returned Promise. */
  private answer<T>(
    name: string,
    onSuccess: Callback,
    onFailure: Callback,
    run: () => T | VolcError,
  ): Promise<T> {
    this.calls.push(name);
    return new Promise<T>((resolve, reject) =>
      later(() => {
        if (this.destroyed) return;
        const result = run();
        if (isError(result)) {
          this.invoke('onFailure', onFailure, result);
          reject(result);
        } else {
          this.invoke('onSuccess', onSuccess, result);
          resolve(result);
        }
      }),
    );
  }

  private member(): Member | VolcError {
    const member = this.roomId && this.userId ? this.server.room(this.roomId).get(this.userId) : undefined;
    return member ?? err(ERROR_CODES.NOT_IN_ROOM, 'not in a room');
  }

  /** seed 001 "init": `init(appId, onSuccess?, onFailure?)`; table: Promise<void>. */
  init(appId: string, onSuccess?: Callback, onFailure?: Callback): Promise<void> {
    return this.answer('init', onSuccess, onFailure, () => {
      if (typeof appId !== 'string' || !appId) return invalid('appId is required');
      if (this.inited) return err(ERROR_CODES.HAS_INITED, 'already initialised');
      if (appId !== this.server.appId) return invalid('unknown app id');
      this.inited = true;
    });
  }

  /** seed 001 "destroy": `destroy(onSuccess?, onFailure?)`; leaves the room too. */
  destroy(onSuccess?: Callback, onFailure?: Callback): Promise<void> {
    this.calls.push('destroy');
    void onFailure;
    if (this.roomId && this.userId && this.server.room(this.roomId).get(this.userId)?.client === this)
      this.server.remove(this.roomId, this.userId);
    this.roomId = null;
    this.invoke('onSuccess', onSuccess, undefined);
    this.destroyed = true;
    return Promise.resolve();
  }

  /**
   * seed 001 "setBusinessId": `(businessId: string) => boolean`; "join 之后调用该方法无效" (no
   * effect after join): answers `false` then and keeps the old id.
   */
  setBusinessId(businessId: string, onSuccess?: Callback): boolean {
    this.calls.push(`setBusinessId:${businessId}`);
    const ok = typeof businessId === 'string' && this.roomId === null;
    if (ok) this.businessId = businessId;
    this.invoke('onSuccess', onSuccess, ok);
    return ok;
  }

  /**
   * seed 001 "join": `join(token, roomId, userId, onSuccess(userId)?, onFailure?)`; table:
   * Promise<string>. A room holds 20 visible users ("一个 RTC 房间最多同时容纳 20 名可见用户").
   */
  join(
    token: string,
    roomId: string,
    userId: string,
    onSuccess?: Callback,
    onFailure?: Callback,
  ): Promise<string> {
    return this.answer('join', onSuccess, onFailure, () => {
      if (
        typeof token !== 'string' ||
        typeof roomId !== 'string' ||
        typeof userId !== 'string' ||
        !roomId ||
        !userId
      )
        return invalid('token, roomId and userId are strings');
      if (!this.inited) return err(ERROR_CODES.NOT_LOGIN, 'init first');
      if (this.roomId) return err(ERROR_CODES.ALREADY_IN_ROOM, 'already in a room');
      if (token === 'bad') return err(ERROR_CODES.LOGIN_FAILED, 'token check failed');
      const room = this.server.room(roomId);
      if (room.has(userId)) this.server.remove(roomId, userId);
      const visibleCount = [...room.values()].filter((m) => m.visible).length;
      if (this.visible && visibleCount >= LIMITS.visible)
        return err(ASSUMED_LIMIT_CODES.ROOM_FULL, 'the room has 20 visible users');
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

  /** seed 001 "leave": `leave(onSuccess?, onFailure?)`. */
  leave(onSuccess?: Callback, onFailure?: Callback): Promise<void> {
    return this.answer('leave', onSuccess, onFailure, () => {
      if (this.roomId && this.userId) this.server.remove(this.roomId, this.userId);
      this.roomId = null;
      this.receptions.clear();
    });
  }

  /** seed 001 "publish": `publish(onSuccess(url)?, onFailure?)`; at most 8 publish ("最多 8 人可同时上麦"). */
  publish(onSuccess?: Callback, onFailure?: Callback): Promise<string> {
    return this.answer('publish', onSuccess, onFailure, () => {
      const member = this.member();
      if (isError(member)) return member;
      if (!member.visible) return invalid('invisible users cannot publish');
      if (member.publishing) return err(ERROR_CODES.ALREADY_PUBLISHED, 'already published');
      const publishing = [...this.server.room(this.roomId!).values()].filter((m) => m.publishing).length;
      if (publishing >= LIMITS.publishing)
        return err(ASSUMED_LIMIT_CODES.PUBLISHER_LIMIT, '8 users publish already');
      member.publishing = true;
      member.audio = true;
      member.video = true;
      this.server.announce(this.roomId!, member, EVENTS.STREAM_ADDED);
      return this.server.url('push', this.roomId!, member.userId);
    });
  }

  /** seed 001 "unpublish": `unpublish(onSuccess?, onFailure?)`. */
  unpublish(onSuccess?: Callback, onFailure?: Callback): Promise<void> {
    return this.answer('unpublish', onSuccess, onFailure, () => {
      const member = this.member();
      if (isError(member)) return member;
      if (!member.publishing) return err(ERROR_CODES.NOT_PUBLISHED, 'not published');
      const wasSeen = member.audio || member.video;
      member.publishing = false;
      if (wasSeen) this.server.announce(this.roomId!, member, EVENTS.STREAM_REMOVED);
    });
  }

  /**
   * seed 001 "subscribe": `subscribe(userId, options: SubOptions {video?, audio?, screen?},
   * onSuccess(url)?, onFailure?)`; options required.
   */
  subscribe(
    userId: string,
    options: { audio?: boolean; video?: boolean; screen?: boolean },
    onSuccess?: Callback,
    onFailure?: Callback,
  ): void {
    const opts = options as unknown;
    void this.answer(`subscribe:${userId}:${JSON.stringify(opts)}`, onSuccess, onFailure, () => {
      if (typeof userId !== 'string' || typeof opts !== 'object' || opts === null || Array.isArray(opts))
        return invalid('subscribe(userId, options, …)');
      const o = opts as Record<string, unknown>;
      for (const key of ['audio', 'video', 'screen'])
        if (o[key] !== undefined && !isBool(o[key])) return invalid(`options.${key} is a boolean`);
      const member = this.member();
      if (isError(member)) return member;
      const screen = o.screen === true;
      const target = this.server.room(this.roomId!).get(userId);
      if (screen || !target?.publishing || !target.visible)
        return err(ERROR_CODES.SUBSCRIBE_FAILED, `no stream of ${userId}`);
      const url = this.server.url('play', this.roomId!, userId);
      this.receptions.set(userId, {
        url,
        options: { audio: o.audio !== false, video: o.video !== false, screen },
        audioMuted: false,
        videoMuted: false,
      });
      return url;
    }).catch(() => undefined);
  }

  /** seed 001 "unsubscribe": `unsubscribe(userId, options: {screen?}, onSuccess?, onFailure?)`; options required. */
  unsubscribe(
    userId: string,
    options: { screen?: boolean },
    onSuccess?: Callback,
    onFailure?: Callback,
  ): Promise<void> {
    const opts = options as unknown;
    return this.answer(`unsubscribe:${userId}:${JSON.stringify(opts)}`, onSuccess, onFailure, () => {
      if (typeof userId !== 'string' || typeof opts !== 'object' || opts === null)
        return invalid('unsubscribe(userId, options, …)');
      const screen = (opts as Record<string, unknown>).screen;
      if (screen !== undefined && !isBool(screen)) return invalid('options.screen is a boolean');
      const member = this.member();
      if (isError(member)) return member;
      this.receptions.delete(screen ? `${userId}:screen` : userId);
    });
  }

  /**
   * seed 001 "muteLocal": `muteLocal(options: {audio: boolean; video: boolean}, onSuccess?,
   * onFailure?)`; `true` disables. Others get MUTE_/UNMUTE_*, STREAM_REMOVED when both are off,
   * STREAM_ADDED when one comes back.
   */
  muteLocal(
    options: { audio: boolean; video: boolean },
    onSuccess?: Callback,
    onFailure?: Callback,
  ): Promise<void> {
    const opts = options as unknown;
    return this.answer(`muteLocal:${JSON.stringify(opts)}`, onSuccess, onFailure, () => {
      const o = (typeof opts === 'object' && opts !== null ? opts : {}) as Record<string, unknown>;
      if (!isBool(o.audio) || !isBool(o.video)) return invalid('muteLocal needs both audio and video');
      const member = this.member();
      if (isError(member)) return member;
      if (!member.publishing) return err(ERROR_CODES.NOT_PUBLISHED, 'not published');
      const before = member.audio || member.video;
      const audioChange = member.audio === o.audio;
      const videoChange = member.video === o.video;
      member.audio = !o.audio;
      member.video = !o.video;
      const after = member.audio || member.video;
      if (before && !after) return this.server.announce(this.roomId!, member, EVENTS.STREAM_REMOVED);
      if (!before && after) return this.server.announce(this.roomId!, member, EVENTS.STREAM_ADDED);
      if (audioChange)
        this.server.announce(this.roomId!, member, member.audio ? EVENTS.UNMUTE_AUDIO : EVENTS.MUTE_AUDIO);
      if (videoChange)
        this.server.announce(this.roomId!, member, member.video ? EVENTS.UNMUTE_VIDEO : EVENTS.MUTE_VIDEO);
    });
  }

  /**
   * seed 001 "muteRemote": `muteRemote(userId, options: {audio: boolean; video: boolean; screen:
   * boolean}, onSuccess?, onFailure?)`; only for a subscribed user ("指定的远端用户为已订阅的用户").
   */
  muteRemote(
    userId: string,
    options: { audio: boolean; video: boolean; screen: boolean },
    onSuccess?: Callback,
    onFailure?: Callback,
  ): Promise<void> {
    const opts = options as unknown;
    return this.answer(`muteRemote:${userId}:${JSON.stringify(opts)}`, onSuccess, onFailure, () => {
      const o = (typeof opts === 'object' && opts !== null ? opts : {}) as Record<string, unknown>;
      if (
        typeof userId !== 'string' ||
        !isBool(o.audio) ||
        !isBool(o.video) ||
        (o.screen !== undefined && !isBool(o.screen))
      )
        return invalid('muteRemote needs audio and video booleans');
      const member = this.member();
      if (isError(member)) return member;
      const reception = this.receptions.get(o.screen ? `${userId}:screen` : userId);
      if (!reception) return err(ERROR_CODES.UID_NOT_FOUND, `${userId} is not subscribed`);
      reception.audioMuted = o.audio;
      reception.videoMuted = o.video;
    });
  }

  /**
   * seed 001 "setUserVisibility": `setUserVisibility(enable, onSuccess, onFailure): Promise<void>`,
   * callbacks required; others get PEER_ONLINE / PEER_LEAVE.
   */
  setUserVisibility(enable: boolean, onSuccess: Callback, onFailure: Callback): Promise<void> {
    if (typeof onSuccess !== 'function' || typeof onFailure !== 'function') {
      // The SDK calls them unguarded: the call is made, its answer throws inside the SDK.
      onSuccess ??= null;
      onFailure ??= null;
    }
    return this.answer(`setUserVisibility:${enable}`, onSuccess, onFailure, () => {
      if (!isBool(enable)) return invalid('enable is a boolean');
      const member = this.roomId && this.userId ? this.server.room(this.roomId).get(this.userId) : undefined;
      if (member && enable && !member.visible) {
        const visibleCount = [...this.server.room(this.roomId!).values()].filter((m) => m.visible).length;
        if (visibleCount >= LIMITS.visible)
          return err(ASSUMED_LIMIT_CODES.ROOM_FULL, 'the room has 20 visible users');
      }
      this.visible = enable;
      if (!member || member.visible === enable) return;
      if (!enable) {
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

  /** seed 001 "on": `on(event, callback)`, both required. */
  on(event: string, callback: (payload?: VolcPayload) => void): void {
    if (typeof event !== 'string' || typeof callback !== 'function')
      throw new TypeError('on(event, callback)');
    const set = this.listeners.get(event) ?? new Set();
    set.add(callback);
    this.listeners.set(event, set);
  }

  /** seed 001 "off": `off(event, callback)`, both required. */
  off(event: string, callback: (payload?: VolcPayload) => void): void {
    if (typeof event !== 'string' || typeof callback !== 'function')
      throw new TypeError('off(event, callback)');
    this.listeners.get(event)?.delete(callback);
  }

  get listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  private report(method: string, args: unknown[], valid: boolean): void {
    if (!valid) throw new TypeError(`${method}: arguments do not match the documented types`);
    this.reports.push({ method, args });
  }

  /** seed 001 "reportPusherStateChange": `(code: number, message: string)`, both required. */
  reportPusherStateChange(code: number, message: string): void {
    this.report(
      'reportPusherStateChange',
      [code, message],
      typeof code === 'number' && typeof message === 'string',
    );
  }

  /** seed 001 "reportPusherNetStatusChange": `(info)`, the live-pusher net status info. */
  reportPusherNetStatusChange(info: object): void {
    this.report(
      'reportPusherNetStatusChange',
      [info],
      typeof info === 'object' && info !== null && !('detail' in info),
    );
  }

  /** seed 001 "reportPlayerStateChange": `(uid: string, code: number, message: string)`. */
  reportPlayerStateChange(uid: string, code: number, message: string): void {
    this.report(
      'reportPlayerStateChange',
      [uid, code, message],
      typeof uid === 'string' && typeof code === 'number' && typeof message === 'string',
    );
  }

  /** seed 001 "reportPlayerNetStatusChange": `(uid: string, info)`. */
  reportPlayerNetStatusChange(uid: string, info: object): void {
    this.report(
      'reportPlayerNetStatusChange',
      [uid, info],
      typeof uid === 'string' && typeof info === 'object' && info !== null && !('detail' in info),
    );
  }
}

function makeClientClass(server: FakeVolcengineServer): new () => FakeVolcengineClient {
  return class extends FakeVolcengineClient {
    constructor() {
      super(server);
    }
  };
}
