/**
 * `npm start`: the rxroom demo. Starts the reference server on 127.0.0.1 and four headless
 * clients, plays a short story (join, publish, auto-subscribe, a network drop, a server restart,
 * a kick) and shows one client's `room$` live in the terminal. `examples/demo/start.mjs` prints the
 * first line at once and loads this file; the flags are in `args.ts` (`npm start -- --help`).
 *
 *   npm start                     the story, then exit
 *   npm start -- --forever        keep the room running after the story
 *   npm start -- --port 8080      the server on a known port (where the example mini programs look)
 *   npm start -- --url ws://…     use a running server (with its --secret and --admin-secret)
 *   npm start -- --plain          line-by-line output (automatic when not on a terminal)
 *   npm start -- --media          real media: nginx-rtmp and ffmpeg publishers, each stream's
 *                                 media state and bitrate (apt-get install nginx
 *                                 libnginx-mod-rtmp ffmpeg)
 */
import chalk from 'chalk';
import logUpdate from 'log-update';
import { combineLatest } from 'rxjs';
import { activeSpeaker, mediaStateOf, netQuality, type NetQuality, type RoomState } from '../../src';
import { demoUsage, parseDemoArgs, type DemoArgs } from './args';
import { INSTALL_HINT, missingMediaBinaries } from './media';
import { finishedLine, MILESTONES, startStory, type DemoClient, type Milestone, type Story } from './story';

