/**
 * Command routing: every command method of {@link RtcClient}, each a check (./checks.ts) and one
 * call of the driver, behind the guards every driver shares (destroyed, capability, joined room).
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { AsyncSubject, asyncScheduler, defer, switchMap, tap, throwError, timeout } from 'rxjs';
import { RtcError, asRtcError } from '../../errors';
import type { CommandOf, CommandResult, CommandType, Driver, JoinResult } from '../command';
import type { RoomState } from '../model';
import {
  attributeKeysProblem,
  attributesProblem,
  badNotice,
  badStreamId,
  businessIdProblem,
  deleteKeysProblem,
  joinProblem,
  messageProblem,
  notPublished,
  notSubscribed,
  ownStream,
  publishProblem,
  roleProblem,
  tokenProblem,
  visibilityProblem,
} from './checks';
import type { RtcClient } from './types';

/** The methods of {@link RtcClient} that send a command. */
export type CommandMethods = Pick<
  RtcClient,
  | 'join'
  | 'leave'
  | 'publish'
  | 'unpublish'
  | 'subscribe'
  | 'unsubscribe'
  | 'muteLocal'
  | 'muteRemote'
  | 'setVisibility'
  | 'setRole'
  | 'setBusinessId'
  | 'setAttributes'
  | 'getAttributes'
  | 'deleteAttributes'
  | 'sendMessage'
  | 'report'
  | 'renewToken'
>;

