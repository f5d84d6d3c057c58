/**
 * A fake `wx` that behaves like the documented platform (PLATFORM.md §1–2), backed by real `ws`
 * sockets so the SDK can talk to the real server through it:
 * - `connectSocket` returns a SocketTask with on* callbacks and no off*; `close` requires its
 *   argument; at most 5 sockets may be open (the 6th fails through `fail`, onError and onClose);
 * - onClose gets `{ code, reason }`, onError `{ errMsg }`, onMessage `{ data }`;
 * - network and app listeners are kept as registered, and `off*` removes the same function.
 */
import WebSocket from 'ws';
import { FakeLivePlayerContext, FakeLivePusherContext } from './fake-live-context';

type Listener<T> = (value: T) => void;
/**
 * What onAppHide listeners get. miniprogram-simulate brings an older copy of the typings whose
 * onAppHide passes a GeneralCallbackResult; satisfying both keeps the fake usable either way.
 */
type HideResult = WechatMiniprogram.HideOptionsApp & WechatMiniprogram.GeneralCallbackResult;

export class FakeWx {
  readonly open = new Set<WebSocket>();
  /** Every socket ever created, for inspection. */
  readonly created: { url: string; closeArgs: unknown[] }[] = [];
  readonly networkListeners: Listener<WechatMiniprogram.OnNetworkStatusChangeListenerResult>[] = [];
  readonly showListeners: Listener<WechatMiniprogram.LaunchOptionsApp>[] = [];
  readonly hideListeners: Listener<HideResult>[] = [];
  static readonly MAX_SOCKETS = 5;

  /**
   * @param hosts where sockets to a URL really go, like a hosts file (a page's `wss://rtc.example.com`
   *   reaching the test's server on 127.0.0.1); `created` still records the URL the page asked for.
   */
  constructor(private readonly hosts: Readonly<Record<string, string>> = {}) {}

  connectSocket = (option: WechatMiniprogram.ConnectSocketOption): WechatMiniprogram.SocketTask => {
    const record = { url: option.url, closeArgs: [] as unknown[] };
    this.created.push(record);
    const listeners = {
      open: [] as Listener<WechatMiniprogram.OnSocketOpenListenerResult>[],
      message: [] as Listener<WechatMiniprogram.SocketTaskOnMessageListenerResult>[],
      close: [] as Listener<WechatMiniprogram.SocketTaskOnCloseListenerResult>[],
      error: [] as Listener<WechatMiniprogram.GeneralCallbackResult>[],
    };
    const fire = <T>(list: Listener<T>[], value: T) => setImmediate(() => list.forEach((l) => l(value)));
    let ws: WebSocket | null = null;
    if (this.open.size >= FakeWx.MAX_SOCKETS) {
      const errMsg = 'connectSocket:fail exceed max task count';
      setImmediate(() => option.fail?.({ errMsg }));
      fire(listeners.error, { errMsg });
      fire(listeners.close, { code: 1006, reason: errMsg });
    } else {
      ws = new WebSocket(this.hosts[option.url] ?? option.url);
      this.open.add(ws);
      ws.on('open', () => {
        option.success?.({ errMsg: 'connectSocket:ok' });
        listeners.open.forEach((l) => l({ header: {} }));
      });
      ws.on('message', (data) =>
        listeners.message.forEach((l) => l({ data: (data as Buffer).toString('utf8') })),
      );
      ws.on('error', (err) => listeners.error.forEach((l) => l({ errMsg: err.message })));
      ws.on('close', (code, reason) => {
        this.open.delete(ws!);
        listeners.close.forEach((l) => l({ code, reason: reason.toString('utf8') }));
      });
    }
    const task = {
      send: (o: WechatMiniprogram.SocketTaskSendOption) => {
        if (ws?.readyState === WebSocket.OPEN) ws.send(o.data as string);
        else o.fail?.({ errMsg: 'sendSocketMessage:fail socket is not connected' });
      },
      close: (o: WechatMiniprogram.SocketTaskCloseOption) => {
        if (o === undefined) throw new TypeError('SocketTask.close needs its option argument');
        record.closeArgs.push(o);
        if (!ws || ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(o.code ?? 1000, o.reason);
      },
      onOpen: (l: Listener<WechatMiniprogram.OnSocketOpenListenerResult>) => void listeners.open.push(l),
      onMessage: (l: Listener<WechatMiniprogram.SocketTaskOnMessageListenerResult>) =>
        void listeners.message.push(l),
      onClose: (l: Listener<WechatMiniprogram.SocketTaskOnCloseListenerResult>) =>
        void listeners.close.push(l),
      onError: (l: Listener<WechatMiniprogram.GeneralCallbackResult>) => void listeners.error.push(l),
    };
    return task as unknown as WechatMiniprogram.SocketTask;
  };

  onNetworkStatusChange = (l: Listener<WechatMiniprogram.OnNetworkStatusChangeListenerResult>) =>
    void this.networkListeners.push(l);
  offNetworkStatusChange = (l?: unknown) => remove(this.networkListeners, l);
  onAppShow = (l: Listener<WechatMiniprogram.LaunchOptionsApp>) => void this.showListeners.push(l);
  offAppShow = (l?: unknown) => remove(this.showListeners, l);
  onAppHide = (l: Listener<HideResult>) => void this.hideListeners.push(l);
  offAppHide = (l?: unknown) => remove(this.hideListeners, l);
  /** The images `wx.previewImage` was asked to show, one list per call. */
  readonly previews: string[][] = [];
  /** `wx.previewImage({ urls, current?, success?, fail?, complete? })` (miniprogram-api-typings). */
  previewImage = (option: WechatMiniprogram.PreviewImageOption): void => {
    this.previews.push([...option.urls]);
    const result = { errMsg: 'previewImage:ok' };
    option.success?.(result);
    option.complete?.(result);
  };

  /** The page's one `<live-pusher>` context (WeChat has one pusher per page, PLATFORM.md §3). */
  readonly pusherContext = new FakeLivePusherContext();
  /** `<live-player>` contexts by element id, created on first ask. */
  readonly playerContexts = new Map<string, FakeLivePlayerContext>();
  createLivePusherContext = () => this.pusherContext as unknown as WechatMiniprogram.LivePusherContext;
  createLivePlayerContext = (id: string) => {
    let context = this.playerContexts.get(id);
    if (!context) this.playerContexts.set(id, (context = new FakeLivePlayerContext(id)));
    return context as unknown as WechatMiniprogram.LivePlayerContext;
  };

  /** The phone lost or got back its network. */
  setNetwork(isConnected: boolean): void {
    const status = {
      isConnected,
      networkType: isConnected ? 'wifi' : 'none',
    } as WechatMiniprogram.OnNetworkStatusChangeListenerResult;
    [...this.networkListeners].forEach((l) => l(status));
  }
  show(): void {
    [...this.showListeners].forEach((l) => l({} as WechatMiniprogram.LaunchOptionsApp));
  }
  /** Kills every socket without a close frame (the app was suspended too long, an elevator…). */
  drop(): void {
    [...this.open].forEach((ws) => ws.terminate());
  }
  get listenerCount(): number {
    return this.networkListeners.length + this.showListeners.length + this.hideListeners.length;
  }
}

function remove<T>(list: T[], l: unknown): void {
  if (l === undefined) {
    list.length = 0;
    return;
  }
  const i = list.indexOf(l as T);
  if (i >= 0) list.splice(i, 1);
}
