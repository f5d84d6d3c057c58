import type { NativeEvent } from './decode';
import {
  decodePlayerAudioVolume,
  decodePlayerFullscreenChange,
  decodePlayerNetStatus,
  decodePlayerPictureInPicture,
  decodePlayerStateChange,
  decodePusherAudioVolume,
  decodePusherBgmComplete,
  decodePusherBgmProgress,
  decodePusherBgmStart,
  decodePusherError,
  decodePusherNetStatus,
  decodePusherPictureInPicture,
  decodePusherStateChange,
} from './decode';

/** Anything that takes decoded native events: an rxroom client. */
export interface NativeEventSink {
  dispatchNative(event: NativeEvent): void;
}

/** The WXML handler methods {@link nativeHandlers} returns, one per `bind*` attribute. */
export interface NativeHandlers {
  onPusherStateChange(e: unknown): void;
  onPusherNetStatus(e: unknown): void;
  onPusherAudioVolume(e: unknown): void;
  onPusherError(e: unknown): void;
  onPusherBgmStart(e: unknown): void;
  onPusherBgmProgress(e: unknown): void;
  onPusherBgmComplete(e: unknown): void;
  /** Needs `data-stream-id="{{item.streamId}}"` (or the element id) on the `<live-player>`. */
  onPlayerStateChange(e: unknown): void;
  onPlayerNetStatus(e: unknown): void;
  onPlayerAudioVolume(e: unknown): void;
  onPlayerFullscreenChange(e: unknown): void;
  /** `bindenterpictureinpicture` / `bindleavepictureinpicture` of the `<live-pusher>`. */
  onPusherEnterPictureInPicture(e: unknown): void;
  onPusherLeavePictureInPicture(e: unknown): void;
  /** The same of a `<live-player>` (its stream from `data-stream-id` or the id). */
  onPlayerEnterPictureInPicture(e: unknown): void;
  onPlayerLeavePictureInPicture(e: unknown): void;
}

/**
 * Handler methods for the `bind*` attributes of `<live-pusher>` and `<live-player>`: each decodes
 * the WeChat event and feeds it to the client. Spread them into a Page or Component `methods`.
 * Pass the client, or a function returning it when the client is created in `onLoad`.
 *
 * @example
 * ```ts
 * // page.ts
 * Page({ ...nativeHandlers(() => client), onLoad() { client = createClient({ url }) } })
 * ```
 * ```xml
 * <live-pusher url="{{pusher.url}}" bindstatechange="onPusherStateChange"
 *              bindnetstatus="onPusherNetStatus" bindaudiovolumenotify="onPusherAudioVolume" />
 * <live-player wx:for="{{players}}" wx:key="id" id="{{item.elementId}}" data-stream-id="{{item.streamId}}"
 *              src="{{item.url}}" bindstatechange="onPlayerStateChange" bindnetstatus="onPlayerNetStatus"
 *              bindaudiovolumenotify="onPlayerAudioVolume" />
 * ```
 */
export function nativeHandlers(
  client: NativeEventSink | (() => NativeEventSink | null | undefined),
): NativeHandlers {
  const feed = (decode: (e: unknown) => NativeEvent) => (e: unknown) => {
    const sink = typeof client === 'function' ? client() : client;
    sink?.dispatchNative(decode(e));
  };
  return {
    onPusherStateChange: feed(decodePusherStateChange),
    onPusherNetStatus: feed(decodePusherNetStatus),
    onPusherAudioVolume: feed(decodePusherAudioVolume),
    onPusherError: feed(decodePusherError),
    onPusherBgmStart: feed(decodePusherBgmStart),
    onPusherBgmProgress: feed(decodePusherBgmProgress),
    onPusherBgmComplete: feed(decodePusherBgmComplete),
    onPlayerStateChange: feed(decodePlayerStateChange),
    onPlayerNetStatus: feed(decodePlayerNetStatus),
    onPlayerAudioVolume: feed(decodePlayerAudioVolume),
    onPlayerFullscreenChange: feed(decodePlayerFullscreenChange),
    onPusherEnterPictureInPicture: feed(decodePusherPictureInPicture(true)),
    onPusherLeavePictureInPicture: feed(decodePusherPictureInPicture(false)),
    onPlayerEnterPictureInPicture: feed(decodePlayerPictureInPicture(true)),
    onPlayerLeavePictureInPicture: feed(decodePlayerPictureInPicture(false)),
  };
}

/** The element id rxroom gives the `<live-player>` of a stream (ids cannot hold `:`). */
export function playerElementId(streamId: string): string {
  return `rx-player-${streamId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
