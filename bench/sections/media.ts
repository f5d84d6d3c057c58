/**
 * Benchmark 5: real media (issue 19). The reference server with media hooks, nginx-rtmp started
 * from deploy/nginx-rtmp.conf and ffmpeg publishers (examples/demo/media.ts), two SDK clients on
 * the Node platform, all on 127.0.0.1.
 *
 * Each run, in a fresh room: A publishes; B sees the stream `pending`.
 * - start → live: ffmpeg is spawned with A's push URL; time until B's `room$` shows `live`
 *   (process start, RTMP handshake, `on_publish`, the `stream-updated` push, B's reducer).
 * - kill → lost: ffmpeg gets SIGKILL; time until B's `room$` shows `lost`.
 * - kick → dropped: ffmpeg pushes again (live again), the admin API kicks A; time until the media
 *   server has dropped the publisher, seen as ffmpeg's exit (an active publisher never idles out).
 * Then relay CPU: nginx's CPU time (master and worker, from /proc) while it relays `streams`
 * publishers to one player each for a fixed window, per stream, as a share of one core.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import { createToken, startServer, type RunningServer } from '../../server';
import { nodePlatform } from '../../src/bindings/node-platform';
import { createClient, type RtcClient } from '../../src/streams/create-client';
import type { MediaState, RoomState } from '../../src/streams/model';
import { selectStream } from '../../src/streams/selectors';
import {
  freePort,
  playToNull,
  pushTestSource,
  requireMediaBinaries,
  startNginx,
  type MediaServer,
  type Proc,
} from '../../examples/demo/media';
import { round, sleep, summarize, type Summary } from '../lib/common';

const ADMIN = 'bench-media-admin';

function waitFor<T>(o: Observable<T>, test: (v: T) => boolean, ms = 60_000): Promise<T> {
  return firstValueFrom(o.pipe(filter(test), timeout({ first: ms })));
}

const mediaIs = (id: string, m: MediaState) => (r: RoomState) => selectStream(id)(r)?.media === m;

/** CPU time (user + system, in ms) of `pid` and its children, from /proc. */
function cpuMs(pid: number): number {
  const ticks = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim()) || 100;
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      // ended
    }
  }
  return (total * 1000) / ticks;
}

interface Rig {
  server: RunningServer;
  media: MediaServer;
  procs: Proc[];
}

async function startRig(): Promise<Rig> {
  requireMediaBinaries();
  const rtmp = await freePort();
  const control = await freePort();
  const template = `rtmp://127.0.0.1:${rtmp}/live/{key}?t={token}`;
  const server = await startServer({
    port: 0,
    adminSecret: ADMIN,
    mediaHooks: true,
    mediaControl: `http://127.0.0.1:${control}`,
    mediaLostGrace: 120_000,
    pushTemplate: template,
    playTemplate: template,
  });
  const media = await startNginx(server.port, { rtmp, control });
  return { server, media, procs: [] };
}

async function join(server: RunningServer, room: string, user: string): Promise<RtcClient> {
  const client = createClient({ url: server.url, platform: nodePlatform(), mediaRecovery: false });
  const token = await createToken({ room, user, publish: true });
  await firstValueFrom(client.join({ token, roomId: room, userId: user }));
  return client;
}

/** The media timings, `runs` times. */
export async function runMedia(runs: number, relayStreams: number, relayWindowMs: number) {
  const loadAtStart = loadavg()[0] ?? 0;
  const rig = await startRig();
  const startToLive: number[] = [];
  const killToLost: number[] = [];
  const kickToDrop: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const room = `bench-media-${i}`;
      const a = await join(rig.server, room, 'a');
      const b = await join(rig.server, room, 'b');
      const pub = await firstValueFrom(a.publish());
      await waitFor(b.room$, mediaIs('a:main', 'pending'));

      let t = performance.now();
      const first = pushTestSource(pub.url);
      rig.procs.push(first);
      await waitFor(b.room$, mediaIs('a:main', 'live'));
      startToLive.push(performance.now() - t);

      t = performance.now();
      await first.stop('SIGKILL');
      await waitFor(b.room$, mediaIs('a:main', 'lost'));
      killToLost.push(performance.now() - t);

      const second = pushTestSource(pub.url);
      rig.procs.push(second);
      await waitFor(b.room$, mediaIs('a:main', 'live'));
      t = performance.now();
      const res = await fetch(`${rig.server.httpUrl}/admin/rooms/${room}/kick`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'a' }),
      });
      if (!res.ok) throw new Error(`kick failed: HTTP ${res.status}`);
      await second.exited;
      kickToDrop.push(performance.now() - t);

      a.destroy();
      b.destroy();
    }

    // Relay CPU: `relayStreams` publishers, each played by one ffmpeg reading to null.
    const room = 'bench-media-relay';
    const players: Proc[] = [];
    const viewer = await join(rig.server, room, 'viewer');
    const owners: RtcClient[] = [];
    for (let s = 0; s < relayStreams; s++) {
      const owner = await join(rig.server, room, `p${s}`);
      owners.push(owner);
      const pub = await firstValueFrom(owner.publish());
      rig.procs.push(pushTestSource(pub.url));
      await waitFor(viewer.room$, mediaIs(`p${s}:main`, 'live'));
      const sub = await firstValueFrom(viewer.subscribe(`p${s}:main`));
      players.push(playToNull(sub.url));
    }
    rig.procs.push(...players);
    // Let the players connect before the window starts (their start-up is not relay work).
    await sleep(2000);
    const cpuBefore = cpuMs(rig.media.proc.pid);
    const wallBefore = performance.now();
    await sleep(relayWindowMs);
    const cpu = cpuMs(rig.media.proc.pid) - cpuBefore;
    const wall = performance.now() - wallBefore;
    const playersRunning = players.filter((p) => !p.done()).length;
    viewer.destroy();
    owners.forEach((o) => o.destroy());

    return {
      runs,
      /** The 1-minute load average at the start and the end: this box is shared and noisy. */
      loadAverage: [round(loadAtStart, 1), round(loadavg()[0] ?? 0, 1)] as const,
      startToLiveMs: roundSummary(summarize(startToLive)),
      killToLostMs: roundSummary(summarize(killToLost)),
      kickToDropMs: roundSummary(summarize(kickToDrop)),
      relay: {
        streams: relayStreams,
        playersRunning,
        windowMs: Math.round(wall),
        nginxCpuMs: round(cpu, 0),
        /** Share of one core, per relayed stream (one publisher in, one player out). */
        cpuPercentPerStream: round((cpu / wall / relayStreams) * 100, 2),
        source: '320x240 15 fps libx264 ultrafast + AAC, FLV over RTMP',
      },
    };
  } finally {
    for (const p of rig.procs) await p.stop('SIGKILL');
    await rig.server.close();
    await rig.media.stop();
  }
}

function roundSummary(s: Summary): Summary {
  return { n: s.n, p50: round(s.p50, 1), p95: round(s.p95, 1), p99: round(s.p99, 1), max: round(s.max, 1) };
}
