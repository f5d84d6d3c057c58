/**
 * Fakes of Agora's mini program SDK, in its two generations, over one fake Agora service
 * ({@link FakeAgoraServer}) so streams and mute bits flow between clients as through Agora.
 *
 * 1. `server.sdk` — the **callback contract of the seed** (seed 002, "Class Client"): every method
 *    is `(…, onSuccess, onFailure): void` exactly as its heading's signature says, nothing else.
 *    The SDK calls the callbacks it was given; a call that puts something else where a callback
 *    belongs (the 2.6 form `join(token, channel, uid, isAudioOnly, uidType, ok, fail)`, or a
 *    promise-style call without callbacks) makes the SDK throw `TypeError: onSuccess is not a
 *    function` inside its own asynchronous code: the caller never hears back. The fake records
 *    such throws in `server.uncaught` instead of crashing the test process.
 * 2. `server.promiseSdk` — the **newer promise contract** (not in the seeds; from Agora's 2.6.x
 *    mini program SDK, see PLATFORM.md §7): `join(token, channel, uid, isAudioOnly, uidType)`,
 *    `subscribe(uid, options)` → `{url, rotation}`, every method returning a Promise (callbacks are
 *    optional), plus `setRemoteVideoStreamType` and the four `update*` component forwarders.
 *
 * Where the seed is silent (it names only `stream-added {uid}` among the events and no error
 * numbers), the fake does the least a real SDK could, listed in docs/drivers.md as assumptions:
 * events `stream-removed {uid}`, `update-url {uid, url}`, `mute-audio`/`unmute-audio`/
 * `mute-video`/`unmute-video {uid}`, `error {code, reason}`, `client-banned` (from Agora's event
 * list, PLATFORM.md §7); failures carry Agora's published codes: 401 (bad token), 432 (usage:
 * not initialised, not in a channel, invalid parameter), 433 (an audience publishing), 904
 * (socket lost, as an `error` event). There are no presence events and no automatic reconnect.
 */

type Uid = number | string;
type Role = 'broadcaster' | 'audience';
type Target = 'audio' | 'video' | 'all';

/** What Agora's callbacks and events carry on failure (seed 002: `err: {code, reason}`). */
export interface FakeAgoraError {
  readonly code: number;
  readonly reason: string;
}

/** Event payloads (seed 002 "on": `stream-added` `{uid}`; the others per PLATFORM.md §7). */
export interface FakeAgoraEvent {
  readonly uid?: Uid;
  readonly url?: string;
  readonly code?: number;
  readonly reason?: string;
}

interface Member {
  readonly uid: Uid;
  readonly client: AgoraCore;
  publishing: boolean;
  /** setRole('audience') while publishing: "the push URL becomes invalid" (seed 002 setRole). */
  pushValid: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
}

/** What a subscriber receives from one remote uid. */
export interface Reception {
  readonly url: string;
  readonly audio: boolean;
  readonly video: boolean;
  /** Receiver-side mute (`mute`/`unmute`, seed 002 "mute"). */
  audioMuted: boolean;
  videoMuted: boolean;
  /** `setRemoteVideoStreamType` (promise contract only): 0 big, 1 small. */
  streamType: 0 | 1;
}

const later = (fn: () => void) => queueMicrotask(fn);
const MAX_UID = 4_294_967_295;
const TARGETS: readonly string[] = ['audio', 'video', 'all'];

