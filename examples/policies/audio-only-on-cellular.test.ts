/**
 * Marble tests for a policy driven by the device rather than the room: the network type. The
 * network$ marble plays the phone moving between Wi-Fi, 4G and no signal.
 */
import { TestScheduler } from 'rxjs/testing';
import type { NetworkStatus } from 'rxroom';
import { audioOnlyOnCellular, isCellular } from './audio-only-on-cellular';
import { A, AV, plansOf, roomWith, streamOf } from './test-rooms';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const wifi: NetworkStatus = { isConnected: true, networkType: 'wifi' };
const g4: NetworkStatus = { isConnected: true, networkType: '4g' };
const none: NetworkStatus = { isConnected: false, networkType: 'none' };
const g5: NetworkStatus = { isConnected: true, networkType: '5g' };

describe('audioOnlyOnCellular', () => {
  it('drops video on mobile data and brings it back on Wi-Fi', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const room$ = hot('r-------', { r: roomWith([streamOf('ann'), streamOf('bob')]) });
      const network$ = hot('--c-w-c-', { w: wifi, c: g4 });
      const everything = { 'ann:main': AV, 'bob:main': AV };
      const audio = { 'ann:main': A, 'bob:main': A };
      // Before the first status the phone counts as on Wi-Fi (frame 0: full plan).
      expectObservable(audioOnlyOnCellular(network$)(plansOf(room$), room$)).toBe('f-a-f-a-', {
        f: everything,
        a: audio,
      });
    });
  });

  it('keeps the last verdict while offline, and says nothing when the type does not change', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const room$ = hot('r------', { r: roomWith([streamOf('ann')]) });
      //                  4G, signal lost, 4G again (same verdict), then 5G (still cellular)
      const network$ = hot('c-n-c-5', { c: g4, n: none, 5: g5 });
      // Frame 0 holds two plans: the Wi-Fi assumption, then the 4G reading of the same frame. Values
      // in parentheses are emitted in the same frame. autoSubscribe acts once per burst, on the
      // last plan, so the video is never subscribed.
      expectObservable(audioOnlyOnCellular(network$)(plansOf(room$), room$)).toBe('(fa)---', {
        f: { 'ann:main': AV },
        a: { 'ann:main': A },
      });
    });
  });

  it('knows which network types are mobile data', () => {
    expect([wifi, g4, none].map(isCellular)).toEqual([false, true, false]);
    expect(isCellular({ isConnected: true, networkType: 'unknown' })).toBe(false);
  });
});