/** What command routing reads of the client. */
export interface CommandContext {
  readonly driver: Driver;
  readonly state: () => RoomState;
  readonly destroyed: () => boolean;
  /** The client's `renewToken` option: handed to the driver with each join, for reconnections. */
  readonly fetchToken?: (() => Observable<string>) | undefined;
  /** How long a command issued during a join waits for it. Default 10,000 ms. */
  readonly requestTimeout?: number;
  /** The scheduler of that wait. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

const fail = <T>(error: RtcError): Observable<T> => throwError(() => error);

/** Runs a command after the checks every driver shares. */
function guarded({ driver, state, destroyed }: CommandContext) {
  return <T extends CommandType>(
    cmd: CommandOf<T>,
    check?: (s: RoomState) => RtcError | null,
  ): Observable<CommandResult<T>> =>
    defer(() => {
      if (destroyed()) return fail<CommandResult<T>>(new RtcError('DESTROYED', 'the client was destroyed'));
      if (!driver.capabilities.has(cmd.type)) {
        return fail<CommandResult<T>>(
          new RtcError('UNSUPPORTED', `${driver.name} does not support ${cmd.type}`),
        );
      }
      const s = state();
      if (cmd.type !== 'join' && !s.roomId) {
        return fail<CommandResult<T>>(new RtcError('NOT_JOINED', `${cmd.type} needs a joined room`));
      }
      const problem = check?.(s);
      return problem ? fail<CommandResult<T>>(problem) : driver.execute(cmd);
    });
}

/** Mute bits as a command carries them: only the ones given. */
const muteBits = (mute: { audio?: boolean; video?: boolean }) => ({
  ...(mute.audio !== undefined ? { audio: mute.audio } : {}),
  ...(mute.video !== undefined ? { video: mute.video } : {}),
});

/** Which command each method sends, for the methods that wait for a join in flight. */
const WAITING: { readonly [M in Exclude<keyof CommandMethods, 'join'>]: CommandType } = {
  leave: 'leave',
  publish: 'publish',
  unpublish: 'unpublish',
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  muteLocal: 'mute-local',
  muteRemote: 'mute-remote',
  setVisibility: 'set-visibility',
  setRole: 'set-role',
  setBusinessId: 'set-business-id',
  setAttributes: 'set-attributes',
  getAttributes: 'get-attributes',
  deleteAttributes: 'delete-attributes',
  sendMessage: 'send-message',
  report: 'report',
  renewToken: 'renew-token',
};

/**
 * The join in flight, if any: commands issued meanwhile wait for it. It emits once when the join
 * succeeds, errors with the join's error when it fails, and with `NOT_JOINED` when the join's
 * caller unsubscribes before it settles.
 */
function joinGate() {
  let current: AsyncSubject<void> | null = null;
  return {
    current: () => current,
    /** Wraps a join: the gate is open while the join runs. */
    track<T>(join$: Observable<T>): Observable<T> {
      return defer(() => {
        const gate = new AsyncSubject<void>();
        current = gate;
        let settled = false;
        const settle = (error?: RtcError) => {
          if (settled) return;
          settled = true;
          if (current === gate) current = null;
          if (error) gate.error(error);
          else {
            gate.next();
            gate.complete();
          }
        };
        return join$.pipe(
          tap({
            next: () => settle(),
            error: (e: unknown) => settle(asRtcError(e)),
            complete: () => settle(),
            unsubscribe: () => settle(new RtcError('NOT_JOINED', 'the join was cancelled')),
          }),
        );
      });
    },
  };
}

/** The command methods of a client. */
export function commandMethods(ctx: CommandContext): CommandMethods {
  const gate = joinGate();
  const methods = immediateMethods(ctx, gate.track);
  const waitMs = ctx.requestTimeout ?? 10_000;
  const scheduler = ctx.scheduler ?? asyncScheduler;
  /**
   * Runs `run` now, or, while a join is in flight and the room is not joined yet, once that join
   * succeeds (bounded by the request timeout); fails with the join's error if it fails. Checks a
   * missing capability at once, so `UNSUPPORTED` never waits.
   */
  const afterJoin =
    <A extends unknown[], R>(type: CommandType, run: (...args: A) => Observable<R>) =>
    (...args: A): Observable<R> =>
      defer(() => {
        const pending = gate.current();
        if (!pending || ctx.state().roomId || ctx.destroyed() || !ctx.driver.capabilities.has(type)) {
          return run(...args);
        }
        return pending.pipe(
          timeout({
            first: waitMs,
            scheduler,
            with: () =>
              fail<void>(new RtcError('TIMEOUT', `${type} waited ${waitMs} ms for the join in flight`)),
          }),
          switchMap(() => run(...args)),
        );
      });
  const waiting = Object.fromEntries(
    Object.entries(WAITING).map(([name, type]) => [
      name,
      afterJoin(type, methods[name as keyof typeof WAITING] as (...a: unknown[]) => Observable<unknown>),
    ]),
  ) as Omit<CommandMethods, 'join'>;
  return { ...waiting, join: methods.join };
}

/** The command methods as they run once nothing is in flight. */
function immediateMethods(
  ctx: CommandContext,
  track: <T>(join$: Observable<T>) => Observable<T>,
): CommandMethods {
  const command = guarded(ctx);
  return {
    join(o) {
      return defer(() => {
        const problem = joinProblem(o, ctx.state());
        if (problem) return fail<JoinResult>(problem);
        return track(
          command({
            type: 'join',
            token: o.token,
            roomId: o.roomId,
            userId: o.userId,
            visible: o.visible ?? true,
            role: o.role ?? 'broadcaster',
            ...(o.businessId !== undefined ? { businessId: o.businessId } : {}),
            ...(ctx.fetchToken ? { fetchToken: ctx.fetchToken } : {}),
          }),
        );
      });
    },
    leave: () => command({ type: 'leave' }),
    publish(o = {}) {
      const kind = o.kind ?? 'main';
      return command(
        {
          type: 'publish',
          kind,
          ...(o.tag !== undefined && o.tag !== kind ? { tag: o.tag } : {}),
          audio: o.audio ?? true,
          video: o.video ?? true,
          small: o.small ?? false,
        },
        (s) => publishProblem(o, kind, s),
      );
    },
    unpublish(stream) {
      return defer(() => {
        const id = ownStream(ctx.state(), stream);
        return command({ type: 'unpublish', streamId: id }, (s) => notPublished(s, id));
      });
    },
    subscribe(streamId, o = {}) {
      return command(
        {
          type: 'subscribe',
          streamId,
          audio: o.audio ?? true,
          video: o.video ?? true,
          small: o.small ?? false,
        },
        (s) =>
          badStreamId(streamId) ??
          (s.streams.get(streamId)
            ? null
            : new RtcError('STREAM_NOT_FOUND', `no stream ${streamId} in the room`)),
      );
    },
    unsubscribe(streamId) {
      return command(
        { type: 'unsubscribe', streamId },
        (s) => badStreamId(streamId) ?? notSubscribed(s, streamId),
      );
    },
    muteLocal(mute, stream) {
      return defer(() => {
        const id = ownStream(ctx.state(), stream);
        return command({ type: 'mute-local', streamId: id, ...muteBits(mute) }, (s) => notPublished(s, id));
      });
    },
    muteRemote(streamId, mute) {
      return command(
        { type: 'mute-remote', streamId, ...muteBits(mute) },
        (s) => badStreamId(streamId) ?? notSubscribed(s, streamId),
      );
    },
    setVisibility: (visible) =>
      command({ type: 'set-visibility', visible }, () => visibilityProblem(visible)),
    setRole: (role) => command({ type: 'set-role', role }, () => roleProblem(role)),
    setBusinessId: (businessId) =>
      command({ type: 'set-business-id', businessId }, () => businessIdProblem(businessId)),
    setAttributes: (attributes, o = {}) =>
      command(
        {
          type: 'set-attributes',
          attributes,
          notify: o.notify ?? true,
          ...(o.notice ? { notice: o.notice } : {}),
        },
        () => badNotice(o.notice) ?? attributesProblem(attributes),
      ),
    getAttributes: (keys) =>
      command({ type: 'get-attributes', ...(keys ? { keys } : {}) }, () => attributeKeysProblem(keys)),
    deleteAttributes: (keys, o = {}) =>
      command(
        {
          type: 'delete-attributes',
          keys,
          notify: o.notify ?? true,
          ...(o.notice ? { notice: o.notice } : {}),
        },
        () => badNotice(o.notice) ?? deleteKeysProblem(keys),
      ),
    sendMessage: (name, content, o = {}) =>
      command({ type: 'send-message', name, content, ...(o.to ? { to: o.to } : {}) }, () =>
        messageProblem(name, content, o.to),
      ),
    report: (r) => command({ type: 'report', report: r }),
    renewToken: (token) => command({ type: 'renew-token', token }, () => tokenProblem(token)),
  };
}
