/**
 * What is particular to the TRTC driver, over the real `trtc-wx-sdk` with the native pusher
 * replayed by the fake cloud, in virtual time: telemetry, the pusher attributes the page gets,
 * re-entering the room, the small stream, screen shares, and the SDK paths rxroom avoids.
 */
import type { PersistentMap } from '../../src/streams/persistent-map';
import { nativeHandlers } from '../../src/bindings/native/handlers';
import {
  decodePlayerAudioVolume,
  decodePlayerNetStatus,
  decodePusherAudioVolume,
  decodePusherNetStatus,
  decodePusherStateChange,
} from '../../src/bindings/native/decode';
import {
  trtcDriver,
  type TrtcDriver,
  type TrtcDriverOptions,
  type TrtcPusherView,
} from '../../src/bindings/drivers/trtc';
import { delaysReconnectPolicy } from '../../src/operators/reconnect-policy';
import type { PusherContext } from '../../src/bindings/platform';
import { createClient, type RtcClient } from '../../src/streams/create-client';
import { of } from 'rxjs';
import { advance, failure, result, turn, virtualScheduler, virtualUntil } from './conformance/harness';
import { FakeLivePusher, FakeTrtcCloud, installFakeWx, loadTrtc } from './fakes/fake-trtc';

const ROOM = '8888';
const TRTC = loadTrtc();

function setup() {
  const wx = installFakeWx();
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const cloud = new FakeTrtcCloud();
  const scheduler = virtualScheduler();
  const until = virtualUntil(scheduler);
  const clients: RtcClient[] = [];
  const client = (options: Partial<TrtcDriverOptions> = {}) => {
    const page = { pusher: new FakeLivePusher(cloud) };
    const driver = trtcDriver({ TRTC, page, sdkAppId: 1400000001, scheduler, logLevel: 4, ...options });
    const c = createClient({ driver, scheduler });
    page.pusher.handlers = nativeHandlers(c);
    const views: TrtcPusherView[] = [];
    driver.pusher$.subscribe((view) => {
      views.push(view);
      page.pusher.setAttributes(view);
    });
    clients.push(c);
    return { client: c, driver, pusher: page.pusher, views };
  };
  const joined = async (userId: string, options: Partial<TrtcDriverOptions> = {}) => {
    const c = client(options);
    await result(c.client.join({ token: `sig-${userId}`, roomId: ROOM, userId }));
    return c;
  };
  return {
    wx,
    cloud,
    scheduler,
    until,
    client,
    joined,
    async teardown() {
      clients.forEach((c) => c.destroy());
      await turn();
      log.mockRestore();
      wx.uninstall();
    },
  };
}

let t: ReturnType<typeof setup>;
afterEach(() => t.teardown());