function isError(value: unknown): value is FakeAgoraError {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

const usage = (reason: string): FakeAgoraError => ({ code: 432, reason });

export class FakeAgoraServer {
  readonly appId = 'agora-test-app';
  readonly channels = new Map<string, Map<string, Member>>();
  /** Every client ever made (both contracts), in order. */
  readonly clients: AgoraCore[] = [];
  /** Errors the SDK threw inside its own asynchronous code (a callback that is not a function). */
  readonly uncaught: Error[] = [];
  /** Failures to answer the next calls of a method with, in order. */
  private readonly failures = new Map<string, FakeAgoraError[]>();
  private urls = 0;

  /** The seed's callback SDK (seed 002). */
  readonly sdk = { Client: clientClass(this, (s) => new SeedAgoraClient(s)) };
  /** The newer promise SDK (PLATFORM.md §7, 2.6.x). */
  readonly promiseSdk = { Client: clientClass(this, (s) => new PromiseAgoraClient(s)) };

  failNext(method: string, error: FakeAgoraError): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  takeFailure(method: string): FakeAgoraError | undefined {
    return this.failures.get(method)?.shift();
  }

  channel(name: string): Map<string, Member> {
    let members = this.channels.get(name);
    if (!members) {
      members = new Map();
      this.channels.set(name, members);
    }
    return members;
  }

  nextUrl(kind: 'push' | 'play', channel: string, uid: Uid): string {
    return `rtmp://agora.test/${kind}/${channel}/${uid}?n=${++this.urls}`;
  }

  broadcast(channel: string, from: Uid, event: string, payload?: FakeAgoraEvent): void {
    for (const member of this.channel(channel).values()) {
      if (String(member.uid) !== String(from)) member.client.fire(event, payload);
    }
  }

  remove(channel: string, uid: Uid): void {
    const members = this.channel(channel);
    const member = members.get(String(uid));
    if (!member) return;
    members.delete(String(uid));
    if (member.publishing) this.broadcast(channel, uid, 'stream-removed', { uid });
  }

  /** The service bans `uid` (Agora's kicking rules): `client-banned`, no payload. */
  kick(channel: string, uid: Uid): void {
    const member = this.channel(channel).get(String(uid));
    if (!member) throw new Error(`no ${uid} in ${channel}`);
    this.remove(channel, uid);
    member.client.fire('client-banned');
  }

  /** The socket of `uid` breaks: `error {code: 904}`; the others see its stream go. */
  drop(channel: string, uid: Uid): void {
    const member = this.channel(channel).get(String(uid));
    if (!member) throw new Error(`no ${uid} in ${channel}`);
    this.remove(channel, uid);
    member.client.fire('error', { code: 904, reason: 'WebSocket disconnected' });
  }

  /**
   * The token of `uid` nears its expiry (Agora's event list, PLATFORM.md §7):
   * `token-privilege-will-expire`, no payload.
   */
  warnExpiry(channel: string, uid: Uid): void {
    const member = this.channel(channel).get(String(uid));
    if (!member) throw new Error(`no ${uid} in ${channel}`);
    member.client.fire('token-privilege-will-expire');
  }

  /** The token of `uid` expired: `token-privilege-did-expire`, no payload; the service drops it. */
  expire(channel: string, uid: Uid): void {
    const member = this.channel(channel).get(String(uid));
    if (!member) throw new Error(`no ${uid} in ${channel}`);
    this.remove(channel, uid);
    member.client.fire('token-privilege-did-expire');
  }

  /** The member as the service knows it. */
  member(channel: string, uid: Uid): Member | undefined {
    return this.channel(channel).get(String(uid));
  }
}

/**
 * The client state and behaviour both contracts share; the contracts differ only in how calls are
 * made and answered.
 */
export abstract class AgoraCore {
  /** Calls in order, `name:arg…`, for tests of call sequences. */
  readonly calls: string[] = [];
  readonly reports: { method: string; uid?: Uid; event: unknown }[] = [];
  /** Remote uid → what this client receives from it. */
  readonly receptions = new Map<string, Reception>();
  /** The token of every join and renewal this client made, in order. */
  readonly tokens: (string | undefined)[] = [];
  private readonly listeners = new Map<string, ((payload?: FakeAgoraEvent) => void)[]>();
  protected inited = false;
  protected role: Role = 'broadcaster';
  protected channelName: string | null = null;
  protected uid: Uid | null = null;
  destroyed = false;

  constructor(protected readonly server: FakeAgoraServer) {
    server.clients.push(this);
  }

  /** Delivers an event a microtask later, as the service would. */
  fire(event: string, payload?: FakeAgoraEvent): void {
    later(() => {
      if (this.destroyed) return;
      for (const l of [...(this.listeners.get(event) ?? [])]) l(payload);
    });
  }

  /** seed 002 "on": `on(event, callback)`. */
  on(event: string, callback: (payload?: FakeAgoraEvent) => void): void {
    if (typeof event !== 'string') throw new TypeError('event must be a string');
    if (typeof callback !== 'function') throw new TypeError('callback must be a function');
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), callback]);
  }

  /** seed 002 "off": `off(event)` (the parameter list also names the callback). */
  off(event: string, callback?: (payload?: FakeAgoraEvent) => void): void {
    if (!callback) this.listeners.delete(event);
    else
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((l) => l !== callback),
      );
  }

  listenerCount(): number {
    let n = 0;
    for (const list of this.listeners.values()) n += list.length;
    return n;
  }

  protected member(): Member | undefined {
    return this.channelName === null || this.uid === null
      ? undefined
      : this.server.member(this.channelName, this.uid);
  }

  protected doInit(appId: unknown): void | FakeAgoraError {
    if (typeof appId !== 'string') return usage('appId must be a string');
    if (appId !== this.server.appId) return { code: 401, reason: 'invalid vendor key' };
    this.inited = true;
  }

  protected doSetRole(role: unknown): void | FakeAgoraError {
    if (role !== 'broadcaster' && role !== 'audience') return usage(`invalid role ${String(role)}`);
    const member = this.member();
    // seed 002 setRole: audience while published makes the push URL invalid; nothing else happens.
    if (role === 'audience' && member?.publishing) member.pushValid = false;
    this.role = role;
  }

  protected doJoin(token: unknown, channel: unknown, uid: Uid): Uid | FakeAgoraError {
    const refused = this.server.takeFailure('join');
    if (refused) return refused;
    if (!this.inited) return usage('client not initialized');
    if (token !== undefined && typeof token !== 'string') return usage('token must be a string');
    if (typeof channel !== 'string' || channel.length === 0 || channel.length > 128)
      return usage('invalid channel name');
    if (token === 'bad') return { code: 401, reason: 'invalid token' };
    this.tokens.push(token as string | undefined);
    const members = this.server.channel(channel);
    if (members.has(String(uid))) this.server.remove(channel, uid);
    this.channelName = channel;
    this.uid = uid;
    members.set(String(uid), {
      uid,
      client: this,
      publishing: false,
      pushValid: true,
      audioMuted: false,
      videoMuted: false,
    });
    for (const other of members.values()) {
      if (other.client === this || !other.publishing) continue;
      this.fire('stream-added', { uid: other.uid });
      if (other.audioMuted) this.fire('mute-audio', { uid: other.uid });
      if (other.videoMuted) this.fire('mute-video', { uid: other.uid });
    }
    return uid;
  }

  protected doPublish(): string | FakeAgoraError {
    const member = this.member();
    if (!member) return usage('not in a channel');
    if (this.role === 'audience') return { code: 433, reason: 'audience cannot publish' };
    if (!member.publishing) {
      member.publishing = true;
      member.audioMuted = false;
      member.videoMuted = false;
      this.server.broadcast(this.channelName!, member.uid, 'stream-added', { uid: member.uid });
    }
    member.pushValid = true;
    return this.server.nextUrl('push', this.channelName!, member.uid);
  }

  protected doUnpublish(): void | FakeAgoraError {
    const member = this.member();
    if (!member) return usage('not in a channel');
    if (!member.publishing) return;
    member.publishing = false;
    this.server.broadcast(this.channelName!, member.uid, 'stream-removed', { uid: member.uid });
  }

  protected doSubscribe(uid: unknown, audio: boolean, video: boolean): string | FakeAgoraError {
    if (!this.member()) return usage('not in a channel');
    if (typeof uid !== 'number' && typeof uid !== 'string') return usage('invalid uid');
    const target = this.server.member(this.channelName!, uid);
    if (!target?.publishing) return usage(`${uid} does not publish`);
    const url = this.server.nextUrl('play', this.channelName!, uid);
    this.receptions.set(String(uid), {
      url,
      audio,
      video,
      audioMuted: false,
      videoMuted: false,
      streamType: 0,
    });
    return url;
  }

  protected doUnsubscribe(uid: unknown): void | FakeAgoraError {
    if (!this.member()) return usage('not in a channel');
    this.receptions.delete(String(uid));
  }

  protected doMuteRemote(uid: unknown, target: unknown, muted: boolean): void | FakeAgoraError {
    if (!this.member()) return usage('not in a channel');
    if (!TARGETS.includes(target as string)) return usage(`invalid target ${String(target)}`);
    const reception = this.receptions.get(String(uid));
    if (!reception) return usage(`${String(uid)} is not subscribed`);
    if (target !== 'video') reception.audioMuted = muted;
    if (target !== 'audio') reception.videoMuted = muted;
  }

  protected doMuteLocal(target: unknown, muted: boolean): void | FakeAgoraError {
    if (!TARGETS.includes(target as string)) return usage(`invalid target ${String(target)}`);
    const member = this.member();
    if (!member?.publishing) return usage('not publishing');
    const tracks: ('audio' | 'video')[] =
      target === 'all' ? ['audio', 'video'] : [target as 'audio' | 'video'];
    for (const track of tracks) {
      const key = track === 'audio' ? 'audioMuted' : 'videoMuted';
      if (member[key] === muted) continue;
      member[key] = muted;
      this.server.broadcast(this.channelName!, member.uid, `${muted ? 'mute' : 'unmute'}-${track}`, {
        uid: member.uid,
      });
    }
  }

  protected doLeave(): void {
    if (this.channelName !== null && this.uid !== null && this.member()?.client === this)
      this.server.remove(this.channelName, this.uid);
    this.channelName = null;
    this.receptions.clear();
  }

  protected doDestroy(): void {
    this.doLeave();
    this.destroyed = true;
  }
}

