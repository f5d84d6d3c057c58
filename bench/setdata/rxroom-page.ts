/**
 * The rxroom side of the setData benchmark: a page built with `bindPage` and the ready view model
 * (`roomViewModel`), its WXML handlers from `nativeHandlers`, all on a VirtualTimeScheduler, fed the
 * same trace as the trtc-wx page.
 *
 * The room itself comes from a tiny trace driver (a `Driver`, the interface vendor drivers
 * implement): like TRTC, the room protocol runs inside `<live-pusher>`, so the driver reads the
 * decoded pusher events 1018 (entered) and 1031–1034 (users and their audio/video bits) and turns
 * them into RoomEvents. A stream exists while its user has audio or video on; a bit turned off is
 * an owner mute; TRTC plays every stream it announces, so each stream comes with its subscription
 * (the `playurl`). Volume and net status need no driver: the client folds them from the native
 * events itself.
 */
import { performance } from 'node:perf_hooks';
import {
  combineLatest,
  concatMap,
  map,
  Observable,
  of,
  Subject,
  Subscription,
  throwError,
  VirtualAction,
  VirtualTimeScheduler,
  type SchedulerLike,
  type Subscriber,
} from 'rxjs';
import {
  autoSubscribe,
  bindPage,
  createClient,
  nativeHandlers,
  playerElementId,
  roomViewModel,
  RtcError,
  subscribeAll,
  type Capability,
  type CommandOf,
  type CommandResult,
  type CommandType,
  type Driver,
  type JoinResult,
  type NativeEvent,
  type Publication,
  type RoomEvent,
  type RtcClient,
  type StreamDescriptor,
} from '../../src';
import { RecordingPage } from '../lib/fake-page';
import type { Trace, TraceEvent } from './trace';

export const SELF = 'me';
export const ROOM = 'bench';

interface Bits {
  audio: boolean;
  video: boolean;
  url: string;
  exists: boolean;
}

