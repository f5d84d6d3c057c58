import type { Observable } from 'rxjs';
import {
  asyncScheduler,
  auditTime,
  EMPTY,
  filter,
  groupBy,
  map,
  mergeMap,
  catchError,
  type SchedulerLike,
} from 'rxjs';
import type { RtcClient } from '../streams/client/types';
import type { StatsReport } from '../streams/command';
import type { RoomEventOf } from '../streams/room-event';
import { isConnected } from '../streams/model';

/** Options of {@link reportStats}. */
export interface ReportStatsOptions {
  /** Send net status at most once per this many ms per component (the latest wins). Default 5000. */
  readonly netInterval?: number;
  /** Send state codes at most once per this many ms per component (the latest wins). Default 1000. */
  readonly stateInterval?: number;
}

/** The part of the client stats reporting drives. */
export type ReportStatsTarget = Pick<RtcClient, 'events$' | 'state' | 'report'>;

function toReport(
  e: RoomEventOf<'native'>['event'],
): { key: string; kind: 'net' | 'state'; report: StatsReport } | null {
  switch (e.type) {
    case 'pusher-state':
      return {
        key: 'pusher-state',
        kind: 'state',
        report: {
          kind: 'pusher-state',
          code: e.code,
          ...(e.message ? { message: e.message.slice(0, 500) } : {}),
        },
      };
    case 'player-state':
      return e.streamId
        ? {
            key: `player-state ${e.streamId}`,
            kind: 'state',
            report: { kind: 'player-state', streamId: e.streamId, code: e.code },
          }
        : null;
    case 'pusher-net':
      return {
        key: 'pusher-net',
        kind: 'net',
        report: { kind: 'pusher-net', info: e.info as Record<string, number> },
      };
    case 'player-net':
      return e.streamId
        ? {
            key: `player-net ${e.streamId}`,
            kind: 'net',
            report: { kind: 'player-net', streamId: e.streamId, info: e.info as Record<string, number> },
          }
        : null;
    default:
      return null;
  }
}

/**
 * Sends pusher/player state and net status to the server as `report` requests (Volcengine's
 * report* calls), sampled: per component, at most one state report per `stateInterval` and one
 * net report per `netInterval`, the latest winning. Nothing is sent while not connected, and a
 * failed report is dropped: monitoring must never disturb the call.
 *
 * `createClient` runs it by default (`reportStats: false` turns it off); with `createRoomClient`,
 * run it yourself when you want it.
 *
 * @example
 * ```ts
 * reportStats(client, { netInterval: 10_000 }).subscribe()
 * ```
 */
export function reportStats(
  client: ReportStatsTarget,
  options: ReportStatsOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<StatsReport> {
  const netInterval = options.netInterval ?? 5000;
  const stateInterval = options.stateInterval ?? 1000;
  return client.events$.pipe(
    filter((e): e is RoomEventOf<'native'> => e.type === 'native'),
    map((e) => toReport(e.event)),
    filter((r): r is NonNullable<typeof r> => r !== null),
    groupBy((r) => r.key),
    mergeMap((group$) =>
      group$.pipe(auditTime(group$.key.includes('-net') ? netInterval : stateInterval, scheduler)),
    ),
    filter(() => isConnected(client.state.connection) && !!client.state.roomId),
    mergeMap((r) =>
      client.report(r.report).pipe(
        map(() => r.report),
        catchError(() => EMPTY),
      ),
    ),
  );
}
