/**
 * Real media on one machine, for `npm start -- --media`, the media tests
 * (test/integration/media.test.ts) and the bench's `media` section: nginx with nginx-rtmp started
 * from deploy/nginx-rtmp.conf (only its ports filled in) in a temporary prefix, ffmpeg publishers
 * of a synthetic source, and ffprobe. Every process is started here and stopped by its PID.
 * Waits are for conditions, never for time.
 *
 * The binaries come from `apt-get install nginx libnginx-mod-rtmp ffmpeg` (`.ci/run` installs
 * them). A missing binary is an error naming that command: the tests fail, never skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchRtmpStat, type StatStream } from '../../server/media-hooks';

/** Where Debian's libnginx-mod-rtmp installs the module (the deploy template loads it from here). */
export const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

/** The install command a missing binary calls for. */
export const INSTALL_HINT = 'apt-get install -y --no-install-recommends nginx libnginx-mod-rtmp ffmpeg';

/** The deploy template, relative to the repository root. */
export const DEPLOY_TEMPLATE = join(__dirname, '..', '..', 'deploy', 'nginx-rtmp.conf');

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

/** What is missing to run real media: binaries on PATH and the rtmp module. */
export function missingMediaBinaries(): string[] {
  const missing = ['nginx', 'ffmpeg', 'ffprobe'].filter((b) => !onPath(b));
  if (!existsSync(RTMP_MODULE)) missing.push(RTMP_MODULE);
  return missing;
}

/** Throws, naming the install command, when something real media needs is missing. */
export function requireMediaBinaries(): void {
  const missing = missingMediaBinaries();
  if (missing.length > 0) {
    throw new Error(`real media needs ${missing.join(', ')}: ${INSTALL_HINT}`);
  }
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The deploy template with its ports filled in, and nothing else changed. */
export function renderDeployConfig(ports: { rtmp: number; control: number; rxroom: number }): string {
  return readFileSync(DEPLOY_TEMPLATE, 'utf8')
    .replace(/{{RTMP_PORT}}/g, String(ports.rtmp))
    .replace(/{{CONTROL_PORT}}/g, String(ports.control))
    .replace(/{{RXROOM_PORT}}/g, String(ports.rxroom));
}

/** Polls `check` until it holds or `ms` pass (for facts only a process or a port can tell). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A process started by a test, with its exit as a promise. */
export interface Proc {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or the signal) once the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once it ended. */
  readonly done: () => boolean;
  /** stderr so far (for failure messages). */
  readonly stderr: () => string;
  /** Sends `signal` to the process by PID (no-op once it ended) and waits for its end. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function start(command: string, args: readonly string[]): Proc {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let ended = false;
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-8000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error(`${command} did not start`);
  const pid = child.pid;
  return {
    child,
    pid,
    exited,
    done: () => ended,
    stderr: () => err,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      // Through the handle, not the pid: a process that exited but whose 'exit' event has not
      // run yet is then a no-op instead of ESRCH (or, worse, a signal to a reused pid).
      if (!ended) child.kill(signal);
      await exited;
    },
  };
}

/** A running nginx-rtmp. */
export interface MediaServer {
  readonly rtmpPort: number;
  readonly controlPort: number;
  /** `--media-control` of rxroom-server. */
  readonly controlUrl: string;
  /** `rtmp://127.0.0.1:<port>/live`: the application path the media URLs start with. */
  readonly appUrl: string;
  /** The temp prefix holding the config and logs. */
  readonly dir: string;
  readonly proc: Proc;
  /** The live streams of the application, by stream key. */
  stat(): Promise<Map<string, StatStream>>;
  /** Stops nginx by PID and removes its prefix. */
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground from the deploy template, hooks pointing at rxroom-server on
 * `rxroomPort`, on ports `rtmpPort` and `controlPort` (free ones when not given). Resolves once
 * `/stat` answers.
 */
export async function startNginx(
  rxroomPort: number,
  ports: { rtmp?: number; control?: number } = {},
): Promise<MediaServer> {
  requireMediaBinaries();
  const rtmpPort = ports.rtmp ?? (await freePort());
  const controlPort = ports.control ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'rxroom-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, renderDeployConfig({ rtmp: rtmpPort, control: controlPort, rxroom: rxroomPort }));
  // Foreground, pid file and error log in the prefix: nothing outside the temp dir is touched.
  const proc = start('nginx', [
    '-c',
    conf,
    '-p',
    `${dir}/`,
    '-e',
    join(dir, 'error.log'),
    '-g',
    `daemon off; pid ${join(dir, 'nginx.pid')};`,
  ]);
  const controlUrl = `http://127.0.0.1:${controlPort}`;
  const stat = () => fetchRtmpStat(controlUrl, 'live');
  await until(async () => {
    if (proc.done()) throw new Error(`nginx exited: ${proc.stderr()} ${errorLog(dir)}`);
    try {
      await stat();
      return true;
    } catch {
      return false;
    }
  }, 'nginx /stat');
  return {
    rtmpPort,
    controlPort,
    controlUrl,
    appUrl: `rtmp://127.0.0.1:${rtmpPort}/live`,
    dir,
    proc,
    stat,
    async stop() {
      await proc.stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function errorLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

/**
 * Pushes a synthetic source to `url` with ffmpeg: lavfi testsrc 320x240 at 15 fps and a sine
 * tone, libx264 ultrafast and AAC, in FLV, in real time, until stopped.
 */
export function pushTestSource(url: string): Proc {
  requireMediaBinaries();
  return start('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=15',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-g',
    '15',
    '-c:a',
    'aac',
    '-f',
    'flv',
    url,
  ]);
}

/** An ffmpeg player that reads `url` until stopped and throws the media away. */
export function playToNull(url: string): Proc {
  requireMediaBinaries();
  return start('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', url, '-f', 'null', '-']);
}

/** What ffprobe read from a play URL. */
export interface ProbeResult {
  readonly streams: { codec_type: string; width?: number; height?: number }[];
  /** Seconds of media read, per codec type (last packet time minus first). */
  readonly seconds: Record<string, number>;
}

/** Reads `seconds` of media from `url` with ffprobe. */
export async function probe(url: string, seconds: number): Promise<ProbeResult> {
  requireMediaBinaries();
  const proc = start('ffprobe', [
    '-v',
    'error',
    '-read_intervals',
    `%+${seconds}`,
    '-show_entries',
    'stream=index,codec_type,width,height:packet=stream_index,pts_time',
    '-of',
    'json',
    url,
  ]);
  let out = '';
  proc.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const { code } = await proc.exited;
  if (code !== 0) throw new Error(`ffprobe failed (${String(code)}): ${proc.stderr()}`);
  const parsed = JSON.parse(out) as {
    streams?: { index: number; codec_type: string; width?: number; height?: number }[];
    packets?: { stream_index: number; pts_time?: string }[];
  };
  const streams = parsed.streams ?? [];
  const span: Record<string, number> = {};
  for (const s of streams) {
    const times = (parsed.packets ?? [])
      .filter((p) => p.stream_index === s.index && p.pts_time !== undefined)
      .map((p) => Number(p.pts_time));
    span[s.codec_type] = times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
  }
  return { streams, seconds: span };
}
