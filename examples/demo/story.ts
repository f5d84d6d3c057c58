/**
 * The `npm start` story: the reference server and four headless rxroom clients on the Node
 * platform, scripted to show what rxroom is for. It knows nothing about terminals: it reports
 * milestones and log lines, and hands out the client to watch. `main.ts` renders it; the smoke
 * test (examples/demo/story.test.ts) runs it fast and checks the milestones.
 */
import { firstValueFrom, filter, Subscription, timeout, type Observable } from 'rxjs';
import {
  createToken,
  DEV_SECRET,
  startServer,
  streamKey,
  type RunningServer,
  type ServerOptions,
} from '../../server';
import type { StatStream } from '../../server/media-hooks';
import {
  activeSpeaker,
  autoSubscribe,
  combinePolicies,
  createClient,
  isRtcError,
  maxVideo,
  selectStream,
  subscribeAll,
  type RoomEvent,
  type RtcClient,
} from '../../src';
import { nodePlatform, type NodePlatform } from '../../src/node';
import {
  freePort,
  pushTestSource,
  requireMediaBinaries,
  startNginx,
  type MediaServer,
  type Proc,
} from './media';

/** The moments the story must reach, in order. */
export const MILESTONES = [
  'server-started',
  'joined',
  'published',
  'auto-subscribed',
  'network-dropped',
  'reconnecting',
  'resumed',
  'server-restarted',
  'rejoined',
  'subscriptions-restored',
  'kicked',
  'done',
] as const;
export type Milestone = (typeof MILESTONES)[number];

export interface StoryOptions {
  /** Use a running server instead of starting one (no restart step then). */
  readonly url?: string;
  /** Admin secret of that server, for the kick. */
  readonly adminSecret?: string;
  /** Secret of that server's tokens. */
  readonly secret?: string;
  /** Port of the server the story starts (not with `url`). Default 0: any free port. */
  readonly port?: number;
  /** Pause between steps, ms (the live view uses ~1500 so people can follow). */
  readonly pace: number;
  /** Keep running after the story (until `stop()`). */
  readonly forever?: boolean;
  /**
   * Real media: start nginx-rtmp from deploy/ and an ffmpeg publisher for every publication, with
   * the server's media hooks on (needs `nginx libnginx-mod-rtmp ffmpeg`; not with `url`).
   */
  readonly media?: boolean;
  readonly onMilestone?: (m: Milestone, detail: string) => void;
  readonly onLog?: (line: string) => void;
}

export interface DemoClient {
  readonly name: string;
  readonly role: string;
  readonly client: RtcClient;
  readonly platform: NodePlatform;
}

export interface Story {
  /** The clients, the first one is the one the view follows. */
  readonly clients: readonly DemoClient[];
  /** Resolves when the story is over (or rejects with what went wrong). */
  readonly done: Promise<void>;
  /** Stops everything: clients destroyed, server closed, media processes stopped. */
  stop(): Promise<void>;
  /** With `media`: the media server's live streams, and the stream key of a stream id. */
  readonly media?: {
    stat(): Promise<Map<string, StatStream>>;
    keyOf(streamId: string): string;
  };
}

const ROOM = 'demo';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function until<T>(o: Observable<T>, test: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  return firstValueFrom(
    o.pipe(
      filter(test),
      timeout({ first: ms, with: () => Promise.reject(new Error(`timed out waiting for ${what}`)) }),
    ),
  );
}

/**
 * Simulated native events: what `<live-pusher>`/`<live-player>` would report. Each user speaks in
 * turns; volumes every 300 ms and net status every second, like the real components.
 */
