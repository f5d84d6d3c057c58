/**
 * The native half of a TRTC room, for running the real `trtc-wx-sdk` in Node: a fake `wx`
 * (pusher contexts, and a `request` that records and refuses every call, so no telemetry can
 * leave), fake `<live-pusher>` elements, and a {@link FakeTrtcCloud} that replays what the native
 * pusher reports in a TRTC room (VENDORS.md §1, PLATFORM.md §3):
 * - a pusher given a `room://` URL with `autopush` (or started through its context) enters the
 *   room: 1018 to itself, then for each member already there 1031 `{userlist:[{userid}]}` and
 *   1033/1034 for its open camera/mic with `playurl`, `streamtype` and `hasvideo`/`hasaudio`; the
 *   members get the same about the newcomer;
 * - toggling `enableCamera`/`enableMic` in the room sends 1033/1034 to the others;
 * - stopping the push (or clearing the URL) exits: 1019 `…reason[0]` to itself, 1032 to others;
 * - a kick is 1019 without `reason[0]` (the SDK's KICKED_OUT); a lost push is −1307; a bad user
 *   signature is −100018; a denied camera is `binderror` 10001;
 * - events reach the page a microtask later, as native events cross the bridge.
 * Events go to the page's WXML handlers, which are rxroom's `nativeHandlers`, so the real decoders
 * and `client.dispatchNative` run between the "native" side and the driver.
 */
import type { TrtcConstructor } from '../../../src/bindings/drivers/trtc';

/**
 * The real SDK (a UMD bundle that prints its version when loaded). `fresh` loads a copy of its
 * own: the SDK's logger and telemetry are module-wide, and `env: 'test'` switches telemetry off
 * for every instance of the copy it is given to.
 */
export function loadTrtc(fresh = false): TrtcConstructor {
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  try {
    let sdk: TrtcConstructor | undefined;
    if (fresh) jest.isolateModules(() => (sdk = jest.requireActual<TrtcConstructor>('trtc-wx-sdk')));
    else sdk = jest.requireActual<TrtcConstructor>('trtc-wx-sdk');
    return sdk!;
  } finally {
    info.mockRestore();
  }
}

interface StateDetail {
  readonly code: number;
  readonly message: string;
}

/** The WXML handlers the page binds on its `<live-pusher>`. */
export interface PusherHandlers {
  onPusherStateChange(e: unknown): void;
  onPusherError(e: unknown): void;
}

interface ContextOptions {
  success?: () => void;
  fail?: (e: { errMsg: string }) => void;
  complete?: () => void;
}

const later = (fn: () => void) => queueMicrotask(fn);

/** One page's `<live-pusher>`: its bound attributes and its native room connection. */
export class FakeLivePusher {
  attributes: Record<string, unknown> = {};
  handlers: PusherHandlers | null = null;
  /** The room it is in, as `${sdkappid}/${room}`, and its user. */
  room: string | null = null;
  userId: string | null = null;
  readonly contextCalls: string[] = [];

  constructor(private readonly cloud: FakeTrtcCloud) {}

  /** The LivePusherContext `wx.createLivePusherContext(page)` returns. */
  readonly context = {
    start: (options?: ContextOptions) => {
      this.contextCalls.push('start');
      this.enter();
      later(() => {
        options?.success?.();
        options?.complete?.();
      });
    },
    stop: (options?: ContextOptions) => {
      this.contextCalls.push('stop');
      this.exit();
      later(() => {
        options?.success?.();
        options?.complete?.();
      });
    },
    pause: () => this.contextCalls.push('pause'),
    resume: () => this.contextCalls.push('resume'),
    switchCamera: () => this.contextCalls.push('switchCamera'),
  };

