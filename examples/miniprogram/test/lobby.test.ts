/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 *
 * The lobby page under miniprogram-simulate, against the real reference server with
 * `--dev-tokens`: type a room and a name, tap Join, get a token, open the room page.
 */
import '../../../test/components/support/node-globals';
import { firstValueFrom } from 'rxjs';
import { createClient } from 'rxroom';
import { nodePlatform } from '../../../src/node';
import { startServer, type RunningServer } from '../../../server';
import { Harness, eventually } from '../../../test/support/integration';
import { parent, type SimRoot } from '../../../test/components/support/simulate';
import { loadPage, queryOf, renderPage } from './support/pages';
import { installWx, type WxRecord } from './support/wx';

const harness = new Harness({ devTokens: true });
let id: string;
let wx: WxRecord & { restore(): void };
let page: SimRoot;

beforeAll(async () => {
  id = loadPage('lobby');
  await harness.start();
});
afterAll(() => harness.stop());
beforeEach(() => {
  wx = installWx();
  page = renderPage(id);
  page.attach(parent());
});
afterEach(() => {
  page.detach();
  wx.restore();
});

function type(selector: string, value: string): void {
  page.querySelector(selector)!.dispatchEvent('input', { detail: { value } });
}

describe('lobby page', () => {
  it('gets a dev token from the server and opens the room with it', async () => {
    type('#server', harness.server.url);
    type('#room', 'lobby-room');
    type('#user', 'alice');
    await eventually(() => page.data.user === 'alice');
    page.querySelector('#join')!.dispatchEvent('tap');
    await eventually(() => wx.navigations.length > 0);

    const [navigation] = wx.navigations;
    expect(navigation).toMatchObject({ api: 'navigateTo' });
    expect(navigation!.url).toMatch(/^\/pages\/room\/index\?/);
    const query = queryOf(navigation!.url!);
    expect(decodeURIComponent(query.server!)).toBe(harness.server.url);
    expect(query).toMatchObject({ room: 'lobby-room', user: 'alice' });
    expect(page.data).toMatchObject({ busy: false, error: '' });

    // The token is good: the server lets alice into lobby-room with it.
    const client = createClient({ url: harness.server.url, platform: nodePlatform(), reportStats: false });
    try {
      const joined = await firstValueFrom(
        client.join({ token: decodeURIComponent(query.token!), roomId: 'lobby-room', userId: 'alice' }),
      );
      expect(joined).toBeTruthy();
    } finally {
      client.destroy();
    }
  });

  it('refuses ids the protocol would refuse, without asking the server', async () => {
    type('#server', harness.server.url);
    type('#room', 'no spaces please');
    await eventually(() => page.data.room === 'no spaces please');
    page.querySelector('#join')!.dispatchEvent('tap');
    await eventually(() => page.data.error !== '');
    expect(page.data.error).toContain('A–Z a–z 0–9');
    expect(wx.navigations).toEqual([]);
  });

  it('says so when the server has no token endpoint', async () => {
    let plain: RunningServer | undefined;
    try {
      plain = await startServer({ port: 0 });
      type('#server', plain.url);
      await eventually(() => page.data.server === plain!.url);
      page.querySelector('#join')!.dispatchEvent('tap');
      await eventually(() => page.data.error !== '');
      expect(page.data.error).toContain('--dev-tokens');
      expect(page.data.busy).toBe(false);
      expect(wx.navigations).toEqual([]);
    } finally {
      await plain?.close();
    }
  });
});