function simulateMedia(clients: readonly DemoClient[]): Subscription {
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    const second = Math.floor((tick * 300) / 1000);
    const speakerIndex = Math.floor(second / 3) % clients.length;
    for (const [i, c] of clients.entries()) {
      const state = c.client.state;
      if (!state.roomId) continue;
      const me = state.self?.userId ?? '';
      const speaking = i === speakerIndex;
      const wave = (n: number) => Math.round(Math.abs(Math.sin(tick / 2 + n)) * 70);
      if (state.self?.publications[`${me}:main`]) {
        c.client.dispatchNative({ type: 'pusher-volume', volume: speaking ? 25 + wave(i) : 3 });
      }
      for (const stream of [...state.streams.values()]) {
        if (!stream.subscription) continue;
        const owner = clients.findIndex((o) => o.client.state.self?.userId === stream.userId);
        c.client.dispatchNative({
          type: 'player-volume',
          streamId: stream.id,
          volume: owner === speakerIndex ? 25 + wave(owner) : 2,
        });
        if (tick % 3 === 0) {
          const level = c.name === 'guest-a' && second % 20 > 15 ? 4 : 1 + ((owner + second) % 2);
          c.client.dispatchNative({
            type: 'player-net',
            streamId: stream.id,
            info: { netQualityLevel: level, videoBitrate: 600 + 100 * owner, audioBitrate: 48, videoFPS: 15 },
          });
        }
      }
      if (tick % 3 === 0)
        c.client.dispatchNative({
          type: 'pusher-net',
          info: { netQualityLevel: 1, videoBitrate: 900, videoFPS: 15 },
        });
    }
  }, 300);
  return new Subscription(() => clearInterval(timer));
}

