/**
 * The media side of a client: `<live-pusher>`/`<live-player>` settings with their checks, the
 * commands that change them, context calls over fakes of WeChat's contexts, and media events.
 */
import { Subject, firstValueFrom, of, toArray, type Observable } from 'rxjs';
import { createRoomClient, inspectClient, type RtcClient } from '../../src/streams/create-client';
import {
  DEFAULT_PLAYER_SETTINGS,
  DEFAULT_PUSHER_SETTINGS,
  PLAYER_SETTING_NAMES,
  PUSHER_SETTING_NAMES,
  attributeName,
} from '../../src/streams/media-attributes';
import {
  decodePlayerFullscreenChange,
  decodePlayerNetStatus,
  decodePlayerPictureInPicture,
  decodePusherBgmComplete,
  decodePusherBgmProgress,
  decodePusherPictureInPicture,
} from '../../src/bindings/native/decode';
import type { Capability, Driver, MediaChange } from '../../src/streams/command';
import type { RoomEvent } from '../../src/streams/room-event';
import { RtcError } from '../../src/errors';
import { FakeLivePlayerContext, FakeLivePusherContext } from '../support/fake-live-context';
import { joined, stream, subscription } from '../support/room-fixtures';

function setup(extra: Partial<Pick<Driver, 'mediaSettings' | 'applyMedia'>> = {}) {
  const events = new Subject<RoomEvent>();
  const driver: Driver = {
    name: 'media',
    capabilities: new Set<Capability>(['join', 'publish']),
    events$: events,
    execute: () => of(undefined) as Observable<never>,
    destroy: () => events.complete(),
    ...extra,
  };
  const client = createRoomClient({ driver });
  return { client, emit: (e: RoomEvent) => events.next(e) };
}

const errorOf = (o: Observable<unknown>): RtcError | undefined => {
  let error: RtcError | undefined;
  o.subscribe({ error: (e: RtcError) => (error = e) });
  return error;
};

const latest = <T>(o: Observable<T>): T => {
  let value: T | undefined;
  o.subscribe((v) => (value = v)).unsubscribe();
  return value as T;
};

describe('settings', () => {
  it('every setting has a default and a WXML name', () => {
    expect(Object.keys(DEFAULT_PUSHER_SETTINGS).sort()).toEqual([...PUSHER_SETTING_NAMES].sort());
    expect(Object.keys(DEFAULT_PLAYER_SETTINGS).sort()).toEqual([...PLAYER_SETTING_NAMES].sort());
    expect(attributeName('minBitrate')).toBe('min-bitrate');
    expect(attributeName('autoPauseIfOpenNative')).toBe('auto-pause-if-open-native');
    expect(attributeName('mode')).toBe('mode');
  });
});

/**
 * A value WeChat documents for every attribute an app sets (PLATFORM.md §3–4, WeChat's live-pusher
 * and live-player pages), other than the default: each must be accepted and shown.
 */
const WECHAT_PUSHER_VALUES = {
  mode: 'HD',
  autopush: false,
  muted: true,
  autoFocus: false,
  orientation: 'horizontal',
  beauty: 9,
  whiteness: 9,
  aspect: '9:16',
  minBitrate: 300,
  maxBitrate: 1500,
  audioQuality: 'low',
  waitingImage: 'https://example.com/wait.png',
  waitingImageHash: 'abc',
  zoom: true,
  devicePosition: 'back',
  backgroundMute: true,
  mirror: true,
  remoteMirror: true,
  localMirror: 'disable',
  audioReverbType: 7,
  enableAgc: true,
  enableAns: true,
  enableEarMonitor: true,
  audioVolumeType: 'voicecall',
  videoWidth: 720,
  videoHeight: 1280,
  beautyStyle: 'nature',
  filter: 'cerisered',
  pictureInPictureMode: ['push', 'pop'],
  fps: 30,
  voiceChangerType: 11,
  enableVideoCustomRender: true,
  customEffect: true,
  skinWhiteness: 0.5,
  skinSmoothness: 1,
  faceThinness: 0.2,
  eyeBigness: 0.3,
} as const;

