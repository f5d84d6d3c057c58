import { BehaviorSubject, Observable, Subject, defer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { bindPage, toViewData, type SetDataTarget } from '../../../src/bindings/page';
import { RecordingPage } from './recording-page';

type Hooks = {
  onLoad(query: Record<string, string | undefined>): void;
  onUnload(): void;
  onShow(): void;
  onHide(): void;
};

/** What `Page(options)` does, for our purposes: an instance with the hooks and a copy of `data`. */
function instantiate(options: object, clock: { now(): number }): RecordingPage & Hooks {
  const { data, ...rest } = options as { data?: Record<string, unknown> };
  return Object.assign(new RecordingPage(clock, toViewData(data ?? {})), rest) as RecordingPage & Hooks;
}

function virtual() {
  const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  return scheduler;
}

describe('bindPage', () => {
  it('subscribes on load, sends coalesced diffs, and makes no call after unload', () => {
    const scheduler = virtual();
    const view$ = new BehaviorSubject<object>({ players: [{ id: 'a', volume: 0 }] });
    const page = instantiate(bindPage({ data: { own: 1 } }, view$, {}, scheduler), scheduler);
    expect(view$.observed).toBe(false);

    page.onLoad({});
    expect(view$.observed).toBe(true);
    scheduler.flush();
    expect(page.calls.map((c) => c.payload)).toEqual([{ players: [{ id: 'a', volume: 0 }] }]);

    for (let v = 1; v <= 10; v++) view$.next({ players: [{ id: 'a', volume: v }] });
    scheduler.flush();
    expect(page.calls.map((c) => c.payload)).toEqual([
      { players: [{ id: 'a', volume: 0 }] },
      { 'players[0].volume': 10 },
    ]);

    view$.next({ players: [{ id: 'a', volume: 99 }] }); // a window is open when the page unloads
    page.onUnload();
    view$.next({ players: [{ id: 'a', volume: 100 }] });
    scheduler.flush();
    expect(page.calls).toHaveLength(2);
    expect(view$.observed).toBe(false);
    expect(page.data).toEqual({ own: 1, players: [{ id: 'a', volume: 10 }] });
    expect(page.violations).toEqual([]);
  });

  it("keeps the page's own hooks: onLoad before connecting, onUnload after disconnecting", () => {
    const scheduler = virtual();
    const order: string[] = [];
    const view$ = new Subject<object>();
    const options = bindPage(
      {
        onLoad(this: SetDataTarget & { ready?: boolean }, query: Record<string, string | undefined>) {
          order.push(`user onLoad ${query.room}`);
          this.ready = true;
        },
        onUnload() {
          order.push(`user onUnload, observed: ${view$.observed}`);
        },
        onShow() {
          order.push('user onShow');
        },
        onHide() {
          order.push('user onHide');
        },
        custom: 42,
      },
      (page: SetDataTarget & { ready?: boolean }, query) => {
        order.push(`factory ready=${page.ready} room=${query.room}`);
        return view$;
      },
      {},
      scheduler,
    );
    expect(options.custom).toBe(42);
    const page = instantiate(options, scheduler);
    page.onLoad({ room: 'r1' });
    page.onShow();
    page.onHide();
    page.onUnload();
    expect(order).toEqual([
      'user onLoad r1',
      'factory ready=true room=r1',
      'user onShow',
      'user onHide',
      'user onUnload, observed: false',
    ]);
  });

  it('gives every page instance its own connection', () => {
    const scheduler = virtual();
    const options = bindPage(
      {},
      (page: RecordingPage) => new BehaviorSubject({ who: page === first ? 1 : 2 }),
      {},
      scheduler,
    );
    const first = instantiate(options, scheduler);
    const second = instantiate(options, scheduler);
    first.onLoad({});
    second.onLoad({});
    scheduler.flush();
    first.onUnload();
    expect(first.data).toEqual({ who: 1 });
    expect(second.data).toEqual({ who: 2 });
  });

  it('pauses while the page is hidden and catches up with one call on show', () => {
    const scheduler = virtual();
    const view$ = new BehaviorSubject<object>({ v: 0 });
    const page = instantiate(bindPage({}, view$, {}, scheduler), scheduler);
    page.onLoad({});
    page.onShow();
    scheduler.flush();
    page.onHide();
    for (let v = 1; v <= 5; v++) view$.next({ v });
    scheduler.flush();
    expect(page.calls).toHaveLength(1);
    page.onShow();
    scheduler.flush();
    expect(page.calls.map((c) => c.payload)).toEqual([{ v: 0 }, { v: 5 }]);
  });

  it('keeps sending while hidden with pauseWhileHidden: false', () => {
    const scheduler = virtual();
    const view$ = new BehaviorSubject<object>({ v: 0 });
    const page = instantiate(bindPage({}, view$, { pauseWhileHidden: false }, scheduler), scheduler);
    page.onLoad({});
    page.onHide();
    scheduler.flush();
    view$.next({ v: 1 });
    scheduler.flush();
    expect(page.calls.map((c) => c.payload)).toEqual([{ v: 0 }, { v: 1 }]);
  });

  it('reconnects cleanly if onLoad runs twice on one instance', () => {
    const scheduler = virtual();
    let subscriptions = 0;
    const view$ = defer(() => {
      subscriptions++;
      return new Observable<object>(() => () => subscriptions--);
    });
    const page = instantiate(bindPage({}, view$, {}, scheduler), scheduler);
    page.onLoad({});
    page.onLoad({});
    expect(subscriptions).toBe(1);
    page.onUnload();
    expect(subscriptions).toBe(0);
  });
});
