/**
 * @jest-environment jsdom
 *
 * rx-pusher under miniprogram-simulate, loaded from its TypeScript source, with a client over a
 * hand-driven driver and fake time (see rx-player.test.ts for why).
 */
import { type Publication, type RtcClient } from '../../src';
import { joined, stream } from '../support/room-fixtures';
import { PUSHER_SETTING_NAMES, attributeName } from '../../src/streams/media-attributes';
import {
  attributesOf,
  componentPath,
  componentScope,
  loadComponent,
  fakeClient,
  html,
  instrument,
  latest,
  nativeEvents,
  onTriggered,
  parent,
  recordContexts,
  recordSetData,
  settle,
  useFakeTime,
  type SimComponent,
} from './support/simulate';

let id: string;
beforeAll(() => {
  id = loadComponent(componentPath('rx-pusher'), 'rx-pusher');
});
useFakeTime();
const scope = componentScope();
const render = (props: Record<string, unknown> = {}) => scope.render(id, props);
const register = (client: RtcClient, name?: string) => scope.register(client, name);

const publication = (extra: Parameters<typeof stream>[1] = {}): Publication => ({
  stream: stream('me', extra),
  url: 'rtmp://media/push/me_main?token=t',
});

/** A joined client ('me') that publishes its camera and microphone. */
function publishing() {
  const { client, driver } = fakeClient();
  driver.emit(joined());
  driver.emit({ type: 'published', publication: publication() });
  return { client, driver };
}

function pusherOf(comp: SimComponent): SimComponent {
  const pusher = comp.querySelector('#rx-pusher');
  if (!pusher) throw new Error(`no <live-pusher> in ${html(comp)}`);
  return pusher;
}

