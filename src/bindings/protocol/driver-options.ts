/** The options and hooks of the built-in driver (see ./protocol-driver.ts). */
import type { MonoTypeOperatorFunction, Observable, SchedulerLike } from 'rxjs';
import type { ConnectionState } from '../../streams/model';
import type { Platform } from '../platform';

/** What the reconnect logic sees of a session attempt. */
export interface SessionHooks {
  /** Emits connection states (`reconnecting` with attempt and delay, `failed`, …). */
  readonly report: (state: ConnectionState) => void;
  /**
   * True once the session has joined. Before that a failure fails the join call instead of
   * being retried, so `join()` answers promptly.
   */
  readonly joined: () => boolean;
}

/**
 * Wraps one connection attempt (an Observable that emits once when joined or resumed, errors with
 * an RtcError when the connection is lost, and completes on a deliberate end) so that it is
 * retried. The default is no retry; `createClient` plugs in the `reconnect` operator.
 */
export type RecoveryFactory = (hooks: SessionHooks) => MonoTypeOperatorFunction<void>;

/** Options of {@link protocolDriver}. */
export interface ProtocolDriverOptions {
  /** Server URL: `wss://…` (`ws://127.0.0.1:…` in Node). */
  readonly url: string;
  readonly platform: Platform;
  /** Ms to wait for each ack. Default 10,000. */
  readonly requestTimeout?: number;
  /** Ms to wait for the socket handshake. Default 10,000. */
  readonly connectTimeout?: number;
  /** Scheduler of every timer. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Retry policy for lost connections. Default: none. */
  readonly recovery?: RecoveryFactory;
  /** Extra per-connection behaviour (heartbeat) given the live channel. */
  readonly onConnected?: (link: LiveLink) => Observable<never>;
}

/** A joined, open connection, for per-connection operators such as the heartbeat. */
export interface LiveLink {
  /** Sends a ping and completes on the pong (errors with TIMEOUT/CONNECTION_LOST). */
  ping(timeout: number): Observable<void>;
  /** Heartbeat settings announced by the server. */
  readonly heartbeat: { readonly interval: number; readonly timeout: number };
  /** Emits on every frame received from the server (any frame proves the link is alive). */
  readonly received$: Observable<void>;
}
