/**
 * A fake of Agora's mini program SDK (2.6.x contract, PLATFORM.md §7) and of the Agora service it
 * talks to. Several fake clients share one {@link FakeAgoraServer}, so streams and mute bits flow
 * between them as they would through Agora:
 * - every method takes `(…, ok, fail)` callbacks and also returns a Promise; answers and events
 *   arrive asynchronously (a microtask later), never inside the call;
 * - events and payloads: `stream-added {uid}`, `stream-removed {uid}`, `update-url {uid, url}`,
 *   `mute-audio`/`unmute-audio`/`mute-video`/`unmute-video {uid}`, `error {code, reason}`,
 *   `client-banned` (no payload), `token-privilege-did-expire` (none);
 * - there are no presence events (Agora has none): peers are seen through their streams;
 * - `join` needs `init` first; a token of `bad` is refused with 401; an audience `publish` fails;
 * - a lost socket is `error {code: 904}` and nothing reconnects by itself; `rejoin` with the known
 *   uids is answered like a join plus `stream-removed` for the uids that are gone;
 * - `leave` and `destroy` leave the channel; others see `stream-removed` for a publisher.
 * Every call is recorded in `calls` so tests can check the reconnection recipe.
 */
import type {
  AgoraClientLike,
  AgoraError,
  AgoraEventPayload,
  AgoraTarget,
} from '../../../src/bindings/drivers/agora';

type Uid = number | string;
type Ok<T> = ((value: T) => void) | undefined;
type Fail = ((err: AgoraError) => void) | undefined;

interface Member {
  readonly uid: Uid;
  readonly client: FakeAgoraClient;
  publishing: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
}

const later = (fn: () => void) => queueMicrotask(fn);

export class FakeAgoraServer {
  readonly appId = 'agora-test-app';
  readonly channels = new Map<string, Map<string, Member>>();
  /** Every client ever made, in order. */
  readonly clients: FakeAgoraClient[] = [];
  private urls = 0;

  /** The SDK module as the driver sees it. */
  readonly sdk = { Client: makeClientClass(this) };

  /** Failures to answer the next calls of a method with, in order (e.g. a rejoin refused by 905). */
  readonly failures = new Map<string, AgoraError[]>();

