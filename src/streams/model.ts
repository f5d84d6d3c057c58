/**
 * The domain model of a room, independent of any backend: what the reducer keeps and what pages
 * read. Drivers translate their backend's shapes into these.
 */
import type { RtcErrorShape } from '../errors';
import type { KickReason, MediaState, Role, StreamKind } from '../protocol';
import { PersistentMap } from './persistent-map';

export type { Role, StreamKind, KickReason, MediaState };

/** A remote user in the room. */
export interface Peer {
  readonly userId: string;
  /** `broadcaster` may publish; `audience` only watches. */
  readonly role: Role;
  /** Invisible users are never seen by others; only your own `self` can be invisible. */
  readonly visible: boolean;
  readonly businessId?: string;
  /**
   * The peer's connection dropped and the backend keeps its place for a grace window: it may
   * resume (the flag clears) or leave when the window is over (`peer-left`, reason `timeout`).
   * Absent while connected.
   */
  readonly reconnecting?: boolean;
}

/** A published stream as the room knows it. */
export interface StreamDescriptor {
  /** `userId:tag` (`userId:main`, `userId:screen`, or `userId:<custom tag>`). */
  readonly id: string;
  readonly userId: string;
  /** `main` (camera + mic) or `screen`. */
  readonly kind: StreamKind;
  /**
   * A custom stream tag (RongCloud's `tag` …) when the stream is neither the user's `main` nor its
   * `screen` stream; absent otherwise (the tag is then the kind). Bounded like the protocol's:
   * 1–32 characters of `[A-Za-z0-9_-]`, at most 8 streams per user (docs/protocol.md).
   */
  readonly tag?: string;
  readonly hasAudio: boolean;
  readonly hasVideo: boolean;
  /** A small (low resolution) variant can be subscribed. */
  readonly hasSmall: boolean;
  /** The owner muted the audio track. */
  readonly audioMuted: boolean;
  /** The owner muted (disabled) the video track. */
  readonly videoMuted: boolean;
  /**
   * Where the stream's media stands, when the backend watches it (the reference server with
   * media hooks): `pending` (published, no media yet), `live`, or `lost` (media stopped; the
   * stream is removed after a grace unless it comes back). Absent means live.
   */
  readonly media?: MediaState;
}

/** The media state of a stream: `live` when the backend does not report one. */
export function mediaStateOf(stream: StreamDescriptor): MediaState {
  return stream.media ?? 'live';
}

/** This client's subscription to a remote stream. */
export interface Subscription {
  readonly streamId: string;
  /** Play URL for `<live-player src>`. */
  readonly url: string;
  /** Which tracks and which variant were asked for. */
  readonly audio: boolean;
  readonly video: boolean;
  readonly small: boolean;
  /** Receiver-side mute (muteRemote): this client stopped listening / watching. */
  readonly audioMuted: boolean;
  readonly videoMuted: boolean;
}

/** A remote stream and, if subscribed, this client's subscription to it. */
export interface RemoteStream extends StreamDescriptor {
  readonly subscription: Subscription | null;
}

/** A stream this client publishes. */
export interface Publication {
  readonly stream: StreamDescriptor;
  /** Push URL for `<live-pusher url>`. */
  readonly url: string;
}

/** This client in the room. */
export interface SelfState {
  readonly userId: string;
  readonly role: Role;
  readonly visible: boolean;
  readonly businessId?: string;
  /** What this client publishes, by stream id. */
  readonly publications: Readonly<Record<string, Publication>>;
}

/** Where the connection to the backend stands. */
export type ConnectionStatus =
  | 'idle'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'resumed'
  | 'rejoined'
  | 'disconnected'
  | 'failed'
  | 'kicked';

/** The connection state shown by `connection$`. */
export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** While `reconnecting`: the attempt about to be made (1 = first). */
  readonly attempt?: number;
  /** While `reconnecting`: ms until that attempt. */
  readonly delay?: number;
  /** Why the connection is `disconnected`, `failed` or `reconnecting`. */
  readonly error?: RtcErrorShape;
  /** While `reconnecting`: the device is offline, so the attempt waits for the network. */
  readonly waitingForNetwork?: boolean;
  /** Why the server removed this client, when `kicked`. */
  readonly kickReason?: KickReason;
}

/** True for every status in which commands can reach the backend. */
export function isConnected(state: ConnectionState): boolean {
  return state.status === 'connected' || state.status === 'resumed' || state.status === 'rejoined';
}

/**
 * Everything a page needs to render a room, as one immutable value (`client.room$`).
 * Peers and streams are {@link PersistentMap}s (read them as `ReadonlyMap`s: `get`, `has`, `size`,
 * `values()`), so one change costs the same in a room of 10 and of 1,000 (ARCHITECTURE.md
 * decision 9); the memoised selectors (`selectPeerList`, `selectStreamList`, …) give arrays.
 * `JSON.stringify(state)` writes the maps as plain objects. High-rate data (volume, net status)
 * is kept apart in `volume$`/`netStatus$`.
 */
export interface RoomState {
  readonly roomId: string | null;
  readonly sessionId: string | null;
  readonly connection: ConnectionState;
  readonly self: SelfState | null;
  /** Remote visible users by user id. */
  readonly peers: PersistentMap<Peer>;
  /** Remote streams by stream id. */
  readonly streams: PersistentMap<RemoteStream>;
  /** The ids of each remote user's streams, by user id (users without streams are absent). */
  readonly userStreams: PersistentMap<readonly string[]>;
  /** Room attributes. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** The state of a client that has not joined. */
export const initialRoomState: RoomState = Object.freeze({
  roomId: null,
  sessionId: null,
  connection: Object.freeze({ status: 'idle' }) as ConnectionState,
  self: null,
  peers: PersistentMap.empty<Peer>(),
  streams: PersistentMap.empty<RemoteStream>(),
  userStreams: PersistentMap.empty<readonly string[]>(),
  attributes: Object.freeze({}),
});

/** The stream id of `userId`'s stream of `kind`. */
export function streamIdFor(userId: string, kind: StreamKind = 'main'): string {
  return `${userId}:${kind}`;
}
