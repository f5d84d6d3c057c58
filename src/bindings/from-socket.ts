import { Observable } from 'rxjs';
import { RtcError } from '../errors';
import type { ConnectOptions, Platform } from './platform';

/**
 * Sends one text frame on the socket it belongs to: at once when open, queued while connecting.
 * Returns `null` when the frame was sent or queued, or the error when it could not be (socket
 * closed, queue full). It never throws and never reaches another socket.
 */
export type SocketSend = (text: string) => RtcError | null;

/** What happens on one socket, in order: `connecting` first, `close` last. */
export type SocketEvent =
  | { readonly type: 'connecting'; readonly send: SocketSend }
  | { readonly type: 'open' }
  | { readonly type: 'message'; readonly data: string | ArrayBuffer }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'close'; readonly code: number; readonly reason: string };

/** Options of {@link fromSocket}. */
export interface FromSocketOptions extends ConnectOptions {
  /** Most frames queued before the socket opens. Default 64. */
  readonly maxQueue?: number;
}

/**
 * One socket as an Observable. Subscribing opens it; the first event, `connecting`, hands out the
 * `send` function bound to this socket alone. Frames sent before `open` are queued (bounded) and
 * flushed on open. `close` is the last event, then the Observable completes. Unsubscribing closes
 * the socket (code 1000) and drops the queue, so nothing queued for one connection is ever
 * flushed into the next.
 *
 * WeChat's SocketTask has no `off*` methods, so callbacks can arrive after teardown; they are
 * ignored.
 *
 * @example
 * ```ts
 * fromSocket(platform, { url }).subscribe((e) => {
 *   if (e.type === 'connecting') e.send('{"v":1,"t":"ping","id":1}') // queued until open
 *   if (e.type === 'message') console.log(e.data)
 * })
 * ```
 */
export function fromSocket(platform: Platform, options: FromSocketOptions): Observable<SocketEvent> {
  const maxQueue = options.maxQueue ?? 64;
  return new Observable<SocketEvent>((subscriber) => {
    let state: 'connecting' | 'open' | 'closed' = 'connecting';
    let queue: string[] = [];
    const socket = platform.connectSocket({
      url: options.url,
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });

    const send: SocketSend = (text) => {
      if (state === 'closed') return new RtcError('CONNECTION_LOST', 'socket is closed');
      if (state === 'connecting') {
        if (queue.length >= maxQueue) {
          return new RtcError(
            'CONNECTION_LOST',
            `send queue full (${maxQueue} frames) before the socket opened`,
          );
        }
        queue.push(text);
        return null;
      }
      socket.send({ data: text });
      return null;
    };

    socket.onOpen(() => {
      if (state !== 'connecting') return;
      state = 'open';
      const pending = queue;
      queue = [];
      subscriber.next({ type: 'open' });
      for (const text of pending) {
        if (state !== 'open') break;
        socket.send({ data: text });
      }
    });
    socket.onMessage(({ data }) => {
      if (state === 'open') subscriber.next({ type: 'message', data });
    });
    socket.onError(({ errMsg }) => {
      if (state !== 'closed') subscriber.next({ type: 'error', message: errMsg });
    });
    socket.onClose(({ code, reason }) => {
      if (state === 'closed') return;
      state = 'closed';
      queue = [];
      subscriber.next({ type: 'close', code, reason });
      subscriber.complete();
    });

    subscriber.next({ type: 'connecting', send });

    return () => {
      if (state === 'closed') return;
      state = 'closed';
      queue = [];
      socket.close({ code: 1000, reason: 'client closed' });
    };
  });
}