describe('trtc driver', () => {
  it('sends no telemetry unless asked to (the SDK puts the user signature in it)', async () => {
    t = setup();
    const a = await t.joined('alice');
    await result(a.client.publish());
    expect(t.wx.requests).toEqual([]);
    expect(t.wx.calls).not.toContain('getSystemInfo');
  });

  it('with telemetry on, the SDK reports every call (the fake wx refuses them)', async () => {
    t = setup();
    // A copy of the SDK no `env: 'test'` instance has switched off.
    const b = await t.joined('bob', { telemetry: true, TRTC: loadTrtc(true) });
    await result(b.client.publish());
    expect(t.wx.calls).toContain('getSystemInfo');
    expect(t.wx.requests.length).toBeGreaterThan(0);
    expect(t.wx.requests.every((r) => r.url.includes('yun.tim.qq.com'))).toBe(true);
  });

  it('gives the page component attributes only, never the signature or the room parameters', async () => {
    t = setup();
    const a = t.client({ pusher: { beautyLevel: 5, enableMic: true } });
    expect(a.views[0]).toMatchObject({ url: '', enableMic: false });
    await result(a.client.join({ token: 'secret-signature', roomId: ROOM, userId: 'alice' }));
    const view = a.views[a.views.length - 1]!;
    expect(view).toMatchObject({
      autopush: true,
      enableCamera: false,
      enableMic: false,
      beautyLevel: 5,
      mode: 'RTC',
    });
    expect(view.url).toMatch(
      /^room:\/\/cloud\.tencent\.com\/rtc\?sdkappid=1400000001&roomid=8888&userid=alice/,
    );
    expect(JSON.stringify(a.views)).not.toMatch(/"userSig"|"roomID"|"sdkAppID"|"netStatus"/);

    await result(a.client.publish());
    expect(a.views[a.views.length - 1]).toMatchObject({ enableCamera: true, enableMic: true });
    await result(a.client.muteLocal({ audio: true }));
    expect(a.views[a.views.length - 1]).toMatchObject({ enableCamera: true, enableMic: false });
    await result(a.client.leave());
    expect(a.views[a.views.length - 1]?.url).toBe('');
  });

  it('setPusher and switchCamera reach setPusherAttributes in its names (seed 004 pusherAttributes); the rest is UNSUPPORTED', async () => {
    t = setup();
    const a = t.client();
    const last = () => a.views[a.views.length - 1]!;
    // Before the join there is no SDK pusher yet: kept for the one the driver creates.
    await result(a.client.setPusher({ beauty: 4, devicePosition: 'back' }));
    await result(a.client.join({ token: 'sig-alice', roomId: ROOM, userId: 'alice' }));
    expect(last()).toMatchObject({ beautyLevel: 4, frontCamera: 'back' });
    await result(
      a.client.setPusher({
        whiteness: 2,
        minBitrate: 300,
        orientation: 'horizontal',
        filter: 'pink',
        zoom: true,
      }),
    );
    expect(last()).toMatchObject({
      whitenessLevel: 2,
      minBitrate: 300,
      videoOrientation: 'horizontal',
      filter: 'pink',
      enableZoom: true,
    });
    expect((await result(a.client.switchCamera())).devicePosition).toBe('front');
    expect(last().frontCamera).toBe('front');
    // Not in the seed's pusherAttributes: refused, and nothing reaches the SDK.
    expect(await failure(a.client.setPusher({ fps: 20 }))).toMatchObject({
      code: 'UNSUPPORTED',
      reason: 'trtc cannot set the pusher attribute fps',
    });
    expect(await failure(a.client.setPusher({ mode: 'HD' }))).toMatchObject({ code: 'UNSUPPORTED' });
    // Players: the seed's playerAttributes (objectFit …); `muted` is muteRemote's muteAudio there.
    expect((await result(a.client.setPlayer('bob:main', { objectFit: 'contain' }))).objectFit).toBe(
      'contain',
    );
    expect(await failure(a.client.setPlayer('bob:main', { muted: true }))).toMatchObject({
      code: 'UNSUPPORTED',
    });
  });

  it('re-enters the room when the pusher reports 1021 (network changed), paced by the policy', async () => {
    t = setup();
    const a = await t.joined('alice', { reconnect: { policy: delaysReconnectPolicy([500]) } });
    const b = await t.joined('bob');
    await result(b.client.publish());
    await t.until('alice sees bob', () => !!a.client.state.streams.get('bob:main'));
    await result(a.client.subscribe('bob:main'));
    const seen: [number, string][] = [];
    a.client.connection$.subscribe((c) => seen.push([t.scheduler.now(), c.status]));
    const start = t.scheduler.now();

    a.pusher.state(1021, 'network type changed');
    await t.until(
      'rejoined with bob subscribed',
      () =>
        a.client.state.connection.status === 'rejoined' &&
        !!a.client.state.streams.get('bob:main')?.subscription,
    );
    expect(seen.slice(1).map(([time, status]) => [time - start, status])).toEqual([
      [0, 'reconnecting'],
      [500, 'rejoined'],
    ]);
    // The push was restarted through the pusher context: the native pusher enters again.
    expect(a.pusher.contextCalls.slice(-2)).toEqual(['stop', 'start']);
    expect(t.cloud.rooms.get(`1400000001/${ROOM}`)?.has(a.pusher)).toBe(true);
  });

  it('a re-entry refused for an expired userSig (−100018) fetches a fresh one and enters with a new URL', async () => {
    t = setup();
    const page = { pusher: new FakeLivePusher(t.cloud) };
    const driver = trtcDriver({
      TRTC,
      page,
      sdkAppId: 1400000001,
      scheduler: t.scheduler,
      logLevel: 4,
      reconnect: { policy: delaysReconnectPolicy([0, 0]) },
    });
    const fetched: string[] = [];
    const client = createClient({
      driver,
      scheduler: t.scheduler,
      renewToken: () => {
        fetched.push('sig-alice-2');
        return of('sig-alice-2');
      },
    });
    page.pusher.handlers = nativeHandlers(client);
    const urls: string[] = [];
    driver.pusher$.subscribe((view) => {
      urls.push(view.url);
      page.pusher.setAttributes(view);
    });
    const statuses: string[] = [];
    client.connection$.subscribe((c) => statuses.push(`${c.status}${c.error ? ` ${c.error.code}` : ''}`));
    await result(client.join({ token: 'sig-alice', roomId: ROOM, userId: 'alice' }));
    t.cloud.expiredSignatures.add('sig-alice');

    page.pusher.state(1021, 'network type changed');
    await t.until('rejoined', () => client.state.connection.status === 'rejoined');
    // The restarted push re-entered with the old URL and was refused; one fetch, a new URL.
    expect(fetched).toEqual(['sig-alice-2']);
    expect(statuses).toEqual(['idle', 'connecting', 'connected', 'reconnecting CONNECTION_LOST', 'rejoined']);
    const sig = (url: string) => new URL(url.replace(/^room:/, 'https:')).searchParams.get('usersig');
    expect(urls.filter((u) => u !== '').map(sig)).toEqual(['sig-alice', 'sig-alice-2']);
    expect(t.cloud.rooms.get(`1400000001/${ROOM}`)?.has(page.pusher)).toBe(true);
    client.destroy();
  });

  it('without renewToken, a re-entry refused for an expired userSig ends the session as kicked: token-expired', async () => {
    t = setup();
    const a = await t.joined('alice', { reconnect: { policy: delaysReconnectPolicy([0, 0]) } });
    t.cloud.expiredSignatures.add('sig-alice');
    a.pusher.state(1021, 'network type changed');
    await t.until('ended', () => a.client.state.connection.status === 'kicked');
    expect(a.client.state.connection).toEqual({ status: 'kicked', kickReason: 'token-expired' });
  });

  it('renewToken keeps the new userSig for the next entry: a re-entry after it builds a new URL', async () => {
    t = setup();
    const a = await t.joined('alice', { reconnect: { policy: delaysReconnectPolicy([0]) } });
    expect(await result(a.client.renewToken('sig-alice-2'))).toEqual({});
    t.cloud.expiredSignatures.add('sig-alice');
    a.pusher.state(1021, 'network type changed');
    await t.until('rejoined', () => a.client.state.connection.status === 'rejoined');
    const url = a.views[a.views.length - 1]!.url;
    expect(new URL(url.replace(/^room:/, 'https:')).searchParams.get('usersig')).toBe('sig-alice-2');
  });

  it('a re-entry that gets no answer starts over with a fresh enterRoom', async () => {
    t = setup();
    const a = await t.joined('alice', {
      reconnect: { policy: delaysReconnectPolicy([0, 0]) },
      callTimeout: 1000,
    });
    // The native pusher stays silent on the first restart (the cloud drops the enter).
    const enter = t.cloud.enter.bind(t.cloud);
    let swallow = true;
    t.cloud.enter = (pusher, params) => {
      if (swallow) {
        swallow = false;
        return;
      }
      enter(pusher, params);
    };
    const statuses: string[] = [];
    a.client.connection$.subscribe((c) => statuses.push(`${c.status}${c.error ? ` ${c.error.code}` : ''}`));
    t.cloud.drop('alice');
    await t.until('rejoined', () => a.client.state.connection.status === 'rejoined');
    // −1307 is CONNECTION_LOST. First re-entry: stop and start the push, no answer, TIMEOUT;
    // second: a fresh pusher and URL.
    expect(statuses).toEqual([
      'connected',
      'reconnecting CONNECTION_LOST',
      'reconnecting TIMEOUT',
      'rejoined',
    ]);
    expect(a.pusher.contextCalls).toContain('start');
    expect(t.wx.calls.filter((c) => c === 'createLivePusherContext')).toHaveLength(2);
  });

  it("−1307 is acted on once: the driver re-enters, rxroom's media recovery stands down", async () => {
    t = setup();
    const a = await t.joined('alice', { reconnect: { policy: delaysReconnectPolicy([500]) } });
    await result(a.client.publish());
    expect(a.client.driverRecovers.has('push-lost')).toBe(true);
    // The page lends its pusher context, as <rx-pusher> does: media recovery could reach it.
    a.client.registerPusherContext(a.pusher.context as unknown as PusherContext);
    const recovery: string[] = [];
    a.client.events$.subscribe(
      (e) => e.type === 'media-recovery' && recovery.push(`${e.action} ${e.outcome}`),
    );
    const before = a.pusher.contextCalls.length;
    t.cloud.drop('alice');
    await t.until('rejoined', () => a.client.state.connection.status === 'rejoined');
    // Past every media-recovery backoff delay (16 s at most) as well.
    advance(t.scheduler, 20_000);
    await turn();
    expect(a.pusher.contextCalls.slice(before)).toEqual(['stop', 'start']);
    expect(recovery).toEqual([]);
  });

  it('plays the small stream through switchStreamType; sends one only when created to', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob', { encodeSmall: true });
    expect(b.views[b.views.length - 1]?.url).toContain('encsmall=1');
    const publication = await result(b.client.publish({ small: true }));
    expect(publication.stream.hasSmall).toBe(true);
    await t.until('alice sees bob', () => !!a.client.state.streams.get('bob:main'));
    const small = await result(a.client.subscribe('bob:main', { small: true }));
    expect(small.url).toContain('streamtype=small');
    expect(await failure(a.client.publish({ small: true }))).toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('shows a screen share (aux) as a screen stream, and audio-only as video muted', async () => {
    t = setup();
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(b.client.publish({ video: false }));
    await t.until('alice sees bob', () => !!a.client.state.streams.get('bob:main'));
    expect(a.client.state.streams.get('bob:main')).toMatchObject({ audioMuted: false, videoMuted: true });
    t.cloud.shareScreen('bob', true);
    await t.until('screen', () => !!a.client.state.streams.get('bob:screen'));
    expect(a.client.state.streams.get('bob:screen')).toMatchObject({
      kind: 'screen',
      hasAudio: false,
      videoMuted: false,
    });
    const sub = await result(a.client.subscribe('bob:screen'));
    expect(sub.url).toContain('aux=1');
    t.cloud.shareScreen('bob', false);
    await t.until('screen gone', () => !a.client.state.streams.get('bob:screen'));
  });

  it('keeps volume and net status out of the SDK (its handlers copy the whole player list)', async () => {
    t = setup();
    const sdk = TRTC.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const spies = [
      'playerAudioVolumeNotify',
      'playerNetStatus',
      'pusherAudioVolumeNotify',
      'pusherNetStatusHandler',
      'getPlayerList',
    ].map((name) => jest.spyOn(sdk, name));
    const a = await t.joined('alice');
    const b = await t.joined('bob');
    await result(b.client.publish());
    await t.until('alice sees bob', () => !!a.client.state.streams.get('bob:main'));
    spies.forEach((s) => s.mockClear());
    const player = { currentTarget: { dataset: { streamId: 'bob:main' } } };
    for (let i = 0; i < 10; i++) {
      a.client.dispatchNative(decodePlayerAudioVolume({ ...player, detail: { volume: 40 + i } }));
      a.client.dispatchNative(decodePlayerNetStatus({ ...player, detail: { info: { videoFPS: 15 } } }));
      a.client.dispatchNative(decodePusherAudioVolume({ detail: { volume: 10 } }));
      a.client.dispatchNative(decodePusherNetStatus({ detail: { info: { videoBitrate: 800 } } }));
    }
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    const volume = await new Promise((resolve) => a.client.volume$.subscribe(resolve));
    expect((volume as PersistentMap<number>).toRecord()).toMatchObject({ bob: 49 });
    spies.forEach((s) => s.mockRestore());
  });

  it('a 1019 without a message is read by the SDK as an abnormal exit, without throwing', async () => {
    t = setup();
    const a = await t.joined('alice');
    const errors: string[] = [];
    a.client.errors$.subscribe((e) => errors.push(e.code));
    a.client.dispatchNative(decodePusherStateChange({ detail: { code: 1019 } }));
    expect(a.client.state.connection).toMatchObject({ status: 'kicked', kickReason: 'kicked' });
    expect(errors).toEqual([]);
  });

  it('parameters the SDK refuses fail the join with INVALID_ARGUMENT and clear the URL', async () => {
    t = setup();
    const a = t.client({ sdkAppId: 0 });
    expect(await failure(a.client.join({ token: 'sig', roomId: ROOM, userId: 'alice' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(a.views[a.views.length - 1]?.url).toBe('');
    expect(a.client.state.connection.status).toBe('disconnected');
  });

  it('a refused enter (−3301) fails the join with CONNECT_FAILED', async () => {
    t = setup();
    t.cloud.refuseNextEnter = -3301;
    const a = t.client();
    const error = await failure(a.client.join({ token: 'sig', roomId: ROOM, userId: 'alice' }));
    expect(error).toMatchObject({ code: 'CONNECT_FAILED', reason: 'trtc -3301: enter room failed' });
    expect(a.views[a.views.length - 1]?.url).toBe('');
  });

  it("passes enterRoom's scene, userDefineRecordId and strRoomID (seed 004 enterRoom(params))", async () => {
    t = setup();
    const lastUrl = (c: { views: TrtcPusherView[] }) => c.views[c.views.length - 1]!.url;
    const a = await t.joined('alice', { scene: 'live', userDefineRecordId: 'rec_1-a' });
    expect(lastUrl(a)).toMatch(/&roomid=8888&/);
    expect(lastUrl(a)).toMatch(/&appscene=live&/);
    expect(lastUrl(a)).toMatch(/&userdefinerecordid=rec_1-a&/);
    // Default scene rtc: the SDK writes it as videocall.
    const b = await t.joined('bob');
    expect(lastUrl(b)).toMatch(/&appscene=videocall&/);
    // A digit-only room name joined as a string room.
    const c = t.client({ roomIdType: 'string' });
    await result(c.client.join({ token: 'sig-carol', roomId: '0042', userId: 'carol' }));
    expect(lastUrl(c)).toMatch(/&strroomid=0042&/);
    expect(c.client.state.roomId).toBe('0042');
    const bad = t.client({ userDefineRecordId: 'no spaces allowed' });
    expect(await failure(bad.client.join({ token: 's', roomId: ROOM, userId: 'dan' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('refuses what a TRTC room cannot do', async () => {
    t = setup();
    const a = t.client();
    expect(
      await failure(a.client.join({ token: 's', roomId: ROOM, userId: 'x', role: 'audience' })),
    ).toMatchObject({
      code: 'UNSUPPORTED',
    });
    const b = await t.joined('bob');
    expect(await failure(b.client.publish({ kind: 'screen' }))).toMatchObject({ code: 'UNSUPPORTED' });
    expect(await failure(b.client.setAttributes({ k: 'v' }))).toMatchObject({ code: 'UNSUPPORTED' });
    advance(t.scheduler, 1000);
    expect(b.client.state.connection.status).toBe('connected');
  });

  it('completes pusher$ on destroy', () => {
    t = setup();
    const a = t.client();
    let completed = false;
    (a.driver as TrtcDriver).pusher$.subscribe({ complete: () => (completed = true) });
    a.client.destroy();
    expect(completed).toBe(true);
  });
});
