import type { ConnectOptions, NetworkStatus, Platform, PlatformSocket, Unlisten } from './platform';

/**
 * The part of WeChat's `wx` that rxroom uses. Typed from miniprogram-api-typings, so a fake used
 * in tests must match the real signatures.
 */
export type WxApi = Pick<
  WechatMiniprogram.Wx,
  | 'connectSocket'
  | 'onNetworkStatusChange'
  | 'onAppShow'
  | 'onAppHide'
  | 'createLivePusherContext'
  | 'createLivePlayerContext'
> &
  Partial<Pick<WechatMiniprogram.Wx, 'offNetworkStatusChange' | 'offAppShow' | 'offAppHide'>>;

/** Adds a listener through `on`, and removes it through `off` when the base library has it. */
function listen<L>(on: (l: L) => void, off: ((l: L) => void) | undefined, listener: L): Unlisten {
  let active = true;
  // `off*` arrived in base library 2.9.3 (network) / 2.1.2 (app). Where it is missing the listener
  // stays registered, so we wrap it and make it inert after unlisten.
  const wrapped = ((...args: unknown[]) => {
    if (active) (listener as (...a: unknown[]) => void)(...args);
  }) as L;
  on(wrapped);
  return () => {
    if (!active) return;
    active = false;
    off?.(wrapped);
  };
}

/**
 * The platform of a WeChat mini program, over the global `wx` (or the `api` given).
 *
 * Facts it relies on (PLATFORM.md §1–2): `SocketTask.close` needs its argument; SocketTask has no
 * `off*` methods, so the socket binding ignores late callbacks; at most 5 sockets may be open,
 * which rxroom respects by closing a socket before it opens the next.
 *
 * @example
 * ```ts
 * import { createClient, wxPlatform } from 'rxroom'
 * const client = createClient({ url: 'wss://rtc.example.com', platform: wxPlatform() })
 * ```
 */
export function wxPlatform(api?: WxApi): Platform {
  const wxApi: WxApi = api ?? (globalThis as unknown as { wx: WxApi }).wx;
  if (!wxApi || typeof wxApi.connectSocket !== 'function') {
    throw new TypeError('wxPlatform(): no `wx` global; pass the wx API or use nodePlatform() outside WeChat');
  }
  return {
    name: 'wx',
    connectSocket(options: ConnectOptions): PlatformSocket {
      const task = wxApi.connectSocket({
        url: options.url,
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      });
      return {
        send: (option) => task.send({ data: option.data }),
        close: (option) => task.close({ ...option }),
        onOpen: (listener) => task.onOpen(() => listener()),
        onMessage: (listener) => task.onMessage((res) => listener({ data: res.data })),
        onClose: (listener) => task.onClose((res) => listener({ code: res.code, reason: res.reason })),
        onError: (listener) => task.onError((res) => listener({ errMsg: res.errMsg })),
      };
    },
    onNetworkStatusChange(listener) {
      return listen(
        (l: WechatMiniprogram.OnNetworkStatusChangeCallback) => wxApi.onNetworkStatusChange(l),
        wxApi.offNetworkStatusChange
          ? (l) =>
              wxApi.offNetworkStatusChange?.(l as unknown as WechatMiniprogram.OffNetworkStatusChangeCallback)
          : undefined,
        (res: WechatMiniprogram.OnNetworkStatusChangeListenerResult) =>
          listener({ isConnected: res.isConnected, networkType: res.networkType } as NetworkStatus),
      );
    },
    onAppShow(listener) {
      return listen(
        (l: WechatMiniprogram.OnAppShowCallback) => wxApi.onAppShow(l),
        wxApi.offAppShow
          ? (l) => wxApi.offAppShow?.(l as unknown as WechatMiniprogram.OffAppShowCallback)
          : undefined,
        () => listener(),
      );
    },
    onAppHide(listener) {
      return listen(
        (l: WechatMiniprogram.OnAppHideCallback) => wxApi.onAppHide(l),
        wxApi.offAppHide
          ? (l) => wxApi.offAppHide?.(l as unknown as WechatMiniprogram.OffAppHideCallback)
          : undefined,
        () => listener(),
      );
    },
    createPusherContext() {
      return wxApi.createLivePusherContext();
    },
    createPlayerContext(id, component) {
      return wxApi.createLivePlayerContext(id, component as WechatMiniprogram.Component.TrivialInstance);
    },
  };
}
