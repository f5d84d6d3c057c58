/**
 * RongCloud's `@rongcloud/plugin-wechat-rtc` (5.x) as an rxroom driver.
 *
 * The plugin signals over the IM long connection and hands out RTMP URLs from its MediaServer.
 * It talks to its `rc-livepusher` / `rc-liveplayer` components through process-wide contexts;
 * the driver takes their place (it listens to `setPusherUrl` and `setPlayerSrc`), so the page binds
 * plain `<live-pusher>` / `<live-player>` elements to rxroom's state like with every other driver.
 *
 * The plugin resumes by itself after the IM connection comes back (it rejoins and diffs the
 * room); given the IM connection state, the driver reports `reconnecting` and `resumed`. When the
 * plugin gives up and leaves the room (its pings failed for 30 s), rxroom rejoins with its
 * reconnect policy and restores publications and subscriptions.
 */
import { concat, defer, last, map, Observable, of, Subscription as RxSubscription, throwError } from 'rxjs';
import { distinctUntilChanged, filter, pairwise, shareReplay, startWith } from 'rxjs';
import { RtcError, type RtcErrorCode } from '../../errors';
import type { Driver } from '../../streams/command';
import type { PlayerSettings, PusherSettings } from '../../streams/media-attributes';
import type { Peer, StreamDescriptor, StreamKind } from '../../streams/model';
import { selectStream } from '../../streams/selectors';
import {
  createVendorDriver,
  type CommandHandlers,
  type VendorDriverOptions,
  type VendorSession,
} from './kit/vendor-driver';
import { vendorError } from './kit/vendor-errors';

/**
 * A remote stream of the plugin (`RCRemoteStream`): the part the driver uses.
 *
 * @example
 * ```ts
 * room.getRemoteStreams().map((s: RongCloudRemoteStreamLike) => s.getMsid())
 * ```
 */
export interface RongCloudRemoteStreamLike {
  /** `${userId}_${tag}`. */
  getMsid(): string;
  getTag(): string;
  getUserId(): string;
  hasAudio(): boolean;
  hasVideo(): boolean;
  isOwnerMuteAudio(): boolean;
  isOwnerDisableVideo(): boolean;
  getRTMPUrl(): string | undefined;
  /** Mutes the player locally (the plugin tells its `<live-player>`). */
  mute(): void;
  unmute(): void;
}

/**
 * The callbacks of `registerRoomEventListener`.
 *
 * @example
 * ```ts
 * const listener: RongCloudRoomEventListener = { onUserJoin: (ids) => console.log(ids) }
 * ```
 */
export interface RongCloudRoomEventListener<S extends RongCloudRemoteStreamLike = RongCloudRemoteStreamLike> {
  onKickOff?(byServer: boolean, reason?: number): void;
  onMessageReceive?(name: string, content: unknown, senderUserId: string, messageUId: string): void;
  onRoomAttributeChange?(name: string, content: unknown): void;
  onAudioMuteChange?(stream: S): void;
  onVideoMuteChange?(stream: S): void;
  onStreamPublish?(streams: S[]): void;
  onStreamUnpublish?(streams: S[]): void;
  onUserJoin?(userIds: string[]): void;
  onUserLeave?(userIds: string[]): void;
}

/**
 * What the plugin's room calls resolve with.
 *
 * @example
 * ```ts
 * const { code }: RongCloudResult = await room.publishStream()
 * ```
 */
export interface RongCloudResult {
  readonly code: number;
}

/**
 * The plugin's `RCRTCRoom`: the part the driver uses.
 *
 * @example
 * ```ts
 * const { data } = await rtcClient.joinRTCRoom('room-1')
 * const room: RongCloudRoomLike = data.room
 * ```
 */