const WECHAT_PLAYER_VALUES = {
  mode: 'live',
  autoplay: false,
  muted: true,
  orientation: 'horizontal',
  objectFit: 'contain',
  // max first: a min above the current max is refused.
  maxCache: 3,
  minCache: 1,
  soundMode: 'ear',
  autoPauseIfNavigate: false,
  autoPauseIfOpenNative: false,
  pictureInPictureMode: ['pop'],
  enableAutoRotation: true,
  referrerPolicy: 'origin',
  enableCasting: true,
} as const;

describe('every attribute WeChat lets an app set', () => {
  it('pusher: each is a setting, accepted at a documented value', async () => {
    expect(Object.keys(WECHAT_PUSHER_VALUES).sort()).toEqual([...PUSHER_SETTING_NAMES].sort());
    const { client } = setup();
    for (const [name, value] of Object.entries(WECHAT_PUSHER_VALUES)) {
      const after = await firstValueFrom(client.setPusher({ [name]: value }));
      expect({ name, value: after[name as keyof typeof after] }).toEqual({ name, value });
    }
  });

  it('player: each is a setting, accepted at a documented value', async () => {
    expect(Object.keys(WECHAT_PLAYER_VALUES).sort()).toEqual([...PLAYER_SETTING_NAMES].sort());
    const { client } = setup();
    for (const [name, value] of Object.entries(WECHAT_PLAYER_VALUES)) {
      await firstValueFrom(client.setPlayer('bob:main', { [name]: value }));
      const settings = latest(client.playerSettings$).get('bob:main')!;
      expect({ name, value: settings[name as keyof typeof settings] }).toEqual({ name, value });
    }
  });
});

