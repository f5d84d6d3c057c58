import { marbles } from 'rxjs-marbles/jest';
import { foldNetQualityLevel, netQuality } from '../../src/operators/net-quality';

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
      const lv = (n: number) => ({ me: { netQualityLevel: n } });
      // good, poor, good (too soon), good, good (lasted 4 frames) → good
      const net$ = m.cold('a-b-c-d---e', { a: lv(1), b: lv(5), c: lv(2), d: lv(2), e: lv(2) });
      const result = netQuality(net$, { recoverAfter: 6 }, m.scheduler);
      m.expect(result).toBeObservable('a-b-------e', {
        a: { me: 'good' },
        b: { me: 'poor' },
        e: { me: 'good' },
      });
    }),
  );

  it(
    'keeps the last known quality through unknown readings and drops users who leave',
    marbles((m) => {
      const net$ = m.cold('a-b-c', { a: { bob: { netQualityLevel: 3 } }, b: { bob: {} }, c: {} });
      m.expect(netQuality(net$, {}, m.scheduler)).toBeObservable('a---c', { a: { bob: 'fair' }, c: {} });
    }),
  );
});
