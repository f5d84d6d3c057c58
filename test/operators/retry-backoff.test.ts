import { defer } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { backoffDelay, retryBackoff } from '../../src/operators/retry-backoff';
import { RtcError } from '../../src/errors';

describe('backoffDelay', () => {
  const config = { initialDelay: 100, maxDelay: 1000 };
  it('grows exponentially up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, { ...config, jitter: 'none' }, () => 0.5));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('full jitter spreads between 0 and the value; equal jitter between half and the value', () => {
    expect(backoffDelay(3, { ...config, jitter: 'full' }, () => 0)).toBe(0);
    expect(backoffDelay(3, { ...config, jitter: 'full' }, () => 0.999)).toBe(399);
    expect(backoffDelay(3, { ...config, jitter: 'equal' }, () => 0)).toBe(200);
    expect(backoffDelay(3, { ...config, jitter: 'equal' }, () => 0.5)).toBe(300);
  });
});

describe('retryBackoff', () => {
  const error = new RtcError('TIMEOUT', 'late');

  it(
    'waits 2, 4, 8 frames between attempts (no jitter) and gives up after maxAttempts',
    marbles((m) => {
      const source = m.cold('-#', undefined, error);
      const result = source.pipe(
        retryBackoff({ initialDelay: 2, jitter: 'none', maxAttempts: 3 }, m.scheduler),
      );
      m.expect(result).toBeObservable('- 2ms - 4ms - 8ms -#', undefined, error);
      m.expect(source).toHaveSubscriptions(['^!', '---^!', '--------^!', '-----------------^!']);
    }),
  );

  it(
    'caps the delay',
    marbles((m) => {
      const source = m.cold('-#', undefined, error);
      const result = source.pipe(
        retryBackoff({ initialDelay: 2, maxDelay: 3, jitter: 'none', maxAttempts: 3 }, m.scheduler),
      );
      m.expect(result).toBeObservable('- 2ms - 3ms - 3ms -#', undefined, error);
    }),
  );

  it(
    'uses the injected random source for jitter',
    marbles((m) => {
      const source = m.cold('-#', undefined, error);
      const result = source.pipe(
        retryBackoff({ initialDelay: 10, jitter: 'full', random: () => 0.5, maxAttempts: 1 }, m.scheduler),
      );
      m.expect(result).toBeObservable('- 5ms -#', undefined, error);
    }),
  );

  it(
    'lets errors that shouldRetry refuses through at once',
    marbles((m) => {
      const kicked = new RtcError('KICKED', 'bye');
      const source = m.cold('-#', undefined, kicked);
      const result = source.pipe(
        retryBackoff({ initialDelay: 1, shouldRetry: (e) => (e as RtcError).code !== 'KICKED' }, m.scheduler),
      );
      m.expect(result).toBeObservable('-#', undefined, kicked);
    }),
  );

  it(
    'starts counting again after a success',
    marbles((m) => {
      // attempts: fail, fail, emit-then-fail, fail, complete. With maxAttempts 2 this only gets
      // through because the value of attempt 3 resets the count.
      const attempts = ['-#', '-#', '-a#', '-#', '-b|'];
      let i = 0;
      const source = defer(() => m.cold(attempts[i++]!, { a: 'A', b: 'B' }, error));
      const result = source.pipe(
        retryBackoff({ initialDelay: 1, jitter: 'none', maxAttempts: 2 }, m.scheduler),
      );
      // delays: 1, 2, (reset) 1, 2 frames
      m.expect(result).toBeObservable('------a-----b|', { a: 'A', b: 'B' });
    }),
  );
});
