import { Observable, Subject } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { heartbeat } from '../../src/operators/heartbeat';
import type { LiveLink } from '../../src/bindings/protocol/protocol-driver';
import { RtcError } from '../../src/errors';

describe('heartbeat', () => {
  it(
    'pings after a quiet interval and stays quiet while pongs come back',
    marbles((m) => {
      const pings: number[] = [];
      const received$ = new Subject<void>();
      const link: LiveLink = {
        heartbeat: { interval: 10, timeout: 30 },
        received$,
        ping: () =>
          new Observable<void>((sub) => {
            pings.push(m.scheduler.now());
            // the pong arrives 2 frames later, which is also a received frame
            return m.scheduler.schedule(() => {
              received$.next();
              sub.next();
              sub.complete();
            }, 2);
          }),
      };
      const result = heartbeat({}, m.scheduler)(link);
      m.expect(result, '^ 40ms !').toBeObservable('');
      m.flush();
      expect(pings).toEqual([10, 22, 34]);
    }),
  );

  it(
    'sends no ping while frames keep coming',
    marbles((m) => {
      let pings = 0;
      const received$ = m.hot('--x--x--x--x--x--x--x');
      const link: LiveLink = {
        heartbeat: { interval: 5, timeout: 20 },
        received$: received$.pipe() as unknown as Observable<void>,
        ping: () => new Observable<void>(() => void pings++),
      };
      m.expect(heartbeat({}, m.scheduler)(link), '^ 20ms !').toBeObservable('');
      m.flush();
      expect(pings).toBe(0);
    }),
  );

  it(
    'errors with HEARTBEAT_TIMEOUT when a ping is not answered (half-open socket)',
    marbles((m) => {
      const link: LiveLink = {
        heartbeat: { interval: 10, timeout: 30 },
        received$: m.hot('-'),
        ping: (timeout) => m.cold(`${timeout}ms #`, undefined, new RtcError('TIMEOUT', 'no answer')),
      };
      // ping at 10 with timeout 30 − 10 = 20
      m.expect(heartbeat({}, m.scheduler)(link)).toBeObservable(
        '30ms #',
        undefined,
        new RtcError('HEARTBEAT_TIMEOUT', 'no answer to a ping within 20 ms'),
      );
    }),
  );

  it(
    'checks at once when asked (app back from background) and honours explicit settings',
    marbles((m) => {
      const pings: number[] = [];
      const link: LiveLink = {
        heartbeat: { interval: 1000, timeout: 3000 },
        received$: m.hot('-'),
        ping: () => new Observable<void>(() => void pings.push(m.scheduler.now())),
      };
      const check$ = m.hot('----c');
      m.expect(heartbeat({ interval: 50, timeout: 5, check$ }, m.scheduler)(link), '^ 10ms !').toBeObservable(
        '',
      );
      m.flush();
      expect(pings).toEqual([4]);
    }),
  );
});
