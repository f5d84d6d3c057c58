/**
 * The `<live-pusher>` / `<live-player>` contexts of custom components, through WeChat's global `wx`.
 * The components `rx-pusher` and `rx-player` reach `wx` only through this module (ARCHITECTURE.md
 * decision 5).
 */
import type { PlayerContext, PusherContext } from './platform';

type ContextApi = Partial<Pick<WechatMiniprogram.Wx, 'createLivePusherContext' | 'createLivePlayerContext'>>;

/** What a context method is called with: rxroom only passes success/fail/complete callbacks. */
type ContextCallOption = {
  success?: () => void;
  fail?: (e: { errMsg: string }) => void;
  complete?: () => void;
};

type ContextMethod = (option?: ContextCallOption) => void;

/** Every callback-style method of `LivePusherContext` (miniprogram-api-typings), forwarded as is. */
export const PUSHER_METHODS = [
  'start',
  'stop',
  'pause',
  'resume',
  'switchCamera',
  'snapshot',
  'toggleTorch',
  'playBGM',
  'pauseBGM',
  'resumeBGM',
  'stopBGM',
  'setBGMVolume',
  'startPreview',
  'stopPreview',
  'setMICVolume',
  'sendMessage',
  'exitPictureInPicture',
  'getMaxZoom',
  'setZoom',
  'applyBlusherStickMakeup',
  'applyEyeBrowMakeup',
  'applyEyeShadowMakeup',
  'applyFaceContourMakeup',
  'applyFilter',
  'applyLipStickMakeup',
  'applySticker',
  'clearFilters',
  'clearMakeups',
  'clearStickers',
] as const satisfies readonly (keyof WechatMiniprogram.LivePusherContext)[];

/** Every method of `LivePlayerContext` (miniprogram-api-typings), forwarded as is. */
export const PLAYER_METHODS = [
  'play',
  'stop',
  'mute',
  'pause',
  'resume',
  'snapshot',
  'requestFullScreen',
  'exitFullScreen',
  'exitPictureInPicture',
  'requestBackgroundPlayback',
  'exitBackgroundPlayback',
  'startCasting',
  'switchCasting',
  'reconnectCasting',
  'exitCasting',
] as const satisfies readonly (keyof WechatMiniprogram.LivePlayerContext)[];

/** The global `wx`, read at call time so that a test (or a late-injected `wx`) is seen. */
function wxApi(): ContextApi | undefined {
  return (globalThis as { wx?: ContextApi }).wx;
}

/**
 * A method that creates the native context at call time and forwards to it. Creating it at call time
 * matters: the native element may not exist yet when the context is handed to the client (the
 * component renders it only once there is a URL), and it is recreated whenever its `wx:if` flips.
 * Without `wx` (or without the method), the call fails through `fail`, as a native failure would,
 * so media recovery reports it instead of throwing.
 */
function forward(
  create: () => Record<string, unknown> | undefined,
  name: string,
  label: string,
): ContextMethod {
  return (option) => {
    const context = create();
    const method = context?.[name];
    if (typeof method !== 'function') {
      option?.fail?.({ errMsg: `${label}.${name}:fail no context (not running in WeChat?)` });
      option?.complete?.();
      return;
    }
    // Native context methods read their own `this`.
    (method as ContextMethod).call(context, option);
  };
}

/**
 * The context of the `<live-player id="{{elementId}}">` inside a custom component, for
 * `client.registerPlayerContext`. Each call goes to `wx.createLivePlayerContext(elementId, component)`
 * (the component is needed because its template is a separate id scope).
 *
 * @example
 * ```ts
 * // in a component's attached():
 * const unregister = client.registerPlayerContext(streamId, componentPlayerContext(playerElementId(streamId), this))
 * ```
 */
export function componentPlayerContext(elementId: string, component: unknown): PlayerContext {
  const create = (): Record<string, unknown> | undefined => {
    const context = wxApi()?.createLivePlayerContext?.(
      elementId,
      component as WechatMiniprogram.Component.TrivialInstance,
    );
    return context as unknown as Record<string, unknown> | undefined;
  };
  // Bound per method, not through `this`, so callers may pass the methods around.
  const call = (name: string) => {
    const method = forward(create, name, 'LivePlayerContext');
    return (option?: object) => method(option as ContextCallOption);
  };
  return Object.fromEntries(PLAYER_METHODS.map((name) => [name, call(name)])) as unknown as PlayerContext;
}

/**
 * The context of the `<live-pusher>` of the page, for `client.registerPusherContext`. WeChat has
 * one pusher per page and `wx.createLivePusherContext()` takes no component (PLATFORM.md §3), so
 * this is the same context a page would get; each call creates it afresh.
 *
 * @example
 * ```ts
 * const unregister = client.registerPusherContext(componentPusherContext())
 * ```
 */
export function componentPusherContext(): PusherContext {
  const create = (): Record<string, unknown> | undefined =>
    wxApi()?.createLivePusherContext?.() as unknown as Record<string, unknown> | undefined;
  const call = (name: string) => {
    const method = forward(create, name, 'LivePusherContext');
    return (option?: object) => method(option as ContextCallOption);
  };
  return Object.fromEntries(PUSHER_METHODS.map((name) => [name, call(name)])) as unknown as PusherContext;
}
