/**
 * Helpers for loading rxroom's custom components under miniprogram-simulate (jsdom).
 *
 * miniprogram-simulate is loaded with `jest.requireActual` and typed here, not imported: its typings
 * pull in j-component's own copy of miniprogram-api-typings (3.x), whose global `Component` would
 * clash with the 5.x one the components are checked against. This repo's typings have no DOM lib
 * either, so the few DOM values are typed as opaque.
 */
import * as path from 'path';
import { EMPTY, Observable, Subject } from 'rxjs';
import {
  createClient,
  getClient,
  registerClient,
  type ClientOptions,
  type Driver,
  type NativeEvent,
  type RoomEvent,
  type RoomState,
  type RtcClient,
} from '../../../src';

/** A rendered component, or an element inside one (j-component's `Component`). */
export interface SimComponent {
  readonly data: Record<string, unknown>;
  /** The component's `this`. */
  readonly instance: SimInstance;
  readonly dom: unknown;
  querySelector(selector: string): SimComponent | undefined;
  querySelectorAll(selector: string): SimComponent[];
  /** Fires `bind<name>` on this element, with `{ detail }` and friends as the event's fields. */
  dispatchEvent(name: string, options?: { detail?: unknown }): void;
  /** Listens to what the component hands on to its page (`triggerEvent`). */
  addEventListener(name: string, handler: (e: { detail: unknown }) => void): void;
  triggerPageLifeTime(name: 'show' | 'hide' | 'resize'): void;
  setData(data: Record<string, unknown>): void;
}

/** The root of a render: can be attached to a parent and detached. */
export interface SimRoot extends SimComponent {
  attach(parent: unknown): void;
  detach(): void;
}

/** A component's `this`, as far as the tests touch it. */
export interface SimInstance {
  readonly data: Record<string, unknown>;
  setData(data: Record<string, unknown>, callback?: () => void): void;
}

interface Simulate {
  load(componentPath: string, tagName?: string, options?: Record<string, unknown>): string;
  render(id: string, properties?: Record<string, unknown>): SimRoot;
}

export const simulate = jest.requireActual<Simulate>('miniprogram-simulate');

/** The source folder of a component (`src/components/<name>/index`, loaded as .ts through ts-jest). */
export function componentPath(name: 'rx-player' | 'rx-pusher'): string {
  return path.join(__dirname, '../../../src/components', name, 'index');
}

/**
 * Loads a component for rendering. The pure-JS WXML compiler is used: the official one keeps its
 * output in globals, so a second component loaded in the same file breaks the first.
 */
export function loadComponent(
  componentDir: string,
  tagName: string,
  options: Record<string, unknown> = {},
): string {
  return simulate.load(componentDir, tagName, { compiler: 'simulate', ...options });
}

interface Dom {
  document: { createElement(tag: string): unknown };
}

/** A fresh parent element to attach a rendered component to (fires `attached`). */
export function parent(): unknown {
  return (globalThis as unknown as Dom).document.createElement('parent-wrapper');
}

/** The HTML a rendered component shows. */
export function html(comp: SimComponent): string {
  return (comp.dom as { innerHTML: string }).innerHTML;
}

/** Records every setData of a component instance (wrap before `attach`). */
export function recordSetData(instance: SimInstance): Record<string, unknown>[] {
  const calls: Record<string, unknown>[] = [];
  const original = instance.setData.bind(instance);
  (instance as { setData: SimInstance['setData'] }).setData = (data, cb) => {
    calls.push(data);
    original(data, cb);
  };
  return calls;
}

/**
 * Listens to what a component hands on to its page (`triggerEvent`, which does not bubble by
 * default). j-component also lets every inner element event bubble out of the component (bubbles
 * and composed), which WeChat does not do for live-player and live-pusher events; those bubbling
 * copies are left out.
 */
export function onTriggered(comp: SimComponent, name: string, handler: (detail: unknown) => void): void {
  comp.addEventListener(name, (e) => {
    if (!(e as { bubbles?: boolean }).bubbles) handler(e.detail);
  });
}

/** Fires `pageLifetimes.show` / `hide`, as WeChat does when the component's page shows or hides. */
export function pageLifetime(comp: SimComponent, name: 'show' | 'hide'): void {
  comp.triggerPageLifeTime(name);
}

/** A driver the test drives by hand: every RoomEvent it emits goes straight into the client. */
export interface FakeDriver extends Driver {
  readonly emit: (event: RoomEvent) => void;
}

export function fakeDriver(): FakeDriver {
  const events = new Subject<RoomEvent>();
  return {
    name: 'fake',
    capabilities: new Set(),
    events$: events,
    emit: (event) => events.next(event),
    execute: () => EMPTY as Observable<never>,
    destroy: () => events.complete(),
  };
}

/** A client over a {@link fakeDriver}; stats reports are off so virtual time has no endless timer. */
export function fakeClient(options: Partial<ClientOptions> = {}): { client: RtcClient; driver: FakeDriver } {
  const driver = fakeDriver();
  const client = createClient({ driver, reportStats: false, ...options });
  return { client, driver };
}

/**
 * Fake time for the whole file: jest's modern timers replace `setInterval`/`Date`, which RxJS's
 * asyncScheduler reads at call time. Promises stay real: j-component delivers events in a microtask.
 */
export function useFakeTime(): void {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });
}

/** Lets queued element events run, then moves fake time on by `ms`. */
export async function settle(ms = 0): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve();
  await jest.advanceTimersByTimeAsync(ms);
}

