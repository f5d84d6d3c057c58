/**
 * `rxBehavior`: {@link connectSetData} wired to the lifetimes of a custom component, as the definition
 * object of a WeChat `Behavior`.
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
 * Options of {@link rxBehavior}.
 *
 * @example
 * ```ts
 * const options: RxBehaviorOptions = { viewModel: (c) => volumeView$(c.data.streamId as string) }
 * ```
 */
export interface RxBehaviorOptions<C extends SetDataTarget = SetDataTarget> extends Omit<
  ConnectSetDataOptions,
  'active$'
> {
  /** Makes the view-model stream of one component instance; called in `attached`. */
  readonly viewModel: (component: C) => Observable<object>;
  /**
   * Send nothing while the page that holds the component is hidden (`pageLifetimes.hide` … `show`),
   * and catch up with one call when it shows again. Default `true`.
   */
  readonly pauseWhileHidden?: boolean;
}

/**
 * The definition object {@link rxBehavior} returns, for `Behavior()`.
 *
 * @example
 * ```ts
 * const definition: RxBehaviorDefinition = rxBehavior({ viewModel: () => of({ ready: true }) })
 * ```
 */
export interface RxBehaviorDefinition<C extends SetDataTarget = SetDataTarget> {
  readonly lifetimes: {
    attached(this: C): void;
    detached(this: C): void;
  };
  readonly pageLifetimes: {
    show(this: C): void;
    hide(this: C): void;
  };
}

interface Binding {
  readonly subscription: Subscription;
  readonly shown$: BehaviorSubject<boolean>;
}

/**
 * Returns the definition object of a WeChat `Behavior` that connects each component instance's
 * `setData` to its own view-model stream while it is attached: `lifetimes.attached` subscribes
 * (through {@link connectSetData}, with the same coalescing, diffing and rate cap) and
 * `lifetimes.detached` unsubscribes, so no call is made after detach. This function does not call
 * the global `Behavior`; pass its result to it. Behaviors compose, so the component's own
 * `lifetimes` still run.
 *
 * Give high-rate widgets (a volume bar per stream) their own component with this behavior: a
 * component's `setData` re-renders only that component (WeChat's "smallest scope" advice).
 *
 * @example
 * ```ts
 * const volumeBar = Behavior(
 *   rxBehavior({
 *     viewModel: (c) => client.volume$.pipe(map((v) => ({ level: v[c.data.streamId as string] ?? 0 }))),
 *   }),
 * )
 * Component({ behaviors: [volumeBar], properties: { streamId: String } })
 * ```
 */
export function rxBehavior<C extends SetDataTarget = SetDataTarget>(
  options: RxBehaviorOptions<C>,
  scheduler: SchedulerLike = asyncScheduler,
): RxBehaviorDefinition<C> {
  const { viewModel, pauseWhileHidden = true, ...connectOptions } = options;
  const bindings = new WeakMap<object, Binding>();

  const disconnect = (component: object): void => {
    const binding = bindings.get(component);
    bindings.delete(component);
    binding?.subscription.unsubscribe();
    binding?.shown$.complete();
  };

  return {
    lifetimes: {
      attached(this: C) {
        disconnect(this);
        const shown$ = new BehaviorSubject(true);
        const subscription = connectSetData(
          this,
          viewModel(this),
          pauseWhileHidden ? { ...connectOptions, active$: shown$ } : connectOptions,
          scheduler,
        );
        bindings.set(this, { subscription, shown$ });
      },
      detached(this: C) {
        disconnect(this);
      },
    },
    pageLifetimes: {
      show(this: C) {
        bindings.get(this)?.shown$.next(true);
      },
      hide(this: C) {
        bindings.get(this)?.shown$.next(false);
      },
    },
  };
}
