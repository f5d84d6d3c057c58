/**
 * Benchmark 2: signaling throughput against the limit.
 *
 * A stream of protocol v1 server frames for a room of N peers with churn (every frame valid, as
 * `decodeServerFrame` checks at generation), is replayed in one process through:
 *
 *  1. bare `JSON.parse` of each frame (the limit: nothing can read a frame for less);
 *  2. `decodeServerFrame` (JSON.parse + valibot schema validation: the server's decoder);
 *  2b. the client's decoder: `checkServerFrame` (JSON.parse + the hand-written guards of
 *     src/protocol/guards.ts) + `pushToEvent`, i.e. decode + validate + build the RoomEvent;
 *  3. the client's decoder + `reduceRoom` (the pure fold, no Rx);
 *  4. a real client: frames enter through a Platform socket (in-process, no network) and go through
 *     fromSocket → SignalChannel → protocol driver → the client's dispatch → reduceRoom → the hot
 *     state streams, with a page's worth of selectors subscribed (room$, peers$, remoteStreams$,
 *     connection$, attributes$, localStream$).
 *
 * Rounds interleave the variants so machine noise hits all alike; the median round counts.
 * The room is built first with peer-joined/stream-added frames (not timed), then the churn is timed.
 */
import { performance } from 'node:perf_hooks';
import { firstValueFrom, type Observable, type Subscription } from 'rxjs';
import {
  createClient,
  decodeServerFrame,
  deepEqual,
  encodeFrame,
  initialRoomState,
  reduceRoom,
  type Platform,
  type PlatformSocket,
  type PushFrame,
  type RoomState,
  type RtcClient,
  type ServerFrame,
  type NativeEvent,
  roomViewModel,
  PersistentMap,
} from '../../src';
import { pushToEvent } from '../../src/bindings/protocol/mapping';
import { checkServerFrame } from '../../src/protocol/guards';
import { gc, median, randInt, round, seededRandom } from '../lib/common';

const SELF = 'observer';

/** Distributive Omit, so each push keeps its own fields. */
type PushBody = PushFrame extends infer F ? (F extends PushFrame ? Omit<F, 'v' | 'seq'> : never) : never;

export interface FrameStream {
  readonly peers: number;
  /** Frames that build the room (peer-joined, stream-added), seq 1…. */
  readonly buildUp: readonly string[];
  /** The churn, timed. */
  readonly churn: readonly string[];
  readonly churnBytes: number;
  readonly mix: Record<string, number>;
}

/**
 * A room of `peers` publishers, then `count` frames of steady-state churn: 30 % stream-updated
 * (mute toggles), 10 % peer-updated, 15 % message, 10 % attributes-changed, 35 % a peer leaving
 * (stream-removed + peer-left) and another joining (peer-joined + stream-added).
 */
