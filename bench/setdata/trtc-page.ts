/**
 * The trtc-wx-sdk side of the setData benchmark: the real npm package (`trtc-wx-sdk` 1.1.15,
 * loaded unmodified from node_modules) driven by a page that does what Tencent's demo room page
 * does with it (see /work/shared/VENDORS.md, "README and documentation defects"):
 *
 * - onLoad: `createPusher` → setData({pusher}); `enterRoom` → setData({pusher}); start the pusher;
 * - LOCAL_JOIN → setData({pusher: setPusherAttributes({enableCamera, enableMic})});
 * - REMOTE_VIDEO_ADD/REMOVE, REMOTE_AUDIO_ADD/REMOVE →
 *   setData({playerList: setPlayerAttributes(streamID, {muteVideo|muteAudio})});
 * - REMOTE_USER_LEAVE → setData({playerList});
 * - REMOTE_AUDIO_VOLUME_UPDATE → setData({playerList}); LOCAL_AUDIO_VOLUME_UPDATE → setData({pusher});
 * - profile `demo+net` only: REMOTE_NET_STATE_UPDATE → setData({playerList}) and
 *   LOCAL_NET_STATE_UPDATE → setData({pusher}) (the wording; TUICalling does this too).
 *
 * The WXML handlers are the SDK's own (`pusherEventHandler`, `playerAudioVolumeNotify`, …). Player
 * events carry `currentTarget.dataset.streamid = player.streamID`, which is what Tencent's working
 * pages bind. The SDK is built with `{env: 'test'}` (no telemetry requests, no wx.getSystemInfo)
 * and log level 4 (silent), so the numbers are setData alone.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { RecordingPage, type Json } from '../lib/fake-page';
import type { Trace, TraceEvent } from './trace';

export type TrtcProfile = 'demo' | 'demo+net';

interface TrtcEvent {
  readonly eventCode: string;
  readonly data?: {
    readonly player?: { readonly streamID: string };
    readonly playerList?: unknown;
    readonly pusher?: unknown;
  };
}

/** The part of the SDK's class the page uses (the package ships no types). */
interface TrtcInstance {
  readonly EVENT: Record<string, string>;
  setLogLevel(level: number): void;
  on(event: string, callback: (e: TrtcEvent) => void): void;
  createPusher(attributes: object): { pusherAttributes: unknown };
  enterRoom(params: object): unknown;
  getPusherInstance(): { start(): unknown };
  setPusherAttributes(attributes: object): unknown;
  setPlayerAttributes(streamID: string, attributes: object): unknown;
  getPlayerList(): unknown[];
  pusherEventHandler(e: object): void;
  pusherNetStatusHandler(e: object): void;
  pusherAudioVolumeNotify(e: object): void;
  playerNetStatus(e: object): void;
  playerAudioVolumeNotify(e: object): void;
}
type TrtcConstructor = new (page: object, options: { env: 'test' }) => TrtcInstance;

/** What the SDK reaches for on `wx`, stubbed; telemetry requests are counted (there should be none). */
const telemetry = { requests: 0 };
function installWx(): void {
  const g = globalThis as Record<string, unknown>;
  const noop = () => undefined;
  const context = (id: string) => ({
    id,
    start: (o?: { success?: () => void }) => o?.success?.(),
    stop: (o?: { success?: () => void }) => o?.success?.(),
    play: (o?: { success?: () => void }) => o?.success?.(),
    mute: noop,
    pause: noop,
    resume: noop,
  });
  g.wx = {
    createLivePusherContext: () => context('pusher'),
    createLivePlayerContext: (id: string) => context(id),
    getSystemInfo: (o?: { success?: (r: object) => void }) => o?.success?.({ platform: 'devtools' }),
    getStorageSync: () => '',
    getStorage: noop,
    request: () => {
      telemetry.requests++;
    },
    saveImageToPhotosAlbum: noop,
  };
  g.getApp = () => ({ globalData: {} });
}

let loaded: TrtcConstructor | undefined;
/** Loads trtc-wx.js once, as a mini program would `require` it (its load banner silenced). */
export function loadTrtc(): TrtcConstructor {
  if (loaded) return loaded;
  installWx();
  const info = console.info;
  console.info = () => undefined;
  try {
    loaded = createRequire(__filename)('trtc-wx-sdk') as TrtcConstructor;
  } finally {
    console.info = info;
  }
  return loaded;
}

export interface TrtcRun {
  readonly page: RecordingPage;
  /** Wall time of the replay (SDK + page handlers + the recording page), ms. */
  readonly replayMs: number;
  readonly telemetryRequests: number;
  /** Players on the page at the end of each simulated second (for the harness check). */
  readonly playersPerSecond: number[];
}

