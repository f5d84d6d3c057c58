/**
 * Command routing: every command method of {@link RtcClient}, each a check (./checks.ts) and one
 * call of the driver, behind the guards every driver shares (destroyed, capability, joined room).
 */
import type { Observable } from 'rxjs';
import { defer, throwError } from 'rxjs';
import { RtcError } from '../../errors';
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

/** The command methods of a client. */
export function commandMethods(ctx: CommandContext): CommandMethods {
  const command = guarded(ctx);
  return {
    join(o) {
      return defer(() => {
        const problem = joinProblem(o, ctx.state());
        if (problem) return fail<JoinResult>(problem);
        return command({
          type: 'join',
          token: o.token,
          roomId: o.roomId,
          userId: o.userId,
          visible: o.visible ?? true,
          role: o.role ?? 'broadcaster',
          ...(o.businessId !== undefined ? { businessId: o.businessId } : {}),
          ...(ctx.fetchToken ? { fetchToken: ctx.fetchToken } : {}),
        });
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
