import { BehaviorSubject, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { expectTypeOf } from 'expect-type';
import { rxBehavior, type RxBehaviorDefinition, type SetDataTarget } from '../../../src/bindings/page';
import { RecordingPage } from './recording-page';

function virtual() {
  const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  return scheduler;
}

/** A component instance with a `streamId` property, as `this` inside its lifetimes. */
class FakeComponent extends RecordingPage {
  constructor(
    clock: { now(): number },
    readonly streamId: string,
  ) {
    super(clock);
  }
}

describe('rxBehavior', () => {
  it('subscribes each instance on attached and unsubscribes on detached, with no call after', () => {
    const scheduler = virtual();
    const volumes$ = new BehaviorSubject<Record<string, number>>({ a: 1, b: 2 });
    const definition = rxBehavior<FakeComponent>(
      { viewModel: (c) => volumes$.pipe(map((v) => ({ level: v[c.streamId] ?? 0 }))) },
      scheduler,
    );
    const a = new FakeComponent(scheduler, 'a');
    const b = new FakeComponent(scheduler, 'b');
    definition.lifetimes.attached.call(a);
    definition.lifetimes.attached.call(b);
    scheduler.flush();
    volumes$.next({ a: 5, b: 2 });
    scheduler.flush();
    expect(a.calls.map((c) => c.payload)).toEqual([{ level: 1 }, { level: 5 }]);
    expect(b.calls.map((c) => c.payload)).toEqual([{ level: 2 }]);

    definition.lifetimes.detached.call(a);
    volumes$.next({ a: 9, b: 9 });
    scheduler.flush();
    expect(a.calls).toHaveLength(2);
    expect(b.data).toEqual({ level: 9 });
    definition.lifetimes.detached.call(b);
    expect(volumes$.observed).toBe(false);
  });

  it('pauses while the page is hidden (pageLifetimes) unless told not to', () => {
    const scheduler = virtual();
    const view$ = new BehaviorSubject<object>({ v: 0 });
    const paused = rxBehavior({ viewModel: () => view$ }, scheduler);
    const eager = rxBehavior({ viewModel: () => view$, pauseWhileHidden: false }, scheduler);
    const [p, e] = [new RecordingPage(scheduler), new RecordingPage(scheduler)];
    paused.lifetimes.attached.call(p);
    eager.lifetimes.attached.call(e);
    paused.pageLifetimes.hide.call(p);
    eager.pageLifetimes.hide.call(e);
    view$.next({ v: 1 });
    scheduler.flush();
    expect(p.calls).toHaveLength(0);
    expect(e.calls).toHaveLength(1);
    paused.pageLifetimes.show.call(p);
    scheduler.flush();
    expect(p.calls.map((c) => c.payload)).toEqual([{ v: 1 }]);
  });

  it('ignores detached without attached, and page lifetimes of a detached instance', () => {
    const definition = rxBehavior({ viewModel: () => new BehaviorSubject({}) });
    const page = new RecordingPage({ now: () => 0 });
    definition.lifetimes.detached.call(page);
    definition.pageLifetimes.show.call(page);
    definition.pageLifetimes.hide.call(page);
    expect(page.calls).toEqual([]);
  });

  it("returns a definition that WeChat's Behavior() accepts (checked by the compiler)", () => {
    const definition = rxBehavior({ viewModel: () => new BehaviorSubject({ ok: true }) });
    // Never called: the global Behavior is the platform's, and tests do not touch it. The call
    // type-checking against the official typings is the assertion.
    const register = (behavior: WechatMiniprogram.Behavior.Constructor) => behavior(definition);
    expectTypeOf(register).parameter(0).toEqualTypeOf<WechatMiniprogram.Behavior.Constructor>();
    expectTypeOf(definition).toEqualTypeOf<RxBehaviorDefinition<SetDataTarget>>();
    expect(Object.keys(definition.lifetimes)).toEqual(['attached', 'detached']);
  });
});
