/**
 * One session of the built-in driver (from a join to its end, across reconnections) and what
 * every part of the driver shares: options, timers and the event output.
 */
import { Subject, type Observable, type SchedulerLike, Subscription as RxSubscription } from 'rxjs';
import type { Capability, CommandOf, JoinResult } from '../../streams/command';
import type { ConnectionState, KickReason, SelfState, Subscription } from '../../streams/model';
import type { RoomEvent } from '../../streams/room-event';
import type { WantedPublication, WantedSubscription } from '../restore';
import { holdToken, type HeldToken } from '../token-renewal';
import type { ProtocolDriverOptions } from './driver-options';
import type { SignalChannel } from './signal-channel';

/** What every part of one driver shares. */
export interface DriverContext {
  readonly options: ProtocolDriverOptions;
  readonly scheduler: SchedulerLike;
  /** Ms to wait for each ack. */
  readonly requestTimeout: number;
  /** Emits a RoomEvent on the driver's `events$`. */
  readonly emit: (event: RoomEvent) => void;
  /** Emits a connection state (as a `connection` RoomEvent). */
  readonly report: (state: ConnectionState) => void;
}

/** What the client wants to keep across a full rejoin. */
export interface Wanted {
  readonly publications: Map<string, WantedPublication>;
  readonly subscriptions: Map<string, WantedSubscription>;
}

export interface Session {
  readonly join: CommandOf<'join'>;
  /** The latest token (the join's, then renewals'): what every resume or rejoin presents. */
  readonly held: HeldToken;
  sessionId: string | null;
  lastSeq: number;
  channel: SignalChannel | null;
  leaving: boolean;
  kicked: KickReason | null;
  joinedOnce: boolean;
  self: { role: SelfState['role']; visible: boolean; businessId?: string };
  readonly wanted: Wanted;
  readonly joined$: Subject<JoinResult>;
  loop: RxSubscription | null;
  /** A request went unanswered: the next resume asks for a snapshot, the server's truth. */
  uncertain: boolean;
  /** Drops the current connection so the reconnect logic resumes (set while connected). */
  resync: ((why: string) => void) | null;
  /** This session's subscriptions as the server last confirmed them. */
  readonly live: Map<string, Subscription>;
  /** Subscribe requests in flight, by stream, so identical ones are sent once. */
  readonly subscribing: Map<string, { readonly key: string; readonly request$: Observable<Subscription> }>;
  /** Restores and re-subscriptions running in the background; stopped when the session ends. */
  readonly background: RxSubscription;
  /** Wanted subscriptions waiting for their stream to come back after a rejoin, with their expiry. */
  readonly pending: Map<string, RxSubscription>;
}

/** Every command and feature of the rxroom protocol. */
export const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'join',
  'leave',
  'publish',
  'unpublish',
  'subscribe',
  'unsubscribe',
  'mute-local',
  'mute-remote',
  'set-visibility',
  'set-role',
  'set-business-id',
  'set-attributes',
  'get-attributes',
  'delete-attributes',
  'send-message',
  'report',
  'resume',
  'small-stream',
  'screen',
  'invisible',
  'renew-token',
]);

/** A new session for a join command, not yet connected. */
export function createSession(join: CommandOf<'join'>): Session {
  return {
    join,
    held: holdToken(join.token),
    sessionId: null,
    lastSeq: 0,
    channel: null,
    leaving: false,
    kicked: null,
    joinedOnce: false,
    self: {
      role: join.role,
      visible: join.visible,
      ...(join.businessId ? { businessId: join.businessId } : {}),
    },
    wanted: { publications: new Map(), subscriptions: new Map() },
    joined$: new Subject<JoinResult>(),
    loop: null,
    background: new RxSubscription(),
    uncertain: false,
    resync: null,
    live: new Map(),
    subscribing: new Map(),
    pending: new Map(),
  };
}
