import type { Observable } from 'rxjs';
import { BehaviorSubject, defer, map, of, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { autoSubscribe, type AutoSubscribeReport } from '../../src/operators/auto-subscribe';
import { diffPlan, planAll } from '../../src/operators/subscription-plan';
import { subscribeAll } from '../../src/operators/subscribe-all';
import { onlyUsers } from '../../src/operators/only-users';
import { maxVideo } from '../../src/operators/max-video';
import { preferScreenShare } from '../../src/operators/prefer-screen-share';
import { audioOnlyWhen } from '../../src/operators/audio-only-when';
import { activeSpeakers } from '../../src/operators/active-speakers';
import { combinePolicies } from '../../src/operators/combine-policies';
import { RtcError } from '../../src/errors';
import { reduceRoom } from '../../src/streams/reduce-room';
import type { RoomState, Subscription } from '../../src/streams/model';
import type { RoomEvent } from '../../src/streams/room-event';
import { joined, reduceAll, stream, subscription } from '../support/room-fixtures';

/** A room whose subscribe/unsubscribe take `latency` frames, like a server round trip. */
class FakeRoom {
  readonly state: BehaviorSubject<RoomState>;
  readonly calls: string[] = [];
  failNext: RtcError | null = null;
  constructor(
    readonly scheduler: TestScheduler,
    initial: RoomState,
    readonly latency = 3,
  ) {
    this.state = new BehaviorSubject(initial);
  }
  readonly room$ = defer(() => this.state);
  apply(...events: RoomEvent[]) {
    this.state.next(events.reduce(reduceRoom, this.state.value));
  }
  subscribe = (
    streamId: string,
    o: { audio?: boolean; video?: boolean; small?: boolean } = {},
  ): Observable<Subscription> => {
    this.calls.push(
      `sub ${streamId} ${o.audio ? 'A' : '-'}${o.video ? 'V' : '-'}${o.small ? 's' : ''} @${this.scheduler.now()}`,
    );
    const failure = this.failNext;
    this.failNext = null;
    return timer(this.latency, this.scheduler).pipe(
      map(() => {
        if (failure) throw failure;
        if (!this.state.value.streams.get(streamId)) throw new RtcError('STREAM_NOT_FOUND', streamId);
        const sub = subscription(streamId, { audio: !!o.audio, video: !!o.video, small: !!o.small });
        this.apply({ type: 'subscribed', subscription: sub });
        return sub;
      }),
    );
  };
  unsubscribe = (streamId: string): Observable<void> => {
    this.calls.push(`unsub ${streamId} @${this.scheduler.now()}`);
    return timer(this.latency, this.scheduler).pipe(
      map(() => this.apply({ type: 'unsubscribed', streamId })),
    );
  };
}

function setup(initial: RoomState = reduceAll([joined({ streams: [stream('bob'), stream('carol')] })])) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.maxFrames = 10_000;
  const room = new FakeRoom(scheduler, initial);
  return { scheduler, room };
}

describe('diffPlan', () => {
  const s = reduceAll([
    joined({ streams: [stream('bob'), stream('carol'), stream('dave')] }),
    { type: 'subscribed', subscription: subscription('carol:main') },
    { type: 'subscribed', subscription: subscription('dave:main') },
  ]);
  it('subscribes what is wanted and missing, resubscribes changed options, unsubscribes the unwanted', () => {
    const plan = {
      'bob:main': { audio: true, video: true, small: false },
      'carol:main': { audio: true, video: false, small: false },
      'ghost:main': { audio: true, video: true, small: false },
    };
    expect(diffPlan(s, plan)).toEqual([
      { type: 'subscribe', streamId: 'bob:main', options: plan['bob:main'] },
      { type: 'subscribe', streamId: 'carol:main', options: plan['carol:main'] },
      { type: 'unsubscribe', streamId: 'dave:main' },
    ]);
  });
  it('leaves busy streams alone and does nothing when all is as wanted', () => {
    expect(diffPlan(s, planAll(s), new Set(['bob:main']))).toEqual([]);
    expect(diffPlan(s, {}, new Set(['carol:main', 'dave:main']))).toEqual([]);
  });
});

