/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 *
 * The room page under miniprogram-simulate against the real reference server. A host publishes from
 * Node; the page's own client runs on the fake `wx` (real sockets). The page renders the room from
 * `bindPage` + `roomViewModel`; its `<rx-player>`/`<rx-pusher>` render and report by themselves.
 * Real time: every wait is for a condition, with a deadline.
 */
import '../../../test/components/support/node-globals';
import { firstValueFrom } from 'rxjs';
import type { RtcClient } from 'rxroom';
import { eventually, Harness, waitFor, type TestClient } from '../../../test/support/integration';
import {
  parent,
  recordSetData,
  type SimComponent,
  type SimRoot,
} from '../../../test/components/support/simulate';
import { loadPage, packedSdk, renderPage, roomQuery } from './support/pages';
import { installWx, type WxRecord } from './support/wx';

const harness = new Harness();
// The registry the page's client is in: the packed SDK's, not the source's.
const { getClient } = packedSdk();
let id: string;
let wx: WxRecord & { restore(): void };
let page: SimRoot | undefined;

beforeAll(async () => {
  id = loadPage('room');
  await harness.start();
});
afterAll(() => harness.stop());
beforeEach(() => {
  wx = installWx();
});
afterEach(() => {
  page?.detach();
  page = undefined;
  wx.restore();
});

/** Opens the room page as the lobby would, for `user` in `room`. */
async function openRoomPage(room: string, user: string): Promise<SimRoot> {
  page = renderPage(id, await roomQuery(harness.server.url, room, user));
  page.attach(parent());
  return page;
}

async function host(room: string, userId = 'host'): Promise<TestClient> {
  const c = harness.client(userId);
  await harness.join(c, room);
  await firstValueFrom(c.client.publish());
  return c;
}

const players = (p: SimComponent) => p.querySelectorAll('.player');
const tap = (p: SimComponent, selector: string) => p.querySelector(selector)!.dispatchEvent('tap');
const clientOf = (): RtcClient => getClient()!;