describe('client.pusher$ and setPusher', () => {
  it('starts from the defaults, with URL and mic/camera from the main publication', () => {
    const { client, emit } = setup();
    expect(latest(client.pusher$)).toEqual({
      ...DEFAULT_PUSHER_SETTINGS,
      url: '',
      enableMic: false,
      enableCamera: false,
    });
    emit(joined());
    emit({
      type: 'published',
      publication: { stream: stream('me', { videoMuted: true }), url: 'rtmp://p/me' },
    });
    expect(latest(client.pusher$)).toMatchObject({
      url: 'rtmp://p/me',
      enableMic: true,
      enableCamera: false,
    });
  });

  it('changes settings before any join, emitting the new attributes, and pusher$ follows', async () => {
    const { client } = setup();
    const seen: number[] = [];
    client.pusher$.subscribe((a) => seen.push(a.beauty));
    const after = await firstValueFrom(
      client.setPusher({ beauty: 5, whiteness: 3, filter: 'pink', pictureInPictureMode: ['push', 'pop'] }),
    );
    expect(after).toMatchObject({
      beauty: 5,
      whiteness: 3,
      filter: 'pink',
      pictureInPictureMode: ['push', 'pop'],
    });
    expect(latest(client.pusher$)).toEqual(after);
    expect(seen).toEqual([0, 5]);
    // The same values again: no new emission.
    await firstValueFrom(client.setPusher({ beauty: 5 }));
    expect(seen).toEqual([0, 5]);
  });

  it('is cold: nothing changes until subscribed', () => {
    const { client } = setup();
    const change = client.setPusher({ beauty: 9 });
    expect(latest(client.pusher$).beauty).toBe(0);
    change.subscribe();
    expect(latest(client.pusher$).beauty).toBe(9);
  });

  it.each([
    [{ beauty: 10 }, 'beauty must be an integer from 0 to 9'],
    [{ beauty: 1.5 }, 'beauty must be an integer from 0 to 9'],
    [{ whiteness: -1 }, 'whiteness must be an integer from 0 to 9'],
    [{ mode: 'ULTRA' }, 'mode must be one of SD, HD, FHD, RTC, QVGA, HVGA'],
    [{ aspect: '16:9' }, 'aspect must be one of 3:4, 9:16'],
    [{ zoom: 'yes' }, 'zoom must be a boolean'],
    [{ audioReverbType: 8 }, 'audioReverbType must be an integer from 0 to 7'],
    [{ fps: 0 }, 'fps must be an integer from 1 to 30'],
    [{ skinWhiteness: 1.1 }, 'skinWhiteness must be a number from 0 to 1'],
    [{ minBitrate: Number.NaN }, 'minBitrate must be an integer from 1 to 100000'],
    [
      { pictureInPictureMode: ['push', 'push'] },
      'pictureInPictureMode must be an array of push and pop ([] for none)',
    ],
    [{ pictureInPictureMode: 'push' }, 'pictureInPictureMode must be an array of push and pop ([] for none)'],
    [{ minBitrate: 2000 }, 'minBitrate must not exceed maxBitrate'],
    [{ url: 'rtmp://x' }, 'url follows the room: use publish()'],
    [{ enableMic: false }, 'enableMic follows the room: use muteLocal({ audio })'],
    [{ enableCamera: false }, 'enableCamera follows the room: use muteLocal({ video })'],
    [{ loudness: 3 }, 'setPusher: unknown attribute loudness'],
  ])('refuses %j with INVALID_ARGUMENT and changes nothing', (changes, reason) => {
    const { client } = setup();
    const before = latest(client.pusher$);
    const error = errorOf(client.setPusher({ beauty: 4, ...(changes as object) }));
    expect(error).toBeInstanceOf(RtcError);
    expect([error?.code, error?.reason]).toEqual(['INVALID_ARGUMENT', reason]);
    expect(latest(client.pusher$)).toEqual(before);
  });

  it('refuses a non-object', () => {
    const { client } = setup();
    expect(errorOf(client.setPusher(null as never))?.reason).toBe('setPusher takes an object of attributes');
  });

  it('switchCamera flips device-position', async () => {
    const { client } = setup();
    expect((await firstValueFrom(client.switchCamera())).devicePosition).toBe('back');
    expect((await firstValueFrom(client.switchCamera())).devicePosition).toBe('front');
  });

  it('answers UNSUPPORTED for settings the driver cannot change, and hands it the others', async () => {
    const applied: MediaChange[] = [];
    const { client } = setup({
      mediaSettings: { pusher: new Set(['beauty', 'devicePosition']), player: new Set(['objectFit']) },
      applyMedia: (c) => void applied.push(c),
    });
    const refused = errorOf(client.setPusher({ beauty: 3, fps: 20 }));
    expect([refused?.code, refused?.reason]).toEqual([
      'UNSUPPORTED',
      'media cannot set the pusher attribute fps',
    ]);
    expect(latest(client.pusher$).beauty).toBe(0);
    await firstValueFrom(client.setPusher({ beauty: 3 }));
    await firstValueFrom(client.switchCamera());
    await firstValueFrom(client.setPlayer('bob:main', { objectFit: 'contain' }));
    expect(errorOf(client.setPlayer('bob:main', { soundMode: 'ear' }))?.code).toBe('UNSUPPORTED');
    expect(applied).toEqual([
      { target: 'pusher', changes: { beauty: 3 } },
      { target: 'pusher', changes: { devicePosition: 'back' } },
      { target: 'player', streamId: 'bob:main', changes: { objectFit: 'contain' } },
    ]);
  });

  it("fails with the driver's error when it refuses a change, and changes nothing", () => {
    const { client } = setup({
      applyMedia: () => {
        throw new RtcError('INVALID_STATE', 'no pusher yet');
      },
    });
    expect(errorOf(client.setPusher({ beauty: 3 }))?.message).toBe('INVALID_STATE: no pusher yet');
    expect(latest(client.pusher$).beauty).toBe(0);
  });

  it('fails with DESTROYED after destroy; the media streams complete and nothing stays subscribed', () => {
    const { client } = setup();
    const completed: string[] = [];
    client.pusher$.subscribe({ complete: () => completed.push('pusher$') });
    client.player$('bob:main').subscribe({ complete: () => completed.push('player$') });
    client.playerSettings$.subscribe({ complete: () => completed.push('playerSettings$') });
    client.mediaEvents$.subscribe({ complete: () => completed.push('mediaEvents$') });
    expect(inspectClient(client).observers).toBeGreaterThan(0);
    client.destroy();
    expect(completed.sort()).toEqual(['mediaEvents$', 'player$', 'playerSettings$', 'pusher$']);
    expect(inspectClient(client)).toEqual({ destroyed: true, observers: 0 });
    expect(errorOf(client.setPusher({ beauty: 1 }))?.code).toBe('DESTROYED');
    expect(errorOf(client.setPlayer('bob:main', { muted: true }))?.code).toBe('DESTROYED');
  });
});