export interface RongCloudRoomLike<S extends RongCloudRemoteStreamLike = RongCloudRemoteStreamLike> {
  registerRoomEventListener(listener: RongCloudRoomEventListener<S> | null): void;
  publishStream(tag?: string, mediaType?: number): Promise<RongCloudResult>;
  unpublishStream(): Promise<RongCloudResult>;
  subscribe(params: { stream: S; subTiny?: boolean }[]): Promise<RongCloudResult>;
  unsubscribe(streams: S[]): Promise<RongCloudResult>;
  openCamera(): Promise<RongCloudResult>;
  closeCamera(): Promise<RongCloudResult>;
  openMicphone(): Promise<RongCloudResult>;
  closeMicphone(): Promise<RongCloudResult>;
  sendMessage(name: string, content: unknown): Promise<RongCloudResult>;
  setRoomAttribute(
    key: string,
    value: string,
    message?: { name: string; content: unknown },
  ): Promise<RongCloudResult>;
  deleteRoomAttributes(
    keys: string[],
    message?: { name: string; content: unknown },
  ): Promise<RongCloudResult>;
  getRoomAttributes(keys?: string[]): Promise<{ code: number; data?: Record<string, string> | undefined }>;
  getRemoteStreams(): S[];
  getSessionId(): string;
  getCrtUserId(): string;
  isDestroyed(): boolean;
}

/**
 * The plugin's `RCRTCClient` (what `RongIMLib.installPlugin(installer, options)` returns).
 *
 * @example
 * ```ts
 * const rtcClient: RongCloudClientLike = RongIMLib.installPlugin(installer, {})
 * ```
 */
export interface RongCloudClientLike<S extends RongCloudRemoteStreamLike = RongCloudRemoteStreamLike> {
  joinRTCRoom(
    roomId: string,
    unused?: unknown,
    joinType?: number,
  ): Promise<{
    code: number;
    data?: { room: RongCloudRoomLike<S>; userIds: string[]; streams: S[] } | undefined;
  }>;
  leaveRoom(room: RongCloudRoomLike<S>): Promise<void>;
}

/**
 * The dispatch methods the plugin calls on its component context (the driver stands in for the
 * components).
 *
 * @example
 * ```ts
 * plugin.__innerGetCoreContext__().addEventListener({ setPusherUrl: (url) => console.log(url) })
 * ```
 */
export interface RongCloudCoreListener {
  setPusherUrl?(url: string): void;
  setPlayerSrc?(msid: string, src: string): void;
}

/**
 * The plugin module (`@rongcloud/plugin-wechat-rtc`): its component contexts.
 *
 * @example
 * ```ts
 * import * as RCRTC from '@rongcloud/plugin-wechat-rtc'
 * const plugin: RongCloudPluginLike = RCRTC
 * ```
 */
export interface RongCloudPluginLike {
  __innerGetCoreContext__(): { addEventListener(listener: RongCloudCoreListener): void };
  __innerGetPusherContext__(): { emit(event: string, ...args: unknown[]): void };
  __innerGetPlayerContext__(): { emit(event: string, ...args: unknown[]): void };
}

/**
 * The IM connection as the app sees it (from RongIMLib's connection events).
 *
 * @example
 * ```ts
 * const status: RongCloudConnectionStatus = 'suspended'
 * ```
 */
export type RongCloudConnectionStatus = 'connected' | 'connecting' | 'disconnected' | 'suspended';

/**
 * Options of {@link rongcloudDriver}.
 *
 * @example
 * ```ts
 * const options: RongCloudDriverOptions = { client: rtcClient, plugin: RCRTC }
 * ```
 */
export interface RongCloudDriverOptions<
  S extends RongCloudRemoteStreamLike = RongCloudRemoteStreamLike,
> extends VendorDriverOptions {
  /** The plugin's client (`RongIMLib.installPlugin(installer, options)`), on a connected IM. */
  readonly client: RongCloudClientLike<S>;
  /** The plugin module, whose component contexts the driver stands in for. */
  readonly plugin: RongCloudPluginLike;
  /** The tag this client publishes under. Default `RongCloudRTC` (the plugin's). */
  readonly tag?: string;
  /** Remote streams with this tag are screen shares. Default `screenshare`. */
  readonly screenTag?: string;
  /** `0` kick an older session of the same user (default), `1` refuse this join, `2` coexist. */
  readonly joinType?: 0 | 1 | 2;
  /**
   * The IM connection state, replaying its current value (e.g. a BehaviorSubject fed from
   * RongIMLib's connection events). With it the driver reports `reconnecting`/`resumed`, and
   * waits for it before rejoining.
   */
  readonly connection$?: Observable<RongCloudConnectionStatus>;
}