describe('room page', () => {
  it('joins, publishes, shows a player per remote stream, and reports their native events', async () => {
    const h = await host('room-1');
    const p = await openRoomPage('room-1', 'me');
    await eventually(() => (p.data.players as unknown[]).length === 1 && p.data.roomId === 'room-1');
    expect(p.data).toMatchObject({
      userId: 'me',
      peerCount: 1,
      policy: 'all',
      error: '',
      banner: { show: false },
      players: [{ streamId: 'host:main', userId: 'host', muted: false, videoOff: false }],
    });
    await eventually(() => (p.data.pusher as { publishing: boolean }).publishing);
    expect(wx.titles).toEqual(['rxroom · room-1']);
    // The host sees the page's stream.
    await waitFor(h.client.remoteStreams$, (s) => !!s.get('me:main'));

    const [player] = players(p);
    await eventually(() => player!.data.url !== '');
    expect(player!.data.userId).toBe('host');
    const pusher = p.querySelector('.pusher')!;
    await eventually(() => pusher.data.publishing === true);

    // Volume ticks: the components show them, the page is not touched.
    const pageCalls = recordSetData(p.instance);
    const inner = player!.querySelector(`#${String(player!.data.elementId)}`)!;
    for (const volume of [20, 60, 90, 40]) {
      inner.dispatchEvent('audiovolumenotify', { detail: { volume } });
      await eventually(() => player!.data.volume === volume);
    }
    pusher
      .querySelector('#rx-pusher')!
      .dispatchEvent('netstatus', { detail: { info: { netQualityLevel: 5 } } });
    await eventually(() => pusher.data.quality === 'poor');
    expect(clientOf().state.self?.userId).toBe('me');
    await waitFor(clientOf().volume$, (v) => v.get('host') === 40);
    expect(pageCalls).toEqual([]);
    expect(JSON.stringify(p.data)).not.toContain('volume');
  });

  it('mutes the microphone, a player, and switches policies', async () => {
    const h = await host('room-2');
    const p = await openRoomPage('room-2', 'me');
    await eventually(() => (p.data.players as unknown[]).length === 1);
    await eventually(() => (p.data.pusher as { publishing: boolean }).publishing);

    tap(p, '#mic');
    await eventually(() => (p.data.pusher as { enableMic: boolean }).enableMic === false);
    await waitFor(h.client.remoteStreams$, (s) => s.get('me:main')?.audioMuted === true);
    await eventually(() => p.querySelector('.pusher')!.data.enableMic === false);
    tap(p, '#mic');
    await waitFor(h.client.remoteStreams$, (s) => s.get('me:main')?.audioMuted === false);

    tap(p, '.player-audio');
    await eventually(() => (p.data.players as { muted: boolean }[])[0]?.muted === true);
    expect(clientOf().state.streams.get('host:main')?.subscription?.audioMuted).toBe(true);
    // The player follows through its own (separately coalesced) setData.
    await eventually(() => players(p)[0]!.data.muted === true);
    tap(p, '.player-audio');
    await eventually(() => (p.data.players as { muted: boolean }[])[0]?.muted === false);

    tap(p, '#policy-audio-only');
    await eventually(() => p.data.policy === 'audio-only');
    await eventually(() => clientOf().state.streams.get('host:main')?.subscription?.video === false);
    await eventually(() => (p.data.players as { videoOff: boolean }[])[0]?.videoOff === true);

    tap(p, '#policy-all');
    await eventually(() => clientOf().state.streams.get('host:main')?.subscription?.video === true);
    await eventually(() => (p.data.players as { videoOff: boolean }[])[0]?.videoOff === false);
  });

  it('switches between the front and the back camera of the pusher', async () => {
    await host('room-6');
    const p = await openRoomPage('room-6', 'me');
    const pusher = p.querySelector('.pusher')!;
    // Joining and publishing over the real server: a loaded machine may take a while.
    await eventually(() => pusher.data.publishing === true, 20_000);
    expect(pusher.data.devicePosition).toBe('front');
    tap(p, '#switch-camera');
    await eventually(() => pusher.data.devicePosition === 'back');
    // The push goes on: switching is a property of the same <live-pusher>.
    expect(pusher.data.publishing).toBe(true);
    tap(p, '#switch-camera');
    await eventually(() => pusher.data.devicePosition === 'front');
  });

  it('gives video to the loudest two under "active speakers", audio to everyone', async () => {
    await host('room-3', 'ann');
    await host('room-3', 'ben');
    await host('room-3', 'cat');
    const p = await openRoomPage('room-3', 'me');
    await eventually(() => (p.data.players as unknown[]).length === 3);
    tap(p, '#policy-speakers');
    await eventually(() => p.data.policy === 'speakers');

    // cat and ben speak (their players report volume); ann is quiet.
    const byUser = (user: string) => players(p).find((c) => c.data.userId === user)!;
    for (const user of ['cat', 'ben']) {
      const player = byUser(user);
      await eventually(() => player.data.url !== '');
      player.querySelector(`#${String(player.data.elementId)}`)!.dispatchEvent('audiovolumenotify', {
        detail: { volume: 80 },
      });
    }
    const video = () =>
      [...clientOf().state.streams.values()]
        .filter((s) => s.subscription?.video)
        .map((s) => s.userId)
        .sort();
    await eventually(() => video().join() === 'ben,cat');
    // Everyone is still heard.
    expect([...clientOf().state.streams.values()].every((s) => s.subscription?.audio)).toBe(true);
  });

  it('shows the reconnecting banner while the network is gone, and hides it once resumed', async () => {
    await host('room-4');
    const p = await openRoomPage('room-4', 'me');
    await eventually(() => (p.data.players as unknown[]).length === 1);
    wx.fake.setNetwork(false);
    wx.fake.drop();
    await eventually(() => (p.data.banner as { text: string }).text.includes('Offline'));
    expect(p.data.banner).toMatchObject({ show: true, status: 'reconnecting' });
    wx.fake.setNetwork(true);
    await eventually(() => !(p.data.banner as { show: boolean }).show, 10_000);
    expect((p.data.players as unknown[]).length).toBe(1);
  });

  it('leaves on unload: the client is destroyed, its sockets and wx listeners are gone', async () => {
    const h = await host('room-5');
    const p = await openRoomPage('room-5', 'me');
    await eventually(() => (p.data.pusher as { publishing: boolean }).publishing);
    tap(p, '#leave');
    await eventually(() => wx.navigations.length > 0);
    expect(wx.navigations).toEqual([{ api: 'navigateBack' }]);
    // WeChat unloads the page after navigating back.
    p.detach();
    page = undefined;
    expect(getClient()).toBeUndefined();
    await eventually(() => wx.fake.open.size === 0 && wx.fake.listenerCount === 0);
    await waitFor(h.client.peers$, (peers) => !peers.get('me'));
  });

  it('explains a query it cannot open instead of failing', async () => {
    page = renderPage(id, { room: 'x' });
    page.attach(parent());
    await eventually(() => page!.data.error !== '');
    expect(page.data.error).toContain('lobby');
    expect(getClient()).toBeUndefined();
    expect(wx.fake.created).toEqual([]);
  });
});