type Callback = unknown;

/**
 * seed 002, "Class Client": the callback contract. Each method cites its heading. Callbacks are
 * called as the SDK would call them; a value that is not a function where one belongs throws a
 * TypeError inside the SDK (recorded in `server.uncaught`) and the call never answers.
 */
export class SeedAgoraClient extends AgoraCore {
  /** Answers a microtask later through the documented callbacks. */
  private answer<T>(onSuccess: Callback, onFailure: Callback, run: () => T | FakeAgoraError): void {
    later(() => {
      if (this.destroyed) return;
      const result = run();
      if (isError(result)) this.invoke('onFailure', onFailure, result);
      else this.invoke('onSuccess', onSuccess, result);
    });
  }

  private invoke(name: string, callback: Callback, value: unknown): void {
    if (typeof callback !== 'function') {
      this.server.uncaught.push(new TypeError(`${name} is not a function`));
      return;
    }
    (callback as (v: unknown) => void)(value);
  }

  /** seed 002 "init": `init(appId, onSuccess, onFailure): void`. */
  init(appId: string, onSuccess: Callback, onFailure: Callback): void {
    this.calls.push('init');
    this.answer(onSuccess, onFailure, () => this.doInit(appId));
  }

  /** seed 002 "setRole": `setRole(role, onSuccess, onFailure): void`. */
  setRole(role: Role, onSuccess: Callback, onFailure: Callback): void {
    this.calls.push(`setRole:${role}`);
    this.answer(onSuccess, onFailure, () => this.doSetRole(role));
  }

