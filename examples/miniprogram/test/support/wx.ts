/**
 * The `wx` the example's pages see in tests: miniprogram-simulate's mock, with the parts that
 * matter replaced. Sockets and network/app events come from rxroom's FakeWx (real `ws` sockets to
 * the real server; simulate's SocketTask never opens), `wx.request` does real HTTP, and navigation
 * is recorded.
 */
import * as http from 'http';
import { FakeWx } from '../../../../test/support/fake-wx';

type Wx = Record<string, unknown>;

/** What the fake records. */
export interface WxRecord {
  readonly fake: FakeWx;
  readonly navigations: { api: string; url?: string }[];
  readonly titles: string[];
}

function request(option: WechatMiniprogram.RequestOption): void {
  const url = new URL(option.url);
  const body = option.data === undefined ? '' : JSON.stringify(option.data);
  const req = http.request(
    {
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      method: option.method ?? 'GET',
      headers: { ...(option.header as Record<string, string> | undefined) },
    },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          // not JSON: hand over the text, as wx.request does
        }
        option.success?.({
          data: data as WechatMiniprogram.IAnyObject,
          statusCode: res.statusCode ?? 0,
          header: res.headers,
          cookies: [],
          errMsg: 'request:ok',
        } as unknown as WechatMiniprogram.RequestSuccessCallbackResult);
      });
    },
  );
  req.on('error', (e) => option.fail?.({ errMsg: `request:fail ${e.message}` } as never));
  req.end(body);
}

/**
 * Installs the fakes into the global `wx` for one test; returns what they record. Call
 * the returned `restore` after the test.
 */
export function installWx(): WxRecord & { restore(): void } {
  const wx = (globalThis as unknown as { wx: Wx }).wx;
  const fake = new FakeWx();
  const navigations: { api: string; url?: string }[] = [];
  const titles: string[] = [];
  const replaced: Wx = {
    connectSocket: fake.connectSocket,
    onNetworkStatusChange: fake.onNetworkStatusChange,
    offNetworkStatusChange: fake.offNetworkStatusChange,
    onAppShow: fake.onAppShow,
    offAppShow: fake.offAppShow,
    onAppHide: fake.onAppHide,
    offAppHide: fake.offAppHide,
    createLivePusherContext: fake.createLivePusherContext,
    createLivePlayerContext: fake.createLivePlayerContext,
    request,
    setNavigationBarTitle: (o: { title: string }) => titles.push(o.title),
    navigateTo: (o: { url: string }) => navigations.push({ api: 'navigateTo', url: o.url }),
    navigateBack: () => navigations.push({ api: 'navigateBack' }),
    redirectTo: (o: { url: string }) => navigations.push({ api: 'redirectTo', url: o.url }),
  };
  const saved: Wx = {};
  for (const key of Object.keys(replaced)) saved[key] = wx[key];
  Object.assign(wx, replaced);
  return { fake, navigations, titles, restore: () => Object.assign(wx, saved) };
}
