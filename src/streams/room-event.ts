/**
 * RoomEvent: everything that can happen to a room, as one discriminated union on `type`
 * (ARCHITECTURE.md decision 1). Socket frames, native component events, vendor SDK callbacks and
 * command results all become RoomEvents; `reduceRoom` folds them into `RoomState`.
 */
import { filter, type OperatorFunction } from 'rxjs';
import type { RtcError } from '../errors';
import type { NativeEvent } from '../bindings/native/decode';
import type {
  ConnectionState,
  KickReason,
  Peer,
  Publication,
  SelfState,
  StreamDescriptor,
  Subscription,
} from './model';

/** Why a peer left (protocol `peer-left` reasons). */
export type PeerLeftReason = 'leave' | 'timeout' | 'kicked' | 'replaced' | 'hidden' | 'room-closed';
/** Why a stream went away. */
export type StreamRemovedReason = 'unpublished' | 'peer-left' | 'role-changed' | 'failed';

/** Every RoomEvent, by `type`. */
export type RoomEvent =
  /** The connection changed state. */
  | { readonly type: 'connection'; readonly state: ConnectionState }
  /**
   * A full picture of the room arrived: first join (`joined`), a resume whose missed events were
   * lost (`snapshot`), or a fresh join after the old session was lost (`rejoined`). It replaces
   * what the client knew, so streams that vanished meanwhile disappear and new ones appear once.
   */
  | {
      readonly type: 'joined';
      readonly mode: 'joined' | 'snapshot' | 'rejoined';
      readonly roomId: string;
      readonly sessionId: string;
      readonly self: SelfState;
      readonly peers: readonly Peer[];
      readonly streams: readonly StreamDescriptor[];
      readonly subscriptions: readonly Subscription[];
      readonly attributes: Readonly<Record<string, string>>;
    }
  /** The session was resumed; missed events follow as ordinary events. */
  | { readonly type: 'resumed'; readonly sessionId: string }
  /** This client is no longer in the room. */
  | { readonly type: 'left'; readonly reason: 'leave' | 'kicked' | 'connection-lost' | 'destroyed' }
  | { readonly type: 'peer-joined'; readonly peer: Peer }
  | { readonly type: 'peer-left'; readonly userId: string; readonly reason: PeerLeftReason }
  | { readonly type: 'peer-updated'; readonly peer: Peer }
  /** A peer's connection dropped; the backend keeps it for a grace window (`Peer.reconnecting`). */
  | { readonly type: 'peer-reconnecting'; readonly userId: string }
  /** A reconnecting peer is back (it resumed its session within the grace window). */
  | { readonly type: 'peer-reconnected'; readonly userId: string }
  | { readonly type: 'stream-added'; readonly stream: StreamDescriptor }
  | {
      readonly type: 'stream-removed';
      readonly streamId: string;
      readonly userId: string;
      readonly reason: StreamRemovedReason;
    }
  | { readonly type: 'stream-updated'; readonly stream: StreamDescriptor }
  /** A new push URL (own stream) or play URL (subscription): set it on the component. */
  | {
      readonly type: 'url-updated';
      readonly streamId: string;
      readonly direction: 'push' | 'play';
      readonly url: string;
    }
  /** The backend gave up on a push or play; publish or subscribe again. */
  | {
      readonly type: 'stream-failed';
      readonly streamId: string;
      readonly direction: 'push' | 'play';
      readonly reason: string;
    }
  /** The server removed this client. Never retried. */
  | { readonly type: 'kicked'; readonly reason: KickReason; readonly message?: string }
  | {
      readonly type: 'attributes-changed';
      readonly set: Readonly<Record<string, string>>;
      readonly deleted: readonly string[];
      readonly by: string;
    }
  /** The answer to a get-attributes call: authoritative values of `keys` (or of all keys). */
  | {
      readonly type: 'attributes-loaded';
      readonly attributes: Readonly<Record<string, string>>;
      readonly keys?: readonly string[];
    }
  | {
      readonly type: 'message';
      readonly from: string;
      readonly name: string;
      /** The content as text: as sent when the sender sent a string, else its JSON text. */
      readonly content: string;
      readonly private: boolean;
      /** The content exactly as the sender gave it (vendor SDKs that send any value: RongCloud). */
      readonly data?: unknown;
      /** The backend's unique id of the message, when it has one (RongCloud's `messageUId`). */
      readonly messageId?: string;
    }
  /** This client now publishes a stream. */
  | { readonly type: 'published'; readonly publication: Publication }
  | { readonly type: 'unpublished'; readonly streamId: string }
  /** This client now subscribes to a stream (or changed its options). */
  | { readonly type: 'subscribed'; readonly subscription: Subscription }
  | { readonly type: 'unsubscribed'; readonly streamId: string }
  /** Owner mute bits of one of this client's streams changed. */
  | { readonly type: 'local-mute-changed'; readonly stream: StreamDescriptor }
  /** Receiver-side mute bits of a subscription changed. */
  | { readonly type: 'remote-mute-changed'; readonly subscription: Subscription }
  /** Role, visibility or business id of this client changed. */
  | {
      readonly type: 'self-updated';
      readonly role: SelfState['role'];
      readonly visible: boolean;
      readonly businessId?: string;
    }
  /**
   * The token the session holds expires soon (`expiresAt`, ms since the epoch, when the backend
   * tells): renew it (`client.renewToken`, or the client's `renewToken` option does it).
   */
  | { readonly type: 'token-expiring'; readonly expiresAt?: number }
  /** Pushes were missed (`received` > `expected`); the connection resynchronises. */
  | { readonly type: 'seq-gap'; readonly expected: number; readonly received: number }
  /**
   * An event of `<live-pusher>` or a `<live-player>`, decoded. Volume and net status feed
   * `volume$`/`netStatus$`; they never change `room$` (ARCHITECTURE.md decision 6).
   */
  | { readonly type: 'native'; readonly event: NativeEvent }
  /** The media recovery acted on a native failure (restart, republish, resubscribe). */
  | {
      readonly type: 'media-recovery';
      readonly action: 'restart-push' | 'republish' | 'restart-play' | 'resubscribe';
      readonly streamId: string;
      readonly attempt: number;
      readonly delay: number;
      readonly outcome: 'scheduled' | 'done' | 'failed' | 'gave-up';
      readonly error?: RtcError;
    }
  /** The background policy acted on the app being hidden, shown or closed (docs/lifecycle.md). */
  | BackgroundEvent
  /** The media permission flow asked the user, and what came of it (docs/lifecycle.md). */
  | PermissionEvent
  /**
   * The frozen-player watchdog acted on a subscribed player that shows no video while its
   * stream is live and unmuted: a rung of its ladder (`restart-play`, then `resubscribe`)
   * `scheduled`, `done` or `failed`; `gave-up` when no rung is left; `recovered` when video came
   * back after a rung (which resets the ladder).
   */
  | {
      readonly type: 'player-watchdog';
      readonly action: 'restart-play' | 'resubscribe';
      readonly streamId: string;
      /** The rung, 1 = the first. */
      readonly attempt: number;
      readonly delay: number;
      readonly outcome: 'scheduled' | 'done' | 'failed' | 'gave-up' | 'recovered';
      readonly error?: RtcError;
    }
  /** Something failed outside any call: a bad frame, a lost connection, a native error. */
  | { readonly type: 'error'; readonly error: RtcError; readonly source: ErrorSource };

