/**
 * The Node platform: the same SDK headless, over the `ws` package. Node-only: exported from
 * `rxroom/node`, never from the mini program entry.
 */
import WebSocket from 'ws';
import type {
  ConnectOptions,
  NetworkStatus,
  Platform,
  PlatformSocket,
  PlayerContext,
  PusherContext,
  Unlisten,
} from './platform';

/** A recorded call on a headless pusher or player context. */
export interface RecordedContextCall {
  readonly target: 'pusher' | 'player';
  readonly id: string;
  readonly method: string;
}

/**
 * The Node platform, plus the controls a mini program gets from the phone: network up/down and
 * app show/hide. Tests, the demo and bots drive them.
 */
export interface NodePlatform extends Platform {
  /** Reports a network change to every listener (as `wx.onNetworkStatusChange` would). */
  setNetwork(status: NetworkStatus): void;
  /** Shorthand: `setNetwork({ isConnected: false, networkType: 'none' })`. */
  goOffline(): void;
  /** Shorthand: `setNetwork({ isConnected: true, networkType: 'wifi' })`. */
  goOnline(): void;
  /** Reports the app going to the background. */
  hide(): void;
  /** Reports the app coming back to the foreground. */
  show(): void;
  /** Kills every open socket abruptly, as a lost network does (no close frame is sent). */
  dropSockets(): void;
  /**
   * While false, new sockets fail to connect (as behind a captive portal or a dead route) even
   * though the network reports itself online.
   */
  setReachable(reachable: boolean): void;
  /** Live resources, for leak checks: open sockets and registered listeners. */
  stats(): { readonly sockets: number; readonly listeners: number };
  /** Calls made on headless pusher/player contexts (they have no media in Node). */
  readonly contextCalls: readonly RecordedContextCall[];
}

/** Options of {@link nodePlatform}. */
export interface NodePlatformOptions {
  /** Extra headers for the WebSocket handshake. */
  readonly headers?: Record<string, string>;
}

/**
 * A {@link Platform} for Node, backed by `ws`.
 *
 * @example
 * ```ts
 * import { createClient } from 'rxroom'
 * import { nodePlatform } from 'rxroom/node'
 * const platform = nodePlatform()
 * const client = createClient({ url: 'ws://127.0.0.1:8080', platform })
 * platform.goOffline() // the client waits, then recovers on goOnline()
 * ```
 */
export function nodePlatform(options: NodePlatformOptions = {}): NodePlatform {
  const sockets = new Set<WebSocket>();
  const network = new Set<(s: NetworkStatus) => void>();
  const shows = new Set<() => void>();
  const hides = new Set<() => void>();
  const contextCalls: RecordedContextCall[] = [];
  let reachable = true;

  const add = <T>(set: Set<T>, listener: T): Unlisten => {
    // Wrap so the same function registered twice counts twice, as on WeChat.
    const box = ((...args: unknown[]) => (listener as (...a: unknown[]) => void)(...args)) as T;
    set.add(box);
    return () => void set.delete(box);
  };

  const recordingContext = (target: 'pusher' | 'player', id: string) =>
    new Proxy(
      {},
      {
        get: (_t, method: string) => (option?: { success?: () => void }) => {
          contextCalls.push({ target, id, method });
          option?.success?.();
        },
      },
    );

  const platform: NodePlatform = {
    name: 'node',
    connectSocket({ url, timeout }: ConnectOptions): PlatformSocket {
      let ws: WebSocket;
      const listeners = {
        open: [] as (() => void)[],
        message: [] as ((r: { data: string | ArrayBuffer }) => void)[],
        close: [] as ((r: { code: number; reason: string }) => void)[],
        error: [] as ((r: { errMsg: string }) => void)[],
      };
      try {
        if (!reachable) throw new Error('network unreachable');
        ws = new WebSocket(url, {
          ...(timeout !== undefined ? { handshakeTimeout: timeout } : {}),
          ...(options.headers ? { headers: options.headers } : {}),
        });
      } catch (e) {
        // A bad URL: report it asynchronously through the callbacks, like wx does.
        const errMsg = `connectSocket:fail ${e instanceof Error ? e.message : String(e)}`;
        queueMicrotask(() => {
          listeners.error.forEach((l) => l({ errMsg }));
          listeners.close.forEach((l) => l({ code: 1006, reason: errMsg }));
        });
        return {
          send: () => undefined,
          close: () => undefined,
          onOpen: (l) => void listeners.open.push(l),
          onMessage: (l) => void listeners.message.push(l),
          onClose: (l) => void listeners.close.push(l),
          onError: (l) => void listeners.error.push(l),
        };
      }
      sockets.add(ws);
      ws.on('open', () => listeners.open.forEach((l) => l()));
      ws.on('message', (data, isBinary) => {
        const payload: string | ArrayBuffer = isBinary
          ? new Uint8Array(data as Buffer).slice().buffer
          : (data as Buffer).toString('utf8');
        listeners.message.forEach((l) => l({ data: payload }));
      });
      ws.on('error', (err) => listeners.error.forEach((l) => l({ errMsg: err.message })));
      ws.on('close', (code, reason) => {
        sockets.delete(ws);
        listeners.close.forEach((l) => l({ code, reason: reason.toString('utf8') }));
      });
      return {
        send: ({ data }) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(data);
        },
        close: ({ code, reason }) => {
          if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
          if (ws.readyState === WebSocket.CONNECTING) {
            // ws throws when closing a socket that has not opened; terminate is the equivalent.
            ws.terminate();
            return;
          }
          ws.close(code ?? 1000, reason);
        },
        onOpen: (l) => void listeners.open.push(l),
        onMessage: (l) => void listeners.message.push(l),
        onClose: (l) => void listeners.close.push(l),
        onError: (l) => void listeners.error.push(l),
      };
    },
    onNetworkStatusChange: (listener) => add(network, listener),
    onAppShow: (listener) => add(shows, listener),
    onAppHide: (listener) => add(hides, listener),
    createPusherContext: () => recordingContext('pusher', 'pusher') as PusherContext,
    createPlayerContext: (id) => recordingContext('player', id) as PlayerContext,
    setNetwork: (status) => [...network].forEach((l) => l(status)),
    goOffline: () => platform.setNetwork({ isConnected: false, networkType: 'none' }),
    goOnline: () => platform.setNetwork({ isConnected: true, networkType: 'wifi' }),
    hide: () => [...hides].forEach((l) => l()),
    show: () => [...shows].forEach((l) => l()),
    dropSockets: () => [...sockets].forEach((ws) => ws.terminate()),
    setReachable: (value) => {
      reachable = value;
    },
    stats: () => ({ sockets: sockets.size, listeners: network.size + shows.size + hides.size }),
    contextCalls,
  };
  return platform;
}
