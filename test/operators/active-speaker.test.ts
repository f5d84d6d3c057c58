import { marbles } from 'rxjs-marbles/jest';
import type { Observable } from 'rxjs';
import { activeSpeaker } from '../../src/operators/active-speaker';
import { PersistentMap } from '../../src/streams/persistent-map';

/** Marble values as the client's volume maps. */
const levels = (values: Record<string, Record<string, number>>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, PersistentMap.from(v)]));

/** Records [virtual time, value] pairs: clearer than marble strings for lists at odd frames. */
function record<T>(m: { scheduler: { now(): number; flush(): void } }, o: Observable<T>): [number, T][] {
  const out: [number, T][] = [];
  o.subscribe((v) => out.push([m.scheduler.now(), v]));
  m.scheduler.flush();
  return out;
}

describe('activeSpeaker', () => {
  it(
    'lists speakers loudest first, holds them through short pauses, and drops them after the hold',
    marbles((m) => {
      const volume$ = m.cold(
        'a-b-c-d 10ms e',
        levels({
          a: { bob: 50, carol: 5 },
          b: { bob: 30, carol: 60 },
          c: { bob: 0, carol: 60 }, // bob pauses: still held
          d: { bob: 0, carol: 0 }, // both silent: the most recent speaker stays first
          e: { bob: 0, carol: 40 },
        }),
      );
      expect(record(m, activeSpeaker(volume$, { threshold: 20, hold: 5 }, m.scheduler))).toEqual([
        [0, []],
        [0, ['bob']],
        [2, ['carol', 'bob']],
        [9, ['carol']], // bob first heard quiet at 4, held 5
        [11, []], // carol first heard quiet at 6
        [17, ['carol']],
      ]);
    }),
  );

  it(
    'forgets users who leave the volume map at once',
    marbles((m) => {
      const volume$ = m.cold('a-b', levels({ a: { bob: 90 }, b: {} }));
      expect(record(m, activeSpeaker(volume$, { hold: 100 }, m.scheduler))).toEqual([
        [0, []],
        [0, ['bob']],
        [2, []],
      ]);
    }),
  );
});
