/**
 * What the real `@rongcloud/plugin-wechat-rtc` needs around it to run in Node, faked
 * (VENDORS.md §2):
 * - a plugin context per user, standing in for `@rongcloud/engine`'s IM client: the current user,
 *   the connection state, `rtcSignaling(roomId, method, isQuery, buffer)` answered by
 *   {@link FakeRongCloudServer}, RTC_ROOM messages both ways, and a codec (JSON instead of
 *   protobuf: the plugin only encodes and decodes through it);
 * - the runtime's `httpReq`, answered by the server's MediaServer (`/exchange`, `/exit`).
 * The server keeps rooms (users, their published resources, attributes, a version) and behaves
 * like RongCloud's: `rtcRJoin_data` answers the room's users and resources and announces the
 * newcomer with `RCRTC:state`; `userSetData` stores a user's full resource list and sends others
 * `RCRTC:TotalContentResources`; `rtcSetData`/`rtcQryData`/`rtcDelData` keep attributes and send
 * the given notification; `rtcPing` answers the room version and `rtcPullRoomStatus` the full
 * status; a second join of the same user kicks the first (`RCRTC:kick`, OTHER_KICK) or, with
 * joinType REFUSE, is refused with 40032.
 * Answers come back a microtask later, like the IM socket's.
 */
import type * as RCRTC from '@rongcloud/plugin-wechat-rtc';
import { RtcError } from '../../../src/errors';

const CONNECTED = 0;
const SUSPENDED = 3;
const RTC_ROOM = 12;
const SUCCESS = 0;
const JOIN_REFUSED = 40032;
const NOT_IN_ROOM = 40004;

type Json = Record<string, unknown>;

interface Resource {
  readonly msid: string;
  readonly mediaType: number;
  readonly uri: string;
  readonly tag?: string;
  readonly state?: number;
}

interface RoomUser {
  readonly context: FakePluginContext;
  resources: Resource[];
}

interface FakeRoom {
  readonly users: Map<string, RoomUser>;
  readonly attributes: Map<string, string>;
  version: number;
  sessions: number;
}

/** A received IM message as the engine hands it to the plugin. */
interface ReceivedMessage {
  readonly conversationType: number;
  readonly targetId: string;
  readonly messageType: string;
  readonly content: unknown;
  readonly senderUserId: string;
  readonly messageUId: string;
}

const later = <T>(value: () => T): Promise<T> =>
  new Promise((resolve, reject) =>
    queueMicrotask(() => {
      try {
        resolve(value());
      } catch (e) {
        reject(e);
      }
    }),
  );

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The engine's codec, with JSON where the engine uses protobuf. */
function jsonCodec() {
  return {
    encode(_name: string, value: unknown, nested?: boolean): unknown {
      return nested ? value : encoder.encode(JSON.stringify(value ?? {}));
    },
    decode(_name: string, buffer: Uint8Array): unknown {
      return JSON.parse(decoder.decode(buffer)) as unknown;
    },
  };
}

const silentLogger = () => ({
  setOutputLevel: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
  createTraceId: () => 'trace',
});

/** The RTC and IM service, and the MediaServer. */
export class FakeRongCloudServer {
  readonly rooms = new Map<string, FakeRoom>();
  readonly contexts = new Map<string, FakePluginContext>();
  private messages = 0;
  private urls = 0;

  room(id: string): FakeRoom {
    let room = this.rooms.get(id);
    if (!room) {
      room = { users: new Map(), attributes: new Map(), version: 0, sessions: 0 };
      this.rooms.set(id, room);
    }
    return room;
  }

  /** An IM client connected as `userId`. */
  connect(userId: string): FakePluginContext {
    const context = new FakePluginContext(this, userId);
    this.contexts.set(userId, context);
    return context;
  }

  /** The runtime the plugin is set up with: its HTTP goes to this MediaServer. */
  runtime(userId: string) {
    return {
      httpReq: (request: { url: string; body: string; headers?: Record<string, string> }) =>
        later(() => this.mediaServer(userId, request)),
    };
  }

  /** Sends an RTC_ROOM message to every member of `roomId` but `from`. */
  broadcast(roomId: string, from: string, messageType: string, content: unknown): void {
    for (const [userId, user] of this.room(roomId).users) {
      if (userId !== from) this.deliver(user.context, roomId, from, messageType, content);
    }
  }

  deliver(to: FakePluginContext, roomId: string, from: string, messageType: string, content: unknown): void {
    const message: ReceivedMessage = {
      conversationType: RTC_ROOM,
      targetId: roomId,
      messageType,
      content,
      senderUserId: from,
      messageUId: `msg-${++this.messages}`,
    };
    queueMicrotask(() => to.receive(message));
  }

  private bump(roomId: string): void {
    this.room(roomId).version += 1;
  }

  private userList(room: FakeRoom): Json[] {
    return [...room.users].map(([userId, u]) => ({
      userId,
      userData: [{ key: 'uris', value: JSON.stringify(u.resources) }],
    }));
  }