/**
 * What the background policy did:
 * - `muted`: the app was hidden, so these bits of an own stream were muted (only bits that were
 *   on; the user's own mutes are left alone);
 * - `restored`: the app was shown, so the bits the policy muted were unmuted again;
 * - `left`: the room was left because the app stayed hidden `hiddenFor` ms (`leaveAfter`);
 * - `closed`: the user closed the mini program (or the page unloaded): media stopped at once and
 *   the room was left;
 * - `failed`: a mute, unmute or leave failed.
 */
export type BackgroundEvent =
  | {
      readonly type: 'background';
      readonly action: 'muted' | 'restored';
      readonly streamId: string;
      readonly audio: boolean;
      readonly video: boolean;
    }
  | { readonly type: 'background'; readonly action: 'left'; readonly hiddenFor: number }
  | { readonly type: 'background'; readonly action: 'closed' }
  | {
      readonly type: 'background';
      readonly action: 'failed';
      readonly streamId?: string;
      readonly error: RtcError;
    };

/**
 * What the media permission flow did: `asked` (a stream failed for want of camera/microphone
 * permission and the user is being asked), `granted` (and `republished`: the stream was published
 * again), or `refused` with the typed error (`PERMISSION_REFUSED`, `SYSTEM_PERMISSION_DENIED`, …).
 */
export type PermissionEvent =
  | {
      readonly type: 'permission';
      readonly action: 'asked' | 'granted';
      readonly scopes: readonly ('scope.camera' | 'scope.record')[];
    }
  | { readonly type: 'permission'; readonly action: 'republished'; readonly streamId: string }
  | { readonly type: 'permission'; readonly action: 'refused'; readonly error: RtcError };

/** Where a background error came from. */
export type ErrorSource = 'protocol' | 'connection' | 'native' | 'driver' | 'operator';

/** Every RoomEvent type tag. */
export type RoomEventType = RoomEvent['type'];

/** The RoomEvent with type `T`. */
export type RoomEventOf<T extends RoomEventType> = Extract<RoomEvent, { type: T }>;

/**
 * Keeps the events of the given types, narrowing the type downstream.
 *
 * @example
 * ```ts
 * client.events$.pipe(ofType('peer-joined', 'peer-left')).subscribe((e) => {
 *   if (e.type === 'peer-joined') toast(`${e.peer.userId} joined`)
 * })
 * ```
 */
export function ofType<T extends RoomEventType>(
  ...types: [T, ...T[]]
): OperatorFunction<RoomEvent, RoomEventOf<T>> {
  const wanted = new Set<string>(types);
  return filter((event): event is RoomEventOf<T> => wanted.has(event.type));
}
