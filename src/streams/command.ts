/**
 * Commands: what a client asks a backend to do. A driver executes them (ARCHITECTURE.md
 * decision 2); the client builds them from its methods and checks the room state first.
 */
import type { Observable } from 'rxjs';
import type { Peer, Publication, Role, StreamDescriptor, StreamKind, Subscription } from './model';
import type { RoomEvent } from './room-event';
import type { NativeEvent } from '../bindings/native/decode';
import type { PlayerSettings, PusherSettings } from './media-attributes';

/** A change of `<live-pusher>` or one `<live-player>`'s settings, as a driver receives it. */
export type MediaChange =
  | { readonly target: 'pusher'; readonly changes: Partial<PusherSettings> }
  | { readonly target: 'player'; readonly streamId: string; readonly changes: Partial<PlayerSettings> };

/** A stats report (Volcengine's report* calls), sent to the backend for monitoring. */
export type StatsReport =
  | { readonly kind: 'pusher-state'; readonly code: number; readonly message?: string }
  | {
      readonly kind: 'player-state';
      readonly streamId: string;
      readonly code: number;
      readonly message?: string;
    }
  | { readonly kind: 'pusher-net'; readonly info: Readonly<Record<string, number>> }
  | {
      readonly kind: 'player-net';
      readonly streamId: string;
      readonly info: Readonly<Record<string, number>>;
    };

/**
 * A notice sent with an attribute change instead of rxroom's own (`RXROOM:attrs`): the others
 * receive it as a `message` with this name and content, exactly as given (RongCloud's
 * `setRoomAttribute(key, value, { name, content })`). Backends without such notices refuse it.
 */
export interface AttributeNotice {
  readonly name: string;
  readonly content: string;
}

/** Every command, by `type`. */
export type Command =
  | {
      readonly type: 'join';
      readonly token: string;
      readonly roomId: string;
      readonly userId: string;
      readonly visible: boolean;
      readonly role: Role;
      readonly businessId?: string;
      /**
       * Where a fresh token comes from when the one held has expired at a reconnection (the
       * client's `renewToken` option). Absent: a lapsed token ends the session.
       */
      readonly fetchToken?: () => Observable<string>;
    }
  | { readonly type: 'leave' }
  | {
      readonly type: 'publish';
      readonly kind: StreamKind;
      /** A custom tag: the stream is `user:tag` instead of `user:kind` (docs/protocol.md, limits). */
      readonly tag?: string;
      readonly audio: boolean;
      readonly video: boolean;
      readonly small: boolean;
    }
  | { readonly type: 'unpublish'; readonly streamId: string }
  | {
      readonly type: 'subscribe';
      readonly streamId: string;
      readonly audio: boolean;
      readonly video: boolean;
      readonly small: boolean;
    }
  | { readonly type: 'unsubscribe'; readonly streamId: string }
  | {
      readonly type: 'mute-local';
      readonly streamId: string;
      readonly audio?: boolean;
      readonly video?: boolean;
    }
  | {
      readonly type: 'mute-remote';
      readonly streamId: string;
      readonly audio?: boolean;
      readonly video?: boolean;
    }
  | { readonly type: 'set-visibility'; readonly visible: boolean }
  | { readonly type: 'set-role'; readonly role: Role }
  | { readonly type: 'set-business-id'; readonly businessId: string }
  | {
      readonly type: 'set-attributes';
      readonly attributes: Readonly<Record<string, string>>;
      readonly notify: boolean;
      /** The app's own notice to send with the change (RongCloud's `{name, content}`), as given. */
      readonly notice?: AttributeNotice;
    }
  | { readonly type: 'get-attributes'; readonly keys?: readonly string[] }
  | {
      readonly type: 'delete-attributes';
      readonly keys: readonly string[];
      readonly notify: boolean;
      readonly notice?: AttributeNotice;
    }
  | { readonly type: 'send-message'; readonly name: string; readonly content: string; readonly to?: string }
  | { readonly type: 'report'; readonly report: StatsReport }
  /** A newer token for the session (same app, room and user), before the one held expires. */
  | { readonly type: 'renew-token'; readonly token: string };

/** Every command type tag. */
export type CommandType = Command['type'];