  /** The page bound new attributes (what setData does to the component). */
  setAttributes(next: Record<string, unknown>): void {
    const before = this.attributes;
    this.attributes = { ...next };
    if (next.url !== before.url) {
      if (!next.url) this.exit();
      else if (next.autopush) this.enter();
      return;
    }
    if (this.room && (next.enableCamera !== before.enableCamera || next.enableMic !== before.enableMic)) {
      this.cloud.tracksChanged(this, {
        video: next.enableCamera !== before.enableCamera,
        audio: next.enableMic !== before.enableMic,
      });
    }
  }

  /** A state code from the native side, to the page's `bindstatechange`. */
  state(code: number, message: string): void {
    const detail: StateDetail = { code, message };
    later(() => this.handlers?.onPusherStateChange({ type: 'statechange', detail }));
  }

  /** An error from the native side, to the page's `binderror`. */
  error(errCode: number, errMsg: string): void {
    later(() => this.handlers?.onPusherError({ type: 'error', detail: { errCode, errMsg } }));
  }

  get camera(): boolean {
    return this.attributes.enableCamera === true;
  }
  get mic(): boolean {
    return this.attributes.enableMic === true;
  }

  private enter(): void {
    if (this.room) return;
    const url = typeof this.attributes.url === 'string' ? this.attributes.url : '';
    if (!url.startsWith('room://')) return;
    this.cloud.enter(this, new URL(url.replace(/^room:/, 'https:')).searchParams);
  }

  exit(reason = 'exit room, reason[0]'): void {
    if (!this.room) return;
    this.cloud.leave(this);
    this.state(1019, reason);
  }
}

/** The TRTC service as the native pushers see it. */
export class FakeTrtcCloud {
  readonly rooms = new Map<string, Set<FakeLivePusher>>();
  readonly badSignature = 'bad-sig';
  /** A state code to refuse the next enter with (e.g. −3301, enter room failed). */
  refuseNextEnter: number | null = null;
  /**
   * Signatures past their expiry: an enter with one is refused as a bad one is, with −100018
   * ("userSig invalid", PLATFORM.md §4: the code TRTC's SDK reads from the pusher).
   */
  readonly expiredSignatures = new Set<string>();

  playUrl(userId: string): string {
    return `room://cloud.tencent.com/rtc?userid=${userId}&streamtype=main`;
  }

  private members(room: string): Set<FakeLivePusher> {
    let set = this.rooms.get(room);
    if (!set) {
      set = new Set();
      this.rooms.set(room, set);
    }
    return set;
  }

  private list(entries: Record<string, unknown>[]): string {
    return JSON.stringify({ userlist: entries });
  }

  /** Tells `to` about `who` and its open tracks. */
  private introduce(to: FakeLivePusher, who: FakeLivePusher): void {
    const userid = who.userId!;
    to.state(1031, this.list([{ userid }]));
    if (who.camera)
      to.state(
        1033,
        this.list([{ userid, playurl: this.playUrl(userid), streamtype: 'main', hasvideo: true }]),
      );
    if (who.mic) to.state(1034, this.list([{ userid, playurl: this.playUrl(userid), hasaudio: true }]));
  }

  enter(pusher: FakeLivePusher, params: URLSearchParams): void {
    const userId = params.get('userid') ?? '';
    const sig = params.get('usersig') ?? '';
    if (sig === this.badSignature || this.expiredSignatures.has(sig)) {
      pusher.state(-100018, 'userSig check failed');
      return;
    }
    if (this.refuseNextEnter !== null) {
      pusher.state(this.refuseNextEnter, 'enter room failed');
      this.refuseNextEnter = null;
      return;
    }
    const room = `${params.get('sdkappid')}/${params.get('roomid') ?? params.get('strroomid')}`;
    const members = this.members(room);
    for (const other of [...members]) if (other.userId === userId) other.exit('replaced, reason[1]');
    pusher.room = room;
    pusher.userId = userId;
    pusher.state(1018, 'enter room success');
    for (const other of members) {
      this.introduce(pusher, other);
      this.introduce(other, pusher);
    }
    members.add(pusher);
  }