/** A Driver whose room is what the `<live-pusher>` room codes of the trace say. */
export function traceDriver(): Driver {
  const events = new Subject<RoomEvent>();
  const emit = (e: RoomEvent) => events.next(e);
  let join: CommandOf<'join'> | null = null;
  let joinSubscriber: Subscriber<JoinResult> | null = null;
  let entered = false;
  const bits = new Map<string, Bits>();

  const descriptor = (userId: string, b: Bits): StreamDescriptor => ({
    id: `${userId}:main`,
    userId,
    kind: 'main',
    hasAudio: true,
    hasVideo: true,
    hasSmall: false,
    audioMuted: !b.audio,
    videoMuted: !b.video,
  });

  const update = (userId: string, change: { audio?: boolean; video?: boolean; url?: string }) => {
    const b = bits.get(userId) ?? { audio: false, video: false, url: '', exists: false };
    bits.set(userId, b);
    if (change.audio !== undefined) b.audio = change.audio;
    if (change.video !== undefined) b.video = change.video;
    if (change.url) b.url = change.url;
    const streamId = `${userId}:main`;
    if (!b.audio && !b.video) {
      if (b.exists) emit({ type: 'stream-removed', streamId, userId, reason: 'unpublished' });
      b.exists = false;
      return;
    }
    if (!b.exists) {
      b.exists = true;
      emit({ type: 'stream-added', stream: descriptor(userId, b) });
      emit({
        type: 'subscribed',
        subscription: {
          streamId,
          url: b.url,
          audio: true,
          video: true,
          small: false,
          audioMuted: false,
          videoMuted: false,
        },
      });
    } else {
      emit({ type: 'stream-updated', stream: descriptor(userId, b) });
    }
  };

  const onEntered = () => {
    if (entered || !join) return;
    entered = true;
    emit({ type: 'connection', state: { status: 'connected' } });
    emit({
      type: 'joined',
      mode: 'joined',
      roomId: join.roomId,
      sessionId: 'trace',
      self: { userId: join.userId, role: 'broadcaster', visible: true, publications: {} },
      peers: [],
      streams: [],
      subscriptions: [],
      attributes: {},
    });
    joinSubscriber?.next({ roomId: join.roomId, sessionId: 'trace' });
    joinSubscriber?.complete();
    joinSubscriber = null;
  };

  const execute = (command: CommandOf<CommandType>): Observable<unknown> => {
    switch (command.type) {
      case 'join':
        return new Observable<JoinResult>((subscriber) => {
          join = command;
          joinSubscriber = subscriber;
          emit({ type: 'connection', state: { status: 'connecting' } });
        });
      case 'publish': {
        const me = join?.userId ?? SELF;
        const publication: Publication = {
          stream: {
            id: `${me}:${command.kind}`,
            userId: me,
            kind: command.kind,
            hasAudio: command.audio,
            hasVideo: command.video,
            hasSmall: command.small,
            audioMuted: false,
            videoMuted: false,
          },
          url: `room://cloud.tencent.com/rtc?sdkappid=1400000001&roomid=1234&userid=${me}`,
        };
        emit({ type: 'published', publication });
        return of(publication);
      }
      case 'report':
        return of(undefined);
      case 'leave':
        emit({ type: 'left', reason: 'leave' });
        return of(undefined);
      default:
        return throwError(() => new RtcError('UNSUPPORTED', `trace driver: ${command.type}`));
    }
  };

  return {
    name: 'trace',
    capabilities: new Set<Capability>(['join', 'leave', 'publish', 'report']),
    events$: events.asObservable(),
    execute: execute as <T extends CommandType>(command: CommandOf<T>) => Observable<CommandResult<T>>,
    handleNative(event: NativeEvent) {
      if (event.type === 'pusher-state' && event.code === 1018) onEntered();
      if (event.type !== 'pusher-room') return;
      for (const user of event.users) {
        if (event.code === 1031)
          emit({ type: 'peer-joined', peer: { userId: user.userId, role: 'broadcaster', visible: true } });
        else if (event.code === 1032) {
          const b = bits.get(user.userId);
          if (b?.exists) {
            emit({
              type: 'stream-removed',
              streamId: `${user.userId}:main`,
              userId: user.userId,
              reason: 'peer-left',
            });
          }
          bits.delete(user.userId);
          emit({ type: 'peer-left', userId: user.userId, reason: 'leave' });
        } else if (
          event.code === 1033 &&
          (user.streamType ?? 'main') === 'main' &&
          user.hasVideo !== undefined
        ) {
          update(user.userId, { video: user.hasVideo, ...(user.playUrl ? { url: user.playUrl } : {}) });
        } else if (event.code === 1034 && user.hasAudio !== undefined) {
          update(user.userId, { audio: user.hasAudio, ...(user.playUrl ? { url: user.playUrl } : {}) });
        }
      }
    },
    destroy() {
      joinSubscriber?.error(new RtcError('DESTROYED', 'driver destroyed'));
      joinSubscriber = null;
      events.complete();
    },
  };
}

/** What a driver factory gives the page: the driver, and extra view data it wants bound. */
export interface PageDriver {
  readonly driver: Driver;
  /** Extra page data (e.g. TRTC's `<live-pusher>` attributes), merged into the view model as `livePusher`. */
  readonly livePusher$?: Observable<object>;
  /** The app subscribes to streams itself (autoSubscribe), as with a vendor driver. */
  readonly autoSubscribe?: boolean;
  /** Join token (the user signature for TRTC). */
  readonly token?: string;
  /** Room id as the backend wants it. */
  readonly roomId?: string;
}

export interface RxroomPageOptions {
  /** connectSetData's coalescing window (default: the SDK default, 50 ms). */
  readonly frameMs?: number;
  /** The room's driver, made in onLoad with the page and the scheduler. Default: the trace driver. */
  readonly makeDriver?: (page: object, scheduler: SchedulerLike) => PageDriver;
  /** Called at the end of every simulated second with the page's view data (before events at that ms). */
  readonly onSecond?: (t: number, page: RecordingPage) => void;
}

export interface RxroomRun {
  readonly page: RecordingPage;
  /** Wall time of the replay (SDK, view model, setData binding, recording page), ms. */
  readonly replayMs: number;
  readonly errors: string[];
}

