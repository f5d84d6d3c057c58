/**
 * Real media end to end (issue 19): the reference server with `mediaHooks`, nginx-rtmp started
 * from deploy/nginx-rtmp.conf, ffmpeg publishers and ffprobe players, SDK clients on the Node
 * platform. Needs `nginx libnginx-mod-rtmp ffmpeg` (`.ci/run` installs them); without them every
 * test here fails, naming the install command.
 *
 * Waits are for conditions (a state in `room$`, a process exit, a line in the server log); no
 * assertion is about elapsed time.
 */
import { Writable } from 'node:stream';
import { filter, firstValueFrom } from 'rxjs';
import { pino } from 'pino';
import { DEV_SECRET, type ServerOptions } from '../../server';
import { signMediaToken } from '../../server/media-token';
import { MEDIA_LOST_REASON } from '../../server/media-hooks';
import { selectStream } from '../../src/streams/selectors';
import type { MediaState, RoomState } from '../../src/streams/model';
import type { RoomEvent } from '../../src/streams/room-event';
import { Client, closeClients, http } from '../server/support';
import { Harness, until, type TestClient } from '../support/integration';
import {
  freePort,
  probe,
  pushTestSource,
  requireMediaBinaries,
  startNginx,
  type MediaServer,
  type Proc,
} from '../../examples/demo/media';

jest.setTimeout(180_000);

/** Long enough for a loaded machine; waits end as soon as their condition holds. */
const WAIT = 60_000;
const ADMIN = 'media-admin';

interface LogLine {
  level: number;
  msg: string;
  reason?: string;
  hook?: string;
  action?: string;
  dropped?: string;
}