/** Starts the story. */
export async function startStory(options: StoryOptions): Promise<Story> {
  const milestone = (m: Milestone, detail: string) => options.onMilestone?.(m, detail);
  const log = (line: string) => options.onLog?.(line);
  const adminSecret = options.adminSecret ?? 'demo-admin';
  let server: RunningServer | null = null;
  let url = options.url;
  let serverOptions: ServerOptions = { adminSecret, devTokens: true, grace: 10_000 };
  let nginx: MediaServer | null = null;
  const publishers: Proc[] = [];
  if (options.media && url) throw new Error('--media starts its own server and media server: no --url');
  if (options.port !== undefined && url)
    throw new Error('--port is for the server the demo starts: not with --url');
  if (options.media) {
    requireMediaBinaries();
    const rtmp = await freePort();
    const control = await freePort();
    const template = `rtmp://127.0.0.1:${rtmp}/live/{key}?t={token}`;
    serverOptions = {
      ...serverOptions,
      mediaHooks: true,
      mediaControl: `http://127.0.0.1:${control}`,
      pushTemplate: template,
      playTemplate: template,
    };
    server = await startServer({ port: options.port ?? 0, ...serverOptions });
    nginx = await startNginx(server.port, { rtmp, control });
    log(`media: nginx-rtmp on rtmp://127.0.0.1:${rtmp}/live (pid ${nginx.proc.pid}), hooks to the server`);
  }
  if (!url) {
    server ??= await startServer({ port: options.port ?? 0, ...serverOptions });
    url = server.url;
    milestone('server-started', `reference server on ${url}`);
  } else {
    milestone('server-started', `using the server at ${url}`);
  }
  const httpUrl = url.replace(/^ws/, 'http');

  const make = (name: string, role: string): DemoClient => {
    const platform = nodePlatform();
    const client = createClient({ url: url!, platform, mediaRecovery: false });
    return { name, role, client, platform };
  };
  // guest-a is the one whose network drops, so it is the one the view follows.
  const clients: DemoClient[] = [
    make('guest-a', 'guest · subscribes to everyone'),
    make('host', 'host · publishes'),
    make('guest-b', 'guest · video only for the loudest speaker'),
    make('viewer', 'invisible viewer'),
  ];
  const [guestA, host, guestB, viewer] = clients as [DemoClient, DemoClient, DemoClient, DemoClient];
  const subs: Subscription[] = [];
  for (const c of clients) {
    subs.push(
      c.client.events$.subscribe((e: RoomEvent) => {
        const line = describe(e);
        if (line) log(`${c.name}: ${line}`);
      }),
    );
  }

  const join = async (c: DemoClient, visible = true) => {
    const token = await createToken({
      room: ROOM,
      user: c.name,
      publish: visible,
      ...(options.secret ? { secret: options.secret } : {}),
    });
    try {
      await firstValueFrom(c.client.join({ token, roomId: ROOM, userId: c.name, visible }));
    } catch (e) {
      throw new Error(refusedJoin(url!, e));
    }
  };

  const stop = async () => {
    subs.forEach((s) => s.unsubscribe());
    clients.forEach((c) => c.client.destroy());
    await server?.close();
    for (const p of publishers) await p.stop('SIGKILL');
    await nginx?.stop();
  };

  /** With media: an ffmpeg publisher pushing to the URL `c` was given, and its story. */
  const pushMedia = async (c: DemoClient, pushUrl: string) => {
    if (!nginx) return;
    const ff = pushTestSource(pushUrl);
    publishers.push(ff);
    log(`media: ffmpeg (pid ${ff.pid}) pushes a 320x240 test source for ${c.name}`);
    void ff.exited.then(({ code, signal }) =>
      log(`media: ${c.name}'s publisher ended (${signal ?? `exit ${String(code)}`})`),
    );
  };

  const run = async () => {
    // 1. people join
    for (const c of [host, guestA, guestB]) await join(c);
    await join(viewer, false);
    milestone('joined', 'host, guest-a and guest-b joined; the viewer joined invisibly');
    subs.push(simulateMedia(clients));
    await sleep(options.pace);

    // 2. publish, and auto-subscribe picks streams
    subs.push(autoSubscribe(guestA.client, subscribeAll()).subscribe());
    const speakers$ = activeSpeaker(guestB.client.volume$);
    subs.push(autoSubscribe(guestB.client, combinePolicies(maxVideo(1, speakers$))).subscribe());
    subs.push(autoSubscribe(viewer.client, subscribeAll({ small: true })).subscribe());
    for (const [c, video] of [
      [host, true],
      [guestA, true],
      [guestB, false],
    ] as const) {
      const pub = await firstValueFrom(c.client.publish({ video }));
      await pushMedia(c, pub.url);
    }
    milestone('published', 'host and guest-a publish camera + mic, guest-b audio only');
    if (nginx) {
      await until(
        guestA.client.room$,
        (r) => ['host:main', 'guest-b:main'].every((id) => selectStream(id)(r)?.media === 'live'),
        'media to arrive',
        60_000,
      );
      log('media: nginx-rtmp receives every stream; the server marked them live');
    }
    await until(
      guestA.client.room$,
      (r) => ['host:main', 'guest-b:main'].every((id) => r.streams.get(id)?.subscription),
      'guest-a to subscribe',
    );
    await until(
      viewer.client.room$,
      (r) => [...r.streams.values()].filter((s) => s.subscription).length === 3,
      'the viewer to subscribe',
    );
    milestone('auto-subscribed', 'auto-subscribe picked the streams for each policy');
    await sleep(options.pace * 2);

    // 3. guest-a's network drops: reconnecting with backoff, then resumed
    guestA.platform.setReachable(false);
    guestA.platform.dropSockets();
    milestone('network-dropped', "guest-a's network dropped: the socket is cut and the server unreachable");
    await until(guestA.client.connection$, (c) => c.status === 'reconnecting', 'reconnecting');
    // let the backoff show: attempts at 0, 300 and 1200 ms fail, the one after 2700 ms gets through
    await until(
      guestA.client.connection$,
      (c) => c.status === 'reconnecting' && c.attempt === 4,
      'the fourth attempt',
    );
    milestone(
      'reconnecting',
      'guest-a retried after 0, 300 and 1200 ms (the default backoff), next after 2700 ms',
    );
    guestA.platform.setReachable(true);
    await until(guestA.client.connection$, (c) => c.status === 'resumed', 'resume');
    milestone('resumed', 'guest-a resumed its session: nothing lost, nobody saw it leave');
    await sleep(options.pace * 2);

    // 4. the server restarts: everyone rejoins and gets its subscriptions back
    if (server) {
      const port = server.port;
      await server.close();
      milestone('server-restarted', 'the server restarted and forgot every session');
      server = await startServer({ ...serverOptions, port });
      await Promise.all(
        clients.map((c) =>
          until(c.client.connection$, (s) => s.status === 'rejoined', `${c.name} to rejoin`),
        ),
      );
      milestone('rejoined', 'every client rejoined (full rejoin: the old sessions were gone)');
      await until(
        guestA.client.room$,
        (r) =>
          ['host:main', 'guest-b:main'].every((id) => r.streams.get(id)?.subscription) &&
          !!r.self?.publications['guest-a:main'],
        'guest-a to restore',
      );
      milestone('subscriptions-restored', 'publications and subscriptions are back as they were');
      await sleep(options.pace * 2);
    }

    // 5. a user is kicked
    const res = await fetch(`${httpUrl}/admin/rooms/${ROOM}/kick`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'guest-b', reason: 'kicked' }),
    });
    if (!res.ok) throw new Error(refusedKick(httpUrl, res.status));
    await until(guestB.client.connection$, (c) => c.status === 'kicked', 'the kick');
    await until(guestA.client.room$, (r) => !r.peers.get('guest-b'), 'guest-b to be gone');
    milestone('kicked', 'guest-b was kicked by the admin API; it does not reconnect');
    await sleep(options.pace * 2);

    if (options.forever) await new Promise<void>(() => undefined);
    milestone('done', 'the end');
  };

  const done = run();
  const control = nginx;
  const media = control
    ? {
        stat: () => control.stat(),
        keyOf: (streamId: string) => streamKey(DEV_SECRET, 'rxroom', ROOM, streamId),
      }
    : undefined;
  return { clients, done, stop, ...(media ? { media } : {}) };
}

