/**
 * The truth of a trace, independent of rxroom: what a correct room page shows at any time, as one
 * step function per field, computed from the trace events alone with the documented semantics of
 * the ready view model (RoomViewModel in src/operators/room-view-model.ts and the operators it
 * names):
 *
 * - players: one per user that has joined, has not left, and has audio or video on; sorted by
 *   stream id; `muted` = audio off, `videoOff` = video off, `url` = the announced play URL;
 * - volume: the latest reading, rounded to multiples of 10 (volumeStep); 0 before any reading;
 * - speaking (activeSpeaker, threshold 20, hold 1500 ms): the latest reading is ≥ 20, or the level
 *   has been below 20 for less than 1500 ms (since the first quiet reading after a loud one);
 * - quality (netQuality, recoverAfter 3000 ms): netQualityLevel 1–2 good, 3 fair, 4–6 poor; a
 *   worse reading shows at once; the quality goes up to the best level every reading of the last
 *   3000 ms reached;
 * - the pusher: publishing, mic and camera on from room entry (1018); volume, speaking, quality as
 *   above from its own events; peerCount: users joined and not left.
 *
 * The page is then checked against it: a page value is correct at time T if the truth had that
 * value at some instant in [T − lag, T] (lag: how stale the page is), or, for `speaking` only, will
 * have it at some instant in [T, T + lead] (a tolerance kept from when activeSpeaker ended holds up
 * to one volume period early; it now counts the hold from the first quiet reading, as here).
 */
import type { Json } from '../lib/fake-page';
import type { Trace, TraceRoomUser } from './trace';

export type TruthValue = string | number | boolean | null;

export const VOLUME_STEP = 10;
export const SPEAK_THRESHOLD = 20;
export const SPEAK_HOLD_MS = 1500;
export const RECOVER_AFTER_MS = 3000;

/** A step function of time: `values[i]` holds from `times[i]` (inclusive) to `times[i+1]`. */
export class Timeline {
  readonly times: number[] = [];
  readonly values: TruthValue[] = [];

  /**
   * Appends a change. Several changes at the same ms are all kept (a value held for 0 ms still
   * happened: a page that shows it has seen the truth at that instant).
   */
  set(t: number, value: TruthValue): void {
    const n = this.values.length;
    if (n > 0 && this.values[n - 1] === value) return;
    this.times.push(t);
    this.values.push(value);
  }

  /** Index of the step in force just before `t` (events at exactly `t` not yet applied), or -1. */
  private indexBefore(t: number): number {
    let lo = 0;
    let hi = this.times.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! < t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The value just before `t`. */
  valueBefore(t: number): TruthValue {
    const i = this.indexBefore(t);
    return i < 0 ? null : this.values[i]!;
  }

  /** How soon the truth takes `value` after `t` (0 if it has it now); Infinity if never. */
  lead(value: TruthValue, t: number): number {
    const i = this.indexBefore(t);
    if ((i < 0 ? null : this.values[i]) === value) return 0;
    for (let j = i + 1; j < this.values.length; j++) if (this.values[j] === value) return this.times[j]! - t;
    return Infinity;
  }

  /**
   * How stale `value` is at `t`: 0 if it is the current truth, else how long ago the truth stopped
   * having it; Infinity if the truth never had it.
   */
  staleness(value: TruthValue, t: number): number {
    const i = this.indexBefore(t);
    if ((i < 0 ? null : this.values[i]) === value) return 0;
    for (let j = i - 1; j >= -1; j--) {
      const v = j < 0 ? null : this.values[j];
      if (v === value) return t - this.times[j + 1]!;
    }
    return Infinity;
  }
}

const quantise = (v: number): number => Math.round(v / VOLUME_STEP) * VOLUME_STEP;

type Quality = 'unknown' | 'good' | 'fair' | 'poor';
const RANK: Record<Quality, number> = { unknown: 0, poor: 1, fair: 2, good: 3 };
const fold = (level: number): Quality =>
  !(level >= 1 && level <= 6) ? 'unknown' : level <= 2 ? 'good' : level === 3 ? 'fair' : 'poor';

/** Per-user speaking and quality state, replayed from readings. */
class Levels {
  level = 0;
  /** When the level fell below the threshold after being at or above it; null if never loud. */
  belowSince: number | null = null;
  shown: Quality = 'unknown';
  /** Since when every reading has reached each level (absent: the last reading did not). */
  readonly reached = new Map<Quality, number>();