  /** One `rtcSignaling` call. */
  signal(
    context: FakePluginContext,
    roomId: string,
    method: string,
    input: Json,
  ): { code: number; output?: Json } {
    if (context.status !== CONNECTED) return { code: 30001 };
    const userId = context.userId;
    const room = this.room(roomId);
    switch (method) {
      case 'rtcRJoin_data': {
        const existing = room.users.get(userId);
        if (existing && existing.context !== context) {
          if (input.joinType === 1) return { code: JOIN_REFUSED };
          if (input.joinType !== 2) {
            this.deliver(existing.context, roomId, userId, 'RCRTC:kick', { users: [{ userId, type: 2 }] });
            room.users.delete(userId);
          }
        }
        const fresh = !room.users.has(userId);
        if (fresh) {
          room.users.set(userId, { context, resources: [] });
          this.broadcast(roomId, userId, 'RCRTC:state', { users: [{ userId, state: 0 }] });
          this.bump(roomId);
        }
        return {
          code: SUCCESS,
          output: {
            users: this.userList(room),
            token: `rtc-token-${userId}`,
            sessionId: `${roomId}-${userId}-${++room.sessions}`,
            version: room.version,
          },
        };
      }
      case 'rtcRExit':
        this.removeUser(roomId, userId);
        return { code: SUCCESS };
      case 'rtcPing':
        return room.users.get(userId)?.context === context
          ? { code: SUCCESS, output: { version: room.version } }
          : { code: NOT_IN_ROOM };
      case 'rtcPullRoomStatus':
        return {
          code: SUCCESS,
          output: {
            bFullStatus: true,
            version: room.version,
            usersData: this.userList(room),
            roomStatus: [],
          },
        };
      case 'userSetData': {
        const user = room.users.get(userId);
        if (!user) return { code: NOT_IN_ROOM };
        const values = (input.valueInfo ?? []) as { key: string; value: string }[];
        const uris = values.find((v) => v.key === 'uris')?.value ?? '[]';
        user.resources = JSON.parse(uris) as Resource[];
        this.bump(roomId);
        this.broadcast(roomId, userId, String(input.objectName), { uris: user.resources });
        return { code: SUCCESS };
      }
      case 'rtcSetData': {
        room.attributes.set(String(input.key), String(input.value));
        if (input.objectName) this.broadcast(roomId, userId, String(input.objectName), input.content);
        return { code: SUCCESS };
      }
      case 'rtcQryData': {
        const keys = Array.isArray(input.key) ? (input.key as string[]) : [];
        const outInfo = [...room.attributes]
          .filter(([k]) => keys.length === 0 || keys.includes(k))
          .map(([key, value]) => ({ key, value }));
        return { code: SUCCESS, output: { outInfo } };
      }
      case 'rtcDelData': {
        const keys = Array.isArray(input.key) ? (input.key as string[]) : [];
        for (const k of keys) room.attributes.delete(k);
        if (input.objectName) this.broadcast(roomId, userId, String(input.objectName), input.content);
        return { code: SUCCESS };
      }
      default:
        return { code: SUCCESS };
    }
  }

  private removeUser(roomId: string, userId: string): void {
    const room = this.room(roomId);
    if (!room.users.delete(userId)) return;
    this.bump(roomId);
    this.broadcast(roomId, userId, 'RCRTC:state', { users: [{ userId, state: 1 }] });
  }

  /** The server removes the user (RCRTC:kick, SERVER_KICK); the others see it leave. */
  kick(roomId: string, userId: string): void {
    const user = this.room(roomId).users.get(userId);
    if (!user) throw new Error(`no ${userId} in ${roomId}`);
    this.removeUser(roomId, userId);
    this.deliver(user.context, roomId, 'system', 'RCRTC:kick', { users: [{ userId, type: 1 }] });
  }

  /** A user already in the room on another device (for a REFUSE join). */
  occupy(roomId: string, userId: string): void {
    this.room(roomId).users.set(userId, { context: new FakePluginContext(this, userId), resources: [] });
  }

  private mediaServer(
    userId: string,
    request: { url: string; body: string; headers?: Record<string, string> },
  ) {
    const path = new URL(request.url).pathname;
    const roomId = request.headers?.RoomId ?? '';
    if (path.endsWith('/exit')) return { status: 200, data: { resultCode: 10000 } };
    const body = JSON.parse(request.body) as {
      rtmp: { msid: string; mediaType: number }[];
      subscribeList: { uri: string; simulcast?: number }[];
    };
    const publishList: Resource[] = [];
    for (const pub of body.rtmp) {
      const types = pub.mediaType === 2 ? [0, 1] : [pub.mediaType];
      for (const mediaType of types)
        publishList.push({ msid: pub.msid, mediaType, uri: `rc://${roomId}/${pub.msid}/${mediaType}` });
    }
    const rtmpPublishList = body.rtmp.map((pub) => ({
      uri: `rtmp://rc.test/push/${roomId}/${pub.msid}?n=${++this.urls}`,
    }));
    const playing = new Map<string, string>();
    for (const sub of body.subscribeList) {
      const msid = sub.uri.split('/')[3] ?? '';
      playing.set(
        msid,
        `rtmp://rc.test/play/${roomId}/${msid}?n=${++this.urls}${sub.simulcast === 2 ? '&tiny=1' : ''}`,
      );
    }
    void userId;
    return {
      status: 200,
      data: {
        resultCode: 10000,
        publishList,
        rtmpPublishList,
        rtmpSubscribeList: [...playing].map(([msid, uri]) => ({ msid, uri })),
      },
    };
  }
}

