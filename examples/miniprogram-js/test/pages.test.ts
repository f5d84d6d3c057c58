/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 *
 * The JavaScript example's pages, as they are (plain .js), under miniprogram-simulate over the npm
 * output miniprogram-ci packed, against the real reference server on 127.0.0.1.
 */
import '../../../test/components/support/node-globals';
import * as path from 'path';
import { firstValueFrom } from 'rxjs';
import { eventually, Harness, waitFor } from '../../../test/support/integration';
import { parent, type SimRoot } from '../../../test/components/support/simulate';
import { loadPage, packedSdk, queryOf, renderPage, roomQuery } from '../../miniprogram/test/support/pages';
import { installWx, type WxRecord } from '../../miniprogram/test/support/wx';

const ROOT = path.join(__dirname, '../miniprogram');
const { getClient } = packedSdk(ROOT);
const harness = new Harness({ devTokens: true });
let ids: { index: string; room: string };
let wx: WxRecord & { restore(): void };
let page: SimRoot | undefined;

beforeAll(async () => {
  ids = { index: loadPage('index', ROOT), room: loadPage('room', ROOT) };
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

function open(id: string, query: Record<string, string | undefined> = {}): SimRoot {
  page = renderPage(id, query);
  page.attach(parent());
  return page;
}

describe('JavaScript example', () => {
  it('join form: gets a token from the server and opens the room with it', async () => {
    const p = open(ids.index);
    // The form's server comes from config.js; point it at the test's server.
    p.setData({ server: harness.server.url });
    p.querySelector('#room')!.dispatchEvent('input', { detail: { value: 'js-room' } });
    p.querySelector('#user')!.dispatchEvent('input', { detail: { value: 'ann' } });
    await eventually(() => p.data.user === 'ann');
    p.querySelector('#join')!.dispatchEvent('tap');
    await eventually(() => wx.navigations.length > 0 || p.data.error !== '');
    expect(p.data.error).toBe('');
    const query = queryOf(wx.navigations[0]!.url!);
    expect(wx.navigations[0]!.url).toMatch(/^\/pages\/room\/index\?/);
    expect(query).toMatchObject({ room: 'js-room', user: 'ann' });
    expect(decodeURIComponent(query.token!).split('.')).toHaveLength(3);
  });

  it('room: joins, publishes, plays the host, mutes, switches camera, leaves', async () => {
    const host = harness.client('host');
    await harness.join(host, 'js-room-2');
    await firstValueFrom(host.client.publish());
    const p = open(ids.room, await roomQuery(harness.server.url, 'js-room-2', 'me'));

    // Joining and subscribing over the real server: a loaded machine may take a while.
    await eventually(() => (p.data.players as unknown[] | undefined)?.length === 1, 20_000);
    expect(p.data.players).toEqual([{ streamId: 'host:main', userId: 'host' }]);
    await eventually(() => (p.data.pusher as { publishing?: boolean } | undefined)?.publishing === true);
    await waitFor(host.client.remoteStreams$, (s) => !!s.get('me:main'));
    // The packed <rx-player> plays the host's stream from the URL the server handed out.
    const player = p.querySelector('.player')!;
    await eventually(() => String(player.data.url).startsWith('rtmp://'));

    p.querySelector('#mic')!.dispatchEvent('tap');
    await waitFor(host.client.remoteStreams$, (s) => s.get('me:main')?.audioMuted === true);

    const pusher = p.querySelector('.pusher')!;
    expect(pusher.data.devicePosition).toBe('front');
    p.querySelector('#switch-camera')!.dispatchEvent('tap');
    await eventually(() => pusher.data.devicePosition === 'back');

    p.querySelector('#leave')!.dispatchEvent('tap');
    await eventually(() => wx.navigations.length > 0);
    expect(wx.navigations).toEqual([{ api: 'navigateBack' }]);
    p.detach();
    page = undefined;
    expect(getClient()).toBeUndefined();
    await waitFor(host.client.peers$, (peers) => !peers.get('me'));
  });
});