describe('rx-pusher', () => {
  it('pushes while its client publishes, with the mic and camera its mute bits allow', async () => {
    const { client, driver } = fakeClient();
    driver.emit(joined());
    register(client);
    const comp = render();
    comp.attach(parent());
    await settle(100);
    expect(comp.data).toMatchObject({ publishing: false, url: '', userId: 'me' });
    expect(comp.querySelector('#rx-pusher')).toBeUndefined();

    driver.emit({ type: 'published', publication: publication() });
    await settle(100);
    expect(comp.data).toMatchObject({
      publishing: true,
      url: 'rtmp://media/push/me_main?token=t',
      enableMic: true,
      enableCamera: true,
    });
    expect(html(comp)).toContain('wx-live-pusher');

    driver.emit({ type: 'local-mute-changed', stream: stream('me', { audioMuted: true }) });
    await settle(100);
    expect(comp.data).toMatchObject({ enableMic: false, enableCamera: true });
    driver.emit({ type: 'local-mute-changed', stream: stream('me', { videoMuted: true }) });
    await settle(100);
    expect(comp.data).toMatchObject({ enableMic: true, enableCamera: false });
    expect(html(comp)).toContain('placeholder');

    driver.emit({ type: 'unpublished', streamId: 'me:main' });
    await settle(100);
    expect(comp.data).toMatchObject({ publishing: false, url: '' });
    expect(comp.querySelector('#rx-pusher')).toBeUndefined();
  });

  it('binds every <live-pusher> attribute from client.pusher$; setPusher and switchCamera send only what changed', async () => {
    const { client } = publishing();
    register(client);
    const comp = render();
    const calls = recordSetData(comp.instance);
    comp.attach(parent());
    await settle(100);
    expect(comp.data).toMatchObject({
      mode: 'RTC',
      autopush: true,
      beauty: 0,
      devicePosition: 'front',
      aspect: '3:4',
      minBitrate: 200,
      maxBitrate: 1000,
      localMirror: 'auto',
      pictureInPictureMode: [],
    });
    // Every setting is bound, under its WXML name.
    expect(Object.keys(attributesOf(pusherOf(comp)))).toEqual(
      expect.arrayContaining(PUSHER_SETTING_NAMES.map(attributeName)),
    );
    expect(attributesOf(pusherOf(comp))).toMatchObject({
      beauty: 0,
      'device-position': 'front',
      'min-bitrate': 200,
      'local-mirror': 'auto',
      'audio-reverb-type': 0,
      fps: 15,
      'enable-mic': true,
    });

    const before = calls.length;
    client.setPusher({ beauty: 6, filter: 'cool', remoteMirror: true }).subscribe();
    client.switchCamera().subscribe();
    await settle(100);
    expect(comp.data).toMatchObject({
      beauty: 6,
      filter: 'cool',
      remoteMirror: true,
      devicePosition: 'back',
    });
    const sent = calls.slice(before);
    expect(sent.flatMap((c) => Object.keys(c)).sort()).toEqual([
      'beauty',
      'devicePosition',
      'filter',
      'remoteMirror',
    ]);
    expect(attributesOf(pusherOf(comp))).toMatchObject({
      beauty: 6,
      filter: 'cool',
      'remote-mirror': true,
      'device-position': 'back',
    });
  });

  it('feeds picture-in-picture enter and leave to client.mediaEvents$ and hands them on', async () => {
    const { client } = publishing();
    register(client);
    const media: unknown[] = [];
    client.mediaEvents$.subscribe((e) => media.push(e));
    const comp = render();
    const toPage: string[] = [];
    for (const name of ['enterpictureinpicture', 'leavepictureinpicture'])
      onTriggered(comp, name, () => toPage.push(name));
    comp.attach(parent());
    await settle(100);
    const pusher = pusherOf(comp);
    pusher.dispatchEvent('enterpictureinpicture', {});
    pusher.dispatchEvent('leavepictureinpicture', {});
    await settle(100);
    expect(media).toEqual([
      { type: 'pusher-picture-in-picture', active: true },
      { type: 'pusher-picture-in-picture', active: false },
    ]);
    expect(toPage).toEqual(['enterpictureinpicture', 'leavepictureinpicture']);
  });

  it('feeds every native event to the client and hands the payload on to the page', async () => {
    const { client } = publishing();
    register(client, 'stage');
    const seen = nativeEvents(client);
    const comp = render({ client: 'stage' });
    const toPage: { name: string; detail: unknown }[] = [];
    const names = ['statechange', 'netstatus', 'audiovolumenotify', 'error', 'bgmprogress'];
    for (const name of names) onTriggered(comp, name, (detail) => toPage.push({ name, detail }));
    comp.attach(parent());
    await settle(100);
    const pusher = pusherOf(comp);

    pusher.dispatchEvent('statechange', { detail: { code: 1002, message: 'pushing' } });
    pusher.dispatchEvent('netstatus', { detail: { info: { netQualityLevel: 4, videoBitrate: 600 } } });
    pusher.dispatchEvent('audiovolumenotify', { detail: { volume: 63 } });
    pusher.dispatchEvent('error', { detail: { errCode: 10002, errMsg: 'mic denied' } });
    pusher.dispatchEvent('bgmstart', {});
    pusher.dispatchEvent('bgmprogress', { detail: { progress: 3, duration: 60 } });
    pusher.dispatchEvent('bgmcomplete', {});
    await settle(100);

    expect(seen).toEqual([
      expect.objectContaining({ type: 'pusher-state', code: 1002, message: 'pushing' }),
      { type: 'pusher-net', info: { netQualityLevel: 4, videoBitrate: 600 } },
      { type: 'pusher-volume', volume: 63 },
      expect.objectContaining({ type: 'pusher-error', errCode: 10002, errMsg: 'mic denied' }),
      { type: 'pusher-bgm-start' },
      { type: 'pusher-bgm-progress', progress: 3, duration: 60 },
      { type: 'pusher-bgm-complete' },
    ]);
    // The local user's levels are kept under its user id, apart from room$.
    expect(latest(client.volume$).toRecord()).toEqual({ me: 63 });
    expect(latest(client.netStatus$).toRecord()).toEqual({ me: { netQualityLevel: 4, videoBitrate: 600 } });
    expect(comp.data).toMatchObject({ volume: 60, speaking: true, quality: 'poor' });
    expect(toPage).toEqual([
      { name: 'statechange', detail: { code: 1002, message: 'pushing' } },
      { name: 'netstatus', detail: { info: { netQualityLevel: 4, videoBitrate: 600 } } },
      { name: 'audiovolumenotify', detail: { volume: 63 } },
      { name: 'error', detail: { errCode: 10002, errMsg: 'mic denied' } },
      { name: 'bgmprogress', detail: { progress: 3, duration: 60 } },
    ]);
  });

  it('shows the local level before joining too (kept under `local` until then)', async () => {
    const { client, driver } = fakeClient();
    register(client);
    const comp = render();
    comp.attach(parent());
    await settle(100);
    client.dispatchNative({ type: 'pusher-volume', volume: 48 });
    await settle(100);
    expect(comp.data).toMatchObject({ volume: 50, userId: '' });
    driver.emit(joined());
    client.dispatchNative({ type: 'pusher-volume', volume: 12 });
    await settle(100);
    expect(comp.data).toMatchObject({ volume: 10, userId: 'me' });
  });

  it('keeps volume ticks inside itself and within 20 calls/s', async () => {
    const { client } = publishing();
    register(client);
    const comp = render();
    const calls = recordSetData(comp.instance);
    comp.attach(parent());
    await settle(100);
    const before = calls.length;
    const pusher = pusherOf(comp);
    for (let i = 0; i < 100; i++) {
      pusher.dispatchEvent('audiovolumenotify', { detail: { volume: (i * 13) % 101 } });
      await settle(10);
    }
    await settle(100);
    const volumeCalls = calls.slice(before);
    expect(volumeCalls.length).toBeGreaterThan(5);
    expect(volumeCalls.length).toBeLessThanOrEqual(20);
    for (const call of volumeCalls) {
      expect(Object.keys(call).every((k) => k === 'volume' || k === 'speaking')).toBe(true);
    }
  });

  it('lends the client its <live-pusher> context: −1307 restarts the push through it', async () => {
    const contexts = recordContexts(scope, 'pusher');
    const { client } = publishing();
    register(client);
    const recovery: unknown[] = [];
    client.events$.subscribe((e) => e.type === 'media-recovery' && recovery.push(e));
    const comp = render();
    comp.attach(parent());
    await settle(100);
    pusherOf(comp).dispatchEvent('statechange', { detail: { code: -1307 } });
    await settle(20_000);
    expect(contexts.flatMap((c) => c.calls)).toEqual(['stop', 'start']);
    expect(recovery).toContainEqual(expect.objectContaining({ action: 'restart-push', outcome: 'done' }));
  });

  it('removes every listener on detach', async () => {
    const { client, driver } = publishing();
    const counted = instrument(client);
    register(counted.client);
    const baseline = counted.subscriptions();
    const comp = render();
    const calls = recordSetData(comp.instance);
    comp.attach(parent());
    await settle(100);
    expect(counted.subscriptions()).toBeGreaterThan(baseline);
    expect(counted.contexts()).toBe(1);
    const pusher = pusherOf(comp);
    comp.detach();
    expect(counted.subscriptions()).toBe(baseline);
    expect(counted.contexts()).toBe(0);

    const after = calls.length;
    const seen = nativeEvents(client);
    pusher.dispatchEvent('audiovolumenotify', { detail: { volume: 80 } });
    driver.emit({ type: 'local-mute-changed', stream: stream('me', { audioMuted: true }) });
    register(publishing().client);
    await settle(1000);
    expect(calls.length).toBe(after);
    expect(seen).toEqual([]);
  });
});