/** The command with type `T`. */
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** What a join resolves to. */
export interface JoinResult {
  readonly roomId: string;
  readonly sessionId: string;
}

/** What each command emits on success. */
export interface CommandResults {
  join: JoinResult;
  leave: void;
  publish: Publication;
  unpublish: void;
  subscribe: Subscription;
  unsubscribe: void;
  'mute-local': StreamDescriptor;
  'mute-remote': Subscription;
  'set-visibility': Peer;
  'set-role': Peer;
  'set-business-id': Peer;
  'set-attributes': void;
  'get-attributes': Readonly<Record<string, string>>;
  'delete-attributes': void;
  'send-message': void;
  report: void;
  'renew-token': TokenRenewal;
}

/** What a token renewal resolves to. */
export interface TokenRenewal {
  /** When the new token expires, ms since the epoch, when the backend tells. */
  readonly expiresAt?: number;
}

/** The result of command type `T`. */
export type CommandResult<T extends CommandType> = CommandResults[T];

/** A capability a backend may or may not have; the room answers `UNSUPPORTED` for missing ones. */
export type Capability = CommandType | 'resume' | 'small-stream' | 'screen' | 'invisible';

/**
 * A media symptom, as rxroom's media recovery and frozen-player watchdog know them. A driver whose
 * backend recovers from one by itself declares it in {@link Driver.recovers}, and rxroom stands
 * down for that symptom, so one owner acts on it:
 * - `push-lost`: `<live-pusher>` −1307 (connection lost, its own retries exhausted);
 * - `push-encoder-failed`: −1303 / −1304 (video / audio encoding failed);
 * - `push-closed`: 3004 (the media server closed the push: URL expired or refused);
 * - `push-suspended`: 5000 / 5001 (push suspended in the background / interrupted), restarted on show;
 * - `play-lost`: `<live-player>` −2301 (connection lost, its own retries exhausted);
 * - `play-url-failed`: −2302 (no play URL);
 * - `player-frozen`: a player that shows no video while its stream is live (the watchdog).
 */
export type MediaSymptom =
  | 'push-lost'
  | 'push-encoder-failed'
  | 'push-closed'
  | 'push-suspended'
  | 'play-lost'
  | 'play-url-failed'
  | 'player-frozen';

/**
 * A backend: turns its world into RoomEvents and carries out Commands. The built-in driver speaks
 * the rxroom protocol; vendor drivers wrap vendor SDKs. The room never knows which runs.
 */
export interface Driver {
  /** A short name: `rxroom`, `trtc`, `volcengine`, … */
  readonly name: string;
  /** What this backend supports. */
  readonly capabilities: ReadonlySet<Capability>;
  /**
   * The media symptoms this driver (or the SDK it wraps) recovers from by itself; rxroom's media
   * recovery and watchdog leave them alone (one owner per symptom). Absent: none.
   */
  readonly recovers?: ReadonlySet<MediaSymptom>;
  /**
   * Everything that happens, as RoomEvents, including the results of commands (a successful
   * publish emits `published` before the publish call emits its result). Hot: the client
   * subscribes once, at creation, and unsubscribes at destroy.
   */
  readonly events$: Observable<RoomEvent>;
  /** Carries out a command: emits its result once and completes, or errors with an RtcError. */
  execute<T extends CommandType>(command: CommandOf<T>): Observable<CommandResult<T>>;
  /**
   * Native component events, for backends that live inside the components (TRTC's room protocol
   * runs in `<live-pusher>`; Agora and Volcengine want them reported). Optional.
   */
  handleNative?(event: NativeEvent): void;
  /**
   * The pusher and player settings this backend lets a page change (`client.setPusher`/`setPlayer`
   * answer `UNSUPPORTED` for the others). Absent: all of them (the page binds the components).
   */
  readonly mediaSettings?: {
    readonly pusher: ReadonlySet<keyof PusherSettings>;
    readonly player: ReadonlySet<keyof PlayerSettings>;
  };
  /**
   * Hands a settings change to a backend that renders the components itself (trtc-wx's
   * `setPusherAttributes`/`setPlayerAttributes`). Throws an RtcError to refuse it. Optional.
   */
  applyMedia?(change: MediaChange): void;
  /** Releases everything: sockets closed, timers cleared, pending commands fail with DESTROYED. */
  destroy(): void;
}
