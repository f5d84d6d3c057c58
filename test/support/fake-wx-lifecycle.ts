/**
 * The lifecycle part of `wx`, faked as documented (miniprogram-api-typings 5.2.3, lib.wx.api.d.ts:
 * `getSetting`, `authorize`, `openSetting`, `showModal`, `setKeepScreenOn`,
 * `onAudioInterruptionEnd`/`off…`, `onAppHide` with `HideOptionsApp.reason`):
 * - every call answers through `success` or `fail` and then `complete`, asynchronously, with an
 *   `errMsg` (`getSetting:ok`, `authorize:ok`, `authorize:fail auth deny`, …);
 * - `getSetting`'s `authSetting` holds only scopes asked before (absent: never asked);
 * - `authorize` prompts only for a scope never asked; a refused one fails at once without a prompt;
 *   before the user agreed to the privacy guideline it fails with
 *   `authorize:fail privacy permission is not authorized` (errno 104);
 * - `openSetting` opens only during a user tap (base library ≥ 2.3.0), else fails with
 *   `openSetting:fail can only be invoked by user TAP gesture.`; the confirm of `showModal` counts
 *   as a tap for the calls made from its `success`;
 * - the settings page lists only scopes asked before.
 */
import { wxPlatform, type WxApi } from '../../src/bindings/wx-platform';
import { createClient, type ClientOptions } from '../../src/streams/create-client';
import { FakeWx } from './fake-wx';
import { scriptedDriver } from './scripted-driver';

type Scope = 'scope.camera' | 'scope.record';
type Callbacks<R> = {
  success?: (r: R) => void;
  fail?: (e: { errMsg: string; errno?: number }) => void;
  complete?: (r: unknown) => void;
};

export class FakeWxLifecycle extends FakeWx {
  /** What `getSetting` reports: only scopes asked before. */
  authSetting: Partial<Record<Scope, boolean>> = {};
  /** How the user answers WeChat's prompt for a scope. */
  answer: (scope: Scope) => boolean = () => true;
  /** Which scopes the user turns on in the settings page. */
  settingsAnswer: (scope: Scope) => boolean = () => true;
  /** Whether the user taps the modal's confirm button. */
  modalConfirm = true;
  /** Whether the user agreed to the privacy guideline. */
  privacyAgreed = true;
  /** True while a user tap is being handled. */
  tapping = false;
  /** Every prompt, settings page and modal the user saw, in order. */
  readonly shown: string[] = [];
  /** Every `setKeepScreenOn` value, in order. */
  readonly keepScreenOnCalls: boolean[] = [];
  readonly interruptionEndListeners: (() => void)[] = [];

  /** Runs `fn` as a tap handler would. */
  tap(fn: () => void): void {
    this.tapping = true;
    try {
      fn();
    } finally {
      this.tapping = false;
    }
  }

  private answerLater<R>(
    o: Callbacks<R>,
    result: { ok: true; value: R } | { ok: false; errMsg: string; errno?: number },
  ) {
    queueMicrotask(() => {
      if (result.ok) o.success?.(result.value);
      else
        o.fail?.({ errMsg: result.errMsg, ...(result.errno !== undefined ? { errno: result.errno } : {}) });
      o.complete?.(result.ok ? result.value : { errMsg: result.errMsg });
    });
  }

  getSetting = (o: Callbacks<{ authSetting: Partial<Record<Scope, boolean>>; errMsg: string }> = {}) => {
    this.answerLater(o, {
      ok: true,
      value: { authSetting: { ...this.authSetting }, errMsg: 'getSetting:ok' },
    });
  };