export function generateFrames(peers: number, count: number, seed = 1): FrameStream {
  const random = seededRandom(seed * 104729 + peers);
  let seq = 0;
  const frames: string[] = [];
  const push = (body: PushBody) => {
    const frame = { v: 1, seq: ++seq, ...body } as PushFrame;
    const text = encodeFrame(frame);
    const check = decodeServerFrame(text);
    if (!check.ok) throw new Error(`generated an invalid frame: ${check.error.message}: ${text}`);
    frames.push(text);
  };
  let nextUser = 0;
  const live: string[] = [];
  const muted = new Map<string, { audio: boolean; video: boolean }>();
  const streamOf = (user: string) => {
    const m = muted.get(user) ?? { audio: false, video: false };
    return { ...streamInfoOf(user), small: true, audioMuted: m.audio, videoMuted: m.video };
  };
  const join = () => {
    const user = `peer${String(++nextUser).padStart(5, '0')}`;
    live.push(user);
    muted.set(user, { audio: false, video: false });
    push({ t: 'peer-joined', peer: { user, role: 'broadcaster', visible: true } });
    push({ t: 'stream-added', stream: streamOf(user) });
  };
  for (let i = 0; i < peers; i++) join();
  const buildUp = frames.splice(0);

  const mix: Record<string, number> = {};
  const attrKeys = Array.from({ length: 20 }, (_, i) => `key${i}`);
  while (frames.length < count) {
    const r = random();
    const user = live[Math.floor(random() * live.length)]!;
    if (r < 0.3) {
      const m = muted.get(user)!;
      if (random() < 0.5) m.audio = !m.audio;
      else m.video = !m.video;
      push({ t: 'stream-updated', stream: streamOf(user) });
      mix['stream-updated'] = (mix['stream-updated'] ?? 0) + 1;
    } else if (r < 0.4) {
      push({
        t: 'peer-updated',
        peer: { user, role: 'broadcaster', visible: true, businessId: `b${randInt(random, 0, 9)}` },
      });
      mix['peer-updated'] = (mix['peer-updated'] ?? 0) + 1;
    } else if (r < 0.55) {
      push({
        t: 'message',
        from: user,
        name: 'chat',
        content: `hello from ${user}, message ${frames.length}`,
        private: false,
      });
      mix.message = (mix.message ?? 0) + 1;
    } else if (r < 0.65) {
      const key = attrKeys[randInt(random, 0, attrKeys.length - 1)]!;
      push({ t: 'attributes-changed', set: { [key]: `value-${frames.length}` }, deleted: [], by: user });
      mix['attributes-changed'] = (mix['attributes-changed'] ?? 0) + 1;
    } else {
      live.splice(live.indexOf(user), 1);
      muted.delete(user);
      push({ t: 'stream-removed', stream: `${user}:main`, user, reason: 'peer-left' });
      push({ t: 'peer-left', user, reason: 'leave' });
      join();
      mix['leave + join (4 frames)'] = (mix['leave + join (4 frames)'] ?? 0) + 1;
    }
  }
  let churnBytes = 0;
  for (const f of frames) churnBytes += Buffer.byteLength(f);
  return { peers, buildUp, churn: frames, churnBytes, mix };
}

/** An in-process Platform whose one socket answers `join` and lets the bench push frames. */
/** What the loopback server's join ack holds besides the defaults (a room to join into). */
interface JoinRoom {
  readonly peers?: readonly { user: string; role: 'broadcaster'; visible: boolean }[];
  readonly streams?: readonly ReturnType<typeof streamInfoOf>[];
  readonly subscriptions?: readonly ReturnType<typeof subscriptionInfoOf>[];
}

function streamInfoOf(user: string) {
  return {
    id: `${user}:main`,
    user,
    kind: 'main' as const,
    audio: true,
    video: true,
    small: false,
    audioMuted: false,
    videoMuted: false,
  };
}

function subscriptionInfoOf(user: string) {
  return {
    stream: `${user}:main`,
    url: `rtmp://media.invalid/live/${user}`,
    audio: true,
    video: true,
    small: false,
    audioMuted: false,
    videoMuted: false,
  };
}

function loopbackPlatform(room: JoinRoom = {}) {
  let deliver: (text: string) => void = () => undefined;
  const platform: Platform = {
    name: 'bench',
    connectSocket(): PlatformSocket {
      const open: (() => void)[] = [];
      const message: ((r: { data: string }) => void)[] = [];
      const close: ((r: { code: number; reason: string }) => void)[] = [];
      deliver = (data) => {
        for (const l of message) l({ data });
      };
      queueMicrotask(() => open.forEach((l) => l()));
      return {
        send({ data }) {
          const frame = JSON.parse(data) as { t: string; id: number };
          if (frame.t !== 'join') return;
          const ack: ServerFrame = {
            v: 1,
            t: 'ack',
            id: frame.id,
            ok: true,
            data: {
              mode: 'joined',
              session: 'bench-session',
              seq: 0,
              self: { user: SELF, role: 'broadcaster', visible: true },
              peers: [...(room.peers ?? [])],
              streams: [...(room.streams ?? [])],
              publications: [],
              subscriptions: [...(room.subscriptions ?? [])],
              attributes: {},
              heartbeat: { interval: 10_000, timeout: 30_000 },
              grace: 20_000,
            },
          };
          queueMicrotask(() => deliver(JSON.stringify(ack)));
        },
        close: ({ code, reason }) => close.forEach((l) => l({ code: code ?? 1000, reason: reason ?? '' })),
        onOpen: (l) => void open.push(l),
        onMessage: (l) => void message.push(l),
        onClose: (l) => void close.push(l),
        onError: () => undefined,
      };
    },
    onNetworkStatusChange: () => () => undefined,
    onAppShow: () => () => undefined,
    onAppHide: () => () => undefined,
    createPusherContext: () => ({ start: () => undefined, stop: () => undefined }),
    createPlayerContext: () => ({ play: () => undefined, stop: () => undefined }),
  };
  return { platform, deliver: (text: string) => deliver(text) };
}

