import type { Observable } from 'rxjs';
import { defer } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { reconnect, isRetryableError } from '../../src/operators/reconnect';
import {
  defaultReconnectPolicy,
  delaysReconnectPolicy,
  exponentialReconnectPolicy,
  noReconnectPolicy,
} from '../../src/operators/reconnect-policy';
import { RTC_ERROR_CODE_LIST, RtcError } from '../../src/errors';
import type { ConnectionState } from '../../src/streams/model';

const lost = new RtcError('CONNECTION_LOST', 'socket closed (1006)');

describe('reconnect policies', () => {
  it('default: LiveKit-like anchors, then 7 s plus up to 1 s of jitter, until the budget', () => {
    const policy = defaultReconnectPolicy({ random: () => 0.25 });
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => policy(a, 0, lost))).toEqual([
      0, 300, 1200, 2700, 4800, 7250, 7250,
    ]);
    expect(policy(8, 59_999, lost)).toBe(7250);
    expect(policy(8, 60_000, lost)).toBeNull();
    expect(defaultReconnectPolicy({ budget: 10 })(1, 10, lost)).toBeNull();
  });

  it('exponential: cap, partial jitter, attempts and budget', () => {
    const policy = exponentialReconnectPolicy({
      initialDelay: 100,
      maxDelay: 500,
      jitter: 0.5,
      random: () => 0,
      maxAttempts: 4,
      budget: 1000,
    });
    expect([1, 2, 3, 4].map((a) => policy(a, 0, lost))).toEqual([50, 100, 200, 250]);
    expect(policy(5, 0, lost)).toBeNull();
    expect(policy(1, 1000, lost)).toBeNull();
  });

  it('default: the jitter is whole milliseconds rounded down, and the budget is 60 s by default', () => {
    const policy = defaultReconnectPolicy({ random: () => 0.9995 });
    expect(policy(6, 0, lost)).toBe(7999);
    expect(policy(6, 59_999, lost)).toBe(7999);
    expect(policy(1, 60_000, lost)).toBeNull();
    expect(defaultReconnectPolicy({ budget: 120_000, random: () => 0 })(6, 60_000, lost)).toBe(7000);
  });

  it('exponential: defaults of 500 ms doubling to a 10 s cap, half of it jitter, no limits', () => {
    expect(
      [1, 2, 3, 5, 6, 7, 40].map((a) => exponentialReconnectPolicy({ random: () => 0 })(a, 0, lost)),
    ).toEqual([250, 500, 1000, 4000, 5000, 5000, 5000]);
    const top = exponentialReconnectPolicy({ random: () => 0.999 });
    expect(top(1, 0, lost)).toBe(499);
    // no attempt limit and no budget unless asked for
    expect(top(1000, 10 ** 9, lost)).toBe(9995);
  });

  it('exponential: jitter outside 0–1 is clamped, and the delay is rounded down', () => {
    const options = { initialDelay: 1000, multiplier: 3, random: () => 0.5 } as const;
    expect(exponentialReconnectPolicy({ ...options, jitter: 2 })(2, 0, lost)).toBe(1500);
    expect(exponentialReconnectPolicy({ ...options, jitter: -1 })(2, 0, lost)).toBe(3000);
    expect(exponentialReconnectPolicy({ ...options, jitter: 0.3 })(1, 0, lost)).toBe(850);
    expect(exponentialReconnectPolicy({ initialDelay: 3, jitter: 0.5, random: () => 0.5 })(1, 0, lost)).toBe(
      2,
    );
  });

  it('exponential: the attempt limit and the budget are inclusive bounds', () => {
    const policy = exponentialReconnectPolicy({ maxAttempts: 2, budget: 100, random: () => 0 });
    expect(policy(2, 99, lost)).toBe(500);
    expect(policy(3, 0, lost)).toBeNull();
    expect(policy(1, 100, lost)).toBeNull();
  });

  it('fixed delays and none', () => {
    const policy = delaysReconnectPolicy([0, 10]);
    expect([1, 2, 3].map((a) => policy(a, 0, lost))).toEqual([0, 10, null]);
    expect(noReconnectPolicy(1, 0, lost)).toBeNull();
  });

  it('retries lost connections but not final errors', () => {
    expect(isRetryableError(lost)).toBe(true);
    expect(isRetryableError(new RtcError('HEARTBEAT_TIMEOUT', 'x'))).toBe(true);
    expect(isRetryableError(new RtcError('TIMEOUT', 'x'))).toBe(true);
    for (const code of ['KICKED', 'TOKEN_EXPIRED', 'ROOM_FULL', 'RECONNECT_FAILED'] as const) {
      expect(isRetryableError(new RtcError(code, 'x'))).toBe(false);
    }
    expect(isRetryableError(new Error('plain'))).toBe(false);
  });

  it('treats exactly the session-ending codes as final', () => {
    const final = RTC_ERROR_CODE_LIST.filter((code) => !isRetryableError(new RtcError(code, 'x')));
    expect([...final].sort()).toEqual(
      [
        'DESTROYED',
        'DOMAIN_NOT_ALLOWED',
        'DUPLICATE_SESSION',
        'INVALID_ARGUMENT',
        'INVALID_STATE',
        'KICKED',
        'NOT_ALLOWED',
        'RECONNECT_FAILED',
        'ROOM_FULL',
        'TOKEN_EXPIRED',
        'TOKEN_INVALID',
        'TOKEN_MISMATCH',
        'TOKEN_MISSING',
        'TOKEN_NOT_YET_VALID',
        'UNSUPPORTED',
      ].sort(),
    );
  });
});

