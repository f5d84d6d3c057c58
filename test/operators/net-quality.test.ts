import { marbles } from 'rxjs-marbles/jest';
import { foldNetQualityLevel, netQuality } from '../../src/operators/net-quality';
import { PersistentMap } from '../../src/streams/persistent-map';

const map = <V>(record: Record<string, V>) => PersistentMap.from<V>(record);
type Info = { netQualityLevel?: number };

describe('foldNetQualityLevel', () => {
  it.each([
    [undefined, 'unknown'],
    [0, 'unknown'],
    [1, 'good'],
    [2, 'good'],
    [3, 'fair'],
    [4, 'poor'],
    [5, 'poor'],
    [6, 'poor'],
    [7, 'unknown'],
    [Number.NaN, 'unknown'],
  ])('%s → %s', (level, quality) => {
    expect(foldNetQualityLevel(level)).toBe(quality);
  });
});

describe('netQuality', () => {
  it(
    'goes down at once and up only after the better reading lasted',
    marbles((m) => {
      const lv = (n: number) => map({ me: { netQualityLevel: n } });
      // good, poor, good (too soon), good, good (lasted 4 frames) → good
      const net$ = m.cold('a-b-c-d---e', { a: lv(1), b: lv(5), c: lv(2), d: lv(2), e: lv(2) });
      const result = netQuality(net$, { recoverAfter: 6 }, m.scheduler);
      m.expect(result).toBeObservable('a-b-------e', {
        a: map({ me: 'good' }),
        b: map({ me: 'poor' }),
        e: map({ me: 'good' }),
      });
    }),
  );

  it(
    'keeps the last known quality through unknown readings and drops users who leave',
    marbles((m) => {
      const net$ = m.cold('a-b-c', {
        a: map<Info>({ bob: { netQualityLevel: 3 } }),
        b: map<Info>({ bob: {} }),
        c: map<Info>({}),
      });
      m.expect(netQuality(net$, {}, m.scheduler)).toBeObservable('a---c', {
        a: map({ bob: 'fair' }),
        c: map({}),
      });
    }),
  );

  it(
    'recovers when the better readings alternate between better levels (to the least good of them)',
    marbles((m) => {
      const lv = (n: number) => map({ me: { netQualityLevel: n } });
      // poor, then 5,3,2,3,2,…: the old timer restarted on every change of the better level
      const net$ = m.cold('a-b-c-d-e-f-g-h-i', {
        a: lv(5),
        b: lv(5),
        c: lv(3),
        d: lv(2),
        e: lv(3),
        f: lv(2),
        g: lv(3),
        h: lv(2),
        i: lv(3),
      });
      m.expect(netQuality(net$, { recoverAfter: 6 }, m.scheduler)).toBeObservable('a---------x', {
        a: map({ me: 'poor' }),
        x: map({ me: 'fair' }),
      });
    }),
  );

  it(
    'recovers after the wait even when no new reading comes',
    marbles((m) => {
      const lv = (n: number) => map({ me: { netQualityLevel: n } });
      const net$ = m.cold('a-b', { a: lv(5), b: lv(1) });
      m.expect(netQuality(net$, { recoverAfter: 6 }, m.scheduler)).toBeObservable('a-------x', {
        a: map({ me: 'poor' }),
        x: map({ me: 'good' }),
      });
    }),
  );
});