let args: DemoArgs;
try {
  args = parseDemoArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`npm start: ${e instanceof Error ? e.message : String(e)}\n\n${demoUsage()}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(demoUsage());
  process.exit(0);
}

const live = !args.plain && process.stdout.isTTY === true;
const log: string[] = [];
const reached: Milestone[] = [];
/** Incoming kbit/s per stream id, from nginx-rtmp's /stat (with --media). */
const bitrates: Record<string, number> = {};

const bar = (volume: number) => {
  const n = Math.round(Math.min(100, Math.max(0, volume)) / 10);
  return chalk.green('█'.repeat(n)) + chalk.gray('·'.repeat(10 - n));
};
const qualityBadge = (q: NetQuality | undefined) =>
  q === 'good'
    ? chalk.green('good')
    : q === 'fair'
      ? chalk.yellow('fair')
      : q === 'poor'
        ? chalk.red('poor')
        : chalk.gray('—');
const mediaBadge = (m: 'pending' | 'live' | 'lost') =>
  m === 'live' ? chalk.green('live') : m === 'lost' ? chalk.red('lost') : chalk.yellow('pending');
const statusBadge = (s: RoomState['connection']) => {
  const text =
    s.status === 'reconnecting'
      ? `reconnecting · attempt ${s.attempt} · next in ${s.delay} ms${s.waitingForNetwork ? ' · offline' : ''}`
      : s.status;
  const color = ['connected', 'resumed', 'rejoined'].includes(s.status)
    ? chalk.green
    : s.status === 'reconnecting' || s.status === 'connecting'
      ? chalk.yellow
      : chalk.red;
  return color(text);
};

function render(
  watched: DemoClient,
  room: RoomState,
  volume: ReadonlyMap<string, number>,
  quality: ReadonlyMap<string, NetQuality>,
  speakers: readonly string[],
): string {
  const lines: string[] = [];
  lines.push(
    chalk.bold(`rxroom demo · room ${room.roomId ?? '—'} · as seen by ${watched.name} (${watched.role})`),
  );
  lines.push(`connection: ${statusBadge(room.connection)}`);
  lines.push('');
  lines.push(chalk.bold('peers & streams'));
  const me = room.self?.userId;
  if (me) {
    const pub = room.self?.publications[`${me}:main`];
    lines.push(
      `  ${chalk.cyan(me.padEnd(8))} (me)   ${pub ? 'publishing ' + (pub.stream.hasVideo ? 'A+V' : 'A') : 'not publishing'}${bitrates[`${me}:main`] === undefined ? '' : ` ${bitrates[`${me}:main`]} kb/s`}   ${bar(volume.get(me) ?? 0)}`,
    );
  }
  for (const peer of [...room.peers.values()]) {
    const streams = [...room.streams.values()].filter((s) => s.userId === peer.userId);
    const desc = streams.length
      ? streams
          .map((s) => {
            const sub = s.subscription
              ? chalk.green(`subscribed ${s.subscription.video ? 'A+V' : 'A'}`)
              : chalk.gray('not subscribed');
            const kbps = bitrates[s.id];
            const media = s.media === undefined ? '' : ` · ${mediaBadge(mediaStateOf(s))}`;
            const rate = kbps === undefined ? '' : ` ${kbps} kb/s`;
            return `${s.kind}${s.audioMuted ? ' (muted)' : ''}${media}${rate} · ${sub}`;
          })
          .join(', ')
      : chalk.gray('no stream');
    const speaking = speakers.includes(peer.userId) ? chalk.magenta(' ◀ speaking') : '';
    lines.push(
      `  ${chalk.cyan(peer.userId.padEnd(8))} ${desc.padEnd(30)} ${bar(volume.get(peer.userId) ?? 0)} net ${qualityBadge(quality.get(peer.userId))}${speaking}`,
    );
  }
  lines.push('');
  lines.push(chalk.bold('story'));
  lines.push(
    '  ' +
      MILESTONES.map((m) => (reached.includes(m) ? chalk.green(`✔ ${m}`) : chalk.gray(`· ${m}`)))
        .join('  ')
        .replace(/(.{1,200})(\s|$)/g, '$1\n  ')
        .trimEnd(),
  );
  lines.push('');
  lines.push(chalk.bold('event log'));
  for (const line of log.slice(-12)) lines.push(`  ${line}`);
  return lines.join('\n');
}

/**
 * Polls nginx-rtmp's /stat every second and turns its byte counters into kbit/s per stream id
 * (nginx-rtmp's own bw_in is averaged over longer periods). Returns a function that stops it.
 */
function watchBitrates(story: Story, onRates: () => void): () => void {
  const media = story.media;
  if (!media) return () => undefined;
  let last: { at: number; bytes: Map<string, number> } | null = null;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    media
      .stat()
      .then((stat) => {
        const at = Date.now();
        const bytes = new Map([...stat].map(([key, s]) => [key, s.bytesIn] as const));
        const ids = story.clients.map((c) => `${c.name}:main`);
        for (const id of ids) {
          const key = media.keyOf(id);
          const now = bytes.get(key);
          const before = last?.bytes.get(key);
          if (now === undefined || stat.get(key)?.publisher === undefined) delete bitrates[id];
          else if (last && before !== undefined && now >= before && at > last.at) {
            bitrates[id] = Math.round(((now - before) * 8) / (at - last.at));
          }
        }
        last = { at, bytes };
        onRates();
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 1000);
  return () => clearInterval(timer);
}

/** `--port N`, or the end of the demo with a usage error. */
function portOf(value: string): number {
  if (/^\d{1,5}$/.test(value) && Number(value) <= 65535) return Number(value);
  process.stderr.write(`npm start: --port must be a port number, got "${value}"\n`);
  process.exit(2);
}

/** The live view's latest frame (set once the watched client's streams have emitted). */
let frame: (() => string) | null = null;
function redraw(): void {
  if (live && frame) logUpdate(frame());
}

async function main(): Promise<void> {
  const pace = Number(args.pace ?? (live ? 1500 : 400));
  if (args.media) {
    const missing = missingMediaBinaries();
    if (missing.length > 0) {
      process.stderr.write(
        `npm start -- --media needs nginx with nginx-rtmp and ffmpeg; missing: ${missing.join(', ')}\n` +
          `install them with:\n  sudo ${INSTALL_HINT}\n(plain \`npm start\` needs none of them)\n`,
      );
      process.exit(1);
    }
  }
  const story = await startStory({
    media: args.media,
    ...(args.url ? { url: args.url } : {}),
    ...(args.port === undefined ? {} : { port: portOf(args.port) }),
    ...(args['admin-secret'] ? { adminSecret: args['admin-secret'] } : {}),
    ...(args.secret ? { secret: args.secret } : {}),
    pace,
    forever: args.forever,
    onMilestone: (m, detail) => {
      reached.push(m);
      const line = `${chalk.bold('▶')} ${detail}`;
      log.push(line);
      if (!live) process.stdout.write(`[milestone] ${m}: ${detail}\n`);
      // The view redraws on room changes; a step (the last one above all) gets its tick now.
      redraw();
    },
    onLog: (line) => {
      log.push(chalk.gray(line));
      if (!live) process.stdout.write(`  ${line}\n`);
    },
  });
  const watched = story.clients[0]!;
  let printed = '';
  const stopRates = watchBitrates(story, () => {
    if (live) return;
    // Line mode: print the rates when they change noticeably (one line, not every second).
    const line = Object.entries(bitrates)
      .map(([id, kbps]) => `${id} ${Math.round(kbps / 100) * 100} kb/s`)
      .join(', ');
    if (line && line !== printed) {
      printed = line;
      process.stdout.write(`  media bitrate (nginx-rtmp /stat): ${line}\n`);
    }
  });
  const view = live
    ? combineLatest([
        watched.client.room$,
        watched.client.volume$,
        netQuality(watched.client.netStatus$),
        activeSpeaker(watched.client.volume$),
      ]).subscribe(([room, volume, quality, speakers]) => {
        frame = () => render(watched, room, volume, quality, speakers);
        redraw();
      })
    : null;
  /** Stops everything; the last line says how it ended (on stderr when it failed). */
  const shutdown = async (code: number, last: string) => {
    stopRates();
    view?.unsubscribe();
    if (live) {
      redraw();
      logUpdate.done();
    }
    await story.stop();
    if (code === 0) process.stdout.write(`\n${chalk.green.bold(last)}\n`);
    else process.stderr.write(`\n${chalk.red.bold(last)}\n`);
    process.exit(code);
  };
  process.once(
    'SIGINT',
    () =>
      void shutdown(0, `rxroom demo stopped (Ctrl-C) after ${reached.length} of ${MILESTONES.length} steps.`),
  );
  try {
    await story.done;
    await shutdown(0, finishedLine(reached, Boolean(args.url)));
  } catch (e) {
    await shutdown(1, `rxroom demo failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

void main();