  speakingAt(t: number): boolean {
    return this.level >= SPEAK_THRESHOLD || (this.belowSince !== null && t - this.belowSince < SPEAK_HOLD_MS);
  }

  /** When the hold runs out (speaking turns false) if nothing else happens, or null. */
  expiry(): number | null {
    return this.level < SPEAK_THRESHOLD && this.belowSince !== null ? this.belowSince + SPEAK_HOLD_MS : null;
  }

  volume(t: number, v: number): void {
    if (v < SPEAK_THRESHOLD && this.level >= SPEAK_THRESHOLD) this.belowSince = t;
    this.level = v;
  }

  net(t: number, level: number): Quality {
    const reading = fold(level);
    if (reading === 'unknown') return this.shown;
    for (const q of ['good', 'fair'] as const) {
      if (RANK[reading] >= RANK[q]) {
        if (!this.reached.has(q)) this.reached.set(q, t);
      } else this.reached.delete(q);
    }
    if (this.shown === 'unknown' || RANK[reading] <= RANK[this.shown]) this.shown = reading;
    return this.recover(t);
  }

  /** When the quality goes up next if nothing else happens, or null. */
  recoveryAt(): number | null {
    let at: number | null = null;
    for (const q of ['good', 'fair'] as const) {
      if (RANK[q] <= RANK[this.shown]) break;
      const since = this.reached.get(q);
      if (since !== undefined) at = Math.min(at ?? Infinity, since + RECOVER_AFTER_MS);
    }
    return at;
  }