const SUCCESS = 10_000;
/** The message the driver sends with attribute changes, so other rxroom clients can apply them. */
const ATTRIBUTES_MESSAGE = 'RXROOM:attrs';
/**
 * RCRTCCode values whose meaning for a driver differs from the code table's first match:
 * 53008 (the room was destroyed under a pending call) means the session is gone, not a kick.
 */
const OVERRIDES: Readonly<Record<number, RtcErrorCode>> = { 53008: 'CONNECTION_LOST' };

/**
 * A driver over RongCloud's mini program RTC plugin. Pass the plugin client (installed on a
 * connected IM client) and the plugin module; use it with `createClient({ driver })`. The join
 * token is not used: RongCloud authenticates the IM connection, and the join's `userId` must be
 * the IM user.
 *
 * Supports join, leave, publish (camera and mic under one tag), subscribe (the small stream with
 * `subTiny`), local mute (the plugin's open/close camera and mic, seen by others) and remote mute,
 * room attributes, and room messages. Roles, visibility, business ids and stats reports are not in
 * the plugin: the client answers `UNSUPPORTED`.
 *
 * @example
 * ```ts
 * import * as RongIMLib from '@rongcloud/imlib-next'
 * import * as RCRTC from '@rongcloud/plugin-wechat-rtc'
 * import { rongcloudDriver } from 'rxroom/drivers/rongcloud'
 *
 * RongIMLib.init({ appkey })
 * const rtcClient = RongIMLib.installPlugin(RCRTC.installer, {})
 * await RongIMLib.connect(imToken)
 * const client = createClient({ driver: rongcloudDriver({ client: rtcClient, plugin: RCRTC }) })
 * client.join({ token: 'unused', roomId: 'room-1', userId: imUserId }).subscribe()
 * ```
 */