  authorize = (o: Callbacks<{ errMsg: string }> & { scope: string }) => {
    const scope = o.scope as Scope;
    if (!this.privacyAgreed) {
      return this.answerLater(o, {
        ok: false,
        errMsg: 'authorize:fail privacy permission is not authorized',
        errno: 104,
      });
    }
    const before = this.authSetting[scope];
    if (before === true) return this.answerLater(o, { ok: true, value: { errMsg: 'authorize:ok' } });
    if (before === false) return this.answerLater(o, { ok: false, errMsg: 'authorize:fail auth deny' });
    this.shown.push(`prompt ${scope}`);
    const yes = this.answer(scope);
    this.authSetting[scope] = yes;
    this.answerLater(
      o,
      yes
        ? { ok: true, value: { errMsg: 'authorize:ok' } }
        : { ok: false, errMsg: 'authorize:fail auth deny' },
    );
  };

  openSetting = (o: Callbacks<{ authSetting: Partial<Record<Scope, boolean>>; errMsg: string }> = {}) => {
    if (!this.tapping) {
      return this.answerLater(o, {
        ok: false,
        errMsg: 'openSetting:fail can only be invoked by user TAP gesture.',
      });
    }
    this.shown.push('settings');
    for (const scope of Object.keys(this.authSetting) as Scope[])
      this.authSetting[scope] = this.settingsAnswer(scope);
    this.answerLater(o, {
      ok: true,
      value: { authSetting: { ...this.authSetting }, errMsg: 'openSetting:ok' },
    });
  };

  showModal = (
    o: Callbacks<{ confirm: boolean; cancel: boolean; errMsg: string }> & {
      title?: string;
      content?: string;
    },
  ) => {
    this.shown.push(`modal ${o.title ?? ''}`);
    const confirm = this.modalConfirm;
    queueMicrotask(() => {
      // The confirm button is a tap: calls made from this callback may open the settings page.
      this.tapping = confirm;
      try {
        o.success?.({ confirm, cancel: !confirm, errMsg: 'showModal:ok' });
      } finally {
        this.tapping = false;
      }
      o.complete?.({ errMsg: 'showModal:ok' });
    });
  };

  setKeepScreenOn = (o: Callbacks<{ errMsg: string }> & { keepScreenOn: boolean }) => {
    this.keepScreenOnCalls.push(o.keepScreenOn);
    this.answerLater(o, { ok: true, value: { errMsg: 'setKeepScreenOn:ok' } });
  };

  onAudioInterruptionEnd = (l: () => void) => void this.interruptionEndListeners.push(l);
  offAudioInterruptionEnd = (l?: () => void) => {
    const i = l ? this.interruptionEndListeners.indexOf(l) : -1;
    if (l === undefined) this.interruptionEndListeners.length = 0;
    else if (i >= 0) this.interruptionEndListeners.splice(i, 1);
  };

  /** The app went to the background, with `HideOptionsApp.reason` (0 = the user quit). */
  hide(reason?: 0 | 1 | 2 | 3): void {
    const options = reason === undefined ? {} : { reason };
    [...this.hideListeners].forEach((l) => l(options as never));
  }
  /** A call or an alarm that interrupted audio is over. */
  interruptionEnded(): void {
    [...this.interruptionEndListeners].forEach((l) => l());
  }
  /** The phone switched network type while staying online. */
  setNetworkType(networkType: 'wifi' | '4g' | '5g'): void {
    const status = {
      isConnected: true,
      networkType,
    } as WechatMiniprogram.OnNetworkStatusChangeListenerResult;
    [...this.networkListeners].forEach((l) => l(status));
  }
}

/**
 * createClient over the wx platform of a {@link FakeWxLifecycle} and a scripted driver, with stats
 * and media recovery off unless `options` say otherwise.
 */
export function wxLifecycleClient(options: Partial<ClientOptions> = {}) {
  const wx = new FakeWxLifecycle();
  const d = scriptedDriver();
  const client = createClient({
    driver: d.driver,
    // the fake's methods follow the typings' callback contract, not their generic signatures
    platform: wxPlatform(wx as unknown as WxApi),
    reportStats: false,
    mediaRecovery: false,
    ...options,
  });
  d.state = () => client.state;
  return { wx, d, client };
}