/** One IM client, as the plugin context of `@rongcloud/engine` presents it. */
export class FakePluginContext {
  status = CONNECTED;
  readonly sent: { messageType: string; content: unknown }[] = [];
  // Set by the plugin.
  onmessage: ((message: ReceivedMessage) => void) | null = null;
  onconnectionstatechange: ((status: number) => void) | null = null;
  ondisconnect: (() => void) | null = null;
  ondestroy: (() => void) | null = null;
  private signalListener: ((buffer: Uint8Array) => void) | null = null;

  constructor(
    private readonly server: FakeRongCloudServer,
    readonly userId: string,
  ) {}

  createLogger() {
    return silentLogger();
  }
  createCodec() {
    return jsonCodec();
  }
  getCurrentId() {
    return this.userId;
  }
  getAppkey() {
    return 'rc-test-appkey';
  }
  getNaviInfo() {
    return {};
  }
  getConnectionStatus() {
    return this.status;
  }
  getCoreVersion() {
    return '5.38.0';
  }
  registerRTCSignalListener(listener: (buffer: Uint8Array) => void) {
    this.signalListener = listener;
  }

  rtcSignaling(roomId: string, method: string, _isQuery: boolean, buffer?: Uint8Array) {
    return later(() => {
      const input = buffer ? (JSON.parse(decoder.decode(buffer)) as Json) : {};
      const { code, output } = this.server.signal(this, roomId, method, input);
      return output ? { code, buffer: encoder.encode(JSON.stringify(output)) } : { code };
    });
  }

  sendMessage(
    conversationType: number,
    targetId: string,
    message: { messageType: string; content: unknown },
  ) {
    return later(() => {
      if (this.status !== CONNECTED) return { code: 30001 };
      if (conversationType !== RTC_ROOM) throw new RtcError('INVALID_ARGUMENT', 'only RTC_ROOM messages');
      this.sent.push({ messageType: message.messageType, content: message.content });
      this.server.broadcast(targetId, this.userId, message.messageType, message.content);
      return { code: SUCCESS };
    });
  }

  receive(message: ReceivedMessage): void {
    if (this.status === CONNECTED) this.onmessage?.(message);
  }

  /** The IM connection drops (SUSPENDED: the engine is retrying). */
  suspend(): void {
    this.status = SUSPENDED;
    this.onconnectionstatechange?.(SUSPENDED);
  }

  /** The IM connection is back. */
  reconnect(): void {
    this.status = CONNECTED;
    this.onconnectionstatechange?.(CONNECTED);
  }

  /** Whether the plugin registered for RTC notifications (it always does). */
  get listening(): boolean {
    return this.signalListener !== null;
  }
}

type Plugin = typeof RCRTC;

/**
 * Unreferences every timer of this test file: the plugin races each ping against a 5 s timer it
 * never clears, which would otherwise keep the process alive after the last test. Call it once at
 * the top of a test file that runs the plugin.
 */
export function unrefTimers(): void {
  const realSetTimeout = global.setTimeout;
  jest.spyOn(global, 'setTimeout').mockImplementation(((
    handler: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const timer = realSetTimeout(handler, ms, ...args);
    timer.unref();
    return timer;
  }) as unknown as typeof setTimeout);
}

/** One copy of the plugin module per user, for the whole file (loading one takes ~0.2 s). */
const plugins = new Map<string, Plugin>();
export function pluginFor(userId: string): Plugin {
  let plugin = plugins.get(userId);
  if (!plugin) {
    jest.isolateModules(() => {
      plugin = jest.requireActual<Plugin>('@rongcloud/plugin-wechat-rtc');
    });
    plugins.set(userId, plugin!);
  }
  return plugin!;
}

/**
 * The plugin's client, set up as `RongIMLib.installPlugin` would, on the fake engine. It is typed
 * as the plugin declares it, so handing it to the driver checks the driver's types against the
 * real package's.
 */
export function setUpPlugin(plugin: Plugin, context: FakePluginContext, runtime: object): RCRTC.RCRTCClient {
  type Setup = typeof plugin.installer.setup;
  return plugin.installer.setup(
    context as unknown as Parameters<Setup>[0],
    runtime as unknown as Parameters<Setup>[1],
    {},
  );
}