interface JoinedClient {
  readonly client: RtcClient;
  readonly deliver: (text: string) => void;
  readonly emissions: { count: number };
  readonly subscription: Subscription;
}

async function joinedClient(room: JoinRoom = {}): Promise<JoinedClient> {
  const { platform, deliver } = loopbackPlatform(room);
  const client = createClient({
    url: 'ws://bench.invalid',
    platform,
    reconnect: false,
    heartbeat: false,
    mediaRecovery: false,
    reportStats: false,
  });
  await firstValueFrom(client.join({ token: 'bench.token.x', roomId: 'bench', userId: SELF }));
  const emissions = { count: 0 };
  const count = () => void emissions.count++;
  const subscription = client.room$.subscribe(count);
  const streams: Observable<unknown>[] = [
    client.peers$,
    client.remoteStreams$,
    client.connection$,
    client.attributes$,
    client.localStream$,
  ];
  for (const s of streams) subscription.add(s.subscribe(count));
  return { client, deliver, emissions, subscription };
}

type Variant = 'json' | 'decode' | 'guard' | 'reduce' | 'client';

/** The client's decoding of one frame: guards, then the push as a RoomEvent (undefined if none). */
function clientDecode(text: string) {
  const d = checkServerFrame(text);
  return d.ok && d.frame.t !== 'ack' && d.frame.t !== 'pong' && d.frame.t !== 'error'
    ? pushToEvent(d.frame)
    : undefined;
}

/** A variant's running state: the room it has built stays across rounds (the churn keeps its size). */
interface Runner {
  /** Times one slice of frames; returns ms. */
  run(frames: readonly string[]): number;
  /** Checks the end state and releases it; returns a number the optimizer cannot drop. */
  finish(): number;
}

async function runner(variant: Variant, stream: FrameStream): Promise<Runner> {
  switch (variant) {
    case 'json': {
      let sink = 0;
      return {
        run(frames) {
          const t0 = performance.now();
          for (let i = 0; i < frames.length; i++) sink += (JSON.parse(frames[i]!) as { seq: number }).seq;
          return performance.now() - t0;
        },
        finish: () => sink,
      };
    }
    case 'decode': {
      let sink = 0;
      return {
        run(frames) {
          const t0 = performance.now();
          for (let i = 0; i < frames.length; i++) if (decodeServerFrame(frames[i]!).ok) sink++;
          return performance.now() - t0;
        },
        finish: () => sink,
      };
    }
    case 'guard': {
      let sink = 0;
      return {
        run(frames) {
          const t0 = performance.now();
          for (let i = 0; i < frames.length; i++) if (clientDecode(frames[i]!)) sink++;
          return performance.now() - t0;
        },
        finish: () => sink,
      };
    }
    case 'reduce': {
      let state: RoomState = reduceRoom(initialRoomState, {
        type: 'joined',
        mode: 'joined',
        roomId: 'bench',
        sessionId: 's',
        self: { userId: SELF, role: 'broadcaster', visible: true, publications: {} },
        peers: [],
        streams: [],
        subscriptions: [],
        attributes: {},
      });
      const fold = (text: string) => {
        const event = clientDecode(text);
        if (event) state = reduceRoom(state, event);
      };
      for (const f of stream.buildUp) fold(f);
      return {
        run(frames) {
          const t0 = performance.now();
          for (let i = 0; i < frames.length; i++) fold(frames[i]!);
          return performance.now() - t0;
        },
        finish: () => [...state.peers.keys()].length,
      };
    }
    case 'client': {
      const c = await joinedClient();
      for (const f of stream.buildUp) c.deliver(f);
      return {
        run(frames) {
          const t0 = performance.now();
          for (let i = 0; i < frames.length; i++) c.deliver(frames[i]!);
          return performance.now() - t0;
        },
        finish() {
          const peers = [...c.client.state.peers.keys()].length;
          if (peers !== stream.peers)
            throw new Error(`client ended with ${peers} peers, expected ${stream.peers}`);
          c.subscription.unsubscribe();
          c.client.destroy();
          return c.emissions.count;
        },
      };
    }
  }
}

