/**
 * Correctness of the setData benchmark's own machinery (bench/setdata, bench/lib): the trace is
 * deterministic and consistent, the fake page applies data paths as WeChat does, the truth's
 * timelines answer staleness questions, and a short replay of the rxroom page agrees with the truth.
 * No timing is asserted here: benchmarks are not tests.
 */
import { getPath, RecordingPage, setDataStats, setPath, type Json } from '../../bench/lib/fake-page';
import { runRxroomPage } from '../../bench/setdata/rxroom-page';
import {
  generateTrace,
  NET_PERIOD_MS,
  VOLUME_PERIOD_MS,
  type TraceRoomUser,
} from '../../bench/setdata/trace';
import { checkPage, computeTruth, newAccumulator, Timeline } from '../../bench/setdata/truth';

describe('generateTrace', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateTrace({ users: 9, durationMs: 20_000, seed: 7 });
    const b = generateTrace({ users: 9, durationMs: 20_000, seed: 7 });
    const c = generateTrace({ users: 9, durationMs: 20_000, seed: 8 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a.events)).not.toBe(JSON.stringify(c.events));
  });

  it('orders events in time and keeps player events inside each user’s presence', () => {
    const trace = generateTrace({ users: 20 });
    const present = new Set<string>();
    const problems: string[] = [];
    let last = -Infinity;
    for (const e of trace.events) {
      if (e.t < last || e.t >= trace.durationMs) problems.push(`out of order at ${e.t}`);
      last = e.t;
      if (e.source === 'pusher' && e.bind === 'statechange' && (e.code === 1031 || e.code === 1032)) {
        const users = (JSON.parse(e.message) as { userlist: TraceRoomUser[] }).userlist;
        for (const u of users) {
          if (e.code === 1031) present.add(u.userid);
          else present.delete(u.userid);
        }
      }
      if (e.source === 'player' && !present.has(e.userId)) problems.push(`${e.userId} absent at ${e.t}`);
    }
    expect(problems).toEqual([]);
  });

  it('sends volume every 300 ms and net status every second per player, as scheduled', () => {
    const trace = generateTrace({ users: 4, durationMs: 30_000, seed: 3 });
    for (const user of trace.schedule) {
      const mine = trace.events.filter((e) => e.source === 'player' && e.userId === user.userId);
      const volumes = mine.filter((e) => e.bind === 'audiovolumenotify').map((e) => e.t);
      const nets = mine.filter((e) => e.bind === 'netstatus').map((e) => e.t);
      for (let i = 1; i < volumes.length; i++) expect(volumes[i]! - volumes[i - 1]!).toBe(VOLUME_PERIOD_MS);
      for (let i = 1; i < nets.length; i++) expect(nets[i]! - nets[i - 1]!).toBe(NET_PERIOD_MS);
      const end = user.leaveAt ?? trace.durationMs;
      expect(volumes.length).toBeGreaterThan((end - user.joinAt) / VOLUME_PERIOD_MS - 3);
      // muted users report silence
      for (const e of mine) {
        if (e.bind !== 'audiovolumenotify') continue;
        if (user.audioMutes.some(([from, to]) => e.t >= from && e.t < to)) expect(e.volume).toBe(0);
      }
    }
    expect(trace.schedule.some((u) => u.leaveAt !== null)).toBe(true);
    expect(trace.schedule.some((u) => u.audioMutes.length > 0)).toBe(true);
  });
});

describe('RecordingPage', () => {
  it('applies data paths as setData does, creating containers on the way', () => {
    const data: Record<string, Json> = { players: [{ id: 'a', volume: 1 }] };
    expect(setPath(data, 'players[0].volume', 5)).toBe(true);
    expect(setPath(data, 'players[1]', { id: 'b' })).toBe(true);
    expect(setPath(data, 'pusher.net.level', 2)).toBe(true);
    expect(setPath(data, 'players[0].volume', 5)).toBe(false);
    expect(data).toEqual({ players: [{ id: 'a', volume: 5 }, { id: 'b' }], pusher: { net: { level: 2 } } });
    expect(getPath(data, 'players[1].id')).toBe('b');
  });

  it('counts bytes, no-op calls and the busiest second', () => {
    let now = 0;
    const page = new RecordingPage({ list: [] }, () => now);
    page.setData({ list: [1, 2] });
    now = 500;
    page.setData({ list: [1, 2] });
    now = 1500;
    page.setData({ 'list[0]': 3 });
    expect(setDataStats(page.calls)).toEqual({
      calls: 3,
      bytes: 2 * Buffer.byteLength('{"list":[1,2]}') + Buffer.byteLength('{"list[0]":3}'),
      maxPayload: Buffer.byteLength('{"list":[1,2]}'),
      peakCallsPerSecond: 2,
      noopCalls: 1,
    });
  });
});

describe('Timeline', () => {
  it('answers how stale or early a value is', () => {
    const t = new Timeline();
    t.set(0, 'a');
    t.set(100, 'b');
    t.set(100, 'c'); // held for 0 ms, still happened
    t.set(300, 'a');
    expect(t.valueBefore(100)).toBe('a');
    expect(t.valueBefore(101)).toBe('c');
    expect(t.staleness('c', 200)).toBe(0);
    expect(t.staleness('b', 200)).toBe(100);
    expect(t.staleness('a', 350)).toBe(0);
    expect(t.staleness('z', 350)).toBe(Infinity);
    expect(t.lead('a', 250)).toBe(50);
  });
});

describe('the rxroom page against the truth', () => {
  it('shows what the trace says at the end of every second', () => {
    const trace = generateTrace({ users: 6, durationMs: 20_000, seed: 5 });
    const truth = computeTruth(trace);
    const acc = newAccumulator();
    const bounds = {
      lag: { structure: 50, volume: 50, speaking: 50, quality: 50 },
      lead: { structure: 0, volume: 0, speaking: VOLUME_PERIOD_MS, quality: 0 },
    };
    const run = runRxroomPage(trace, { onSecond: (t, page) => checkPage(truth, page.view, t, bounds, acc) });
    expect(run.errors).toEqual([]);
    expect(acc.checks).toBe(20);
    expect(acc.failures).toEqual([]);
    expect(setDataStats(run.page.calls).peakCallsPerSecond).toBeLessThanOrEqual(20);
  });
});