describe('autoSubscribe', () => {
  it('subscribes every stream once, and new streams as they come', () => {
    const { scheduler, room } = setup();
    const reports: AutoSubscribeReport[] = [];
    const sub = autoSubscribe(room, subscribeAll(), {}, scheduler).subscribe((r) => reports.push(r));
    scheduler.schedule(
      () => room.apply({ type: 'stream-added', stream: stream('dave', { hasVideo: false }) }),
      10,
    );
    scheduler.flush();
    expect(room.calls).toEqual(['sub bob:main AV @0', 'sub carol:main AV @0', 'sub dave:main A- @10']);
    expect(reports.every((r) => r.ok)).toBe(true);
    expect([...room.state.value.streams.values()].every((s) => s.subscription)).toBe(true);
    sub.unsubscribe();
  });

  it('costs one reconciliation for a burst of stream events', () => {
    const { scheduler, room } = setup(reduceAll([joined()]));
    autoSubscribe(room, subscribeAll(), { settle: 5 }, scheduler).subscribe();
    scheduler.schedule(() => {
      for (const u of ['a', 'b', 'c', 'd']) room.apply({ type: 'stream-added', stream: stream(u) });
      room.apply({ type: 'stream-removed', streamId: 'b:main', userId: 'b', reason: 'unpublished' });
    }, 10);
    scheduler.flush();
    expect(room.calls).toEqual(['sub a:main AV @15', 'sub c:main AV @15', 'sub d:main AV @15']);
  });

  it('never duplicates or contradicts a command in flight: the stream is looked at again afterwards', () => {
    const { scheduler, room } = setup(reduceAll([joined({ streams: [stream('bob')] })]));
    const video = new BehaviorSubject(true);
    autoSubscribe(room, audioOnlyWhen(video.pipe(map((v) => !v))), {}, scheduler).subscribe();
    // while the first subscribe (t0–3) is in flight, the plan flips twice
    scheduler.schedule(() => video.next(false), 1);
    scheduler.schedule(() => video.next(true), 2);
    scheduler.schedule(() => video.next(false), 5);
    scheduler.flush();
    expect(room.calls).toEqual(['sub bob:main AV @0', 'sub bob:main A- @5']);
    expect(room.state.value.streams.get('bob:main')?.subscription?.video).toBe(false);
  });

  it('drops a stream removed while its subscribe is in flight, without retrying', () => {
    const { scheduler, room } = setup(reduceAll([joined({ streams: [stream('bob')] })]));
    const reports: AutoSubscribeReport[] = [];
    autoSubscribe(room, subscribeAll(), {}, scheduler).subscribe((r) => reports.push(r));
    scheduler.schedule(
      () =>
        room.apply({ type: 'stream-removed', streamId: 'bob:main', userId: 'bob', reason: 'unpublished' }),
      1,
    );
    scheduler.flush();
    expect(room.calls).toEqual(['sub bob:main AV @0']);
    expect(reports).toEqual([
      expect.objectContaining({
        type: 'subscribe',
        streamId: 'bob:main',
        ok: false,
        error: expect.objectContaining({ code: 'STREAM_NOT_FOUND' }),
      }),
    ]);
    expect(room.state.value.streams.size).toBe(0);
  });

  it('reports a failure and does not hammer the server: the same command waits retryAfter, a new stream is tried at once', () => {
    const { scheduler, room } = setup(reduceAll([joined({ streams: [stream('bob')] })]));
    room.failNext = new RtcError('NOT_ALLOWED', 'subscribe privilege missing');
    const reports: AutoSubscribeReport[] = [];
    const sub = autoSubscribe(room, subscribeAll(), { retryAfter: 50 }, scheduler).subscribe((r) =>
      reports.push(r),
    );
    // a change that does not touch the streams is no reason to try again before retryAfter
    scheduler.schedule(
      () => room.apply({ type: 'peer-joined', peer: { userId: 'x', role: 'audience', visible: true } }),
      10,
    );
    scheduler.schedule(() => sub.unsubscribe(), 100);
    scheduler.flush();
    expect(reports[0]).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    // failed at 3 (latency), tried again at 3 + 50
    expect(room.calls).toEqual(['sub bob:main AV @0', 'sub bob:main AV @53']);
    expect(reports[1]).toMatchObject({ ok: true });
  });

  it('tries a failed command again at once when the streams change', () => {
    const { scheduler, room } = setup(reduceAll([joined({ streams: [stream('bob')] })]));
    room.failNext = new RtcError('TIMEOUT', 'no answer');
    autoSubscribe(room, subscribeAll(), { retryAfter: 1000 }, scheduler).subscribe();
    scheduler.schedule(() => room.apply({ type: 'stream-added', stream: stream('carol') }), 10);
    scheduler.schedule(() => undefined, 20);
    scheduler.flush();
    expect(room.calls.slice(0, 3)).toEqual([
      'sub bob:main AV @0',
      'sub bob:main AV @10',
      'sub carol:main AV @10',
    ]);
  });

  it('unsubscribes what the policy no longer wants, and stops acting when unsubscribed', () => {
    const { scheduler, room } = setup();
    const users = new BehaviorSubject<string[]>(['bob', 'carol']);
    const sub = autoSubscribe(room, onlyUsers(users), {}, scheduler).subscribe();
    scheduler.schedule(() => users.next(['carol']), 10);
    scheduler.schedule(() => sub.unsubscribe(), 20);
    scheduler.schedule(() => users.next([]), 30);
    scheduler.flush();
    expect(room.calls).toEqual(['sub bob:main AV @0', 'sub carol:main AV @0', 'unsub bob:main @10']);
  });
});

