/**
 * The frozen-player watchdog in virtual time (marbles). The room comes from a client over a
 * driver that answers commands as the Driver contract says; the players' evidence comes as the
 * decoded native events `<live-player>` gives (PLATFORM.md §4: bindstatechange 2003 "first video
 * packet (IDR)", 2004 "playback started"; bindnetstatus `info.videoFPS`). The player context
 * follows WeChat's LivePlayerContext: `stop`/`play` take `{ success, fail, complete }` callbacks
 * (here answered at once).
 */
import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createRoomClient } from '../../src/streams/client/room-client';
import {
  frozenPlayerWatchdog,
  videoExpected,
  type FrozenPlayerEvent,
  type FrozenPlayerWatchdogOptions,
} from '../../src/operators/frozen-player-watchdog';
import { decodePlayerStateChange, type NativeEvent } from '../../src/bindings/native/decode';
import type { PlayerContext } from '../../src/bindings/platform';
import type { MediaSymptom } from '../../src/streams/command';
import type { StreamDescriptor, Subscription } from '../../src/streams/model';
import { scriptedDriver } from '../support/scripted-driver';
import { joined, stream, subscription } from '../support/room-fixtures';

const BOB = 'bob:main';
type Callbacks = { success?: () => void; complete?: () => void };

function fakePlayerContext(calls: string[]): PlayerContext {
  return {
    stop: (o?: Callbacks) => {
      calls.push('stop');
      o?.success?.();
      o?.complete?.();
    },
    play: (o?: Callbacks) => {
      calls.push('play');
      o?.success?.();
      o?.complete?.();
    },
  };
}

/** A client in a room where bob publishes and this client subscribes to him. */
function room(
  s: Partial<StreamDescriptor> = {},
  sub: Partial<Subscription> = {},
  recovers: MediaSymptom[] = [],
) {
  const d = scriptedDriver({ recovers });
  const { driver, commands, emit } = d;
  const client = createRoomClient({ driver });
  d.state = () => client.state;
  emit(joined({ streams: [stream('bob', s)], subscriptions: [subscription(BOB, sub)] }));
  const contextCalls: string[] = [];
  const options: FrozenPlayerWatchdogOptions = {
    frozenAfter: 3000,
    initialDelay: 1000,
    jitter: 'none',
    playerContext: () => fakePlayerContext(contextCalls),
  };
  return { client, commands, emit, contextCalls, options };
}

const fps = (videoFPS: number): NativeEvent => ({ type: 'player-net', streamId: BOB, info: { videoFPS } });
const code = (c: number): NativeEvent =>
  decodePlayerStateChange({ currentTarget: { id: 'x', dataset: { streamId: BOB } }, detail: { code: c } });

/** Short names for the events: `1:restart-play scheduled 1000`. */
const short = (o: Observable<FrozenPlayerEvent>) =>
  o.pipe(
    map((e) => `${e.attempt}:${e.action} ${e.outcome}${e.outcome === 'scheduled' ? ` ${e.delay}` : ''}`),
  );

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
});

