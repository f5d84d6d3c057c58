/**
 * Benchmark 1: the setData cost of a real room page, trtc-wx-sdk against rxroom, on the same trace.
 * See bench/setdata/*.ts for the trace, both pages and the truth the rxroom page is checked against.
 */
import type { SchedulerLike } from 'rxjs';
import { setDataStats, type SetDataStats } from '../lib/fake-page';
import { round } from '../lib/common';
import { runRxroomPage, type PageDriver } from '../setdata/rxroom-page';
import { generateTrace, traceCounts, VOLUME_PERIOD_MS } from '../setdata/trace';
import { loadTrtc, runTrtcPage, USER_SIG, type TrtcProfile } from '../setdata/trtc-page';
import { checkPage, computeTruth, newAccumulator, playersAt, type LagBounds } from '../setdata/truth';

/** connectSetData's default coalescing window. */
const FRAME_MS = 50;

/** A page value may be at most one coalescing window stale; `speaking` may also be one volume period early. */
export const BOUNDS: LagBounds = {
  lag: { structure: FRAME_MS, volume: FRAME_MS, speaking: FRAME_MS, quality: FRAME_MS },
  lead: { structure: 0, volume: 0, speaking: VOLUME_PERIOD_MS, quality: 0 },
};

const perMinute = (s: SetDataStats, durationMs: number) => {
  const k = 60_000 / durationMs;
  return {
    calls: Math.round(s.calls * k),
    bytes: Math.round(s.bytes * k),
    maxPayload: s.maxPayload,
    peakCallsPerSecond: s.peakCallsPerSecond,
    noopCalls: Math.round(s.noopCalls * k),
  };
};

export interface SetDataOptions {
  readonly users?: readonly number[];
  readonly durationMs?: number;
  readonly seed?: number;
}

type DriverFactory = (page: object, scheduler: SchedulerLike) => PageDriver;

/**
 * rxroom over the real trtc-wx-sdk: the project's TRTC driver (src/bindings/drivers/trtc.ts, if it
 * is there) with the same SDK package underneath, the app subscribing with autoSubscribe and
 * binding the driver's `<live-pusher>` attributes too. Null when the driver cannot be loaded.
 */
async function trtcDriverFactory(): Promise<{ make: DriverFactory | null; error?: string }> {
  try {
    const { trtcDriver } = await import('../../src/bindings/drivers/trtc');
    type Options = Parameters<typeof trtcDriver>[0];
    const TRTC = loadTrtc() as unknown as Options['TRTC'];
    return {
      make: (page, scheduler) => {
        const driver = trtcDriver({ TRTC, page, sdkAppId: 1400000001, logLevel: 4, scheduler });
        return { driver, livePusher$: driver.pusher$, autoSubscribe: true, token: USER_SIG, roomId: '1234' };
      },
    };
  } catch (e) {
    return { make: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export async function runSetData(options: SetDataOptions = {}) {
  const usersList = options.users ?? [4, 9, 16, 20];
  const durationMs = options.durationMs ?? 60_000;
  const seed = options.seed ?? 1;
  const viaTrtc = await trtcDriverFactory();
  const rows = [];
  for (const users of usersList) {
    const trace = generateTrace({ users, durationMs, seed });
    const truth = computeTruth(trace);
    const trtc: Record<string, ReturnType<typeof perMinute> & { replayMs: number }> = {};
    let trtcPlayerMismatches = 0;
    let telemetryRequests = 0;
    for (const profile of ['demo', 'demo+net'] as TrtcProfile[]) {
      const run = runTrtcPage(trace, profile);
      trtc[profile] = {
        ...perMinute(setDataStats(run.page.calls), durationMs),
        replayMs: round(run.replayMs, 1),
      };
      telemetryRequests += run.telemetryRequests;
      run.playersPerSecond.forEach((n, i) => {
        if (n !== playersAt(truth, (i + 1) * 1000)) trtcPlayerMismatches++;
      });
    }
    const acc = newAccumulator();
    const rx = runRxroomPage(trace, {
      frameMs: FRAME_MS,
      onSecond: (t, page) => checkPage(truth, page.view, t, BOUNDS, acc),
    });
    const rxroom = { ...perMinute(setDataStats(rx.page.calls), durationMs), replayMs: round(rx.replayMs, 1) };

    let overTrtc = null;
    if (viaTrtc.make) {
      const acc2 = newAccumulator();
      // The SDK prints its pusher reset on exitRoom with console.log whatever the log level.
      const log = console.log;
      console.log = () => undefined;
      let run;
      try {
        run = runRxroomPage(trace, {
          frameMs: FRAME_MS,
          makeDriver: viaTrtc.make,
          onSecond: (t, page) => checkPage(truth, page.view, t, BOUNDS, acc2),
        });
      } finally {
        console.log = log;
      }
      overTrtc = {
        ...perMinute(setDataStats(run.page.calls), durationMs),
        replayMs: round(run.replayMs, 1),
        bytesRatioToDemo: 0,
        correctness: {
          comparisons: acc2.compared,
          failed: acc2.failed,
          failures: acc2.failures.slice(0, 5),
          maxLagMs: acc2.maxLag,
          maxLeadMs: acc2.maxLead,
          errors: run.errors.slice(0, 5),
        },
      };
    }
    const ratio = (profile: string) => ({
      calls: round(rxroom.calls / trtc[profile]!.calls, 5),
      bytes: round(rxroom.bytes / trtc[profile]!.bytes, 5),
      maxPayload: round(rxroom.maxPayload / trtc[profile]!.maxPayload, 4),
    });
    if (overTrtc) overTrtc.bytesRatioToDemo = round(overTrtc.bytes / trtc.demo!.bytes, 5);
    rows.push({
      users,
      trace: { seed, durationMs, ...traceCounts(trace) },
      trtc,
      rxroom,
      rxroomOverTrtc: overTrtc,
      ratio: { demo: ratio('demo'), 'demo+net': ratio('demo+net') },
      correctness: {
        checks: acc.checks,
        comparisons: acc.compared,
        failed: acc.failed,
        failures: acc.failures,
        maxLagMs: acc.maxLag,
        maxLeadMs: acc.maxLead,
        bounds: BOUNDS,
        rxroomErrors: rx.errors.slice(0, 5),
        trtcPlayerCountMismatches: trtcPlayerMismatches,
        trtcTelemetryRequests: telemetryRequests,
      },
    });
  }
  return { frameMs: FRAME_MS, rows, rxroomOverTrtcError: viaTrtc.error ?? null };
}
