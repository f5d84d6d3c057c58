/**
 * A deterministic, seeded trace of the native component events a WeChat room page receives: what
 * `<live-pusher>` and every `<live-player>` would fire, with their times. Both setData harnesses
 * (the real trtc-wx-sdk page and the rxroom page) replay the very same trace.
 *
 * The story, for N remote users over `durationMs` (default 60 s):
 * - the local pusher reports 1001, 1002 and 1018 (room entered) in the first 120 ms;
 * - the N users join over ~2 s (pusher state 1031), then publish video (1033) and audio (1034)
 *   with a `playurl`, as TRTC's room protocol reports them inside `<live-pusher>`;
 * - every player sends `bindaudiovolumenotify` every 300 ms and `bindnetstatus` every 1 s, each with
 *   its own phase, and so does the pusher;
 * - volumes follow a per-user talk/silence Markov chain (silence is mostly 0, sometimes 1–4 of mic
 *   noise; talking is 15–85), a muted user reports 0;
 * - net status varies every second (bitrates, caches, jitter) with occasional bad spells of
 *   netQualityLevel 3–5;
 * - about 25 % of users mute and unmute their audio (1034), about 10 % their video (1033), 3–10 s
 *   each; about 15 % leave (1032) between 15 s and 55 s and send nothing afterwards.
 *
 * Nothing here knows either SDK: events name a user and a stream type, and each harness builds the
 * WeChat event object its own WXML would produce.
 */
import { randInt, seededRandom } from '../lib/common';

export interface PusherNetInfo {
  videoBitrate: number;
  audioBitrate: number;
  videoFPS: number;
  videoGOP: number;
  netSpeed: number;
  netJitter: number;
  netQualityLevel: number;
  videoWidth: number;
  videoHeight: number;
  videoCache: number;
  audioCache: number;
}

export interface PlayerNetInfo extends PusherNetInfo {
  vDecCacheSize: number;
  vSumCacheSize: number;
  avPlayInterval: number;
  avRecvInterval: number;
  audioCacheThreshold: number;
}

/** One user entry of a TRTC room message (`detail.message` of pusher codes 1031–1034). */
export interface TraceRoomUser {
  userid: string;
  playurl?: string;
  streamtype?: 'main';
  hasvideo?: boolean;
  hasaudio?: boolean;
}

export type TraceEvent =
  | {
      readonly t: number;
      readonly source: 'pusher';
      readonly bind: 'statechange';
      readonly code: number;
      /** A JSON `{userlist:[…]}` for 1031–1034, plain text otherwise. */
      readonly message: string;
    }
  | {
      readonly t: number;
      readonly source: 'pusher';
      readonly bind: 'netstatus';
      readonly info: PusherNetInfo;
    }
  | {
      readonly t: number;
      readonly source: 'pusher';
      readonly bind: 'audiovolumenotify';
      readonly volume: number;
    }
  | {
      readonly t: number;
      readonly source: 'player';
      readonly userId: string;
      readonly streamType: 'main';
      readonly bind: 'netstatus';
      readonly info: PlayerNetInfo;
    }
  | {
      readonly t: number;
      readonly source: 'player';
      readonly userId: string;
      readonly streamType: 'main';
      readonly bind: 'audiovolumenotify';
      readonly volume: number;
    };

export interface TraceUser {
  readonly userId: string;
  readonly joinAt: number;
  readonly leaveAt: number | null;
  readonly audioMutes: readonly (readonly [from: number, to: number])[];
  readonly videoMutes: readonly (readonly [from: number, to: number])[];
}

export interface Trace {
  readonly seed: number;
  readonly users: number;
  readonly durationMs: number;
  /** When the pusher reports 1018 (room entered). */
  readonly enteredAt: number;
  readonly schedule: readonly TraceUser[];
  readonly events: readonly TraceEvent[];
}

export interface TraceOptions {
  readonly users: number;
  readonly durationMs?: number;
  readonly seed?: number;
}

export const VOLUME_PERIOD_MS = 300;
export const NET_PERIOD_MS = 1000;
export const ENTERED_AT_MS = 120;

/** The `playurl` the native pusher reports for a user's main stream. */
export const playUrlOf = (userId: string): string =>
  `room://cloud.tencent.com/rtc?userid=${userId}&streamtype=main`;