describe('frozenPlayerWatchdog', () => {
  it('restarts a frozen player, then resubscribes with backoff, then gives up; video brings it back', () => {
    scheduler.run(({ hot, expectObservable, flush }) => {
      const t = room();
      // Net status every second, video FPS 0 throughout; video at last at 13 s.
      const samples = `${'a 999ms '.repeat(13)}b`;
      hot(samples, { a: fps(0), b: fps(15) }).subscribe((e) => t.client.dispatchNative(e));
      expectObservable(short(frozenPlayerWatchdog(t.client, t.options, scheduler)), '^ 17999ms !').toBe(
        '3000ms a 999ms b 2999ms c 1999ms d 2999ms e 999ms f 2999ms g 999ms h',
        {
          a: '1:restart-play scheduled 1000',
          b: '1:restart-play done',
          c: '2:resubscribe scheduled 2000',
          d: '2:resubscribe done',
          e: '2:resubscribe gave-up',
          f: '2:resubscribe recovered',
          // Video stopped again after 13 s: the ladder starts again at its first rung.
          g: '1:restart-play scheduled 1000',
          h: '1:restart-play done',
        },
      );
      flush();
      expect(t.contextCalls).toEqual(['stop', 'play', 'stop', 'play']);
      expect(t.commands.map((c) => c.type)).toEqual(['unsubscribe', 'subscribe']);
      expect(t.client.state.streams.get(BOB)?.subscription).toMatchObject({ audio: true, video: true });
    });
  });

  it('leaves a healthy player alone: video every second, or a first video packet then frames', () => {
    scheduler.run(({ hot, expectObservable, flush }) => {
      const t = room();
      hot(`a 999ms ${'b 999ms '.repeat(20)}`, { a: code(2003), b: fps(15) }).subscribe((e) =>
        t.client.dispatchNative(e),
      );
      expectObservable(short(frozenPlayerWatchdog(t.client, t.options, scheduler)), '^ 20s !').toBe('');
      flush();
      expect(t.contextCalls).toEqual([]);
      expect(t.commands).toEqual([]);
    });
  });

  it('ignores audio-only players: asked without video, video muted by its owner or by this client, or no video track', () => {
    for (const [s, sub] of [
      [{}, { video: false }],
      [{ videoMuted: true }, {}],
      [{}, { videoMuted: true }],
      [{ hasVideo: false }, {}],
    ] as [Partial<StreamDescriptor>, Partial<Subscription>][]) {
      scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
      scheduler.run(({ hot, expectObservable, flush }) => {
        const t = room(s, sub);
        expect(videoExpected(t.client.state, BOB)).toBe(false);
        // Playback started (2004) with audio only, and no video frames at all.
        hot(`a ${'999ms b '.repeat(20)}`, { a: code(2004), b: fps(0) }).subscribe((e) =>
          t.client.dispatchNative(e),
        );
        expectObservable(short(frozenPlayerWatchdog(t.client, t.options, scheduler)), '^ 20s !').toBe('');
        flush();
        expect(t.contextCalls).toEqual([]);
      });
    }
  });

  it('a recovery resets the ladder: the next freeze starts again at restart-play', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const t = room();
      // Frozen from the start (the player reports, no video); first video packet at 5 s; nothing after it.
      hot('z 4999ms a', { z: code(2001), a: code(2003) }).subscribe((e) => t.client.dispatchNative(e));
      expectObservable(short(frozenPlayerWatchdog(t.client, t.options, scheduler)), '^ 10s !').toBe(
        '3000ms a 999ms b 999ms c 2999ms d 999ms e',
        {
          a: '1:restart-play scheduled 1000',
          b: '1:restart-play done',
          c: '1:restart-play recovered',
          d: '1:restart-play scheduled 1000',
          e: '1:restart-play done',
        },
      );
    });
  });

  it('starts watching when video is unmuted, waits while the app is hidden, drops a rung when the stream goes', () => {
    scheduler.run(({ hot, cold, expectObservable, flush }) => {
      const t = room({ videoMuted: true });
      cold('1000ms a 7499ms b', {
        a: () => t.emit({ type: 'stream-updated', stream: stream('bob') }),
        b: () => t.emit({ type: 'stream-removed', streamId: BOB, userId: 'bob', reason: 'unpublished' }),
      }).subscribe((f) => f());
      // Hidden from 2 s to 5 s: the deadline starts again at the show (5 s + 3 s).
      hot('z', { z: fps(0) }).subscribe((e) => t.client.dispatchNative(e));
      const hidden$ = hot('2000ms h 2999ms s', { h: true, s: false });
      expectObservable(
        short(frozenPlayerWatchdog(t.client, { ...t.options, hidden$ }, scheduler)),
        '^ 20s !',
      ).toBe('8000ms a', { a: '1:restart-play scheduled 1000' });
      flush();
      // Bob unpublished during the backoff: the restart never happens.
      expect(t.contextCalls).toEqual([]);
    });
  });

  it('a freeze that outlasts a hide is acted on after the show, with a fresh deadline', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const t = room();
      hot('z', { z: fps(0) }).subscribe((e) => t.client.dispatchNative(e));
      const hidden$ = hot('2000ms h 4999ms s', { h: true, s: false });
      expectObservable(
        short(frozenPlayerWatchdog(t.client, { ...t.options, hidden$ }, scheduler)),
        '^ 10500ms !',
      ).toBe('10000ms a', { a: '1:restart-play scheduled 1000' });
    });
  });

  it('waits while media recovery works on the same player (−2301), so one owner acts at a time', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const t = room();
      hot('z', { z: fps(0) }).subscribe((e) => t.client.dispatchNative(e));
      const recovery = (outcome: 'scheduled' | 'done') => () =>
        t.emit({
          type: 'media-recovery',
          action: 'restart-play',
          streamId: BOB,
          attempt: 1,
          delay: 1000,
          outcome,
        });
      cold('2000ms a 1999ms b', { a: recovery('scheduled'), b: recovery('done') }).subscribe((f) => f());
      expectObservable(short(frozenPlayerWatchdog(t.client, t.options, scheduler)), '^ 7500ms !').toBe(
        '7000ms a',
        { a: '1:restart-play scheduled 1000' },
      );
    });
  });

  it('watches only players that report: one never rendered (or headless) is not frozen, until it speaks', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const t = room();
      hot('10s z', { z: fps(0) }).subscribe((e) => t.client.dispatchNative(e));
      expectObservable(short(frozenPlayerWatchdog(t.client, t.options, scheduler)), '^ 13500ms !').toBe(
        '13000ms a',
        { a: '1:restart-play scheduled 1000' },
      );
    });
  });

  it('stands down entirely when the driver recovers frozen players by itself', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const t = room({}, {}, ['player-frozen']);
      hot('z', { z: fps(0) }).subscribe((e) => t.client.dispatchNative(e));
      expect(t.client.driverRecovers.has('player-frozen')).toBe(true);
      expectObservable(short(frozenPlayerWatchdog(t.client, t.options, scheduler)), '^ 20s !').toBe('');
    });
  });
});
