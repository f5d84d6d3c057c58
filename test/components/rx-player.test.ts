/**
 * @jest-environment jsdom
 *
 * rx-player under miniprogram-simulate, loaded from its TypeScript source, with a client over a
 * hand-driven driver. Time is fake (jest's modern timers also drive RxJS's asyncScheduler, which
 * the component uses for setData coalescing, the speaker hold and the quality hysteresis), so the
 * tests never sleep. j-component delivers element events in a microtask, hence `settle()`.
 */
import { PLAYER_SETTING_NAMES, attributeName } from '../../src/streams/media-attributes';
import { playerElementId, registerClient, type RoomEvent, type RtcClient } from '../../src';
import { joined, peer, stream, subscription } from '../support/room-fixtures';
import {
  attributesOf,
  componentPath,
  componentScope,
  loadComponent,
  latest,
  nativeEvents,
  recordContexts,
  fakeClient,
  html,
  instrument,
  onTriggered,
  pageLifetime,
  parent,
  recordSetData,
  settle,
  useFakeTime,
  type SimComponent,
} from './support/simulate';

const BOB = 'bob:main';
const ELEMENT = playerElementId(BOB);

let id: string;
beforeAll(() => {
  id = loadComponent(componentPath('rx-player'), 'rx-player');
});
useFakeTime();

/** A joined client that subscribes bob's camera stream. */
function roomWithBob(
  extra: Partial<Extract<RoomEvent, { type: 'joined' }>> = {},
  options: Parameters<typeof fakeClient>[0] = {},
) {
  const { client, driver } = fakeClient(options);
  driver.emit(joined({ streams: [stream('bob')], subscriptions: [subscription(BOB)], ...extra }));
  return { client, driver };
}

function playerOf(comp: SimComponent): SimComponent {
  const player = comp.querySelector(`#${ELEMENT}`);
  if (!player) throw new Error(`no <live-player id="${ELEMENT}"> in ${html(comp)}`);
  return player;
}

const scope = componentScope();
const render = (props: Record<string, unknown>) => scope.render(id, props);
const register = (client: RtcClient, name?: string) => scope.register(client, name);