/** A connection: `c` = connected, `#` = lost. Each subscription takes the next marble. */
function connections(
  m: { cold: (s: string, v?: Record<string, unknown>, e?: unknown) => Observable<unknown> },
  marbles: string[],
  error: unknown = lost,
) {
  let i = 0;
  return defer(() => m.cold(marbles[Math.min(i++, marbles.length - 1)]!, { c: undefined }, error));
}

describe('reconnect', () => {
  it(
    'waits as the policy says between attempts and reports each wait',
    marbles((m) => {
      const reports: ConnectionState[] = [];
      const source = connections(m, ['c-#', '-#', '-#', 'c']);
      const result = source.pipe(
        reconnect({ policy: delaysReconnectPolicy([0, 3, 5]), report: (s) => reports.push(s) }, m.scheduler),
      );
      // c at 0, lost at 2; retry at once: lost at 3; wait 3: lost at 7; wait 5: connected at 12
      m.expect(result).toBeObservable('c-----------c', { c: undefined });
      m.flush();
      expect(reports.map((r) => [r.status, r.attempt, r.delay, r.error?.code])).toEqual([
        ['reconnecting', 1, 0, 'CONNECTION_LOST'],
        ['reconnecting', 2, 3, 'CONNECTION_LOST'],
        ['reconnecting', 3, 5, 'CONNECTION_LOST'],
      ]);
    }),
  );

  it(
    'gives up with RECONNECT_FAILED when the policy says so',
    marbles((m) => {
      const source = connections(m, ['c-#', '-#']);
      const result = source.pipe(reconnect({ policy: delaysReconnectPolicy([1, 1]) }, m.scheduler));
      const failed = new RtcError('RECONNECT_FAILED', 'gave up after 2 attempts: socket closed (1006)');
      m.expect(result).toBeObservable('c-----#', { c: undefined }, failed);
    }),
  );

  it(
    'never retries a final error such as a kick',
    marbles((m) => {
      const kicked = new RtcError('KICKED', 'replaced');
      const source = connections(m, ['c-#'], kicked);
      m.expect(source.pipe(reconnect({ policy: delaysReconnectPolicy([0]) }, m.scheduler))).toBeObservable(
        'c-#',
        { c: undefined },
        kicked,
      );
    }),
  );

  it(
    'counts from the start again after each success (attempts and budget)',
    marbles((m) => {
      const reports: ConnectionState[] = [];
      const source = connections(m, ['c-#', '-#', 'c-#', '-#', 'c']);
      const result = source.pipe(
        reconnect({ policy: delaysReconnectPolicy([0, 2]), report: (s) => reports.push(s) }, m.scheduler),
      );
      // c0 #2 → retry 0: #3 → wait 2: c5 #7 → (reset) retry 0: #8 → wait 2: c10
      m.expect(result).toBeObservable('c----c----c', { c: undefined });
      m.flush();
      expect(reports.map((r) => r.attempt)).toEqual([1, 2, 1, 2]);
    }),
  );

  it(
    'waits while offline without spending attempts, and tries at once when back online',
    marbles((m) => {
      const reports: ConnectionState[] = [];
      // like the client's online$, it tells a new subscriber the current state at once:
      // offline when the connection is lost at 3, online again at 12
      const online$ = m.cold('f--------t', { t: true, f: false });
      const source = connections(m, ['c--#', 'c']);
      const result = source.pipe(
        reconnect(
          { policy: delaysReconnectPolicy([100]), online$, report: (s) => reports.push(s) },
          m.scheduler,
        ),
      );
      // lost at 3 while offline: waits for the network (no 100-frame timer), reconnects at 12
      m.expect(result).toBeObservable('c-----------c', { c: undefined });
      m.flush();
      expect(reports).toEqual([
        { status: 'reconnecting', attempt: 1, delay: 100, error: lost.toJSON(), waitingForNetwork: true },
      ]);
    }),
  );

  it(
    'cuts a wait short when woken (app shown)',
    marbles((m) => {
      const wake$ = m.hot('-----w');
      const source = connections(m, ['c-#', 'c']);
      const result = source.pipe(reconnect({ policy: delaysReconnectPolicy([1000]), wake$ }, m.scheduler));
      m.expect(result).toBeObservable('c----c', { c: undefined });
    }),
  );

  it(
    'tells the policy the time since the loss, and starts that clock again after each success',
    marbles((m) => {
      const calls: [number, number, string][] = [];
      const source = connections(m, ['c-#', '-#', '--#', 'c-#', '-#', 'c']);
      const result = source.pipe(
        reconnect(
          {
            policy: (attempt, elapsed, error) => {
              calls.push([attempt, elapsed, error.code]);
              return 2;
            },
          },
          m.scheduler,
        ),
      );
      // c0, lost at 2 → wait 2: lost at 5 → wait 2: lost at 9 → wait 2: c11, lost at 13 (the clock
      // starts again) → wait 2: lost at 16 → wait 2: c18
      m.expect(result).toBeObservable('c----------c------c', { c: undefined });
      m.flush();
      expect(calls).toEqual([
        [1, 0, 'CONNECTION_LOST'],
        [2, 3, 'CONNECTION_LOST'],
        [3, 7, 'CONNECTION_LOST'],
        [1, 0, 'CONNECTION_LOST'],
        [2, 3, 'CONNECTION_LOST'],
      ]);
    }),
  );

  it(
    'gives up once the budget is spent, counting the waits, with the last error as the cause',
    marbles((m) => {
      const source = connections(m, ['c-#', '-#', '-#', 'c']);
      const errors: unknown[] = [];
      source
        .pipe(reconnect({ policy: defaultReconnectPolicy({ budget: 301 }) }, m.scheduler))
        .subscribe({ error: (e: unknown) => errors.push(e) });
      m.flush();
      // lost at 2: attempt 1 at once (lost at 3, 1 ms spent), attempt 2 after 300 ms (lost at 304,
      // 302 ms spent): over the budget, the third attempt is never made
      expect(errors).toHaveLength(1);
      const error = errors[0] as RtcError;
      expect(error).toBeInstanceOf(RtcError);
      expect(error.code).toBe('RECONNECT_FAILED');
      expect(error.reason).toBe('gave up after 2 attempts: socket closed (1006)');
      expect((error as { cause?: unknown }).cause).toBe(lost);
      expect(m.scheduler.now()).toBe(304);
    }),
  );

  it(
    'reports waits without a waitingForNetwork flag when the network is up or unknown',
    marbles((m) => {
      const reports: ConnectionState[] = [];
      const online$ = m.cold('t', { t: true });
      const withNetwork = connections(m, ['c-#', 'c']).pipe(
        reconnect(
          { policy: delaysReconnectPolicy([4]), online$, report: (s) => reports.push(s) },
          m.scheduler,
        ),
      );
      m.expect(withNetwork).toBeObservable('c-----c', { c: undefined });
      m.flush();
      const withoutNetwork = connections(m, ['c-#', 'c']).pipe(
        reconnect({ policy: delaysReconnectPolicy([1]), report: (s) => reports.push(s) }, m.scheduler),
      );
      withoutNetwork.subscribe();
      m.flush();
      expect(reports).toStrictEqual([
        { status: 'reconnecting', attempt: 1, delay: 4, error: lost.toJSON() },
        { status: 'reconnecting', attempt: 1, delay: 1, error: lost.toJSON() },
      ]);
    }),
  );

  it(
    'asks shouldRetry, and hands the policy a non-RtcError wrapped as INTERNAL',
    marbles((m) => {
      const plain = new Error('boom');
      const seen: RtcError[] = [];
      const source = connections(m, ['c-#', 'c'], plain);
      const result = source.pipe(
        reconnect(
          {
            shouldRetry: (e) => e === plain,
            policy: (_attempt, _elapsed, error) => {
              seen.push(error);
              return 1;
            },
          },
          m.scheduler,
        ),
      );
      m.expect(result).toBeObservable('c--c', { c: undefined });
      m.flush();
      expect(seen.map((e) => [e.code, (e as { cause?: unknown }).cause])).toEqual([['INTERNAL', plain]]);
    }),
  );

  it(
    'passes an error shouldRetry refuses through untouched, even a retryable one',
    marbles((m) => {
      const source = connections(m, ['c-#']);
      const result = source.pipe(
        reconnect({ shouldRetry: () => false, policy: delaysReconnectPolicy([0]) }, m.scheduler),
      );
      m.expect(result).toBeObservable('c-#', { c: undefined }, lost);
    }),
  );
});