describe('client.player$ and setPlayer', () => {
  const bobJoined = (client: RtcClient, emit: (e: RoomEvent) => void) => {
    emit(joined({ streams: [stream('bob')], subscriptions: [subscription('bob:main')] }));
    return client;
  };

  it('gives the defaults with the play URL and the room mute, then the changed settings', async () => {
    const { client, emit } = setup();
    bobJoined(client, emit);
    expect(latest(client.player$('bob:main'))).toEqual({
      ...DEFAULT_PLAYER_SETTINGS,
      streamId: 'bob:main',
      src: 'rtmp://media/bob:main',
      muted: false,
    });
    const after = await firstValueFrom(
      client.setPlayer('bob:main', { objectFit: 'contain', orientation: 'horizontal', muted: true }),
    );
    expect(after).toMatchObject({ objectFit: 'contain', orientation: 'horizontal', muted: true });
    expect(latest(client.player$('bob:main'))).toEqual(after);
    expect(latest(client.playerSettings$).get('bob:main')).toEqual({
      ...DEFAULT_PLAYER_SETTINGS,
      objectFit: 'contain',
      orientation: 'horizontal',
      muted: true,
    });
    // Another player keeps its defaults.
    expect(latest(client.player$('carol:main')).objectFit).toBe('fillCrop');
  });

  it('is muted while the owner muted its audio, whatever the setting', () => {
    const { client, emit } = setup();
    emit(
      joined({ streams: [stream('bob', { audioMuted: true })], subscriptions: [subscription('bob:main')] }),
    );
    expect(latest(client.player$('bob:main')).muted).toBe(true);
  });

  it.each([
    ['bob', { muted: true }, 'stream id must be user:tag (user:main, user:screen, user:<tag>)'],
    ['bob:main', { minCache: 2, maxCache: 1 }, 'minCache must not exceed maxCache'],
    ['bob:main', { objectFit: 'cover' }, 'objectFit must be one of contain, fillCrop'],
    ['bob:main', { soundMode: 'loud' }, 'soundMode must be one of speaker, ear'],
    ['bob:main', { src: 'rtmp://x' }, 'src follows the room: use subscribe()'],
    ['bob:main', { autoPauseIfNavigate: 1 }, 'autoPauseIfNavigate must be a boolean'],
  ])('refuses %s %j with INVALID_ARGUMENT', (id, changes, reason) => {
    const { client } = setup();
    const error = errorOf(client.setPlayer(id, changes as never));
    expect([error?.code, error?.reason]).toEqual(['INVALID_ARGUMENT', reason]);
    expect(latest(client.playerSettings$).size).toBe(0);
  });
});

