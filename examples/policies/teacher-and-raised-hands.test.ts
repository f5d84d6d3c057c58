/**
 * How to test a policy with marbles (RxJS TestScheduler):
 *
 * 1. Describe the room over time as a hot observable: one letter per frame, each letter a
 *    RoomState built with the real reducer (see test-rooms.ts).
 * 2. Derive `plan$` from it exactly as autoSubscribe does (`plansOf`).
 * 3. Run the policy and compare what it emits, frame by frame, with an expected marble diagram.
 *
 * Inside `run()`, time is virtual: `-` is one frame, a letter is a value in that frame.
 */
import { TestScheduler } from 'rxjs/testing';
import { teacherAndRaisedHands } from './teacher-and-raised-hands';
import { AV, plansOf, roomWith, streamOf } from './test-rooms';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const teacher = streamOf('ms-lee');
const ann = streamOf('ann');
const bob = streamOf('bob');

describe('teacherAndRaisedHands', () => {
  it('subscribes the teacher always and a student only while their hand is up', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const room$ = hot('a-b-c-d', {
        a: roomWith([teacher, ann, bob]), // nobody's hand is up
        b: roomWith([teacher, ann, bob], { 'hand:ann': 'up' }), // ann raises her hand
        c: roomWith([teacher, ann, bob], { 'hand:ann': 'up', topic: 'fractions' }), // not a hand
        d: roomWith([teacher, ann, bob], {}), // ann lowers it
      });
      const policy = teacherAndRaisedHands('ms-lee');

      // Frame c changes only an unrelated attribute: the policy stays quiet (no letter at c).
      expectObservable(policy(plansOf(room$), room$)).toBe('a-b---d', {
        a: { 'ms-lee:main': AV },
        b: { 'ms-lee:main': AV, 'ann:main': AV },
        d: { 'ms-lee:main': AV },
      });
    });
  });

  it('follows the teacher across new streams (a screen share) and ignores hands that are not "up"', () => {
    const screen = streamOf('ms-lee', { kind: 'screen', hasAudio: false });
    scheduler().run(({ hot, expectObservable }) => {
      const room$ = hot('a-b', {
        a: roomWith([teacher, bob], { 'hand:bob': 'maybe' }),
        b: roomWith([teacher, screen, bob], { 'hand:bob': 'maybe' }),
      });
      expectObservable(teacherAndRaisedHands('ms-lee')(plansOf(room$), room$)).toBe('a-b', {
        a: { 'ms-lee:main': AV },
        b: { 'ms-lee:main': AV, 'ms-lee:screen': { audio: false, video: true, small: false } },
      });
    });
  });

  it('reads hands under another prefix when told to', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const room$ = hot('a', { a: roomWith([teacher, ann], { 'raised/ann': 'up' }) });
      expectObservable(
        teacherAndRaisedHands('ms-lee', { handPrefix: 'raised/' })(plansOf(room$), room$),
      ).toBe('a', { a: { 'ms-lee:main': AV, 'ann:main': AV } });
    });
  });
});