  /**
   * seed 002 "join": `join(token, channel, uid: number, onSuccess(uid), onFailure): void`; uid a
   * uint32, 1 to 2^32−1.
   */
  join(
    token: string | undefined,
    channel: string,
    uid: number,
    onSuccess: Callback,
    onFailure: Callback,
  ): void {
    this.calls.push('join');
    this.answer(onSuccess, onFailure, () =>
      typeof uid !== 'number' || !Number.isInteger(uid) || uid < 1 || uid > MAX_UID
        ? usage(`invalid uid ${String(uid)}`)
        : this.doJoin(token, channel, uid),
    );
  }

  /** seed 002 "leave": `leave(onSuccess, onFailure): void`. */
  leave(onSuccess: Callback, onFailure: Callback): void {
    this.calls.push('leave');
    this.answer(onSuccess, onFailure, () => this.doLeave());
  }

  /** seed 002 "destroy": `destroy(onSuccess, onFailure): void`; nothing is delivered afterwards. */
  destroy(onSuccess: Callback, onFailure: Callback): void {
    this.calls.push('destroy');
    void onFailure;
    this.doDestroy();
    this.invoke('onSuccess', onSuccess, undefined);
  }

  /** seed 002 "publish": `publish(onSuccess(url), onFailure): void`. */
  publish(onSuccess: Callback, onFailure: Callback): void {
    this.calls.push('publish');
    this.answer(onSuccess, onFailure, () => this.doPublish());
  }

  /** seed 002 "unpublish": `unpublish(onSuccess, onFailure): void`. */
  unpublish(onSuccess: Callback, onFailure: Callback): void {
    this.calls.push('unpublish');
    this.answer(onSuccess, onFailure, () => this.doUnpublish());
  }

  /** seed 002 "subscribe": `subscribe(uid, onSuccess(url), onFailure): void` — no options. */
  subscribe(uid: number, onSuccess: Callback, onFailure: Callback): void {
    this.calls.push(`subscribe:${uid}`);
    this.answer(onSuccess, onFailure, () => this.doSubscribe(uid, true, true));
  }