/** What {@link instrument} counts. */
export interface Instrumented {
  /** Register this one: it is the client, with every stream and registration counted. */
  readonly client: RtcClient;
  /** Subscriptions open now to any of the client's streams (including `select`). */
  readonly subscriptions: () => number;
  /** Native contexts registered now (pusher and player). */
  readonly contexts: () => number;
}

/**
 * Wraps a client so that a test can count what is still subscribed to it and registered with it:
 * a component that cleans up on detach brings both counts back to where they were.
 */
export function instrument(client: RtcClient): Instrumented {
  let subscriptions = 0;
  let contexts = 0;
  const counted = <T>(source: Observable<T>): Observable<T> =>
    new Observable<T>((subscriber) => {
      subscriptions++;
      const inner = source.subscribe(subscriber);
      return () => {
        subscriptions--;
        inner.unsubscribe();
      };
    });
  const registration = (unregister: () => void) => {
    contexts++;
    let done = false;
    return () => {
      if (!done) contexts--;
      done = true;
      unregister();
    };
  };
  const wrapped: RtcClient = Object.create(client, {
    room$: { value: counted(client.room$) },
    peers$: { value: counted(client.peers$) },
    remoteStreams$: { value: counted(client.remoteStreams$) },
    localStream$: { value: counted(client.localStream$) },
    connection$: { value: counted(client.connection$) },
    events$: { value: counted(client.events$) },
    volume$: { value: counted(client.volume$) },
    netStatus$: { value: counted(client.netStatus$) },
    pusher$: { value: counted(client.pusher$) },
    playerSettings$: { value: counted(client.playerSettings$) },
    select: { value: <T>(selector: (s: RoomState) => T) => counted(client.select(selector)) },
    registerPusherContext: {
      value: (...args: Parameters<RtcClient['registerPusherContext']>) =>
        registration(client.registerPusherContext(...args)),
    },
    registerPlayerContext: {
      value: (...args: Parameters<RtcClient['registerPlayerContext']>) =>
        registration(client.registerPlayerContext(...args)),
    },
  }) as RtcClient;
  return { client: wrapped, subscriptions: () => subscriptions, contexts: () => contexts };
}

/** Per-test cleanup for component tests: see {@link componentScope}. */
export interface ComponentScope {
  /** Renders a component; it is detached after the test (if still attached), even when the test fails. */
  render(id: string, props?: Record<string, unknown>): SimRoot;
  /** Registers a client under `name` for the test; it is unregistered and destroyed afterwards. */
  register(client: RtcClient, name?: string): void;
  /** Runs `undo` after the test. */
  defer(undo: () => void): void;
}

/**
 * Installs an `afterEach` that detaches what the test rendered and destroys what it registered, so
 * a failing test cannot leave a component listening to the next test's clients; it then checks the
 * registry is empty again.
 */
export function componentScope(): ComponentScope {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    cleanup.splice(0).forEach((undo) => undo());
    expect(getClient()).toBeUndefined();
  });
  return {
    render(id, props = {}) {
      const comp = simulate.render(id, props);
      const [attach, detach] = [comp.attach.bind(comp), comp.detach.bind(comp)];
      let attached = false;
      comp.attach = (parentNode) => {
        attach(parentNode);
        attached = true;
      };
      comp.detach = () => {
        if (attached) detach();
        attached = false;
      };
      cleanup.unshift(() => comp.detach());
      return comp;
    },
    register(client, name) {
      const unregister = registerClient(client, name);
      cleanup.push(() => {
        unregister();
        client.destroy();
      });
    },
    defer(undo) {
      cleanup.push(undo);
    },
  };
}

/** The value a replaying stream (a client's state streams) holds now. */
export function latest<T>(source: Observable<T>): T {
  let value: T | undefined;
  source.subscribe((v) => (value = v)).unsubscribe();
  return value as T;
}

/** Every native event the client receives from now on. */
export function nativeEvents(client: RtcClient): NativeEvent[] {
  const seen: NativeEvent[] = [];
  client.events$.subscribe((e) => {
    if (e.type === 'native') seen.push(e.event);
  });
  return seen;
}

/** A context double: records calls and completes each at once. */
export interface ContextDouble {
  readonly args: unknown[];
  readonly calls: string[];
}

/**
 * Replaces `wx.createLivePlayerContext` / `wx.createLivePusherContext` (simulate's are async stubs)
 * with doubles that record what media recovery asks of them. Returns the records.
 */
export function recordContexts(scope: ComponentScope, kind: 'player' | 'pusher'): ContextDouble[] {
  const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  const key = kind === 'player' ? 'createLivePlayerContext' : 'createLivePusherContext';
  const original = wx[key];
  const records: ContextDouble[] = [];
  wx[key] = (...args: unknown[]) => {
    const record: ContextDouble = { args, calls: [] };
    records.push(record);
    const call =
      (name: string) =>
      (o: { success?: () => void; complete?: () => void } = {}) => {
        record.calls.push(name);
        o.success?.();
        o.complete?.();
      };
    return { play: call('play'), start: call('start'), stop: call('stop') };
  };
  scope.defer(() => (wx[key] = original));
  return records;
}

/**
 * The attributes an inner native element (`<live-pusher>`, `<live-player>`) was last rendered with,
 * by WXML name: j-component keeps each node's virtual tree entry (`_vt`) with its evaluated attrs.
 */
export function attributesOf(element: SimComponent): Record<string, unknown> {
  const node = (
    element as unknown as { _exparserNode: { _vt?: { attrs?: { name: string; value: unknown }[] } } }
  )._exparserNode;
  return Object.fromEntries((node._vt?.attrs ?? []).map((a) => [a.name, a.value]));
}
