import { asyncScheduler, Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { RtcError, asRtcError } from '../../errors';
import type { AckData, PushFrame, RequestBody, RequestFrame, RequestType } from '../../protocol';
import { encodeFrame } from '../../protocol/envelope';
import { checkRequest, checkServerFrame, guardAckData } from '../../protocol/guards';
import { LIMITS, PROTOCOL_VERSION } from '../../protocol/limits';
import type { RoomEvent } from '../../streams/room-event';
import type { SocketSend } from '../from-socket';
import { pushToEvent } from './mapping';

/** What an incoming frame meant, apart from acks, which the channel settles by itself. */
export type ChannelInput =
  /**
   * A push: `frame` is checked but not copied (it may carry unknown keys; read its fields only),
   * `event` is the push as a RoomEvent.
   */
  | { readonly kind: 'push'; readonly frame: PushFrame; readonly event: RoomEvent }
  | { readonly kind: 'error'; readonly error: RtcError }
  /** A pong told the session's latest push seq. */
  | { readonly kind: 'seq'; readonly seq: number }
  | { readonly kind: 'settled' };

interface Pending {
  readonly type: RequestType;
  readonly subscriber: Subscriber<unknown>;
  readonly timer: Subscription;
}

/** Options of {@link SignalChannel}. */
export interface SignalChannelOptions {
  /** Ms to wait for an ack before failing with TIMEOUT. */
  readonly timeout: number;
  /** Scheduler of the request timeouts. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Request/response over one socket: gives each request an id, settles it with the ack of the
 * same id, fails it with TIMEOUT when none comes in time (on the injected scheduler), and with
 * CONNECTION_LOST at once when the socket closes. Acks that come after a request was settled
 * are ignored.
 */
export class SignalChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed: RtcError | null = null;
  private readonly scheduler: SchedulerLike;

  constructor(
    private readonly send: SocketSend,
    private readonly options: SignalChannelOptions,
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends a request when subscribed; emits the validated ack data and completes, or errors with
   * an RtcError. Unsubscribing early forgets the request (its ack will be ignored).
   */
  request<const B extends RequestBody>(body: B, timeout = this.options.timeout): Observable<AckData<B['t']>> {
    return new Observable<AckData<B['t']>>((subscriber) => {
      if (this.closed) {
        subscriber.error(this.closed);
        return;
      }
      const id = this.takeId();
      const frame = { ...body, v: PROTOCOL_VERSION, id } as RequestFrame;
      // Check the frame as the server will, so a bad argument fails here, typed, with no round trip.
      // The hand-written guard of src/protocol/guards.ts, so the client bundles no valibot.
      const invalid = checkRequest(frame);
      if (invalid !== undefined) {
        subscriber.error(new RtcError('INVALID_ARGUMENT', invalid));
        return;
      }
      let text: string;
      try {
        text = encodeFrame(frame);
      } catch (e) {
        subscriber.error(asRtcError(e, 'INVALID_ARGUMENT'));
        return;
      }
      const timer = this.scheduler.schedule(() => {
        this.pending.delete(id);
        subscriber.error(new RtcError('TIMEOUT', `no answer to ${body.t} within ${timeout} ms`));
      }, timeout);
      this.pending.set(id, { type: body.t, subscriber: subscriber as Subscriber<unknown>, timer });
      const failure = this.send(text);
      if (failure) {
        this.settle(id);
        subscriber.error(failure);
        return;
      }
      return () => this.settle(id);
    });
  }

  /**
   * Handles one incoming frame. Acks and pongs settle their request here. Frames are checked by
   * the hand-written guards (src/protocol/guards.ts): JSON is parsed once, fields are checked once
   * and a push becomes its RoomEvent with no intermediate copy.
   */
  receive(data: string | ArrayBuffer): ChannelInput {
    const decoded = checkServerFrame(data);
    if (!decoded.ok) return { kind: 'error', error: decoded.error };
    const frame = decoded.frame;
    switch (frame.t) {
      case 'ack': {
        const entry = this.settle(frame.id);
        if (!entry) return { kind: 'settled' };
        if (!frame.ok) {
          entry.subscriber.error(RtcError.from(frame.error));
          return { kind: 'settled' };
        }
        const data = guardAckData(entry.type, frame.data);
        if (!data.ok) {
          entry.subscriber.error(data.error);
          return { kind: 'error', error: data.error };
        }
        entry.subscriber.next(data.data);
        entry.subscriber.complete();
        return { kind: 'settled' };
      }
      case 'pong': {
        const entry = this.settle(frame.id);
        if (entry) {
          entry.subscriber.next({});
          entry.subscriber.complete();
        }
        return frame.seq === undefined ? { kind: 'settled' } : { kind: 'seq', seq: frame.seq };
      }
      case 'error': {
        const error = RtcError.from(frame.error);
        const entry = frame.id === undefined ? undefined : this.settle(frame.id);
        if (entry) {
          entry.subscriber.error(error);
          return { kind: 'settled' };
        }
        return { kind: 'error', error };
      }
      default:
        return { kind: 'push', frame, event: pushToEvent(frame) };
    }
  }

  /** The socket closed: every request in flight fails with `error`, and so does every later one. */
  close(error: RtcError): void {
    if (this.closed) return;
    this.closed = error;
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      entry.timer.unsubscribe();
      entry.subscriber.error(error);
    }
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    entry.timer.unsubscribe();
    return entry;
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId = id >= LIMITS.maxRequestId ? 1 : id + 1;
    return id;
  }
}
