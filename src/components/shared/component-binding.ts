/**
 * What `rx-pusher` and `rx-player` share: each instance finds the page's client by name in the
 * registry (WeChat deep-copies properties, so a client object cannot be passed down), shows a view
 * model of it through its own budgeted `setData` (`rxBehavior` → `connectSetData`), and on
 * `detached` drops everything it holds: the registry listener, the client's streams, the context it
 * registered. Nothing here touches `wx`.
 */
import { BehaviorSubject, distinctUntilChanged, finalize, of, switchMap, tap, type Observable } from 'rxjs';
import { client$, deepEqual, rxBehavior, type RtcClient, type SetDataTarget } from '../../index';

/** A component instance as the binding sees it: `this` inside its lifetimes and methods. */
export interface ComponentLike extends SetDataTarget {
  readonly data: Record<string, unknown>;
}

/** The properties every rxroom component has. */
export interface ClientProps {
  /** The registry name of the client (`registerClient(client, name)`). */
  readonly client: string;
}

/** Options of {@link componentBinding}. */
export interface ComponentBindingOptions<P extends ClientProps> {
  /** Reads, from the instance's data, the properties that decide what it shows. */
  readonly props: (instance: ComponentLike) => P;
  /**
   * The view model of one instance for one client. Its subscription may hold side effects that
   * must last exactly as long as the instance shows that client (registering a native context).
   */
  readonly view: (client: RtcClient, props: P, instance: ComponentLike) => Observable<object>;
  /** The data shown while no client is registered under the name (or after it is destroyed). */
  readonly empty: (props: P) => object;
}

/** The lifetimes and queries {@link componentBinding} returns, called from a `Component` definition. */
export interface ComponentBinding {
  attached(instance: ComponentLike): void;
  detached(instance: ComponentLike): void;
  /** `pageLifetimes.show`: resume `setData` (one catch-up call). */
  show(instance: ComponentLike): void;
  /** `pageLifetimes.hide`: no `setData` while the page is in the background (WeChat's advice). */
  hide(instance: ComponentLike): void;
  /** Call from `observers` when a property in `props` changed. */
  propsChanged(instance: ComponentLike): void;
  /** The client the instance currently shows, for feeding it native events. */
  clientOf(instance: ComponentLike): RtcClient | undefined;
}

interface InstanceState<P> {
  readonly props$: BehaviorSubject<P>;
  client: RtcClient | undefined;
}

/**
 * Wires a component to the client registry: properties → client by name → view model → `setData`.
 * High-rate data (volume, net quality) goes through the component's own `setData`, so a volume tick
 * re-renders one small component, not the page (WeChat's "smallest scope" advice).
 *
 * @example
 * ```ts
 * const binding = componentBinding({ props: (c) => ({ client: c.data.client as string }), view, empty })
 * Component({ lifetimes: { attached() { binding.attached(this) }, detached() { binding.detached(this) } } })
 * ```
 */
export function componentBinding<P extends ClientProps>(
  options: ComponentBindingOptions<P>,
): ComponentBinding {
  const instances = new WeakMap<object, InstanceState<P>>();

  const stateOf = (instance: ComponentLike): InstanceState<P> => {
    let state = instances.get(instance);
    if (!state) {
      state = { props$: new BehaviorSubject(options.props(instance)), client: undefined };
      instances.set(instance, state);
    }
    return state;
  };

  const behavior = rxBehavior<ComponentLike>({
    viewModel: (instance) => {
      const state = stateOf(instance);
      return state.props$.pipe(
        distinctUntilChanged<P>(deepEqual),
        switchMap((props) =>
          client$(props.client).pipe(
            tap((client) => (state.client = client)),
            switchMap((client) =>
              client ? options.view(client, props, instance) : of(options.empty(props)),
            ),
          ),
        ),
        // Events arriving after detach (WeChat may still deliver a queued one) then go nowhere.
        finalize(() => (state.client = undefined)),
      );
    },
  });

  return {
    attached(instance) {
      // Properties may have changed while detached without anyone listening.
      stateOf(instance).props$.next(options.props(instance));
      behavior.lifetimes.attached.call(instance);
    },
    detached(instance) {
      behavior.lifetimes.detached.call(instance);
      instances.get(instance)?.props$.complete();
      instances.delete(instance);
    },
    show(instance) {
      behavior.pageLifetimes.show.call(instance);
    },
    hide(instance) {
      behavior.pageLifetimes.hide.call(instance);
    },
    propsChanged(instance) {
      // Before attached there is nothing to update: attached reads the properties itself.
      instances.get(instance)?.props$.next(options.props(instance));
    },
    clientOf(instance) {
      return instances.get(instance)?.client;
    },
  };
}

/**
 * The volume level shown by a bar: rounded to `step` so that noise causes no `setData`, clamped to
 * 0–100 (the range is undocumented, PLATFORM.md §3).
 *
 * @example
 * ```ts
 * quantiseVolume(37, 10) // 40
 * ```
 */
export function quantiseVolume(volume: number | undefined, step: number): number {
  if (volume === undefined || !Number.isFinite(volume)) return 0;
  const s = step > 0 && Number.isFinite(step) ? step : 1;
  return Math.min(100, Math.max(0, Math.round(volume / s) * s));
}

/**
 * A WeChat event re-addressed to a stream: the decoders read the stream from the element's dataset,
 * but inside a component the stream is the component's property, so that is what is put there.
 *
 * @example
 * ```ts
 * decodePlayerNetStatus(forStream(e, this.data.streamId))
 * ```
 */
export function forStream(event: unknown, streamId: string): unknown {
  const detail =
    typeof event === 'object' && event !== null ? (event as { detail?: unknown }).detail : undefined;
  return { detail, currentTarget: { dataset: { streamId } } };
}

/** The `detail` of a WeChat event, to hand on to the page unchanged. */
export function detailOf(event: unknown): unknown {
  return typeof event === 'object' && event !== null ? (event as { detail?: unknown }).detail : undefined;
}