const userIdOf = (i: number): string => `u${String(i).padStart(2, '0')}`;

/** Talk/silence chain and the volume it reports. */
function volumeSource(random: () => number) {
  const startProbability = 0.02 + random() * 0.1;
  const stopProbability = 0.12;
  let talking = random() < 0.3;
  return (muted: boolean): number => {
    talking = talking ? random() >= stopProbability : random() < startProbability;
    if (muted) return 0;
    if (talking) return randInt(random, 15, 85);
    return random() < 0.8 ? 0 : randInt(random, 1, 4);
  };
}

/** Net status: small jitter every second, occasional bad spells. */
function netSource(random: () => number) {
  const base = random() < 0.7 ? 1 : 2;
  let bad = 0;
  return (videoOn: boolean, player: boolean): PlayerNetInfo | PusherNetInfo => {
    if (bad > 0) bad--;
    else if (random() < 0.04) bad = randInt(random, 2, 6);
    const level = bad > 0 ? randInt(random, 3, 5) : base;
    const videoBitrate = videoOn ? randInt(random, 380, 620) - (bad > 0 ? 200 : 0) : 0;
    const audioBitrate = randInt(random, 38, 52);
    const info: PusherNetInfo = {
      videoBitrate,
      audioBitrate,
      videoFPS: videoOn ? randInt(random, 13, 15) - (bad > 0 ? 5 : 0) : 0,
      videoGOP: randInt(random, 1, 3),
      netSpeed: videoBitrate + audioBitrate + randInt(random, 0, 40),
      netJitter: randInt(random, 0, bad > 0 ? 120 : 30),
      netQualityLevel: level,
      videoWidth: 360,
      videoHeight: 640,
      videoCache: randInt(random, 60, bad > 0 ? 900 : 300),
      audioCache: randInt(random, 60, bad > 0 ? 700 : 250),
    };
    if (!player) return info;
    return {
      ...info,
      vDecCacheSize: randInt(random, 0, 2),
      vSumCacheSize: randInt(random, 0, bad > 0 ? 12 : 4),
      avPlayInterval: randInt(random, -60, 60),
      avRecvInterval: randInt(random, -60, 60),
      audioCacheThreshold: 200,
    };
  };
}

function inAny(t: number, spans: readonly (readonly [number, number])[]): boolean {
  return spans.some(([from, to]) => t >= from && t < to);
}

/** Distinct random indexes in [0, n). */
function pick(random: () => number, n: number, count: number, exclude: ReadonlySet<number> = new Set()) {
  const chosen = new Set<number>();
  const available = n - exclude.size;
  const want = Math.min(count, available);
  while (chosen.size < want) {
    const i = Math.floor(random() * n);
    if (!exclude.has(i)) chosen.add(i);
  }
  return chosen;
}

/** A mute schedule: one or two spans of 3–10 s between 5 s and the end, before the user leaves. */
function muteSpans(random: () => number, end: number): [number, number][] {
  const spans: [number, number][] = [];
  let from = randInt(random, 5000, Math.max(5000, end - 15000));
  const count = random() < 0.4 ? 2 : 1;
  for (let k = 0; k < count; k++) {
    const to = from + randInt(random, 3000, 10000);
    if (to >= end - 500) break;
    spans.push([from, to]);
    from = to + randInt(random, 4000, 12000);
  }
  return spans;
}