  failNext(method: string, error: AgoraError): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  takeFailure(method: string): AgoraError | undefined {
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

  /** Tells every other member of `channel`. */
  broadcast(channel: string, from: Uid, event: string, payload?: AgoraEventPayload): void {
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

  /** The service bans `uid` (Agora's kicking-rule API). */
  kick(channel: string, uid: Uid): void {
    const member = this.channel(channel).get(String(uid));
    if (!member) throw new Error(`no ${uid} in ${channel}`);
    this.remove(channel, uid);
    member.client.fire('client-banned');
  }

  /** The socket of `uid` breaks: the client gets 904, the others see its stream go. */
  drop(channel: string, uid: Uid): void {
    const member = this.channel(channel).get(String(uid));
    if (!member) throw new Error(`no ${uid} in ${channel}`);
    this.remove(channel, uid);
    member.client.fire('error', { code: 904, reason: 'WebSocket disconnected' });
  }
}

export class FakeAgoraClient implements AgoraClientLike {
  readonly calls: string[] = [];
  private readonly listeners = new Map<string, ((payload?: AgoraEventPayload) => void)[]>();
  private inited = false;
  private role: 'broadcaster' | 'audience' = 'broadcaster';
  private channelName: string | null = null;
  private uid: Uid | null = null;
  destroyed = false;
  readonly reports: { method: string; uid?: Uid; event: unknown }[] = [];

  constructor(private readonly server: FakeAgoraServer) {
    server.clients.push(this);
  }

  fire(event: string, payload?: AgoraEventPayload): void {
    later(() => {
      if (this.destroyed) return;
      for (const l of this.listeners.get(event) ?? []) l(payload);
    });
  }

  private answer<T>(ok: Ok<T>, fail: Fail, run: () => T | AgoraError): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      later(() => {
        if (this.destroyed) return;
        let result: T | AgoraError;
        try {
          result = run();
        } catch (e) {
          result = { code: 500, reason: String(e) };
        }
        if (isError(result)) {
          fail?.(result);
          // The Promise form rejects too; callers using callbacks ignore it.
          reject(result);
        } else {
          ok?.(result);
          resolve(result);
        }
      });
    }).catch((e: unknown) => {
      if (fail) return undefined as T;
      throw e;
    });
  }

  private member(): Member | undefined {
    return this.channelName === null || this.uid === null
      ? undefined
      : this.server.channel(this.channelName).get(String(this.uid));
  }

  init(appId: string, ok?: () => void, fail?: Fail) {
    this.calls.push('init');
    return this.answer<void>(ok, fail, () => {
      if (appId !== this.server.appId) return { code: 401, reason: 'invalid vendor key' };
      this.inited = true;
    });
  }

  setRole(role: 'broadcaster' | 'audience', ok?: () => void, fail?: Fail) {
    this.calls.push(`setRole:${role}`);
    return this.answer<void>(ok, fail, () => {
      const member = this.member();
      if (role === 'audience' && member?.publishing) {
        member.publishing = false;
        this.server.broadcast(this.channelName!, member.uid, 'stream-removed', { uid: member.uid });
      }
      this.role = role;
    });
  }

  private enter(key: string | undefined, channel: string, uid: Uid): Uid | AgoraError {
    if (!this.inited) return { code: 432, reason: 'client not initialized' };
    if (key === 'bad') return { code: 401, reason: 'invalid token' };
    if (channel.length > 128) return { code: 430, reason: 'invalid channel name' };
    const members = this.server.channel(channel);
    if (members.has(String(uid))) this.server.remove(channel, uid);
    this.channelName = channel;
    this.uid = uid;
    members.set(String(uid), { uid, client: this, publishing: false, audioMuted: false, videoMuted: false });
    for (const other of members.values()) {
      if (other.client === this || !other.publishing) continue;
      this.fire('stream-added', { uid: other.uid });
      if (other.audioMuted) this.fire('mute-audio', { uid: other.uid });
      if (other.videoMuted) this.fire('mute-video', { uid: other.uid });
    }
    return uid;
  }

  join(
    key: string | undefined,
    channel: string,
    uid: Uid,
    _isAudioOnly: boolean,
    _uidType: 0 | 1,
    ok?: (uid: Uid) => void,
    fail?: Fail,
  ) {
    this.calls.push('join');
    return this.answer(ok, fail, () => this.server.takeFailure('join') ?? this.enter(key, channel, uid));
  }

  rejoin(
    key: string | undefined,
    channel: string,
    uid: Uid,
    uids: readonly Uid[],
    ok?: (uid: Uid) => void,
    fail?: Fail,
  ) {
    this.calls.push(`rejoin:${uids.join(',')}`);
    return this.answer(ok, fail, () => {
      const refused = this.server.takeFailure('rejoin');
      if (refused) return refused;
      const result = this.enter(key, channel, uid);
      if (isError(result)) return result;
      const members = this.server.channel(channel);
      for (const known of uids) {
        const m = members.get(String(known));
        if (!m || !m.publishing) this.fire('stream-removed', { uid: known });
      }
      return result;
    });
  }

  publish(ok?: (url: string) => void, fail?: Fail) {
    this.calls.push('publish');
    return this.answer(ok, fail, () => {
      const member = this.member();
      if (!member) return { code: 432, reason: 'not in a channel' };
      if (this.role === 'audience') return { code: 433, reason: 'audience cannot publish' };
      if (!member.publishing) {
        member.publishing = true;
        member.audioMuted = false;
        member.videoMuted = false;
        this.server.broadcast(this.channelName!, member.uid, 'stream-added', { uid: member.uid });
      }
      return this.server.nextUrl('push', this.channelName!, member.uid);
    });
  }

  unpublish(ok?: () => void, fail?: Fail) {
    this.calls.push('unpublish');
    return this.answer<void>(ok, fail, () => {
      const member = this.member();
      if (!member?.publishing) return;
      member.publishing = false;
      this.server.broadcast(this.channelName!, member.uid, 'stream-removed', { uid: member.uid });
    });
  }

  subscribe(
    uid: Uid,
    _options: { audio?: boolean; video?: boolean },
    ok?: (url: string, rotation?: number) => void,
    fail?: Fail,
  ) {
    this.calls.push(`subscribe:${uid}`);
    return new Promise<void>((resolve) => {
      later(() => {
        if (this.destroyed) return;
        const target = this.channelName ? this.server.channel(this.channelName).get(String(uid)) : undefined;
        if (!this.member()) fail?.({ code: 432, reason: 'not in a channel' });
        else if (!target?.publishing) fail?.({ code: 404, reason: `no stream of ${uid}` });
        else ok?.(this.server.nextUrl('play', this.channelName!, uid), 0);
        resolve();
      });
    });
  }

  unsubscribe(uid: Uid, ok?: () => void, fail?: Fail) {
    this.calls.push(`unsubscribe:${uid}`);
    return this.answer<void>(ok, fail, () => undefined);
  }

  mute(uid: Uid, target: AgoraTarget, ok?: () => void, fail?: Fail) {
    this.calls.push(`mute:${uid}:${target}`);
    return this.answer<void>(ok, fail, () => undefined);
  }

  unmute(uid: Uid, target: AgoraTarget, ok?: () => void, fail?: Fail) {
    this.calls.push(`unmute:${uid}:${target}`);
    return this.answer<void>(ok, fail, () => undefined);
  }

  private setLocal(target: AgoraTarget, muted: boolean): AgoraError | void {
    const member = this.member();
    if (!member?.publishing) return { code: 432, reason: 'not publishing' };
    const changes: ('audio' | 'video')[] = target === 'all' ? ['audio', 'video'] : [target];
    for (const track of changes) {
      const key = track === 'audio' ? 'audioMuted' : 'videoMuted';
      if (member[key] === muted) continue;
      member[key] = muted;
      this.server.broadcast(this.channelName!, member.uid, `${muted ? 'mute' : 'unmute'}-${track}`, {
        uid: member.uid,
      });
    }
  }

  muteLocal(target: AgoraTarget, ok?: () => void, fail?: Fail) {
    this.calls.push(`muteLocal:${target}`);
    return this.answer<void>(ok, fail, () => this.setLocal(target, true));
  }

  unmuteLocal(target: AgoraTarget, ok?: () => void, fail?: Fail) {
    this.calls.push(`unmuteLocal:${target}`);
    return this.answer<void>(ok, fail, () => this.setLocal(target, false));
  }

  setRemoteVideoStreamType(uid: Uid, streamType: 0 | 1, ok?: (url: string) => void, fail?: Fail) {
    this.calls.push(`setRemoteVideoStreamType:${uid}:${streamType}`);
    return this.answer(ok, fail, () =>
      this.channelName ? `${this.server.nextUrl('play', this.channelName, uid)}&small=${streamType}` : '',
    );
  }

  leave(ok?: () => void, fail?: Fail) {
    this.calls.push('leave');
    return this.answer<void>(ok, fail, () => {
      if (this.channelName !== null && this.uid !== null) this.server.remove(this.channelName, this.uid);
      this.channelName = null;
    });
  }

  destroy(ok?: () => void, fail?: Fail) {
    this.calls.push('destroy');
    // Destroying leaves the channel at once; no callback or event is delivered afterwards.
    if (this.channelName !== null && this.uid !== null && this.member()?.client === this)
      this.server.remove(this.channelName, this.uid);
    this.channelName = null;
    this.destroyed = true;
    void fail;
    ok?.();
    return Promise.resolve();
  }

  on(event: string, callback: (payload?: AgoraEventPayload) => void) {
    const list = this.listeners.get(event) ?? [];
    list.push(callback);
    this.listeners.set(event, list);
  }

  off(event: string) {
    this.listeners.delete(event);
  }

  updatePusherStateChange(e: unknown) {
    this.reports.push({ method: 'updatePusherStateChange', event: e });
  }
  updatePusherNetStatus(e: unknown) {
    this.reports.push({ method: 'updatePusherNetStatus', event: e });
  }
  updatePlayerStateChange(uid: Uid, e: unknown) {
    this.reports.push({ method: 'updatePlayerStateChange', uid, event: e });
  }
  updatePlayerNetStatus(uid: Uid, e: unknown) {
    this.reports.push({ method: 'updatePlayerNetStatus', uid, event: e });
  }
}

function isError(value: unknown): value is AgoraError {
  return typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number';
}

function makeClientClass(server: FakeAgoraServer): new () => FakeAgoraClient {
  return class extends FakeAgoraClient {
    constructor() {
      super(server);
    }
  };
}
