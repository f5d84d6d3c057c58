/**
 * The platform interface: everything rxroom needs from its host, and nothing more
 * (ARCHITECTURE.md decision 5). `wxPlatform()` implements it over WeChat's `wx`; `nodePlatform()`
 * (entry point `rxroom/node`) over Node and `ws`. Tests pass fakes that behave like the
 * documented platform.
 */

/**
 * A WebSocket shaped like WeChat's `SocketTask`: callbacks registered once, no `off*` methods,
 * `close` taking an options object. Implementations may deliver callbacks after `close()`;
 * the socket binding ignores them.
 */
export interface PlatformSocket {
  send(option: { data: string }): void;
  close(option: { code?: number; reason?: string }): void;
  onOpen(listener: () => void): void;
  onMessage(listener: (result: { data: string | ArrayBuffer }) => void): void;
  onClose(listener: (result: { code: number; reason: string }) => void): void;
  onError(listener: (result: { errMsg: string }) => void): void;
}

/** Options for opening a socket. */
export interface ConnectOptions {
  /** `wss://…` in a mini program; `ws://` on loopback in Node. */
  readonly url: string;
  /** Handshake timeout in ms (WeChat's `timeout`, at most 60 s). */
  readonly timeout?: number;
}

/** Network reachability as WeChat reports it (`wx.onNetworkStatusChange`). */
export interface NetworkStatus {
  readonly isConnected: boolean;
  readonly networkType: 'wifi' | '2g' | '3g' | '4g' | '5g' | 'unknown' | 'none';
}

/**
 * `LivePusherContext` as rxroom drives it: `start`/`stop` for media recovery, the rest for
 * `pusherControls` (./media-controls.ts), which calls them by WeChat's names and fails with
 * `MEDIA_CALL_FAILED` for a method the base library lacks.
 */
export interface PusherContext {
  start(option?: { success?: () => void; fail?: (e: { errMsg: string }) => void }): void;
  stop(option?: { success?: () => void; fail?: (e: { errMsg: string }) => void }): void;
  pause?(option?: object): void;
  resume?(option?: object): void;
  switchCamera?(option?: object): void;
  snapshot?(option?: object): void;
  toggleTorch?(option?: object): void;
  playBGM?(option?: object): void;
  pauseBGM?(option?: object): void;
  resumeBGM?(option?: object): void;
  stopBGM?(option?: object): void;
  setBGMVolume?(option?: object): void;
  startPreview?(option?: object): void;
  stopPreview?(option?: object): void;
  setMICVolume?(option?: object): void;
  sendMessage?(option?: object): void;
  exitPictureInPicture?(option?: object): void;
  getMaxZoom?(option?: object): void;
  setZoom?(option?: object): void;
}

/** `LivePlayerContext` as rxroom drives it: `play`/`stop` for media recovery, the rest for `playerControls`. */
export interface PlayerContext {
  play(option?: { success?: () => void; fail?: (e: { errMsg: string }) => void }): void;
  stop(option?: { success?: () => void; fail?: (e: { errMsg: string }) => void }): void;
  mute?(option?: object): void;
  pause?(option?: object): void;
  resume?(option?: object): void;
  snapshot?(option?: object): void;
  requestFullScreen?(option?: object): void;
  exitFullScreen?(option?: object): void;
  exitPictureInPicture?(option?: object): void;
  requestBackgroundPlayback?(option?: object): void;
  exitBackgroundPlayback?(option?: object): void;
  startCasting?(option?: object): void;
  switchCasting?(option?: object): void;
  reconnectCasting?(option?: object): void;
  exitCasting?(option?: object): void;
}

/**
 * Why the app went to the background, as `wx.onAppHide` says from base library 3.5.7
 * (`HideOptionsApp.reason` 0–3 in miniprogram-api-typings): `quit` (0, the user closed the mini
 * program, e.g. with the capsule button), `other-mini-program` (1), `native-page` (2, a native
 * function page such as the settings page), `other` (3). `unknown` where the base library says
 * nothing.
 */
export type AppHideReason = 'quit' | 'other-mini-program' | 'native-page' | 'other' | 'unknown';

/** What an app-hide listener is told. */
export interface AppHideInfo {
  readonly reason: AppHideReason;
}

/** A user permission scope rxroom asks for: the camera and the microphone (`scope.record`). */
export type MediaScope = 'scope.camera' | 'scope.record';

/**
 * The permission calls of WeChat rxroom uses (`wx.getSetting`, `wx.authorize`, `wx.openSetting`,
 * and `wx.showModal` for the automatic path), typed from miniprogram-api-typings so that a fake
 * must match the real callbacks: `success`/`fail`/`complete`, `errMsg` strings such as
 * `authorize:fail auth deny`, and `authSetting` keyed by scope.
 */
export type PermissionApi = Pick<WechatMiniprogram.Wx, 'getSetting' | 'authorize' | 'openSetting'> &
  Partial<Pick<WechatMiniprogram.Wx, 'showModal'>>;

/** Removes a listener; calling it twice is harmless. */
export type Unlisten = () => void;

/**
 * What rxroom needs from its host. Every `on*` returns the function that removes the listener,
 * so bindings can tear down exactly what they added.
 */
export interface Platform {
  /** A short name for logs and errors: `wx`, `node`, … */
  readonly name: string;
  /** Opens a WebSocket. Must not throw for a bad URL: report it through `onError`/`onClose`. */
  connectSocket(options: ConnectOptions): PlatformSocket;
  /** Network reachability changes. */
  onNetworkStatusChange(listener: (status: NetworkStatus) => void): Unlisten;
  /** The app came to the foreground. */
  onAppShow(listener: () => void): Unlisten;
  /**
   * The app went to the background (WeChat suspends it about 5 s later). The listener is told
   * why when the host knows (a platform written before this was added may call it with nothing).
   */
  onAppHide(listener: (info?: AppHideInfo) => void): Unlisten;
  /**
   * An audio interruption ended (a phone or VoIP call, an alarm: `wx.onAudioInterruptionEnd`).
   * Optional: hosts without the notion leave it out.
   */
  onAudioInterruptionEnd?(listener: () => void): Unlisten;
  /** Keeps the screen on, or lets it sleep again (`wx.setKeepScreenOn`). Optional. */
  setKeepScreenOn?(on: boolean): void;
  /** The permission calls, where the host has them (WeChat). Optional. */
  readonly permissions?: PermissionApi;
  /** The page's `<live-pusher>` context (one per page). */
  createPusherContext(component?: unknown): PusherContext;
  /** A `<live-player>` context by element id; pass the component when inside one. */
  createPlayerContext(id: string, component?: unknown): PlayerContext;
}