export function rongcloudDriver<S extends RongCloudRemoteStreamLike>(
  options: RongCloudDriverOptions<S>,
): Driver {
  const tag = options.tag ?? 'RongCloudRTC';
  const screenTag = options.screenTag ?? 'screenshare';
  const rooms = new WeakMap<VendorSession, RongCloudRoomLike<S>>();
  /** Remote streams by rxroom stream id, as the plugin last announced them. */
  const streams = new Map<string, S>();
  let live: VendorSession | null = null;
  let pushUrl = '';
  const playUrls = new Map<string, string>();
  let destroyed = false;

  const toError = (fallback: RtcErrorCode) => (err: unknown) =>
    vendorError('rongcloud', err, fallback, OVERRIDES);
  /** A plugin call resolving `{code}`: success is 10000. */
  const call = <T extends { code: number }>(invoke: () => Promise<T>, fallback: RtcErrorCode = 'INTERNAL') =>
    new Observable<T>((subscriber) => {
      let active = true;
      invoke().then(
        (r) => {
          if (!active) return;
          if (r.code === SUCCESS) {
            subscriber.next(r);
            subscriber.complete();
          } else subscriber.error(toError(fallback)({ code: r.code }));
        },
        (e: unknown) => active && subscriber.error(toError(fallback)(e)),
      );
      return () => {
        active = false;
      };
    });

  /** Tags that are a user's camera stream: this driver's and the plugin's defaults. */
  const mainTags = new Set([tag, 'RongCloudRTC', 'RongCloud']);
  const kindOf = (s: RongCloudRemoteStreamLike): StreamKind => (s.getTag() === screenTag ? 'screen' : 'main');
  /** `main`, `screen`, or the custom tag itself, so a user's streams stay apart. */
  const tagOf = (s: RongCloudRemoteStreamLike): string =>
    s.getTag() === screenTag ? 'screen' : mainTags.has(s.getTag()) ? 'main' : s.getTag();
  const streamIdOf = (s: RongCloudRemoteStreamLike) => `${s.getUserId()}:${tagOf(s)}`;
  const describe = (s: RongCloudRemoteStreamLike): StreamDescriptor => ({
    id: streamIdOf(s),
    userId: s.getUserId(),
    kind: kindOf(s),
    ...(tagOf(s) !== 'main' && tagOf(s) !== 'screen' ? { tag: tagOf(s) } : {}),
    hasAudio: s.hasAudio(),
    hasVideo: s.hasVideo(),
    // The MediaServer serves a tiny variant of every video (subTiny).
    hasSmall: s.hasVideo(),
    audioMuted: s.hasAudio() && s.isOwnerMuteAudio(),
    videoMuted: s.hasVideo() && s.isOwnerDisableVideo(),
  });
  const remember = (s: S) => {
    streams.set(streamIdOf(s), s);
    return describe(s);
  };
  const streamOf = (streamId: string) => {
    const s = streams.get(streamId);
    if (!s) throw new RtcError('STREAM_NOT_FOUND', `RongCloud has no stream ${streamId}`);
    return s;
  };
  const roomOf = (session: VendorSession) => {
    const room = rooms.get(session);
    if (!room || room.isDestroyed()) throw new RtcError('CONNECTION_LOST', 'the RongCloud room is gone');
    return room;
  };

  // The driver stands in for rc-livepusher / rc-liveplayer. The context has no way to remove a
  // listener, so after destroy this one stays registered and does nothing.
  options.plugin.__innerGetCoreContext__().addEventListener({
    setPusherUrl(url) {
      if (destroyed) return;
      pushUrl = url;
      const session = live;
      const id = session ? `${session.join.userId}:main` : '';
      const publication = session?.state.self?.publications[id];
      if (session && publication && url && publication.url !== url)
        session.emit({ type: 'url-updated', streamId: id, direction: 'push', url });
    },
    setPlayerSrc(msid, src) {
      if (destroyed) return;
      const stream = [...streams.values()].find((s) => s.getMsid() === msid);
      if (!stream) return;
      const id = streamIdOf(stream);
      playUrls.set(id, src);
      const subscription = (live ? selectStream(id)(live.state) : null)?.subscription;
      if (live && subscription && src && subscription.url !== src)
        live.emit({ type: 'url-updated', streamId: id, direction: 'play', url: src });
    },
  });

  /** Attribute changes announced by another rxroom client. */
  const readAttributeMessage = (
    content: unknown,
  ): { set: Record<string, string>; deleted: string[] } | null => {
    let value = content;
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        return null;
      }
    }
    if (typeof value !== 'object' || value === null) return null;
    const { set, deleted } = value as { set?: unknown; deleted?: unknown };
    const pairs =
      typeof set === 'object' && set !== null
        ? Object.entries(set).filter((e): e is [string, string] => typeof e[1] === 'string')
        : [];
    const keys = Array.isArray(deleted) ? deleted.filter((k): k is string => typeof k === 'string') : [];
    return { set: Object.fromEntries(pairs), deleted: keys };
  };

  /** A message's content as text: a string as sent, anything else as its JSON text. */
  const messageText = (content: unknown): string =>
    typeof content === 'string' ? content : (JSON.stringify(content) ?? '');

  const handlers: CommandHandlers = {
    publish: (c, session) =>
      defer(() => {
        const room = roomOf(session);
        const mediaType = c.audio && c.video ? 2 : c.audio ? 0 : 1;
        return call(() => room.publishStream(tag, mediaType)).pipe(
          map(() => ({
            // The plugin told the pusher its URL (setPusherUrl) before it resolved.
            url: pushUrl,
            stream: {
              id: `${session.join.userId}:main`,
              userId: session.join.userId,
              kind: 'main' as const,
              hasAudio: c.audio,
              hasVideo: c.video,
              hasSmall: c.video,
              audioMuted: false,
              videoMuted: false,
            },
          })),
        );
      }),
    unpublish: (_c, session) =>
      defer(() => call(() => roomOf(session).unpublishStream()).pipe(map(() => undefined))),
    subscribe: (c, session) =>
      defer(() => {
        const room = roomOf(session);
        const stream = streamOf(c.streamId);
        return call(() => room.subscribe([{ stream, subTiny: c.small }])).pipe(
          map(() => {
            // The plugin has no audio-only subscription: a track not asked for is muted here.
            if (!c.audio) stream.mute();
            return {
              streamId: c.streamId,
              url: stream.getRTMPUrl() ?? playUrls.get(c.streamId) ?? '',
              audio: c.audio,
              video: c.video,
              small: c.small,
              audioMuted: false,
              videoMuted: false,
            };
          }),
        );
      }),
    unsubscribe: (c, session) =>
      defer(() => call(() => roomOf(session).unsubscribe([streamOf(c.streamId)])).pipe(map(() => undefined))),
    'mute-local': (c, session) =>
      defer(() => {
        const room = roomOf(session);
        const stream = session.state.self?.publications[c.streamId]?.stream;
        if (!stream) return throwError(() => new RtcError('NOT_PUBLISHED', `${c.streamId} is not published`));
        return concat(
          c.audio === undefined
            ? of(null)
            : call(() => (c.audio ? room.closeMicphone() : room.openMicphone())),
          c.video === undefined ? of(null) : call(() => (c.video ? room.closeCamera() : room.openCamera())),
        ).pipe(
          last(),
          map(() => ({
            ...stream,
            audioMuted: c.audio ?? stream.audioMuted,
            videoMuted: c.video ?? stream.videoMuted,
          })),
        );
      }),
    'mute-remote': (c, session) =>
      defer(() => {
        const sub = selectStream(c.streamId)(session.state)?.subscription;
        if (!sub) return throwError(() => new RtcError('NOT_SUBSCRIBED', `${c.streamId} is not subscribed`));
        const stream = streamOf(c.streamId);
        const next = { ...sub, audioMuted: c.audio ?? sub.audioMuted, videoMuted: c.video ?? sub.videoMuted };
        // Audio: the plugin mutes the player. Video: RongCloud has no receiver-side video mute;
        // the subscription's bit hides the video in rxroom's view model.
        if (next.audioMuted || !next.audio) stream.mute();
        else stream.unmute();
        return of(next);
      }),
    'set-attributes': (c, session) =>
      defer(() => {
        const room = roomOf(session);
        const entries = Object.entries(c.attributes);
        // The app's own notice goes as given; else rxroom's, which other rxroom clients apply.
        const note = c.notice
          ? { name: c.notice.name, content: c.notice.content }
          : { name: ATTRIBUTES_MESSAGE, content: JSON.stringify({ set: c.attributes, deleted: [] }) };
        // One notification for the whole change: on the last key.
        return concat(
          ...entries.map(([key, value], i) =>
            call(() =>
              room.setRoomAttribute(key, value, c.notify && i === entries.length - 1 ? note : undefined),
            ),
          ),
        ).pipe(
          last(),
          map(() => undefined),
        );
      }),
    'get-attributes': (c, session) =>
      defer(() =>
        call(() => roomOf(session).getRoomAttributes(c.keys ? [...c.keys] : [])).pipe(
          map((r) => ({ ...r.data })),
        ),
      ),
    'delete-attributes': (c, session) =>
      defer(() =>
        call(() =>
          roomOf(session).deleteRoomAttributes(
            [...c.keys],
            !c.notify
              ? undefined
              : c.notice
                ? { name: c.notice.name, content: c.notice.content }
                : { name: ATTRIBUTES_MESSAGE, content: JSON.stringify({ set: {}, deleted: c.keys }) },
          ),
        ).pipe(map(() => undefined)),
      ),
    'send-message': (c, session) =>
      defer(() => call(() => roomOf(session).sendMessage(c.name, c.content)).pipe(map(() => undefined))),
  };

  const driver = createVendorDriver(
    {
      name: 'rongcloud',
      features: ['small-stream', 'resume'],
      handlers,
      refuse(command) {
        switch (command.type) {
          case 'join':
            if (command.role !== 'broadcaster')
              return new RtcError(
                'UNSUPPORTED',
                'the RongCloud mini program plugin joins RTC rooms as broadcaster only',
              );
            return command.visible
              ? null
              : new RtcError('UNSUPPORTED', 'RongCloud RTC rooms have no invisible users');
          case 'publish':
            if (command.kind !== 'main')
              return new RtcError('UNSUPPORTED', 'a mini program pusher cannot share the screen');
            return command.small
              ? new RtcError(
                  'UNSUPPORTED',
                  "RongCloud's MediaServer makes the small stream; do not ask for one",
                )
              : null;
          case 'send-message':
            return command.to
              ? new RtcError('UNSUPPORTED', 'RongCloud room messages go to the whole room')
              : null;
          default:
            return null;
        }
      },
      connect: (session) =>
        new Observable((subscriber) => {
          let room: RongCloudRoomLike<S> | null = null;
          let over = false;
          const watching = new RxSubscription();
          const self = session.join.userId;
          const peer = (userId: string): Peer => ({ userId, role: 'broadcaster', visible: true });

          const listener: RongCloudRoomEventListener<S> = {
            onUserJoin: (ids) => {
              for (const userId of ids)
                if (userId !== self) session.emit({ type: 'peer-joined', peer: peer(userId) });
            },
            onUserLeave: (ids) => {
              for (const userId of ids)
                if (userId !== self) session.emit({ type: 'peer-left', userId, reason: 'leave' });
            },
            onStreamPublish: (list) => {
              for (const s of list) {
                if (s.getUserId() === self) continue;
                const known = !!selectStream(streamIdOf(s))(session.state);
                session.emit({ type: known ? 'stream-updated' : 'stream-added', stream: remember(s) });
              }
            },
            onStreamUnpublish: (list) => {
              for (const s of list) {
                if (s.getUserId() === self) continue;
                streams.delete(streamIdOf(s));
                session.emit({
                  type: 'stream-removed',
                  streamId: streamIdOf(s),
                  userId: s.getUserId(),
                  reason: 'unpublished',
                });
              }
            },
            onAudioMuteChange: (s) => session.emit({ type: 'stream-updated', stream: remember(s) }),
            onVideoMuteChange: (s) => session.emit({ type: 'stream-updated', stream: remember(s) }),
            onKickOff: (byServer, reason) =>
              subscriber.error(
                byServer
                  ? session.kicked(reason === 2 ? 'replaced' : 'kicked')
                  : new RtcError(
                      'CONNECTION_LOST',
                      'RongCloud pings failed too long; the plugin left the room',
                    ),
              ),
            onMessageReceive: (name, content, senderUserId, messageUId) => {
              if (name === ATTRIBUTES_MESSAGE) {
                const change = readAttributeMessage(content);
                if (change) session.emit({ type: 'attributes-changed', ...change, by: senderUserId });
                return;
              }
              session.emit({
                type: 'message',
                from: senderUserId,
                name,
                content: messageText(content),
                private: false,
                data: content,
                ...(typeof messageUId === 'string' && messageUId ? { messageId: messageUId } : {}),
              });
            },
            onRoomAttributeChange: () => {
              // A change announced by a non-rxroom client: read the attributes again.
              const r = room;
              r?.getRoomAttributes([]).then(
                (res) =>
                  res.code === SUCCESS &&
                  session.emit({ type: 'attributes-loaded', attributes: { ...res.data } }),
                () => undefined,
              );
            },
          };

          options.client.joinRTCRoom(session.join.roomId, undefined, options.joinType ?? 0).then(
            async ({ code, data }) => {
              if (over) {
                if (data?.room) await options.client.leaveRoom(data.room);
                return;
              }
              if (code !== SUCCESS || !data) {
                subscriber.error(toError('CONNECT_FAILED')({ code, reason: 'joinRTCRoom failed' }));
                return;
              }
              room = data.room;
              if (room.getCrtUserId() !== self) {
                await options.client.leaveRoom(room);
                subscriber.error(
                  new RtcError('TOKEN_MISMATCH', `the IM user is ${room.getCrtUserId()}, not ${self}`),
                );
                return;
              }
              rooms.set(session, room);
              room.registerRoomEventListener(listener);
              const attributes = await room.getRoomAttributes([]).then(
                (r) => (r.code === SUCCESS ? { ...r.data } : {}),
                () => ({}),
              );
              if (over) return;
              live = session;
              const remote = data.streams.filter((s) => s.getUserId() !== self);
              streams.clear();
              subscriber.next({
                sessionId: room.getSessionId() || `${self}@${session.join.roomId}#${session.attempt}`,
                peers: data.userIds.filter((id) => id !== self).map(peer),
                streams: remote.map(remember),
                attributes,
              });
              watching.add(watchConnection(session));
            },
            (err: unknown) => subscriber.error(toError('CONNECT_FAILED')(err)),
          );
          return () => {
            over = true;
            watching.unsubscribe();
            if (live === session) live = null;
            rooms.delete(session);
            const r = room;
            if (r) {
              r.registerRoomEventListener(null);
              if (!r.isDestroyed()) options.client.leaveRoom(r).then(undefined, () => undefined);
            }
          };
        }),
      leave: (session) => {
        const room = rooms.get(session);
        return room && !room.isDestroyed()
          ? new Observable<void>((subscriber) => {
              options.client.leaveRoom(room).then(
                () => {
                  subscriber.next();
                  subscriber.complete();
                },
                (e: unknown) => subscriber.error(e),
              );
            })
          : of(undefined);
      },
      handleNative(event) {
        // The plugin's report and audio-level listeners read these (rxroom itself keeps them in
        // volume$ / netStatus$).
        const streamMsid = (streamId: string) => streams.get(streamId)?.getMsid();
        switch (event.type) {
          case 'pusher-net':
            options.plugin.__innerGetPusherContext__().emit('netStatus', event.info);
            return;
          case 'pusher-volume':
            options.plugin.__innerGetPusherContext__().emit('audioVolumeNotify', event.volume);
            return;
          case 'player-net': {
            const msid = streamMsid(event.streamId);
            if (msid) options.plugin.__innerGetPlayerContext__().emit('netStatus', msid, event.info);
            return;
          }
          case 'player-volume': {
            const msid = streamMsid(event.streamId);
            if (msid)
              options.plugin.__innerGetPlayerContext__().emit('audioVolumeNotify', msid, event.volume);
            return;
          }
          default:
            return;
        }
      },
      destroy() {
        destroyed = true;
        streams.clear();
      },
    },
    withConnection(options),
  );
  // The page binds rxroom's state on its components; what it may change is what the seed's
  // rc-livepusher / rc-liveplayer take as properties.
  return { ...driver, mediaSettings: RONGCLOUD_MEDIA_SETTINGS };

  /** Reports the IM connection's drops and returns while in the room (the plugin resumes itself). */
  function watchConnection(session: VendorSession): RxSubscription {
    const status$ = options.connection$;
    if (!status$) return new RxSubscription();
    return status$
      .pipe(
        map((s) => s === 'connected'),
        startWith(true),
        distinctUntilChanged(),
        pairwise(),
        filter(([before, now]) => before !== now),
      )
      .subscribe(([, connected]) => {
        if (!connected) {
          session.emit({
            type: 'connection',
            state: {
              status: 'reconnecting',
              attempt: 1,
              delay: 0,
              error: { code: 'CONNECTION_LOST', reason: 'the RongCloud IM connection dropped' },
            },
          });
        } else {
          session.emit({ type: 'connection', state: { status: 'resumed' } });
          session.emit({ type: 'resumed', sessionId: rooms.get(session)?.getSessionId() ?? '' });
        }
      });
  }
}