  /** seed 002 "unsubscribe": `unsubscribe(uid, onSuccess, onFailure): void`. */
  unsubscribe(uid: number, onSuccess: Callback, onFailure: Callback): void {
    this.calls.push(`unsubscribe:${uid}`);
    this.answer(onSuccess, onFailure, () => this.doUnsubscribe(uid));
  }

  /** seed 002 "mute": `mute(uid, target, onSuccess, onFailure): void`; target audio|video|all. */
  mute(uid: number, target: Target, onSuccess: Callback, onFailure: Callback): void {
    this.calls.push(`mute:${uid}:${target}`);
    this.answer(onSuccess, onFailure, () => this.doMuteRemote(uid, target, true));
  }

  /** seed 002 "unmute": `unmute(uid, target, onSuccess, onFailure): void`. */
  unmute(uid: number, target: Target, onSuccess: Callback, onFailure: Callback): void {
    this.calls.push(`unmute:${uid}:${target}`);
    this.answer(onSuccess, onFailure, () => this.doMuteRemote(uid, target, false));
  }

  /** seed 002 "muteLocal": `muteLocal(target, onSuccess, onFailure): void`. */
  muteLocal(target: Target, onSuccess: Callback, onFailure: Callback): void {
    this.calls.push(`muteLocal:${target}`);
    this.answer(onSuccess, onFailure, () => this.doMuteLocal(target, true));
  }

  /** seed 002 "unmuteLocal": `unmuteLocal(target, onSuccess, onFailure): void`. */
  unmuteLocal(target: Target, onSuccess: Callback, onFailure: Callback): void {
    this.calls.push(`unmuteLocal:${target}`);
    this.answer(onSuccess, onFailure, () => this.doMuteLocal(target, false));
  }
}

type Optional<T> = ((value: T) => void) | undefined;

/**
 * The newer promise contract (not in the seeds: Agora's 2.6.x mini program SDK, PLATFORM.md §7).
 * Every method returns a Promise; callbacks, when given, are called too.
 */
