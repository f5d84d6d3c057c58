/**
 * Everything the room page owns while it is open: the client, the policy switch, the error line.
 * The page creates one in `onLoad` and closes it in `onUnload`; nothing here touches the page.
 */
import { BehaviorSubject, of, Subscription, switchMap, type Observable } from 'rxjs';
import {
  activeSpeaker,
  autoSubscribe,
  createClient,
  isRtcError,
  registerClient,
  type ClientOptions,
  type RtcClient,
} from 'rxroom';
import { isValidId } from '../../lib/dev-token';
import { LIFECYCLE_OPTIONS } from './lifecycle';
import { switchablePolicy, type PolicyName } from './policy';
import { roomPageView, type RoomPageView } from './view';

/** What the lobby passes in the page query. */
export interface RoomParams {
  readonly server: string;
  readonly room: string;
  readonly user: string;
  readonly token: string;
}

/**
 * Reads the page query, or says what is wrong with it.
 *
 * @example
 * ```ts
 * parseRoomQuery({ server: 'ws://127.0.0.1:8080', room: 'demo', user: 'alice', token: 't' })
 * ```
 */
export function parseRoomQuery(query: Record<string, string | undefined>): RoomParams | string {
  // WeChat hands the query over as it was written in the URL, still percent-encoded.
  const read = (key: string) => {
    const raw = query[key] ?? '';
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  };
  const params = { server: read('server'), room: read('room'), user: read('user'), token: read('token') };
  if (!/^wss?:\/\//.test(params.server)) return 'No server address: open the room from the lobby.';
  if (!isValidId(params.room) || !isValidId(params.user)) return 'Bad room or user id.';
  if (!params.token) return 'No token: open the room from the lobby.';
  return params;
}

/** The open room of one page. */
export interface RoomSession {
  /** The client, registered under `default` so `<rx-player>` and `<rx-pusher>` find it. */
  readonly client: RtcClient | null;
  readonly policy$: BehaviorSubject<PolicyName>;
  /** What the page shows, for `bindPage`. */
  readonly view$: Observable<RoomPageView>;
  /** Runs a client call; a failure is shown on the error line, a success clears it. */
  run(call: Observable<unknown>, what: string): void;
  /** Leaves, destroys the client and stops everything. Idempotent. */
  close(): void;
}

function describe(error: unknown): string {
  return isRtcError(error) ? `${error.code}: ${error.reason}` : String(error);
}

/** The page shown when the query cannot open a room. */
export function brokenRoomView(message: string): RoomPageView {
  return {
    roomId: '',
    userId: '',
    peerCount: 0,
    banner: { show: false, status: 'idle', text: '' },
    players: [],
    pusher: { publishing: false, enableMic: false, enableCamera: false },
    policy: 'all',
    error: message,
  };
}

/**
 * Joins the room, publishes the camera and microphone, and keeps the subscriptions to what the
 * policy switch says. `options` go to `createClient` (tests pass a platform; the page passes none,
 * so the client uses `wx`).
 *
 * @example
 * ```ts
 * onLoad(query) { this.room = openRoom(parseRoomQuery(query)) }
 * onUnload() { this.room?.close() }
 * ```
 */
export function openRoom(params: RoomParams | string, options: Partial<ClientOptions> = {}): RoomSession {
  const policy$ = new BehaviorSubject<PolicyName>('all');
  const error$ = new BehaviorSubject<string>('');
  const subscriptions = new Subscription();
  const run = (call: Observable<unknown>, what: string) => {
    subscriptions.add(
      call.subscribe({
        complete: () => error$.next(''),
        error: (e: unknown) => error$.next(`${what} failed (${describe(e)})`),
      }),
    );
  };
  if (typeof params === 'string') {
    return {
      client: null,
      policy$,
      view$: of(brokenRoomView(params)),
      run: () => undefined,
      close: () => undefined,
    };
  }

  const client = createClient({ url: params.server, ...LIFECYCLE_OPTIONS, ...options });
  const unregister = registerClient(client);
  run(
    client
      .join({ token: params.token, roomId: params.room, userId: params.user })
      .pipe(switchMap(() => client.publish())),
    'Joining',
  );
  subscriptions.add(
    autoSubscribe(client, switchablePolicy(policy$, activeSpeaker(client.volume$))).subscribe((report) => {
      if (!report.ok) error$.next(`${report.type} ${report.streamId} failed (${describe(report.error)})`);
    }),
  );
  let closed = false;
  return {
    client,
    policy$,
    view$: roomPageView(client, policy$, error$),
    run,
    close() {
      if (closed) return;
      closed = true;
      subscriptions.unsubscribe();
      unregister();
      // destroy() leaves the room if still in it and completes every stream of the client.
      client.destroy();
      policy$.complete();
      error$.complete();
    },
  };
}