/**
 * Runs `rounds + warmup` rounds; in each, every variant processes the next slice of the churn (so
 * variants share the machine's noise). The median round counts.
 */
async function measure(stream: FrameStream, variants: readonly Variant[], rounds: number, warmup: number) {
  const perRound = Math.floor(stream.churn.length / (rounds + warmup));
  const runners = new Map<Variant, Runner>();
  for (const v of variants) runners.set(v, await runner(v, stream));
  const times: Record<string, number[]> = {};
  for (let r = 0; r < rounds + warmup; r++) {
    const slice = stream.churn.slice(r * perRound, (r + 1) * perRound);
    for (const v of variants) {
      gc();
      const ms = runners.get(v)!.run(slice);
      if (r >= warmup) (times[v] ??= []).push(ms);
    }
  }
  // The rest of the stream (untimed), so every runner ends on a whole leave + join.
  const rest = stream.churn.slice((rounds + warmup) * perRound);
  let sink = 0;
  for (const v of variants) {
    runners.get(v)!.run(rest);
    sink += runners.get(v)!.finish();
  }
  const out: Record<string, { framesPerSecond: number; usPerFrame: number }> = {};
  for (const v of variants) {
    const ms = median(times[v]!);
    out[v] = {
      framesPerSecond: Math.round(perRound / (ms / 1000)),
      usPerFrame: round((ms * 1000) / perRound, 3),
    };
  }
  return { results: out, perRound, sink };
}

export interface SignalingOptions {
  readonly quick?: boolean;
}