type PageInstance = RecordingPage & Record<string, unknown>;

export function runRxroomPage(trace: Trace, options: RxroomPageOptions = {}): RxroomRun {
  // Bounded: nothing is ever scheduled past the end of the trace plus a few seconds.
  const scheduler = new VirtualTimeScheduler(VirtualAction, trace.durationMs + 5000);
  const errors: string[] = [];
  let client: RtcClient | null = null;
  let made: PageDriver | null = null;
  const background = new Subscription();

  const definition = bindPage(
    {
      data: {},
      ...nativeHandlers(() => client),
      onLoad(this: object) {
        made = options.makeDriver ? options.makeDriver(this, scheduler) : { driver: traceDriver() };
        client = createClient({ driver: made.driver, scheduler });
        client.errors$.subscribe((e) => errors.push(`${e.code}: ${e.message}`));
        const c = client;
        background.add(
          c
            .join({ token: made.token ?? 'trace', roomId: made.roomId ?? ROOM, userId: SELF })
            .pipe(concatMap(() => c.publish()))
            .subscribe({ error: (e: unknown) => errors.push(String(e)) }),
        );
        if (made.autoSubscribe) {
          background.add(
            autoSubscribe(c, subscribeAll(), {}, scheduler).subscribe({
              error: (e: unknown) => errors.push(String(e)),
            }),
          );
        }
      },
      onUnload() {
        background.unsubscribe();
        client?.destroy();
      },
    },
    () => {
      const vm$ = roomViewModel(client!, {}, scheduler);
      const live$ = made?.livePusher$;
      return live$
        ? combineLatest([vm$, live$]).pipe(map(([vm, livePusher]) => ({ ...vm, livePusher })))
        : vm$;
    },
    {
      ...(options.frameMs !== undefined ? { frameMs: options.frameMs } : {}),
      onError: (e) => errors.push(String(e)),
    },
    scheduler,
  );

  // What Page() would do: one instance with the definition's methods and its own data.
  const page = new RecordingPage({}, () => scheduler.now()) as PageInstance;
  for (const [key, value] of Object.entries(definition)) if (key !== 'data') page[key] = value;
  const call = (name: string, arg?: unknown) =>
    (page[name] as (this: PageInstance, a?: unknown) => void).call(page, arg);

  // The end-of-second checks are scheduled first, so at equal times they run before the events.
  if (options.onSecond) {
    const onSecond = options.onSecond;
    for (let t = 1000; t <= trace.durationMs; t += 1000) scheduler.schedule(() => onSecond(t, page), t);
  }
  for (const event of trace.events) scheduler.schedule(() => deliver(call, event), event.t);

  const started = performance.now();
  call('onLoad', {});
  scheduler.flush();
  call('onUnload');
  const replayMs = performance.now() - started;
  return { page, replayMs, errors };
}

/** One trace event as rxroom's WXML (`nativeHandlers`, `data-stream-id`) would deliver it. */
function deliver(call: (name: string, arg?: unknown) => void, event: TraceEvent): void {
  if (event.source === 'pusher') {
    const currentTarget = { id: 'pusher', dataset: {} };
    if (event.bind === 'statechange') {
      call('onPusherStateChange', {
        type: 'statechange',
        currentTarget,
        detail: { code: event.code, message: event.message },
      });
    } else if (event.bind === 'netstatus') {
      call('onPusherNetStatus', { type: 'netstatus', currentTarget, detail: { info: { ...event.info } } });
    } else {
      call('onPusherAudioVolume', {
        type: 'audiovolumenotify',
        currentTarget,
        detail: { volume: event.volume },
      });
    }
    return;
  }
  const streamId = `${event.userId}:${event.streamType}`;
  const currentTarget = { id: playerElementId(streamId), dataset: { streamId } };
  if (event.bind === 'netstatus') {
    call('onPlayerNetStatus', { type: 'netstatus', currentTarget, detail: { info: { ...event.info } } });
  } else {
    call('onPlayerAudioVolume', {
      type: 'audiovolumenotify',
      currentTarget,
      detail: { volume: event.volume },
    });
  }
}