/** Generates the trace. The same options always give the same events. */
export function generateTrace(options: TraceOptions): Trace {
  const n = options.users;
  const durationMs = options.durationMs ?? 60_000;
  const seed = options.seed ?? 1;
  if (!(Number.isInteger(n) && n >= 1 && n <= 99)) throw new RangeError('users must be 1–99');
  const random = seededRandom(seed * 7919 + n);
  const events: TraceEvent[] = [];
  const room = (t: number, code: number, users: TraceRoomUser[]) =>
    events.push({
      t,
      source: 'pusher',
      bind: 'statechange',
      code,
      message: JSON.stringify({ userlist: users }),
    });

  // The local pusher: connect, push, enter the room; then volume and net status until the end.
  events.push({ t: 40, source: 'pusher', bind: 'statechange', code: 1001, message: 'connected' });
  events.push({ t: 80, source: 'pusher', bind: 'statechange', code: 1002, message: 'push started' });
  events.push({ t: ENTERED_AT_MS, source: 'pusher', bind: 'statechange', code: 1018, message: 'entered' });
  const localVolume = volumeSource(random);
  const localNet = netSource(random);
  for (let t = ENTERED_AT_MS + randInt(random, 1, VOLUME_PERIOD_MS); t < durationMs; t += VOLUME_PERIOD_MS) {
    events.push({ t, source: 'pusher', bind: 'audiovolumenotify', volume: localVolume(false) });
  }
  for (let t = ENTERED_AT_MS + randInt(random, 1, NET_PERIOD_MS); t < durationMs; t += NET_PERIOD_MS) {
    events.push({ t, source: 'pusher', bind: 'netstatus', info: localNet(true, false) as PusherNetInfo });
  }

  const leavers = pick(random, n, Math.max(1, Math.round(n * 0.15)));
  const audioMuters = pick(random, n, Math.max(1, Math.round(n * 0.25)));
  const videoMuters = pick(random, n, Math.max(n >= 8 ? 1 : 0, Math.round(n * 0.1)), audioMuters);
  const schedule: TraceUser[] = [];

  for (let i = 0; i < n; i++) {
    const userId = userIdOf(i + 1);
    const joinAt = 200 + randInt(random, 0, 2000);
    const leaveAt = leavers.has(i) ? randInt(random, 15_000, 55_000) : null;
    const end = leaveAt ?? durationMs;
    const audioMutes = audioMuters.has(i) ? muteSpans(random, end) : [];
    const videoMutes = videoMuters.has(i) ? muteSpans(random, end) : [];
    schedule.push({ userId, joinAt, leaveAt, audioMutes, videoMutes });

    const playurl = playUrlOf(userId);
    room(joinAt, 1031, [{ userid: userId }]);
    room(joinAt + 20, 1033, [{ userid: userId, playurl, streamtype: 'main', hasvideo: true }]);
    room(joinAt + 30, 1034, [{ userid: userId, playurl, hasaudio: true }]);
    for (const [from, to] of audioMutes) {
      room(from, 1034, [{ userid: userId, playurl, hasaudio: false }]);
      room(to, 1034, [{ userid: userId, playurl, hasaudio: true }]);
    }
    for (const [from, to] of videoMutes) {
      room(from, 1033, [{ userid: userId, playurl, streamtype: 'main', hasvideo: false }]);
      room(to, 1033, [{ userid: userId, playurl, streamtype: 'main', hasvideo: true }]);
    }
    if (leaveAt !== null) room(leaveAt, 1032, [{ userid: userId }]);

    // The player exists once the streams are announced; it reports until the user leaves.
    const volume = volumeSource(random);
    const net = netSource(random);
    const first = joinAt + 60;
    for (let t = first + randInt(random, 0, VOLUME_PERIOD_MS - 1); t < end; t += VOLUME_PERIOD_MS) {
      const v = volume(inAny(t, audioMutes));
      events.push({ t, source: 'player', userId, streamType: 'main', bind: 'audiovolumenotify', volume: v });
    }
    for (let t = first + randInt(random, 0, NET_PERIOD_MS - 1); t < end; t += NET_PERIOD_MS) {
      const info = net(!inAny(t, videoMutes), true) as PlayerNetInfo;
      events.push({ t, source: 'player', userId, streamType: 'main', bind: 'netstatus', info });
    }
  }

  // Stable sort: events at the same ms keep the order they were generated in.
  const ordered = events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.t - b.event.t || a.index - b.index)
    .map((x) => x.event);
  return { seed, users: n, durationMs, enteredAt: ENTERED_AT_MS, schedule, events: ordered };
}

/** Counts of a trace by kind, for the report. */
export function traceCounts(trace: Trace) {
  let volume = 0;
  let net = 0;
  let state = 0;
  for (const e of trace.events) {
    if (e.bind === 'audiovolumenotify') volume++;
    else if (e.bind === 'netstatus') net++;
    else state++;
  }
  return { events: trace.events.length, volume, net, state };
}