describe('rx-player', () => {
  it("binds every <live-player> attribute from the stream's settings; setPlayer sends only what changed", async () => {
    const { client } = roomWithBob();
    register(client);
    const comp = render({ streamId: BOB });
    const calls = recordSetData(comp.instance);
    comp.attach(parent());
    await settle(100);
    expect(comp.data).toMatchObject({
      mode: 'RTC',
      autoplay: true,
      muted: false,
      objectFit: 'fillCrop',
      minCache: 0.2,
      maxCache: 0.8,
      soundMode: 'speaker',
      autoPauseIfNavigate: true,
      autoPauseIfOpenNative: true,
      pictureInPictureMode: [],
    });
    expect(Object.keys(attributesOf(playerOf(comp)))).toEqual(
      expect.arrayContaining(PLAYER_SETTING_NAMES.map(attributeName)),
    );
    expect(attributesOf(playerOf(comp))).toMatchObject({
      'object-fit': 'fillCrop',
      'sound-mode': 'speaker',
      'auto-pause-if-navigate': true,
      'min-cache': 0.2,
    });

    const before = calls.length;
    client.setPlayer(BOB, { objectFit: 'contain', soundMode: 'ear', muted: true }).subscribe();
    // Another stream's settings are not this player's business.
    client.setPlayer('carol:main', { objectFit: 'contain' }).subscribe();
    await settle(100);
    expect(comp.data).toMatchObject({ objectFit: 'contain', soundMode: 'ear', muted: true });
    expect(
      calls
        .slice(before)
        .flatMap((c) => Object.keys(c))
        .sort(),
    ).toEqual(['muted', 'objectFit', 'soundMode']);
    expect(attributesOf(playerOf(comp))).toMatchObject({
      'object-fit': 'contain',
      'sound-mode': 'ear',
      muted: true,
    });
  });

  it('feeds picture-in-picture enter and leave with its stream id', async () => {
    const { client } = roomWithBob();
    register(client);
    const media: unknown[] = [];
    client.mediaEvents$.subscribe((e) => media.push(e));
    const comp = render({ streamId: BOB });
    comp.attach(parent());
    await settle(100);
    const player = playerOf(comp);
    player.dispatchEvent('enterpictureinpicture', {});
    player.dispatchEvent('leavepictureinpicture', {});
    await settle(100);
    expect(media).toEqual([
      { type: 'player-picture-in-picture', streamId: BOB, active: true },
      { type: 'player-picture-in-picture', streamId: BOB, active: false },
    ]);
  });

  it('plays the stream of the client registered under its `client` name, once there is one', async () => {
    const comp = render({ streamId: BOB, client: 'room-a' });
    comp.attach(parent());
    await settle(100);
    expect(comp.data).toMatchObject({ url: '', muted: true, videoOff: true, volume: 0 });
    expect(comp.querySelector(`#${ELEMENT}`)).toBeUndefined();

    // The default name holds someone else's client: not this one.
    register(roomWithBob().client);
    await settle(100);
    expect(comp.data.url).toBe('');

    register(roomWithBob().client, 'room-a');
    await settle(100);
    expect(comp.data).toMatchObject({
      elementId: ELEMENT,
      url: `rtmp://media/${BOB}`,
      userId: 'bob',
      muted: false,
      videoOff: false,
      quality: 'unknown',
    });
    expect(html(comp)).toContain('wx-live-player');
    comp.detach();
  });

  it('follows mute bits and the subscription', async () => {
    const { client, driver } = roomWithBob();
    register(client);
    const comp = render({ streamId: BOB });
    comp.attach(parent());
    await settle(100);
    driver.emit({ type: 'stream-updated', stream: stream('bob', { videoMuted: true }) });
    await settle(100);
    expect(comp.data).toMatchObject({ muted: false, videoOff: true });
    expect(html(comp)).toContain('placeholder');
    driver.emit({ type: 'remote-mute-changed', subscription: subscription(BOB, { audioMuted: true }) });
    await settle(100);
    expect(comp.data.muted).toBe(true);
    driver.emit({ type: 'unsubscribed', streamId: BOB });
    await settle(100);
    expect(comp.data.url).toBe('');
    expect(comp.querySelector(`#${ELEMENT}`)).toBeUndefined();
    comp.detach();
  });

  it('shows the media state: live (the default), pending and lost with a notice, live again without', async () => {
    const { client, driver } = roomWithBob();
    register(client);
    const comp = render({ streamId: BOB });
    comp.attach(parent());
    await settle(100);
    expect(comp.data.media).toBe('live');
    expect(html(comp)).not.toContain('media-');
    driver.emit({ type: 'stream-updated', stream: stream('bob', { media: 'pending' }) });
    await settle(100);
    expect(comp.data.media).toBe('pending');
    expect(html(comp)).toContain('Waiting for media');
    driver.emit({ type: 'stream-updated', stream: stream('bob', { media: 'lost' }) });
    await settle(100);
    expect(html(comp)).toContain('media-lost');
    driver.emit({ type: 'stream-updated', stream: stream('bob', { media: 'live' }) });
    await settle(100);
    expect(comp.data.media).toBe('live');
    expect(html(comp)).not.toContain('media-');
    comp.detach();
  });

  it('shows when the stream owner is reconnecting, and clears it when the owner is back', async () => {
    const { client, driver } = roomWithBob({ peers: [peer('bob')] });
    register(client);
    const comp = render({ streamId: BOB });
    comp.attach(parent());
    await settle(100);
    expect(comp.data.reconnecting).toBe(false);
    expect(html(comp)).not.toContain('Reconnecting');
    driver.emit({ type: 'peer-reconnecting', userId: 'bob' });
    await settle(100);
    expect(comp.data.reconnecting).toBe(true);
    expect(html(comp)).toContain('Reconnecting');
    driver.emit({ type: 'peer-reconnected', userId: 'bob' });
    await settle(100);
    expect(comp.data.reconnecting).toBe(false);
    expect(html(comp)).not.toContain('Reconnecting');
    comp.detach();
  });

  it('feeds native events to the client with its own stream id and hands them on to the page', async () => {
    const { client } = roomWithBob();
    register(client);
    const seen = nativeEvents(client);
    const comp = render({ streamId: BOB });
    const toPage: { name: string; detail: unknown }[] = [];
    for (const name of ['statechange', 'netstatus', 'audiovolumenotify', 'fullscreenchange']) {
      onTriggered(comp, name, (detail) => toPage.push({ name, detail }));
    }
    comp.attach(parent());
    await settle(100);
    const player = playerOf(comp);

    player.dispatchEvent('statechange', { detail: { code: 2004, message: 'playing' } });
    player.dispatchEvent('netstatus', { detail: { info: { netQualityLevel: 1, videoFPS: 15 } } });
    player.dispatchEvent('audiovolumenotify', { detail: { volume: 42 } });
    player.dispatchEvent('fullscreenchange', { detail: { fullScreen: true, direction: 'horizontal' } });
    await settle(100);

    expect(seen).toEqual([
      expect.objectContaining({ type: 'player-state', streamId: BOB, code: 2004, message: 'playing' }),
      { type: 'player-net', streamId: BOB, info: { netQualityLevel: 1, videoFPS: 15 } },
      { type: 'player-volume', streamId: BOB, volume: 42 },
      { type: 'player-fullscreen', streamId: BOB, fullScreen: true, direction: 'horizontal' },
    ]);
    const [volume, netStatus] = [latest(client.volume$), latest(client.netStatus$)];
    expect(volume.toRecord()).toEqual({ bob: 42 });
    expect(netStatus.toRecord()).toEqual({ bob: { netQualityLevel: 1, videoFPS: 15 } });
    expect(comp.data).toMatchObject({ volume: 40, speaking: true, quality: 'good' });
    expect(html(comp)).toContain('width: 40%');
    expect(toPage).toEqual([
      { name: 'statechange', detail: { code: 2004, message: 'playing' } },
      { name: 'netstatus', detail: { info: { netQualityLevel: 1, videoFPS: 15 } } },
      { name: 'audiovolumenotify', detail: { volume: 42 } },
      { name: 'fullscreenchange', detail: { fullScreen: true, direction: 'horizontal' } },
    ]);

    // Silence: the speaker hold (1.5 s) runs out and the bar falls, in the component only.
    player.dispatchEvent('audiovolumenotify', { detail: { volume: 0 } });
    await settle(2000);
    expect(comp.data).toMatchObject({ volume: 0, speaking: false });

    // A broken event is reported, never thrown.
    player.dispatchEvent('audiovolumenotify', { detail: {} });
    await settle();
    expect(seen.at(-1)).toMatchObject({ type: 'malformed', source: 'player', streamId: BOB });
    comp.detach();
  });

  it('keeps volume ticks inside itself: path updates of its own fields, at most 20 calls/s', async () => {
    const { client } = roomWithBob();
    register(client);
    const comp = render({ streamId: BOB });
    const calls = recordSetData(comp.instance);
    comp.attach(parent());
    await settle(100);
    const before = calls.length;
    const player = playerOf(comp);
    // 200 volume events in one second, 5 ms apart, sweeping 0–100.
    for (let i = 0; i < 200; i++) {
      player.dispatchEvent('audiovolumenotify', { detail: { volume: (i * 7) % 101 } });
      await settle(5);
    }
    await settle(100);
    const volumeCalls = calls.slice(before);
    expect(volumeCalls.length).toBeGreaterThan(5);
    expect(volumeCalls.length).toBeLessThanOrEqual(20);
    for (const call of volumeCalls) {
      expect(Object.keys(call).every((k) => k === 'volume' || k === 'speaking')).toBe(true);
    }
    comp.detach();
  });

  it('sends nothing while its page is hidden and catches up in one call when it shows', async () => {
    const { client } = roomWithBob();
    register(client);
    const comp = render({ streamId: BOB });
    const calls = recordSetData(comp.instance);
    comp.attach(parent());
    await settle(100);
    const player = playerOf(comp);
    pageLifetime(comp, 'hide');
    const hidden = calls.length;
    for (const volume of [10, 50, 90]) {
      player.dispatchEvent('audiovolumenotify', { detail: { volume } });
      await settle(200);
    }
    expect(calls.length).toBe(hidden);
    expect(latest(client.volume$).toRecord()).toEqual({ bob: 90 });
    pageLifetime(comp, 'show');
    await settle(100);
    expect(calls.slice(hidden)).toEqual([{ volume: 90, speaking: true }]);
    comp.detach();
  });

  it('switches streams when `stream-id` changes', async () => {
    const { client } = roomWithBob({
      streams: [stream('bob'), stream('carol')],
      subscriptions: [subscription(BOB), subscription('carol:main', { video: false })],
    });
    register(client);
    const comp = render({ streamId: BOB });
    comp.attach(parent());
    await settle(100);
    expect(comp.data.url).toBe(`rtmp://media/${BOB}`);
    comp.setData({ streamId: 'carol:main' });
    await settle(100);
    expect(comp.data).toMatchObject({
      url: 'rtmp://media/carol:main',
      userId: 'carol',
      videoOff: true,
      elementId: playerElementId('carol:main'),
    });
    const seen = nativeEvents(client);
    comp.querySelector(`#${playerElementId('carol:main')}`)!.dispatchEvent('audiovolumenotify', {
      detail: { volume: 30 },
    });
    await settle(100);
    expect(seen).toEqual([{ type: 'player-volume', streamId: 'carol:main', volume: 30 }]);
    comp.detach();
  });

  it('lends the client its <live-player> context for media recovery while attached, and only then', async () => {
    const contexts = recordContexts(scope, 'player');
    // This player never shows video: without the watchdog, only media recovery touches it.
    const { client } = roomWithBob({}, { frozenPlayerWatchdog: false });
    register(client);
    const recovery: unknown[] = [];
    client.events$.subscribe((e) => e.type === 'media-recovery' && recovery.push(e));
    const comp = render({ streamId: BOB });
    comp.attach(parent());
    await settle(100);

    // −2301: retries exhausted, restart playback yourself (after the first backoff delay).
    playerOf(comp).dispatchEvent('statechange', { detail: { code: -2301 } });
    await settle(20_000);
    expect(contexts.length).toBeGreaterThan(0);
    expect(contexts.every((c) => c.args[0] === ELEMENT && c.args[1] === comp.instance)).toBe(true);
    expect(contexts.flatMap((c) => c.calls)).toEqual(['stop', 'play']);
    expect(recovery).toContainEqual(expect.objectContaining({ action: 'restart-play', outcome: 'done' }));

    comp.detach();
    contexts.length = 0;
    recovery.length = 0;
    client.dispatchNative({
      type: 'player-state',
      streamId: BOB,
      code: -2301,
      severity: 'fatal',
      remedy: 'restart-play',
    });
    await settle(20_000);
    // Nobody lends a context any more: recovery fails instead of reaching the detached component.
    expect(contexts).toEqual([]);
    expect(recovery).toContainEqual(expect.objectContaining({ action: 'restart-play', outcome: 'failed' }));
  });

  it('a player that reports but shows no video is restarted through its context by the watchdog', async () => {
    const contexts = recordContexts(scope, 'player');
    const { client } = roomWithBob();
    register(client);
    const watchdog: string[] = [];
    client.events$.subscribe(
      (e) => e.type === 'player-watchdog' && watchdog.push(`${e.action} ${e.outcome}`),
    );
    const comp = render({ streamId: BOB });
    comp.attach(parent());
    await settle(100);
    // Connected and playing (2004), but the picture never comes: video FPS 0.
    playerOf(comp).dispatchEvent('statechange', { detail: { code: 2004 } });
    playerOf(comp).dispatchEvent('netstatus', { detail: { info: { videoFPS: 0 } } });
    await settle(5000);
    expect(watchdog).toEqual([]);
    await settle(3000); // past 6 s without video, and the first backoff (at most 1 s)
    expect(watchdog).toEqual(['restart-play scheduled', 'restart-play done']);
    expect(contexts.flatMap((c) => c.calls)).toEqual(['stop', 'play']);
    // The picture comes back: recovered, and the ladder starts again.
    playerOf(comp).dispatchEvent('statechange', { detail: { code: 2032 } });
    await settle(100);
    expect(watchdog.at(-1)).toBe('restart-play recovered');
    comp.detach();
  });

  it('removes every listener on detach: registry, client streams, context', async () => {
    const { client, driver } = roomWithBob();
    const counted = instrument(client);
    register(counted.client);
    // registerClient itself listens to room$ (to forget a destroyed client).
    const baseline = counted.subscriptions();
    const comp = render({ streamId: BOB });
    const calls = recordSetData(comp.instance);
    comp.attach(parent());
    await settle(100);
    expect(counted.subscriptions()).toBeGreaterThan(baseline);
    expect(counted.contexts()).toBe(1);
    const player = playerOf(comp);
    comp.detach();
    expect(counted.subscriptions()).toBe(baseline);
    expect(counted.contexts()).toBe(0);

    const after = calls.length;
    const seen = nativeEvents(client);
    // An event WeChat still delivers after detach, a new stream, a new client: none reach it.
    player.dispatchEvent('audiovolumenotify', { detail: { volume: 80 } });
    driver.emit({ type: 'stream-updated', stream: stream('bob', { audioMuted: true }) });
    const next = instrument(roomWithBob().client);
    register(next.client, 'default');
    await settle(1000);
    expect(calls.length).toBe(after);
    expect(seen).toEqual([]);
    expect(next.subscriptions()).toBe(baseline);
  });

  it('shows nothing once its client is destroyed', async () => {
    const { client } = roomWithBob();
    scope.defer(registerClient(client));
    const comp = render({ streamId: BOB });
    comp.attach(parent());
    await settle(100);
    expect(comp.data.url).not.toBe('');
    client.destroy();
    await settle(100);
    expect(comp.data).toMatchObject({ url: '', volume: 0, quality: 'unknown' });
    comp.detach();
  });
});