export async function runSignaling(options: SignalingOptions = {}) {
  const quick = options.quick ?? false;
  const rounds = quick ? 3 : 7;
  const warmup = 2;
  const perRound = quick ? 2000 : 5000;
  const main = generateFrames(200, perRound * (rounds + warmup));
  const throughput = await measure(main, ['json', 'decode', 'guard', 'reduce', 'client'], rounds, warmup);
  const json = throughput.results.json!.framesPerSecond;
  const ratio = (v: string) => round(throughput.results[v]!.framesPerSecond / json, 4);

  // Growth: the same churn mix in rooms of 10, 100 and 1,000 peers (fewer frames for the large
  // room, whose frames are the slow ones).
  const scaling: Record<string, { reduce: number; client: number }> = {};
  for (const peers of [10, 100, 1000]) {
    const slice = peers >= 1000 ? (quick ? 300 : 1000) : quick ? 1000 : 3000;
    const r = quick ? 2 : 3;
    const stream = generateFrames(peers, slice * (r + 1), 2);
    const m = await measure(stream, ['reduce', 'client'], r, 1);
    scaling[peers] = { reduce: m.results.reduce!.usPerFrame, client: m.results.client!.usPerFrame };
  }
  const growth = {
    reduce: round(scaling[1000]!.reduce / scaling[10]!.reduce, 1),
    client: round(scaling[1000]!.client / scaling[10]!.client, 1),
  };
  // The native-event mix: the cost of one volume/net tick from 4 to 200 players.
  const ticks: Record<string, Awaited<ReturnType<typeof volumeTickCost>>> = {};
  await volumeTickCost(20, 10); // warm the view-model path up first: the first series must not pay for the JIT
  for (const players of [4, 20, 50, 100, 200]) {
    const runs: Awaited<ReturnType<typeof volumeTickCost>>[] = [];
    for (let r = 0; r < (quick ? 1 : 3); r++)
      runs.push(await volumeTickCost(players, quick ? 15 : 40, r + 1));
    runs.sort((a, b) => a.usPerEvent - b.usPerEvent);
    ticks[players] = runs[Math.floor(runs.length / 2)]!;
  }
  const tickGrowth = round(ticks[200]!.usPerEvent / ticks[4]!.usPerEvent, 2);
  return {
    nativeTicks: ticks,
    tickGrowth200vs4: tickGrowth,
    room: {
      peers: main.peers,
      buildUpFrames: main.buildUp.length,
      churnFrames: main.churn.length,
      framesPerRound: throughput.perRound,
      avgFrameBytes: Math.round(main.churnBytes / main.churn.length),
      mix: main.mix,
    },
    rounds,
    throughput: throughput.results,
    ratioToJsonParse: {
      decode: ratio('decode'),
      guard: ratio('guard'),
      reduce: ratio('reduce'),
      client: ratio('client'),
    },
    scalingUsPerFrame: scaling,
    growth1000vs10: growth,
    recordCopy: recordCopyCosts(),
  };
}

// ── the native-event mix: what a volume or net tick costs as the grid grows ─────────────────

/**
 * µs per native event for a page showing `players` subscribed remote streams: every player
 * reports its volume every 300 ms and its net status every 1 s, the pusher its volume every
 * 300 ms, for `seconds` of (compressed) time. As in a meeting, three people talk at a time (levels
 * 30–90, a new trio every 3 s) and everyone else's microphone picks up noise (0–12). Each event goes through `dispatchNative` → the
 * client's volume/net maps → `roomViewModel` (quantised volume, active speaker, net quality, the
 * players' view), as a page subscribed to it pays.
 */
export async function volumeTickCost(players: number, seconds: number, seed = 3) {
  const users = Array.from({ length: players }, (_, i) => `p${String(i).padStart(3, '0')}`);
  const c = await joinedClient({
    peers: users.map((user) => ({ user, role: 'broadcaster' as const, visible: true })),
    streams: users.map(streamInfoOf),
    subscriptions: users.map(subscriptionInfoOf),
  });
  const views = { count: 0, players: 0 };
  const sub = roomViewModel(c.client).subscribe((vm) => {
    views.count++;
    views.players = vm.players.length;
  });
  if (views.players !== players) throw new Error(`view shows ${views.players} players, expected ${players}`);
  const random = seededRandom(seed * 7919 + players);
  type Tick = { at: number; event: NativeEvent };
  const ticks: Tick[] = [];
  let talking = new Set<number>();
  for (let t = 0; t < seconds * 1000; t += 300) {
    if (t % 3000 === 0) talking = new Set([0, 1, 2].map(() => randInt(random, 0, players - 1)));
    ticks.push({ at: t, event: { type: 'pusher-volume', volume: randInt(random, 0, 12) } });
    users.forEach((u, i) => {
      const at = t + ((i * 7) % 300);
      const volume = talking.has(i) ? randInt(random, 30, 90) : randInt(random, 0, 12);
      ticks.push({ at, event: { type: 'player-volume', streamId: `${u}:main`, volume } });
      if (t % 900 === 0) {
        ticks.push({
          at: at + 1,
          event: {
            type: 'player-net',
            streamId: `${u}:main`,
            info: { netQualityLevel: randInt(random, 1, 5), videoBitrate: randInt(random, 300, 900) },
          },
        });
      }
    });
  }
  ticks.sort((a, b) => a.at - b.at);
  const warm = Math.floor(ticks.length / 4);
  for (let i = 0; i < warm; i++) c.client.dispatchNative(ticks[i]!.event);
  gc();
  const t0 = performance.now();
  for (let i = warm; i < ticks.length; i++) c.client.dispatchNative(ticks[i]!.event);
  const ms = performance.now() - t0;
  const timed = ticks.length - warm;
  sub.unsubscribe();
  c.subscription.unsubscribe();
  c.client.destroy();
  return { players, events: timed, usPerEvent: round((ms * 1000) / timed, 3), viewEmissions: views.count };
}