/** A fixed, realistically long user signature (TRTC usersigs are a few hundred characters). */
export const USER_SIG = 'eJw1jcEKgjAQRP9lzxK7auUKHaRbGEV67'.repeat(8);

export function runTrtcPage(trace: Trace, profile: TrtcProfile): TrtcRun {
  const TRTC = loadTrtc();
  const requestsBefore = telemetry.requests;
  let now = 0;
  const page = new RecordingPage({ pusher: {}, playerList: [] }, () => now);
  const trtc = new TRTC(page, { env: 'test' });
  trtc.setLogLevel(4);
  const E = trtc.EVENT;
  const setData = (data: Record<string, unknown>) => page.setData(data);
  const setPlayer = (e: TrtcEvent, attributes: object) => {
    const id = e.data?.player?.streamID;
    if (id) setData({ playerList: trtc.setPlayerAttributes(id, attributes) });
  };

  // onLoad
  const pusher = trtc.createPusher({});
  setData({ pusher: pusher.pusherAttributes });
  trtc.on(E.LOCAL_JOIN!, () => {
    setData({ pusher: trtc.setPusherAttributes({ enableCamera: true, enableMic: true }) });
  });
  trtc.on(E.REMOTE_VIDEO_ADD!, (e) => setPlayer(e, { muteVideo: false }));
  trtc.on(E.REMOTE_VIDEO_REMOVE!, (e) => setPlayer(e, { muteVideo: true }));
  trtc.on(E.REMOTE_AUDIO_ADD!, (e) => setPlayer(e, { muteAudio: false }));
  trtc.on(E.REMOTE_AUDIO_REMOVE!, (e) => setPlayer(e, { muteAudio: true }));
  trtc.on(E.REMOTE_USER_LEAVE!, (e) => setData({ playerList: e.data?.playerList }));
  trtc.on(E.REMOTE_AUDIO_VOLUME_UPDATE!, (e) => setData({ playerList: e.data?.playerList }));
  trtc.on(E.LOCAL_AUDIO_VOLUME_UPDATE!, (e) => setData({ pusher: e.data?.pusher }));
  if (profile === 'demo+net') {
    trtc.on(E.REMOTE_NET_STATE_UPDATE!, (e) => setData({ playerList: e.data?.playerList }));
    trtc.on(E.LOCAL_NET_STATE_UPDATE!, (e) => setData({ pusher: e.data?.pusher }));
  }
  setData({
    pusher: trtc.enterRoom({ sdkAppID: 1400000001, userID: 'me', userSig: USER_SIG, roomID: 1234 }),
  });
  trtc.getPusherInstance().start();

  const playersPerSecond: number[] = [];
  let nextSecond = 1000;
  const sample = (until: number) => {
    while (nextSecond <= until) {
      playersPerSecond.push((page.view.playerList as Json[] | undefined)?.length ?? 0);
      nextSecond += 1000;
    }
  };

  const started = performance.now();
  for (const event of trace.events) {
    sample(event.t);
    now = event.t;
    deliver(trtc, event);
  }
  sample(trace.durationMs);
  const replayMs = performance.now() - started;
  return { page, replayMs, telemetryRequests: telemetry.requests - requestsBefore, playersPerSecond };
}

/** One trace event as the WXML would deliver it to the SDK's handler methods. */
function deliver(trtc: TrtcInstance, event: TraceEvent): void {
  if (event.source === 'pusher') {
    const currentTarget = { id: 'pusher', dataset: {} };
    if (event.bind === 'statechange') {
      trtc.pusherEventHandler({
        type: 'statechange',
        currentTarget,
        detail: { code: event.code, message: event.message },
      });
    } else if (event.bind === 'netstatus') {
      trtc.pusherNetStatusHandler({ type: 'netstatus', currentTarget, detail: { info: { ...event.info } } });
    } else {
      trtc.pusherAudioVolumeNotify({
        type: 'audiovolumenotify',
        currentTarget,
        detail: { volume: event.volume },
      });
    }
    return;
  }
  const streamID = `${event.userId}_${event.streamType}`;
  const currentTarget = { id: streamID, dataset: { streamid: streamID } };
  if (event.bind === 'netstatus') {
    trtc.playerNetStatus({ type: 'netstatus', currentTarget, detail: { info: { ...event.info } } });
  } else {
    trtc.playerAudioVolumeNotify({
      type: 'audiovolumenotify',
      currentTarget,
      detail: { volume: event.volume },
    });
  }
}