/** A server, its nginx-rtmp, and the server's log. */
class MediaRig {
  readonly h: Harness;
  media!: MediaServer;
  readonly log: LogLine[] = [];
  private readonly procs: Proc[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    options: ServerOptions,
    readonly rtmpPort: number,
    readonly controlPort: number,
  ) {
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        for (const line of chunk.toString().split('\n')) if (line) this.log.push(JSON.parse(line) as LogLine);
        for (const w of this.waiters) w();
        done();
      },
    });
    const template = `rtmp://127.0.0.1:${rtmpPort}/live/{key}?t={token}`;
    this.h = new Harness({
      mediaHooks: true,
      mediaControl: `http://127.0.0.1:${controlPort}`,
      pushTemplate: template,
      playTemplate: template,
      adminSecret: ADMIN,
      grace: 2000,
      logger: pino({ level: 'debug' }, sink),
      ...options,
    });
  }

  static async start(options: ServerOptions = {}): Promise<MediaRig> {
    requireMediaBinaries();
    const rig = new MediaRig(options, await freePort(), await freePort());
    await rig.h.start();
    rig.media = await startNginx(rig.h.server.port, { rtmp: rig.rtmpPort, control: rig.controlPort });
    return rig;
  }

  push(url: string): Proc {
    const p = pushTestSource(url);
    this.procs.push(p);
    return p;
  }

  /** Resolves once a log line passes `test` (lines already logged count). */
  logged(test: (l: LogLine) => boolean, what: string): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line: ${what}`)), WAIT);
      const check = () => {
        const line = this.log.find(test);
        if (!line) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(line);
      };
      this.waiters.push(check);
      check();
    });
  }

  /** Hook refusals logged so far. */
  refusals(): string[] {
    return this.log.filter((l) => l.msg === 'media hook refused').map((l) => `${l.hook}: ${l.reason}`);
  }

  async stop(): Promise<void> {
    for (const p of this.procs) await p.stop('SIGKILL');
    await this.h.stop();
    await this.media?.stop();
  }
}

const mediaOf = (id: string) => (r: RoomState) => selectStream(id)(r)?.media;

/** Every distinct media state `c` shows for stream `id`, in order (undefined: no such stream). */
function recordMedia(c: TestClient, id: string): (MediaState | 'none')[] {
  const seen: (MediaState | 'none')[] = [];
  c.client.room$.subscribe((r) => {
    const stream = selectStream(id)(r);
    const m = stream ? (stream.media ?? 'live') : 'none';
    if (seen[seen.length - 1] !== m) seen.push(m);
  });
  return seen;
}

async function twoInRoom(rig: MediaRig, room: string) {
  const a = rig.h.client('a');
  const b = rig.h.client('b');
  await rig.h.join(a, room);
  await rig.h.join(b, room);
  return { a, b };
}

describe('real media: publish, relay, play (a)', () => {
  let rig: MediaRig;
  beforeAll(async () => {
    rig = await MediaRig.start();
  });
  afterAll(() => rig?.stop());

  it('ffmpeg pushes to A’s URL; B sees pending then live, subscribes, and ffprobe reads 320x240 video and audio', async () => {
    const { a, b } = await twoInRoom(rig, 'media-a');
    const states = recordMedia(b, 'a:main');
    const pub = await firstValueFrom(a.client.publish());
    await until(b, (r) => mediaOf('a:main')(r) === 'pending', WAIT);

    const ff = rig.push(pub.url);
    await until(b, (r) => mediaOf('a:main')(r) === 'live', WAIT);
    const sub = await firstValueFrom(b.client.subscribe('a:main'));
    const read = await probe(sub.url, 5);

    expect(states).toEqual(['none', 'pending', 'live']);
    expect(read.streams.filter((s) => s.codec_type === 'video')).toEqual([
      expect.objectContaining({ width: 320, height: 240 }),
    ]);
    expect(read.streams.filter((s) => s.codec_type === 'audio')).toHaveLength(1);
    expect(read.seconds.video).toBeGreaterThanOrEqual(2);
    expect(read.seconds.audio).toBeGreaterThanOrEqual(2);
    expect(ff.done()).toBe(false);
    expect(rig.refusals()).toEqual([]);
    // The media server's statistics agree: one publisher, for A's stream key.
    const key = new URL(pub.url.replace(/^rtmp:/, 'http:')).pathname.split('/')[2] as string;
    expect((await rig.media.stat()).get(key)?.publisher).toBeDefined();
  });
});

describe('real media: refusals (b)', () => {
  let rig: MediaRig;
  beforeAll(async () => {
    rig = await MediaRig.start();
  });
  afterAll(() => rig?.stop());
  afterEach(closeClients);

  const keyOf = (url: string) => new URL(url.replace(/^rtmp:/, 'http:')).pathname.split('/')[2] as string;
  const tokenOf = (url: string) => new URL(url.replace(/^rtmp:/, 'http:')).searchParams.get('t') as string;

  /**
   * Pushes to `url`, expects ffmpeg to be refused (it exits with an error) with `reason` in the
   * server log, and nothing of it at the media server.
   */
  async function refused(url: string, reason: string): Promise<void> {
    const before = rig.refusals().length;
    const ff = rig.push(url);
    const { code } = await ff.exited;
    expect(code).not.toBe(0);
    expect(rig.refusals().slice(before)).toContain(`on_publish: ${reason}`);
    const stat = await rig.media.stat();
    expect(stat.get(keyOf(url))?.publisher).toBeUndefined();
  }

  it('refuses every push it must, and no media reaches anyone', async () => {
    const room = 'media-b';
    const { a, b } = await twoInRoom(rig, room);
    const pubA = await firstValueFrom(a.client.publish());
    const c = rig.h.client('c');
    await rig.h.join(c, room);
    const pubC = await firstValueFrom(c.client.publish());
    await until(b, (r) => mediaOf('a:main')(r) === 'pending' && mediaOf('c:main')(r) === 'pending', WAIT);
    const states = recordMedia(b, 'a:main');
    const app = rig.media.appUrl;

    // An expired token (signed by the server's secret, with an expiry in the past).
    const expired = signMediaToken(
      DEV_SECRET,
      { app: 'rxroom', room, stream: 'a:main', holder: 'a', direction: 'push' },
      -60_000,
    );
    await refused(`${app}/${keyOf(pubA.url)}?t=${expired}`, 'token expired');

    // A play token used to push.
    const sub = await firstValueFrom(b.client.subscribe('a:main'));
    await refused(sub.url, 'a play token used to push');

    // The push token of another stream (C's) on A's stream key.
    await refused(`${app}/${keyOf(pubA.url)}?t=${tokenOf(pubC.url)}`, 'bad MAC');

    // A smuggled `&name=`: C's stream name with A's valid token and A's key appended.
    await refused(
      `${app}/${keyOf(pubC.url)}?t=${tokenOf(pubA.url)}&name=${keyOf(pubA.url)}`,
      'repeated field name',
    );

    // A user who left: their URL was valid while they were in the room.
    const d = rig.h.client('d');
    await rig.h.join(d, room);
    const pubD = await firstValueFrom(d.client.publish());
    await firstValueFrom(d.client.leave());
    await refused(pubD.url, 'no such stream');

    // A user whose publish privilege was withdrawn (resumed with a token without it): the
    // publication survives the resume, the media does not start.
    const { client: e, ack } = await Client.join(rig.h.server, room, 'e', {}, { secret: DEV_SECRET });
    const pubE = await e.ok('publish', { audio: true, video: true });
    e.drop();
    const { client: e2 } = await Client.join(
      rig.h.server,
      room,
      'e',
      { resume: { session: ack.session, seq: e.lastSeq ?? 0 } },
      { secret: DEV_SECRET, publish: false },
    );
    expect(e2.frames.find((f) => f.t === 'ack')).toMatchObject({ data: { mode: 'resumed' } });
    await refused(pubE.url, 'the holder may not publish');

    // An audience user: F published as a broadcaster, switched to audience (which unpublishes), and
    // pushes with the URL it kept.
    const f = rig.h.client('f');
    await rig.h.join(f, room);
    const pubF = await firstValueFrom(f.client.publish());
    await firstValueFrom(f.client.setRole('audience'));
    await refused(pubF.url, 'no such stream');

    // No media reached anyone: B never saw A's stream leave `pending`.
    expect(states).toEqual(['pending']);
    expect(mediaOf('c:main')(b.client.state)).toBe('pending');
  });
});

/** Events of `c` from now on. */
function recordEvents(c: TestClient): RoomEvent[] {
  const events: RoomEvent[] = [];
  c.client.events$.subscribe((e) => events.push(e));
  return events;
}

/** A and B in `room`, A publishing with ffmpeg, B showing the stream live; everything recorded. */
async function liveStream(rig: MediaRig, room: string) {
  const { a, b } = await twoInRoom(rig, room);
  const states = recordMedia(b, 'a:main');
  const eventsA = recordEvents(a);
  const eventsB = recordEvents(b);
  const pub = await firstValueFrom(a.client.publish());
  const ff = rig.push(pub.url);
  await until(b, (r) => mediaOf('a:main')(r) === 'live', WAIT);
  return { a, b, states, eventsA, eventsB, pub, ff };
}

describe('real media: lost publishers (c)', () => {
  afterEach(closeClients);

  it('ffmpeg killed: B sees lost, then the stream removed after the grace; A gets stream-failed', async () => {
    const rig = await MediaRig.start({ mediaLostGrace: 1500 });
    try {
      const { a, b, states, eventsA, eventsB, ff } = await liveStream(rig, 'media-c1');

      const failed = firstValueFrom(a.client.events$.pipe(filter((e) => e.type === 'stream-failed')));
      await ff.stop('SIGKILL');
      await until(b, (r) => mediaOf('a:main')(r) === 'lost', WAIT);
      await until(b, (r) => selectStream('a:main')(r) === null, WAIT);
      await failed;

      expect(states).toEqual(['none', 'pending', 'live', 'lost', 'none']);
      expect(eventsB.filter((e) => e.type === 'stream-removed')).toEqual([
        expect.objectContaining({ streamId: 'a:main', reason: 'failed' }),
      ]);
      expect(eventsA.filter((e) => e.type === 'stream-failed')).toEqual([
        expect.objectContaining({ streamId: 'a:main', direction: 'push', reason: MEDIA_LOST_REASON }),
      ]);
    } finally {
      await rig.stop();
    }
  });

  it('ffmpeg back within the grace: live again, nothing removed', async () => {
    const rig = await MediaRig.start({ mediaLostGrace: 600_000 });
    try {
      const { b, states, eventsA, eventsB, pub, ff: first } = await liveStream(rig, 'media-c2');
      await first.stop('SIGKILL');
      await until(b, (r) => mediaOf('a:main')(r) === 'lost', WAIT);

      // The same URL again, as a live-pusher reconnecting would.
      const second = rig.push(pub.url);
      await until(b, (r) => mediaOf('a:main')(r) === 'live', WAIT);

      expect(states).toEqual(['none', 'pending', 'live', 'lost', 'live']);
      expect(second.done()).toBe(false);
      expect(eventsB.some((e) => e.type === 'stream-removed')).toBe(false);
      expect(eventsA.some((e) => e.type === 'stream-failed')).toBe(false);
      expect(rig.refusals()).toEqual([]);
    } finally {
      await rig.stop();
    }
  });
});

describe('real media: kick (d) and server restart (e)', () => {
  afterEach(closeClients);

  it('A kicked: its media session is dropped by the server and a retried push is refused', async () => {
    const rig = await MediaRig.start();
    try {
      const { b, pub, ff } = await liveStream(rig, 'media-d');

      const kicked = await http(rig.h.server, 'POST', '/admin/rooms/media-d/kick', {
        secret: ADMIN,
        body: { user: 'a' },
      });
      expect(kicked.status).toBe(200);
      // ffmpeg pushes real time media without end; it ends only because the server dropped it
      // through the control module (the idle timeout never applies to an active publisher).
      await ff.exited;
      const drop = await rig.logged((l) => l.msg === 'media session dropped', 'the drop call');
      expect(drop).toMatchObject({ action: 'drop/publisher', dropped: '1' });
      await until(b, (r) => selectStream('a:main')(r) === null, WAIT);

      const retry = rig.push(pub.url);
      expect((await retry.exited).code).not.toBe(0);
      expect(rig.refusals()).toEqual(['on_publish: no such stream']);
    } finally {
      await rig.stop();
    }
  });

  it('the reference server restarts while ffmpeg keeps pushing: after the rejoin the stream is live, never pending', async () => {
    const rig = await MediaRig.start();
    try {
      const { a, b, ff } = await liveStream(rig, 'media-e');

      const oldSessionA = a.client.state.sessionId;
      const oldSessionB = b.client.state.sessionId;
      // What B shows from the first state of its new session on.
      const after: (MediaState | 'none')[] = [];
      b.client.room$.subscribe((r) => {
        if (r.sessionId === oldSessionB || r.sessionId === null) return;
        const s = selectStream('a:main')(r);
        const m = s ? (s.media ?? 'live') : 'none';
        if (after[after.length - 1] !== m) after.push(m);
      });
      await rig.h.restart();
      await until(a, (r) => r.sessionId !== oldSessionA && !!r.self?.publications['a:main'], WAIT);
      await until(b, (r) => r.sessionId !== oldSessionB && mediaOf('a:main')(r) === 'live', WAIT);

      expect(ff.done()).toBe(false);
      expect(after).not.toContain('pending');
      expect(after[after.length - 1]).toBe('live');
      expect(rig.refusals()).toEqual([]);
    } finally {
      await rig.stop();
    }
  });
});