// ── what a record change costs, and what the proposed representations would cost ─────────────

interface Peerish {
  readonly userId: string;
  readonly role: 'broadcaster';
  readonly visible: boolean;
}

/**
 * µs per change of a record of n peers: update a key, add one and drop one, as reduceRoom does
 * before the state core moved (`{...dict, [k]: v}` and spread + delete), as a Map copy would, and
 * as the PersistentMap the reducer now uses does; and `deepEqual` of two such records after one change (what
 * `select(…)`'s distinctUntilChanged pays).
 */
export function recordCopyCosts() {
  const keyOf = (i: number) => `peer${String(i).padStart(5, '0')}`;
  const value = (i: number): Peerish => ({ userId: keyOf(i), role: 'broadcaster', visible: true });
  const out: Record<string, Record<string, number>> = {};
  for (const n of [10, 100, 200, 1000]) {
    const ops = Math.max(200, Math.min(20_000, Math.round(2_000_000 / n)));
    const time = (fn: (i: number) => void) => {
      for (let i = 0; i < Math.min(ops, 100); i++) fn(i); // warm up
      const t0 = performance.now();
      for (let i = 0; i < ops; i++) fn(i);
      return round(((performance.now() - t0) * 1000) / ops, 3);
    };
    // Build the way the reducer does: one spread per join, then churn (drop + add) n times.
    let rec: Record<string, Peerish> = {};
    for (let i = 0; i < n; i++) rec = { ...rec, [keyOf(i)]: value(i) };
    let map = new Map<string, Peerish>();
    for (let i = 0; i < n; i++) map = new Map(map).set(keyOf(i), value(i));
    let pmap = PersistentMap.empty<Peerish>();
    for (let i = 0; i < n; i++) pmap = pmap.with(keyOf(i), value(i));
    let next = n;
    const churnRecord = (i: number) => {
      const k = keyOf(next - n + (i % 1));
      const copy = { ...rec };
      delete copy[k];
      rec = { ...copy, [keyOf(next)]: value(next) };
      next++;
    };
    const recordUpdate = time((i) => {
      const k = keyOf(next - n + (i % n));
      if (rec[k]) rec = { ...rec, [k]: value(i) };
    });
    const recordChurn = time(churnRecord);
    next = n;
    const mapUpdate = time((i) => {
      const k = keyOf(next - n + (i % n));
      if (map.has(k)) map = new Map(map).set(k, value(i));
    });
    const mapChurn = time(() => {
      const copy = new Map(map);
      copy.delete(keyOf(next - n));
      map = copy.set(keyOf(next), value(next));
      next++;
    });
    next = n;
    const persistentUpdate = time((i) => {
      const k = keyOf(next - n + (i % n));
      if (pmap.get(k)) pmap = pmap.with(k, value(i));
    });
    const persistentChurn = time(() => {
      pmap = pmap.without(keyOf(next - n)).with(keyOf(next), value(next));
      next++;
    });
    const before = rec;
    const someKey = Object.keys(before)[0]!;
    const after = { ...before, [someKey]: value(-1) };
    const equal = time(() => void deepEqual(before, after));
    out[n] = {
      recordUpdate,
      recordChurn,
      mapUpdate,
      mapChurn,
      persistentUpdate,
      persistentChurn,
      deepEqualAfterOneChange: equal,
    };
  }
  return out;
}