export class PromiseAgoraClient extends AgoraCore {
  private answer<T>(
    ok: Optional<T> | unknown,
    fail: Optional<FakeAgoraError> | unknown,
    run: () => T | FakeAgoraError,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      later(() => {
        if (this.destroyed) return;
        const result = run();
        if (isError(result)) {
          if (typeof fail === 'function') fail(result);
          reject(result);
        } else {
          if (typeof ok === 'function') ok(result);
          resolve(result);
        }
      });
    });
  }

  /** 2.6.x `init(appId, ok?, fail?)` → Promise. */
  init(appId: string, ok?: () => void, fail?: (e: FakeAgoraError) => void): Promise<void> {
    this.calls.push('init');
    return this.answer(ok, fail, () => this.doInit(appId));
  }

  /** 2.6.x `setRole(role)` → Promise. */
  setRole(role: Role): Promise<void> {
    this.calls.push(`setRole:${role}`);
    return this.answer(undefined, undefined, () => this.doSetRole(role));
  }

  /** 2.6.x `join(token, channel, uid, isAudioOnly, uidType)` → Promise of the uid. */
  join(
    token: string | undefined,
    channel: string,
    uid: Uid,
    isAudioOnly: boolean,
    uidType: 0 | 1,
  ): Promise<Uid> {
    this.calls.push('join');
    return this.answer(undefined, undefined, () => {
      if (typeof isAudioOnly !== 'boolean') return usage('isAudioOnly must be a boolean');
      if (uidType !== 0 && uidType !== 1) return usage('uidType must be 0 or 1');
      const valid =
        uidType === 1
          ? typeof uid === 'string' && uid.length > 0 && uid.length <= 255
          : typeof uid === 'number' && Number.isInteger(uid) && uid >= 1 && uid <= MAX_UID;
      return valid ? this.doJoin(token, channel, uid) : usage(`invalid uid ${String(uid)}`);
    });
  }

  /** 2.6.x `leave()` → Promise. */
  leave(): Promise<void> {
    this.calls.push('leave');
    return this.answer(undefined, undefined, () => this.doLeave());
  }

  /** 2.6.x `destroy()` → Promise. */
  destroy(): Promise<void> {
    this.calls.push('destroy');
    this.doDestroy();
    return Promise.resolve();
  }

  /** 2.6.x `publish()` → Promise of the push URL. */
  publish(): Promise<string> {
    this.calls.push('publish');
    return this.answer(undefined, undefined, () => this.doPublish());
  }

  /** 2.6.x `unpublish()` → Promise. */
  unpublish(): Promise<void> {
    this.calls.push('unpublish');
    return this.answer(undefined, undefined, () => this.doUnpublish());
  }

  /** 2.6.x `subscribe(uid, {audio, video})` → Promise of `{url, rotation}`. */
  subscribe(
    uid: Uid,
    options: { audio?: boolean; video?: boolean } = {},
  ): Promise<{ url: string; rotation: number }> {
    this.calls.push(`subscribe:${uid}`);
    return this.answer(undefined, undefined, () => {
      if (typeof options !== 'object' || options === null) return usage('options must be an object');
      const url = this.doSubscribe(uid, options.audio !== false, options.video !== false);
      return isError(url) ? url : { url, rotation: 0 };
    });
  }

  /** 2.6.x `unsubscribe(uid)` → Promise. */
  unsubscribe(uid: Uid): Promise<void> {
    this.calls.push(`unsubscribe:${uid}`);
    return this.answer(undefined, undefined, () => this.doUnsubscribe(uid));
  }

  /** 2.6.x `mute(uid, target)` → Promise. */
  mute(uid: Uid, target: Target): Promise<void> {
    this.calls.push(`mute:${uid}:${target}`);
    return this.answer(undefined, undefined, () => this.doMuteRemote(uid, target, true));
  }

  /** 2.6.x `unmute(uid, target)` → Promise. */
  unmute(uid: Uid, target: Target): Promise<void> {
    this.calls.push(`unmute:${uid}:${target}`);
    return this.answer(undefined, undefined, () => this.doMuteRemote(uid, target, false));
  }

  /** 2.6.x `muteLocal(target)` → Promise. */
  muteLocal(target: Target): Promise<void> {
    this.calls.push(`muteLocal:${target}`);
    return this.answer(undefined, undefined, () => this.doMuteLocal(target, true));
  }

  /** 2.6.x `unmuteLocal(target)` → Promise. */
  unmuteLocal(target: Target): Promise<void> {
    this.calls.push(`unmuteLocal:${target}`);
    return this.answer(undefined, undefined, () => this.doMuteLocal(target, false));
  }

  /** 2.6.x `setRemoteVideoStreamType(uid, streamType)` → Promise; 0 big, 1 small. */
  setRemoteVideoStreamType(uid: Uid, streamType: 0 | 1): Promise<void> {
    this.calls.push(`setRemoteVideoStreamType:${uid}:${streamType}`);
    return this.answer(undefined, undefined, () => {
      if (streamType !== 0 && streamType !== 1) return usage('streamType must be 0 or 1');
      const reception = this.receptions.get(String(uid));
      if (!reception) return usage(`${String(uid)} is not subscribed`);
      reception.streamType = streamType;
    });
  }

  /**
   * 2.6.x `renewToken(token)` → Promise (listed among the 2.6.4 methods, PLATFORM.md §7; no
   * signature is documented there: one token string, as `join` takes it). Refuses a non-string
   * (432) and outside a channel (432), and `bad` as join does (401).
   */
  renewToken(token: string): Promise<void> {
    this.calls.push(`renewToken:${token}`);
    return this.answer(undefined, undefined, () => {
      if (typeof token !== 'string' || token.length === 0) return usage('token must be a string');
      if (!this.member()) return usage('not in a channel');
      if (token === 'bad') return { code: 401, reason: 'invalid token' };
      this.tokens.push(token);
    });
  }

  /** 2.6.x component forwarders. */
  updatePusherStateChange(e: unknown): void {
    this.reports.push({ method: 'updatePusherStateChange', event: e });
  }
  updatePusherNetStatus(e: unknown): void {
    this.reports.push({ method: 'updatePusherNetStatus', event: e });
  }
  updatePlayerStateChange(uid: Uid, e: unknown): void {
    this.reports.push({ method: 'updatePlayerStateChange', uid, event: e });
  }
  updatePlayerNetStatus(uid: Uid, e: unknown): void {
    this.reports.push({ method: 'updatePlayerNetStatus', uid, event: e });
  }
}

function clientClass<C extends AgoraCore>(
  server: FakeAgoraServer,
  make: (server: FakeAgoraServer) => C,
): new () => C {
  // `new sdk.Client()` as the SDK module exports it.
  return function Client() {
    return make(server);
  } as unknown as new () => C;
}
