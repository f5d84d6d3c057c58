/**
 * Fakes of WeChat's `LivePusherContext` and `LivePlayerContext` that follow the documented methods
 * and callbacks (miniprogram-api-typings `lib.wx.api.d.ts`, interfaces LivePusherContext and
 * LivePlayerContext; PLATFORM.md §3–4): every method takes one option object whose `success` gets
 * the result (`{ errMsg }`, plus `tempImagePath/width/height` for `snapshot` and `maxZoom` for
 * `getMaxZoom`, all strings as typed), `fail` gets `{ errMsg }`, and `complete` runs after either.
 * `requestBackgroundPlayback`/`exitBackgroundPlayback` take no argument. Calls are recorded; a
 * failure can be armed per method; callbacks come at once (synchronously) unless `held`.
 */

import { PLAYER_METHODS, PUSHER_METHODS } from '../../src/bindings/wx-context';

type Callbacks = {
  success?: (result: Record<string, unknown>) => void;
  fail?: (result: { errMsg: string }) => void;
  complete?: (result: { errMsg: string }) => void;
};

export interface RecordedCall {
  readonly method: string;
  /** The option object without its callbacks. */
  readonly options: Record<string, unknown>;
}

/** LivePlayerContext methods that take no argument at all. */
export const LIVE_PLAYER_PLAIN_METHODS: readonly string[] = [
  'requestBackgroundPlayback',
  'exitBackgroundPlayback',
] satisfies readonly (keyof WechatMiniprogram.LivePlayerContext)[];

/** Every callback-style method of LivePusherContext in the typings (the list rxroom forwards). */
export const LIVE_PUSHER_METHODS: readonly string[] = PUSHER_METHODS;

/** Every callback-style method of LivePlayerContext in the typings. */
export const LIVE_PLAYER_METHODS: readonly string[] = PLAYER_METHODS.filter(
  (m) => !LIVE_PLAYER_PLAIN_METHODS.includes(m),
);

/** What `success` carries besides `errMsg`, per method (the typings' *SuccessCallbackResult). */
const RESULTS: Readonly<Record<string, Record<string, string>>> = {
  snapshot: { tempImagePath: 'wxfile://tmp/snapshot.jpg', width: '360', height: '640' },
  getMaxZoom: { maxZoom: '5' },
};

class FakeContext {
  readonly calls: RecordedCall[] = [];
  private readonly failures = new Map<string, string>();
  private readonly heldCallbacks: (() => void)[] = [];
  /** When true, callbacks wait for `release()` (a native call still running). */
  held = false;

  constructor(methods: readonly string[], plain: readonly string[] = []) {
    const self = this as unknown as Record<string, unknown>;
    for (const method of methods) {
      self[method] = (option?: Record<string, unknown> & Callbacks) => this.invoke(method, option);
    }
    for (const method of plain) {
      self[method] = (...args: unknown[]) => {
        if (args.length > 0) throw new TypeError(`${method} takes no argument`);
        this.calls.push({ method, options: {} });
      };
    }
  }

  /** The next call of `method` fails with `errMsg`. */
  failNext(method: string, errMsg: string): void {
    this.failures.set(method, errMsg);
  }

  /** Delivers the callbacks held while `held` was true. */
  release(): void {
    this.heldCallbacks.splice(0).forEach((deliver) => deliver());
  }

  /** The methods called, in order. */
  get methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  private invoke(method: string, option: (Record<string, unknown> & Callbacks) | undefined): void {
    const { success, fail, complete, ...options } = option ?? {};
    this.calls.push({ method, options });
    const failure = this.failures.get(method);
    this.failures.delete(method);
    const deliver = () => {
      if (failure !== undefined) {
        const result = { errMsg: `${method}:fail ${failure}` };
        fail?.(result);
        complete?.(result);
      } else {
        const result = { errMsg: `${method}:ok`, ...RESULTS[method] };
        success?.(result);
        complete?.(result);
      }
    };
    if (this.held) this.heldCallbacks.push(deliver);
    else deliver();
  }
}

/** A fake `LivePusherContext` (`wx.createLivePusherContext()`). */
export class FakeLivePusherContext extends FakeContext {
  constructor() {
    super(LIVE_PUSHER_METHODS);
  }
}

/** A fake `LivePlayerContext` (`wx.createLivePlayerContext(id, component)`). */
export class FakeLivePlayerContext extends FakeContext {
  constructor(readonly id = '') {
    super(LIVE_PLAYER_METHODS, LIVE_PLAYER_PLAIN_METHODS);
  }
}
