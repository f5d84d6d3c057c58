/**
 * Marble tests for a policy with a second input (who is speaking). Both inputs are hot
 * observables on the same virtual clock, so the diagram shows how the plan reacts to each.
 * Read the diagrams column by column: each column is one frame.
 */
import { TestScheduler } from 'rxjs/testing';
import { topSpeakersWithVideo } from './top-speakers-with-video';
import { A, AV, plansOf, roomWith, streamOf } from './test-rooms';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const people = ['ann', 'bob', 'cat', 'dan', 'eve'].map((u) => streamOf(u));

describe('topSpeakersWithVideo', () => {
  it('gives video to the top speakers only, and audio to everyone', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const room$ = hot('r------', { r: roomWith(people) });
      const speakers$ = hot('a-b-c--', {
        a: [], // silence: nobody gets video
        b: ['eve', 'bob'], // two people talk
        c: ['cat', 'eve', 'bob'], // cat joins in: with n = 2, bob falls out
      });
      const policy = topSpeakersWithVideo(speakers$, 2);
      expectObservable(policy(plansOf(room$), room$)).toBe('a-b-c--', {
        a: { 'ann:main': A, 'bob:main': A, 'cat:main': A, 'dan:main': A, 'eve:main': A },
        b: { 'ann:main': A, 'bob:main': AV, 'cat:main': A, 'dan:main': A, 'eve:main': AV },
        c: { 'ann:main': A, 'bob:main': A, 'cat:main': AV, 'dan:main': A, 'eve:main': AV },
      });
    });
  });

  it('waits for the first list of speakers, like any combineLatest', () => {
    // A lesson in itself: with no speakers$ value yet there is no plan, so nothing is subscribed.
    // Feed it a starting value (activeSpeaker emits [] at once) and the room starts right away.
    scheduler().run(({ hot, expectObservable }) => {
      const room$ = hot('r---', { r: roomWith(people.slice(0, 1)) });
      const speakers$ = hot('---s', { s: [] as string[] });
      expectObservable(topSpeakersWithVideo(speakers$)(plansOf(room$), room$)).toBe('---p', {
        p: { 'ann:main': A },
      });
    });
  });

  it('keeps screen shares with video and drops a silent video-only camera', () => {
    const screen = streamOf('dan', { kind: 'screen', hasAudio: false });
    const silentCam = streamOf('eve', { hasAudio: false });
    scheduler().run(({ hot, expectObservable }) => {
      const room$ = hot('r', { r: roomWith([screen, silentCam, streamOf('ann')]) });
      const speakers$ = hot('s', { s: ['ann'] });
      expectObservable(topSpeakersWithVideo(speakers$, 4)(plansOf(room$), room$)).toBe('p', {
        p: { 'dan:screen': { audio: false, video: true, small: false }, 'ann:main': AV },
      });
    });
  });
});