  /** Goes up to the best level every reading of the last RECOVER_AFTER_MS reached, at `t`. */
  recover(t: number): Quality {
    for (const q of ['good', 'fair'] as const) {
      if (RANK[q] <= RANK[this.shown]) break;
      const since = this.reached.get(q);
      if (since !== undefined && t - since >= RECOVER_AFTER_MS) {
        this.shown = q;
        break;
      }
    }
    return this.shown;
  }
}

export interface Truth {
  readonly fields: Map<string, Timeline>;
  /** Stream ids that ever had a player. */
  readonly streamIds: readonly string[];
}

export const PLAYER_FIELDS = ['url', 'muted', 'videoOff', 'volume', 'speaking', 'quality'] as const;
export const PUSHER_FIELDS = [
  'publishing',
  'enableMic',
  'enableCamera',
  'volume',
  'speaking',
  'quality',
] as const;

/** Replays the trace into per-field timelines. */
export function computeTruth(trace: Trace, self = 'me'): Truth {
  const fields = new Map<string, Timeline>();
  const line = (key: string): Timeline => {
    let l = fields.get(key);
    if (!l) fields.set(key, (l = new Timeline()));
    return l;
  };
  const present = new Set<string>();
  const bits = new Map<string, { audio: boolean; video: boolean; url: string }>();
  const levels = new Map<string, Levels>();
  const levelsOf = (user: string) => {
    let l = levels.get(user);
    if (!l) levels.set(user, (l = new Levels()));
    return l;
  };
  const streamIds = new Set<string>();
  const playing = (user: string) => {
    const b = bits.get(user);
    return present.has(user) && !!b && (b.audio || b.video);
  };
  const prefix = (user: string) => (user === self ? 'pusher' : `p/${user}:main`);

  const writePlayers = (t: number) => {
    const ids = [...present]
      .filter(playing)
      .map((u) => `${u}:main`)
      .sort();
    line('players').set(t, ids.join(','));
    line('peerCount').set(t, present.size);
  };
  const writePlayer = (t: number, user: string) => {
    const p = prefix(user);
    const b = bits.get(user);
    if (!playing(user) || !b) {
      for (const f of PLAYER_FIELDS) line(`${p}/${f}`).set(t, null);
      return;
    }
    streamIds.add(`${user}:main`);
    const l = levelsOf(user);
    line(`${p}/url`).set(t, b.url);
    line(`${p}/muted`).set(t, !b.audio);
    line(`${p}/videoOff`).set(t, !b.video);
    line(`${p}/volume`).set(t, quantise(l.level));
    line(`${p}/speaking`).set(t, l.speakingAt(t));
    line(`${p}/quality`).set(t, l.shown);
  };

  // Pending hold expiries: [time, user].
  const expiries = new Map<string, number>();
  /** Fires the entries of `due` (user → time) that fall at or before `until`, earliest first. */
  const runDue = (due: Map<string, number>, until: number, fire: (user: string, at: number) => void) => {
    for (;;) {
      let next: [string, number] | null = null;
      for (const [user, at] of due) if (at <= until && (!next || at < next[1])) next = [user, at];
      if (!next) return;
      due.delete(next[0]);
      fire(next[0], next[1]);
    }
  };
  const runExpiries = (until: number) =>
    runDue(expiries, until, (user, at) => {
      const l = levels.get(user);
      if (!l || l.expiry() !== at) return;
      if (user === self) line('pusher/speaking').set(at, l.speakingAt(at));
      else if (playing(user)) line(`${prefix(user)}/speaking`).set(at, l.speakingAt(at));
    });
  // Pending quality recoveries: user → time.
  const recoveries = new Map<string, number>();
  const runRecoveries = (until: number) =>
    runDue(recoveries, until, (user, at) => {
      const l = levels.get(user);
      if (!l || l.recoveryAt() !== at) return;
      const q = l.recover(at);
      armRecovery(user);
      if (user === self) line('pusher/quality').set(at, q);
      else if (playing(user)) line(`${prefix(user)}/quality`).set(at, q);
    });
  const armRecovery = (user: string) => {
    const at = levelsOf(user).recoveryAt();
    if (at === null) recoveries.delete(user);
    else recoveries.set(user, at);
  };
  const armExpiry = (user: string) => {
    const at = levelsOf(user).expiry();
    if (at === null) expiries.delete(user);
    else expiries.set(user, at);
  };

  // Initial values, before anything happened.
  line('players').set(0, '');
  line('peerCount').set(0, 0);
  line('pusher/publishing').set(0, false);
  line('pusher/enableMic').set(0, false);
  line('pusher/enableCamera').set(0, false);
  line('pusher/volume').set(0, 0);
  line('pusher/speaking').set(0, false);
  line('pusher/quality').set(0, 'unknown');

  for (const e of trace.events) {
    runExpiries(e.t);
    runRecoveries(e.t);
    const t = e.t;
    if (e.source === 'pusher') {
      if (e.bind === 'statechange') {
        if (e.code === 1018) {
          line('pusher/publishing').set(t, true);
          line('pusher/enableMic').set(t, true);
          line('pusher/enableCamera').set(t, true);
        } else if (e.code >= 1031 && e.code <= 1034) {
          const users = (JSON.parse(e.message) as { userlist: TraceRoomUser[] }).userlist;
          for (const u of users) {
            const user = u.userid;
            if (e.code === 1031) present.add(user);
            else if (e.code === 1032) {
              present.delete(user);
              bits.delete(user);
              levels.delete(user);
              expiries.delete(user);
            } else {
              const b = bits.get(user) ?? { audio: false, video: false, url: '' };
              if (u.playurl) b.url = u.playurl;
              if (e.code === 1033 && u.hasvideo !== undefined) b.video = u.hasvideo;
              if (e.code === 1034 && u.hasaudio !== undefined) b.audio = u.hasaudio;
              bits.set(user, b);
            }
            writePlayers(t);
            writePlayer(t, user);
          }
        }
      } else if (e.bind === 'audiovolumenotify') {
        const l = levelsOf(self);
        l.volume(t, e.volume);
        armExpiry(self);
        line('pusher/volume').set(t, quantise(e.volume));
        line('pusher/speaking').set(t, l.speakingAt(t));
      } else {
        line('pusher/quality').set(t, levelsOf(self).net(t, e.info.netQualityLevel));
        armRecovery(self);
      }
      continue;
    }
    if (!present.has(e.userId)) continue;
    const l = levelsOf(e.userId);
    if (e.bind === 'audiovolumenotify') {
      l.volume(t, e.volume);
      armExpiry(e.userId);
    } else {
      l.net(t, e.info.netQualityLevel);
      armRecovery(e.userId);
    }
    writePlayer(t, e.userId);
  }
  runExpiries(trace.durationMs);
  runRecoveries(trace.durationMs);
  return { fields, streamIds: [...streamIds].sort() };
}

export interface CheckAccumulator {
  checks: number;
  /** Field comparisons made. */
  compared: number;
  /** Largest staleness accepted, per field group (ms). */
  readonly maxLag: Record<string, number>;
  /** Largest lead accepted (page ahead of the documented instant), per field group (ms). */
  readonly maxLead: Record<string, number>;
  /** Comparisons outside their bounds (first 20 kept) and their count. */
  readonly failures: string[];
  failed: number;
}

export const newAccumulator = (): CheckAccumulator => ({
  checks: 0,
  compared: 0,
  maxLag: {},
  maxLead: {},
  failures: [],
  failed: 0,
});

export type FieldGroup = 'structure' | 'volume' | 'speaking' | 'quality';

/** How stale (lag) or early (lead) each field group may be, ms. */
export interface LagBounds {
  readonly lag: Readonly<Record<FieldGroup, number>>;
  readonly lead: Readonly<Record<FieldGroup, number>>;
}

const groupOf = (field: string): FieldGroup =>
  field === 'volume'
    ? 'volume'
    : field === 'speaking'
      ? 'speaking'
      : field === 'quality'
        ? 'quality'
        : 'structure';

/** Compares the page's view data at `t` with the truth; accumulates into `acc`. */
export function checkPage(
  truth: Truth,
  view: Record<string, Json>,
  t: number,
  bounds: LagBounds,
  acc: CheckAccumulator,
): void {
  acc.checks++;
  const compare = (key: string, group: FieldGroup, value: TruthValue) => {
    acc.compared++;
    const timeline = truth.fields.get(key);
    const lag = timeline ? timeline.staleness(value, t) : value === null ? 0 : Infinity;
    if (lag <= bounds.lag[group]) {
      acc.maxLag[group] = Math.max(acc.maxLag[group] ?? 0, lag);
      return;
    }
    const lead = timeline ? timeline.lead(value, t) : Infinity;
    if (lead <= bounds.lead[group]) {
      acc.maxLead[group] = Math.max(acc.maxLead[group] ?? 0, lead);
      return;
    }
    acc.failed++;
    if (acc.failures.length < 20) {
      acc.failures.push(
        `t=${t} ${key}: page ${JSON.stringify(value)}, truth ${JSON.stringify(timeline?.valueBefore(t) ?? null)} (lag ${lag} ms, lead ${lead} ms)`,
      );
    }
  };
  const players = (Array.isArray(view.players) ? view.players : []) as Record<string, Json>[];
  compare('players', 'structure', players.map((p) => String(p.streamId)).join(','));
  compare('peerCount', 'structure', typeof view.peerCount === 'number' ? view.peerCount : 0);
  for (const p of players) {
    for (const f of PLAYER_FIELDS) {
      const v = p[f];
      compare(`p/${String(p.streamId)}/${f}`, groupOf(f), v === undefined ? null : (v as TruthValue));
    }
  }
  const pusher = (view.pusher ?? {}) as Record<string, Json>;
  for (const f of PUSHER_FIELDS) {
    const v = pusher[f];
    compare(`pusher/${f}`, groupOf(f), v === undefined ? null : (v as TruthValue));
  }
}

/** Players the truth shows just before `t` (for the trtc harness check). */
export function playersAt(truth: Truth, t: number): number {
  const v = truth.fields.get('players')?.valueBefore(t);
  return typeof v === 'string' && v !== '' ? v.split(',').length : 0;
}