  leave(pusher: FakeLivePusher): void {
    const room = pusher.room;
    if (!room) return;
    const members = this.members(room);
    members.delete(pusher);
    pusher.room = null;
    for (const other of members) other.state(1032, this.list([{ userid: pusher.userId }]));
  }

  tracksChanged(pusher: FakeLivePusher, changed: { video: boolean; audio: boolean }): void {
    const userid = pusher.userId!;
    for (const other of this.members(pusher.room!)) {
      if (other === pusher) continue;
      if (changed.video)
        other.state(
          1033,
          this.list([{ userid, playurl: this.playUrl(userid), streamtype: 'main', hasvideo: pusher.camera }]),
        );
      if (changed.audio)
        other.state(1034, this.list([{ userid, playurl: this.playUrl(userid), hasaudio: pusher.mic }]));
    }
  }

  /** A user of another platform shares its screen: 1033 with streamtype aux to everyone else. */
  shareScreen(userId: string, on: boolean): void {
    const sharer = this.find(userId);
    for (const other of this.members(sharer.room!)) {
      if (other === sharer) continue;
      other.state(
        1033,
        this.list([
          { userid: userId, playurl: `${this.playUrl(userId)}&aux=1`, streamtype: 'aux', hasvideo: on },
        ]),
      );
    }
  }

  private find(userId: string): FakeLivePusher {
    for (const members of this.rooms.values())
      for (const pusher of members) if (pusher.userId === userId) return pusher;
    throw new Error(`${userId} is in no room`);
  }

  /** The server removes the user: 1019 without reason[0]. */
  kick(userId: string): void {
    this.find(userId).exit('kicked out by the server, reason[2]');
  }

  /** The push connection is lost for good: −1307; the others see the user leave. */
  drop(userId: string): void {
    const pusher = this.find(userId);
    this.leave(pusher);
    pusher.state(-1307, 'push connection lost, retries exhausted');
  }
}

/** What the fake `wx` recorded. */
export interface FakeWxRecord {
  /** Every `wx.request` attempted (all refused). */
  readonly requests: { url: string }[];
  /** Every other wx API called, by name. */
  readonly calls: string[];
}

/**
 * Installs a fake `wx` (and `getApp`, which the SDK reads for its scene) as globals, routing
 * `createLivePusherContext(page)` to the page's {@link FakeLivePusher}. Returns the record and the
 * function that removes the globals.
 */
export function installFakeWx(): FakeWxRecord & { readonly uninstall: () => void } {
  const record: FakeWxRecord = { requests: [], calls: [] };
  const g = globalThis as Record<string, unknown>;
  const before = { wx: g.wx, getApp: g.getApp };
  g.wx = {
    createLivePusherContext(page?: { pusher?: FakeLivePusher }) {
      record.calls.push('createLivePusherContext');
      if (!page?.pusher) throw new Error('createLivePusherContext: the page has no <live-pusher>');
      return page.pusher.context;
    },
    createLivePlayerContext(id: string) {
      record.calls.push(`createLivePlayerContext:${id}`);
      return { play() {}, stop() {}, mute() {}, pause() {}, resume() {} };
    },
    request(options: { url: string; fail?: (e: { errMsg: string }) => void }) {
      record.requests.push({ url: options.url });
      later(() => options.fail?.({ errMsg: 'request:fail the test environment refuses network' }));
    },
    getStorageSync(key: string) {
      record.calls.push(`getStorageSync:${key}`);
      return '';
    },
    getStorage(options: { fail?: (e: { errMsg: string }) => void }) {
      record.calls.push('getStorage');
      later(() => options.fail?.({ errMsg: 'getStorage:fail data not found' }));
    },
    getSystemInfo() {
      record.calls.push('getSystemInfo');
    },
    saveImageToPhotosAlbum() {
      record.calls.push('saveImageToPhotosAlbum');
    },
  };
  g.getApp = () => ({ globalData: {} });
  return {
    ...record,
    uninstall() {
      g.wx = before.wx;
      g.getApp = before.getApp;
    },
  };
}
