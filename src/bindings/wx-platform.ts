import type {
  AppHideReason,
  ConnectOptions,
  NetworkStatus,
  PermissionApi,
  Platform,
  PlatformSocket,
  Unlisten,
} from './platform';

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
  Partial<
    Pick<
      WechatMiniprogram.Wx,
      | 'offNetworkStatusChange'
      | 'offAppShow'
      | 'offAppHide'
      | 'onAudioInterruptionEnd'
      | 'offAudioInterruptionEnd'
      | 'setKeepScreenOn'
      | 'getSetting'
      | 'authorize'
      | 'openSetting'
      | 'showModal'
    >
  >;

/** `HideOptionsApp.reason` (base library 3.5.7) by its documented value. */
const HIDE_REASONS: readonly AppHideReason[] = ['quit', 'other-mini-program', 'native-page', 'other'];

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
      // A URL outside the socket domain list fails through `fail` ("url not in domain list"),
      // which the task's own callbacks may never report: it is passed on as an error and a close,
      // so the binding sees the errMsg that names the fix (the binding ignores a second close).
      const errors: ((res: { errMsg: string }) => void)[] = [];
      const closes: ((res: { code: number; reason: string }) => void)[] = [];
      const task = wxApi.connectSocket({
        url: options.url,
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        fail: (res) => {
          const errMsg = res?.errMsg ?? 'connectSocket:fail';
          errors.forEach((l) => l({ errMsg }));
          closes.forEach((l) => l({ code: 1006, reason: errMsg }));
        },
      });
      return {
        send: (option) => task.send({ data: option.data }),
        close: (option) => task.close({ ...option }),
        onOpen: (listener) => task.onOpen(() => listener()),
        onMessage: (listener) => task.onMessage((res) => listener({ data: res.data })),
        onClose: (listener) => {
          closes.push(listener);
          task.onClose((res) => listener({ code: res.code, reason: res.reason }));
        },
        onError: (listener) => {
          errors.push(listener);
          task.onError((res) => listener({ errMsg: res.errMsg }));
        },
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
        (res?: { reason?: number }) => listener({ reason: HIDE_REASONS[res?.reason ?? -1] ?? 'unknown' }),
      );
    },
    ...(wxApi.onAudioInterruptionEnd
      ? {
          onAudioInterruptionEnd(listener: () => void): Unlisten {
            return listen(
              (l: WechatMiniprogram.OnAudioInterruptionEndCallback) => wxApi.onAudioInterruptionEnd!(l),
              wxApi.offAudioInterruptionEnd
                ? (l) =>
                    wxApi.offAudioInterruptionEnd?.(
                      l as unknown as WechatMiniprogram.OffAudioInterruptionEndCallback,
                    )
                : undefined,
              () => listener(),
            );
          },
        }
      : {}),
    ...(wxApi.setKeepScreenOn
      ? {
          setKeepScreenOn(on: boolean) {
            // Best effort: a failure (an old base library) must not stop the room.
            wxApi.setKeepScreenOn!({ keepScreenOn: on, fail: () => undefined });
          },
        }
      : {}),
    ...(wxApi.getSetting && wxApi.authorize && wxApi.openSetting
      ? {
          permissions: {
            getSetting: wxApi.getSetting.bind(wxApi),
            authorize: wxApi.authorize.bind(wxApi),
            openSetting: wxApi.openSetting.bind(wxApi),
            ...(wxApi.showModal ? { showModal: wxApi.showModal.bind(wxApi) } : {}),
          } as PermissionApi,
        }
      : {}),
    createPusherContext() {
      return wxApi.createLivePusherContext();
    },
    createPlayerContext(id, component) {
      return wxApi.createLivePlayerContext(id, component as WechatMiniprogram.Component.TrivialInstance);
    },
  };
}
