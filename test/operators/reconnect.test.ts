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
import { RtcError } from '../../src/errors';
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
});