describe('policies', () => {
  const room = reduceAll([
    joined({
      streams: [
        stream('a'),
        stream('b'),
        stream('c', { hasVideo: false }),
        stream('d'),
        stream('d', { kind: 'screen', hasAudio: false }),
      ],
    }),
  ]);
  const run = (policy: ReturnType<typeof subscribeAll>) => {
    let out: unknown;
    policy(of(planAll(room)), of(room)).subscribe((p) => (out = p));
    return out as Record<string, { audio: boolean; video: boolean; small: boolean }>;
  };
  const short = (plan: Record<string, { audio: boolean; video: boolean; small: boolean }>) =>
    Object.fromEntries(
      Object.entries(plan).map(([id, w]) => [
        id,
        `${w.audio ? 'A' : '-'}${w.video ? 'V' : '-'}${w.small ? 's' : ''}`,
      ]),
    );

  it('subscribeAll', () => {
    expect(short(run(subscribeAll()))).toEqual({
      'a:main': 'AV',
      'b:main': 'AV',
      'c:main': 'A-',
      'd:main': 'AV',
      'd:screen': '-V',
    });
    expect(short(run(subscribeAll({ small: true })))['a:main']).toBe('AVs');
  });
  it('onlyUsers', () => {
    expect(Object.keys(run(onlyUsers(['a', 'd']))).sort()).toEqual(['a:main', 'd:main', 'd:screen']);
  });
  it('maxVideo follows the rank, then a stable order; a screen share counts as a video', () => {
    expect(short(run(maxVideo(2, of(['d']))))).toEqual({
      'a:main': 'A-',
      'b:main': 'A-',
      'c:main': 'A-',
      'd:main': 'AV',
      'd:screen': '-V',
    });
    expect(short(run(maxVideo(2, of(['b']))))).toEqual({
      'a:main': 'AV',
      'b:main': 'AV',
      'c:main': 'A-',
      'd:main': 'A-',
    });
  });
  it('preferScreenShare', () => {
    expect(short(run(preferScreenShare()))).toEqual({
      'a:main': 'AVs',
      'b:main': 'AVs',
      'c:main': 'A-s',
      'd:main': 'AVs',
      'd:screen': '-V',
    });
  });
  it('audioOnlyWhen', () => {
    expect(short(run(audioOnlyWhen(of(true))))).toEqual({
      'a:main': 'A-',
      'b:main': 'A-',
      'c:main': 'A-',
      'd:main': 'A-',
    });
    expect(Object.keys(run(audioOnlyWhen(of(false))))).toHaveLength(5);
  });
  it('activeSpeakers', () => {
    expect(Object.keys(run(activeSpeakers(2, of(['c', 'a', 'b']))))).toEqual(['a:main', 'c:main']);
  });
  it('combinePolicies chains left to right', () => {
    // the screen loses its video to maxVideo before preferScreenShare can see it …
    expect(
      short(run(combinePolicies(onlyUsers(['a', 'b', 'd']), maxVideo(1, of(['b'])), preferScreenShare()))),
    ).toEqual({
      'a:main': 'A-',
      'b:main': 'AV',
      'd:main': 'A-',
    });
    // … while in the other order preferScreenShare sees the screen and sends the cameras small
    expect(short(run(combinePolicies(preferScreenShare(), maxVideo(1, of(['d'])))))).toEqual({
      'a:main': 'A-s',
      'b:main': 'A-s',
      'c:main': 'A-s',
      'd:main': 'AVs',
    });
  });
});