describe('client.livePusher / livePlayer over the registered contexts', () => {
  it('calls each LivePusherContext method by its WeChat name with its options', async () => {
    const { client } = setup();
    const context = new FakeLivePusherContext();
    client.registerPusherContext(context as never);
    const p = client.livePusher;
    const calls: Observable<unknown>[] = [
      p.start(),
      p.stop(),
      p.pause(),
      p.resume(),
      p.startPreview(),
      p.stopPreview(),
      p.switchCamera(),
      p.toggleTorch(),
      p.playBGM({ url: 'https://x/a.mp3', startTimeMs: 1000 }),
      p.pauseBGM(),
      p.resumeBGM(),
      p.stopBGM(),
      p.setBGMVolume(0.5),
      p.setMICVolume(0.8),
      p.sendMessage('sei'),
      p.exitPictureInPicture(),
      p.setZoom(2),
      p.call('applyFilter', { path: 'f.png', alpha: 0.5 }),
    ];
    for (const call of calls) await firstValueFrom(call);
    expect(context.calls).toEqual([
      { method: 'start', options: {} },
      { method: 'stop', options: {} },
      { method: 'pause', options: {} },
      { method: 'resume', options: {} },
      { method: 'startPreview', options: {} },
      { method: 'stopPreview', options: {} },
      { method: 'switchCamera', options: {} },
      { method: 'toggleTorch', options: {} },
      { method: 'playBGM', options: { url: 'https://x/a.mp3', startTimeMs: 1000 } },
      { method: 'pauseBGM', options: {} },
      { method: 'resumeBGM', options: {} },
      { method: 'stopBGM', options: {} },
      { method: 'setBGMVolume', options: { volume: 0.5 } },
      { method: 'setMICVolume', options: { volume: 0.8 } },
      { method: 'sendMessage', options: { msg: 'sei' } },
      { method: 'exitPictureInPicture', options: {} },
      { method: 'setZoom', options: { zoom: 2 } },
      { method: 'applyFilter', options: { path: 'f.png', alpha: 0.5 } },
    ]);
    expect(await firstValueFrom(p.snapshot({ quality: 'compressed' }))).toEqual({
      tempImagePath: 'wxfile://tmp/snapshot.jpg',
      width: 360,
      height: 640,
    });
    expect(context.calls.at(-1)).toEqual({ method: 'snapshot', options: { quality: 'compressed' } });
    expect(await firstValueFrom(p.getMaxZoom())).toBe(5);
  });

  it('is cold, emits once on success and completes', async () => {
    const { client } = setup();
    const context = new FakeLivePusherContext();
    client.registerPusherContext(context as never);
    const pause = client.livePusher.pause();
    expect(context.calls).toEqual([]);
    expect(await firstValueFrom(pause.pipe(toArray()))).toEqual([undefined]);
  });

  it('fails with MEDIA_CALL_FAILED keeping the errMsg of fail', () => {
    const { client } = setup();
    const context = new FakeLivePusherContext();
    client.registerPusherContext(context as never);
    context.failNext('playBGM', 'invalid url');
    const error = errorOf(client.livePusher.playBGM({ url: 'nope' }));
    expect([error?.code, error?.reason]).toEqual([
      'MEDIA_CALL_FAILED',
      'LivePusherContext.playBGM: playBGM:fail invalid url',
    ]);
  });

  it('fails with MEDIA_CALL_FAILED without a context, or for a method the context lacks', () => {
    const { client } = setup();
    expect(errorOf(client.livePusher.snapshot())?.reason).toBe(
      'LivePusherContext.snapshot: no LivePusherContext',
    );
    client.registerPusherContext({ start() {}, stop() {} });
    expect(errorOf(client.livePusher.snapshot())?.reason).toBe(
      'LivePusherContext.snapshot: not in this base library',
    );
  });

  it('ignores a callback that comes after unsubscribing', () => {
    const { client } = setup();
    const context = new FakeLivePusherContext();
    client.registerPusherContext(context as never);
    context.held = true;
    const seen: string[] = [];
    const sub = client.livePusher.snapshot().subscribe({
      next: () => seen.push('next'),
      error: () => seen.push('error'),
      complete: () => seen.push('complete'),
    });
    sub.unsubscribe();
    context.release();
    expect(seen).toEqual([]);
    expect(context.methods).toEqual(['snapshot']);
  });

  it("calls a stream's LivePlayerContext by WeChat's names", async () => {
    const { client } = setup();
    const context = new FakeLivePlayerContext('rx-player-bob_main');
    client.registerPlayerContext('bob:main', context as never);
    const p = client.livePlayer('bob:main');
    for (const call of [
      p.play(),
      p.stop(),
      p.mute(),
      p.pause(),
      p.resume(),
      p.requestFullScreen({ direction: 90 }),
      p.exitFullScreen(),
      p.exitPictureInPicture(),
      p.requestBackgroundPlayback(),
      p.exitBackgroundPlayback(),
      p.startCasting(),
      p.switchCasting(),
      p.reconnectCasting(),
      p.exitCasting(),
    ] as Observable<unknown>[])
      await firstValueFrom(call);
    expect(context.calls).toEqual([
      { method: 'play', options: {} },
      { method: 'stop', options: {} },
      { method: 'mute', options: {} },
      { method: 'pause', options: {} },
      { method: 'resume', options: {} },
      { method: 'requestFullScreen', options: { direction: 90 } },
      { method: 'exitFullScreen', options: {} },
      { method: 'exitPictureInPicture', options: {} },
      { method: 'requestBackgroundPlayback', options: {} },
      { method: 'exitBackgroundPlayback', options: {} },
      { method: 'startCasting', options: {} },
      { method: 'switchCasting', options: {} },
      { method: 'reconnectCasting', options: {} },
      { method: 'exitCasting', options: {} },
    ]);
    expect((await firstValueFrom(p.snapshot())).tempImagePath).toBe('wxfile://tmp/snapshot.jpg');
    context.failNext('requestFullScreen', 'not playing');
    expect(errorOf(p.requestFullScreen())?.reason).toBe(
      'LivePlayerContext.requestFullScreen: requestFullScreen:fail not playing',
    );
    expect(errorOf(client.livePlayer('carol:main').play())?.code).toBe('MEDIA_CALL_FAILED');
  });
});

