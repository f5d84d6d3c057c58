/**
 * `bindPage`: {@link connectSetData} wired to the lifecycle of a Page options object.
 */
import {
  asyncScheduler,
  BehaviorSubject,
  type Observable,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { connectSetData, type ConnectSetDataOptions, type SetDataTarget } from './connect-set-data';

/**
 * The query a page is opened with (`onLoad(query)`).
 *
 * @example
 * ```ts
 * onLoad(query: PageQuery) { const room = query.room ?? 'lobby' }
 * ```
 */
export type PageQuery = Record<string, string | undefined>;

/**
 * Where the view models of a page come from: one stream for every instance of the page, or a
 * function that makes one per instance (called in `onLoad`, after the page's own `onLoad`).
 *
 * @example
 * ```ts
 * const source: PageViewModelSource = (page, query) => roomView$(query.room ?? 'lobby')
 * ```
 */
export type PageViewModelSource<P extends SetDataTarget = SetDataTarget> =
  Observable<object> | ((page: P, query: PageQuery) => Observable<object>);

/**
 * Options of {@link bindPage}: those of {@link connectSetData} (except `active$`, which the page's
 * show/hide drive) and one more.
 *
 * @example
 * ```ts
 * const options: BindPageOptions = { pauseWhileHidden: false }
 * ```
 */
export interface BindPageOptions extends Omit<ConnectSetDataOptions, 'active$'> {
  /**
   * Send nothing while the page is hidden (`onHide` … `onShow`) and catch up with one call when it
   * shows again; WeChat advises against `setData` on pages in the background. Default `true`.
   */
  readonly pauseWhileHidden?: boolean;
}

type Hook = ((this: unknown, ...args: unknown[]) => unknown) | undefined;

interface Binding {
  readonly subscription: Subscription;
  readonly shown$: BehaviorSubject<boolean>;
}

/**
 * Returns a copy of a Page options object whose `onLoad` connects the page's `setData` to a stream of
 * view models (through {@link connectSetData}) and whose `onUnload` disconnects it, so that no call
 * is made after unload. The page's own hooks still run: `onLoad` before connecting (it may create
 * what the view models come from), `onUnload` after disconnecting. Each page instance gets its own
 * connection. With `pauseWhileHidden` (the default) `onHide`/`onShow` pause and resume it.
 *
 * Pass the result to `Page()`. To bind a page that is already loaded, call `connectSetData(this, …)`
 * directly.
 *
 * @example
 * ```ts
 * Page(
 *   bindPage(
 *     {
 *       data: { players: [] },
 *       onLoad(query) { this.client = createClient(platform); this.client.join(query.room) },
 *       onUnload() { this.client.destroy() },
 *     },
 *     (page) => page.client.room$.pipe(map(toRoomView)),
 *   ),
 * )
 * ```
 */
export function bindPage<O extends object, P extends SetDataTarget = SetDataTarget>(
  pageOptions: O,
  viewModel: PageViewModelSource<P>,
  options: BindPageOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): O {
  const { pauseWhileHidden = true, ...connectOptions } = options;
  const bindings = new WeakMap<object, Binding>();
  const hooks = pageOptions as { onLoad?: Hook; onUnload?: Hook; onShow?: Hook; onHide?: Hook };
  const { onLoad, onUnload, onShow, onHide } = hooks;

  const disconnect = (page: object): void => {
    const binding = bindings.get(page);
    bindings.delete(page);
    binding?.subscription.unsubscribe();
    binding?.shown$.complete();
  };

  const wrapped = {
    ...pageOptions,
    onLoad(this: P, query: PageQuery) {
      onLoad?.call(this, query);
      disconnect(this);
      const shown$ = new BehaviorSubject(true);
      const viewModel$ = typeof viewModel === 'function' ? viewModel(this, query ?? {}) : viewModel;
      const subscription = connectSetData(
        this,
        viewModel$,
        pauseWhileHidden ? { ...connectOptions, active$: shown$ } : connectOptions,
        scheduler,
      );
      bindings.set(this, { subscription, shown$ });
    },
    onUnload(this: P) {
      disconnect(this);
      onUnload?.call(this);
    },
    onShow(this: P) {
      bindings.get(this)?.shown$.next(true);
      onShow?.call(this);
    },
    onHide(this: P) {
      bindings.get(this)?.shown$.next(false);
      onHide?.call(this);
    },
  };
  return wrapped as O;
}