/**
 * The properties of `rc-livepusher` and `rc-liveplayer` (seed 003, "推流组件 / 配置属性" and
 * "拉流组件 / 配置属性"), as rxroom settings; `style` and the player's `id` are the page's.
 */
const RONGCLOUD_MEDIA_SETTINGS: NonNullable<Driver['mediaSettings']> = {
  pusher: new Set<keyof PusherSettings>([
    'minBitrate',
    'maxBitrate',
    'audioVolumeType',
    'beauty',
    'whiteness',
    'autoFocus',
    'orientation',
    'aspect',
    'waitingImage',
    'zoom',
    'remoteMirror',
    'localMirror',
    'audioReverbType',
    'enableAgc',
    'enableAns',
    'videoWidth',
    'videoHeight',
    'beautyStyle',
    'filter',
    'devicePosition',
  ]),
  player: new Set<keyof PlayerSettings>([
    'muted',
    'objectFit',
    'orientation',
    'autoPauseIfNavigate',
    'autoPauseIfOpenNative',
    'pictureInPictureMode',
    'referrerPolicy',
    // RCRTCRoom.setAudioOutputDevice (设备管理 / 切换音频播放设备): speaker or earpiece.
    'soundMode',
  ]),
};

/** Waits for the IM connection before a rejoin, unless the app gave its own `online$`. */
function withConnection<S extends RongCloudRemoteStreamLike>(
  options: RongCloudDriverOptions<S>,
): VendorDriverOptions {
  const status$ = options.connection$;
  if (!status$ || options.reconnect === false || options.reconnect?.online$) return options;
  return {
    ...options,
    reconnect: {
      ...options.reconnect,
      online$: status$.pipe(
        map((s) => s === 'connected'),
        distinctUntilChanged(),
        shareReplay({ bufferSize: 1, refCount: true }),
      ),
    },
  };
}