describe('client.mediaEvents$', () => {
  it('carries BGM, fullscreen and picture-in-picture events, and nothing else', () => {
    const { client } = setup();
    const seen: unknown[] = [];
    client.mediaEvents$.subscribe((e) => seen.push(e));
    client.dispatchNative(decodePusherBgmProgress({ detail: { progress: 3, duration: 100 } }));
    client.dispatchNative(decodePlayerNetStatus({ currentTarget: { id: 'bob:main' }, detail: { info: {} } }));
    client.dispatchNative(decodePusherBgmComplete({}));
    client.dispatchNative(
      decodePlayerFullscreenChange({ currentTarget: { id: 'bob:main' }, detail: { fullScreen: true } }),
    );
    client.dispatchNative(decodePusherPictureInPicture(true)({}));
    client.dispatchNative(decodePlayerPictureInPicture(false)({ currentTarget: { id: 'bob:main' } }));
    expect(seen).toEqual([
      { type: 'pusher-bgm-progress', progress: 3, duration: 100 },
      { type: 'pusher-bgm-complete' },
      { type: 'player-fullscreen', streamId: 'bob:main', fullScreen: true },
      { type: 'pusher-picture-in-picture', active: true },
      { type: 'player-picture-in-picture', streamId: 'bob:main', active: false },
    ]);
  });

  it('a player picture-in-picture event without a stream is malformed', () => {
    expect(decodePlayerPictureInPicture(true)({})).toEqual({
      type: 'malformed',
      source: 'player',
      binding: 'enterpictureinpicture',
      reason: 'the event names no stream (dataset or id)',
    });
  });
});