/**
 * Why a join failed, and for a refused token the flag that fixes it: the demo signs its tokens with
 * the development secret unless `--secret` names the server's.
 */
export function refusedJoin(url: string, error: unknown): string {
  if (!isRtcError(error)) return String(error);
  const what = `${url} refused the join (${error.code}: ${error.reason})`;
  return error.code.startsWith('TOKEN_')
    ? `${what}: pass the secret that server signs tokens with, npm start -- --url ${url} --secret S`
    : what;
}

/** Why the admin kick failed, and for a refused secret the flag that fixes it. */
export function refusedKick(httpUrl: string, status: number): string {
  const what = `the kick through ${httpUrl}/admin failed (HTTP ${status})`;
  if (status === 401) return `${what}: pass that server's admin secret with --admin-secret S`;
  if (status === 404)
    return `${what}: that server has no admin API; start it with --admin-secret S and pass the same`;
  return what;
}

/**
 * The demo's closing line: it finished, and how many steps it went through (with `--url` there is
 * no server of the demo's own to restart, so those steps are left out).
 */
export function finishedLine(reached: readonly Milestone[], externalServer: boolean): string {
  const skipped = externalServer ? ' (no server restart with --url)' : '';
  return (
    `✔ rxroom demo finished: ${reached.length} of ${MILESTONES.length} steps done${skipped}. ` +
    '`npm start -- --forever` keeps the room open.'
  );
}

/** One line for the event log, or null for events too frequent or too small to show. */
export function describe(e: RoomEvent): string | null {
  switch (e.type) {
    case 'connection':
      return `connection ${e.state.status}${e.state.status === 'reconnecting' ? ` (attempt ${e.state.attempt}, next in ${e.state.delay} ms${e.state.waitingForNetwork ? ', offline' : ''})` : ''}`;
    case 'joined':
      return `${e.mode} ${e.roomId} (${e.peers.length} peers, ${e.streams.length} streams)`;
    case 'peer-joined':
      return `${e.peer.userId} joined`;
    case 'peer-left':
      return `${e.userId} left (${e.reason})`;
    case 'stream-added':
      return `stream ${e.stream.id} added${e.stream.media ? ` (media ${e.stream.media})` : ''}`;
    case 'stream-removed':
      return `stream ${e.streamId} removed (${e.reason})`;
    case 'stream-updated':
      return e.stream.media ? `stream ${e.stream.id} media ${e.stream.media}` : null;
    case 'stream-failed':
      return `stream ${e.streamId} failed (${e.direction}: ${e.reason})`;
    case 'published':
      return `published ${e.publication.stream.id}`;
    case 'subscribed':
      return `subscribed ${e.subscription.streamId}${e.subscription.video ? '' : ' (audio only)'}${e.subscription.small ? ' (small)' : ''}`;
    case 'unsubscribed':
      return `unsubscribed ${e.streamId}`;
    case 'kicked':
      return `kicked (${e.reason})`;
    case 'resumed':
      return 'resumed';
    case 'error':
      return `error ${e.error.code}: ${e.error.reason}`;
    default:
      return null;
  }
}
