/**
 * Our own types for `bindnetstatus` `detail.info`. The official typings declare `info` as a union of
 * string literals, which is wrong: it is an object of numbers. Every field is optional because
 * platforms and base library versions report different subsets.
 */

/**
 * `<live-pusher bindnetstatus>` `detail.info`.
 *
 * @example
 * ```ts
 * const info: PusherNetInfo = sanitizePusherNetInfo(e.detail.info)
 * const poor = (info.netQualityLevel ?? 0) >= 4
 * ```
 */
export interface PusherNetInfo {
  /** Video bitrate, kbps. */
  readonly videoBitrate?: number;
  /** Audio bitrate, kbps. */
  readonly audioBitrate?: number;
  /** Frames per second. */
  readonly videoFPS?: number;
  /** Keyframe interval, seconds. */
  readonly videoGOP?: number;
  /** Send speed. */
  readonly netSpeed?: number;
  /** Network jitter. */
  readonly netJitter?: number;
  /** 0 = undefined, 1 = best, 2 = good, 3 = fair, 4 = poor, 5 = very poor, 6 = unusable. */
  readonly netQualityLevel?: number;
  /** Picture width, px. */
  readonly videoWidth?: number;
  /** Picture height, px. */
  readonly videoHeight?: number;
  /** Video frames queued at the anchor. */
  readonly videoCache?: number;
  /** Audio frames queued at the anchor. */
  readonly audioCache?: number;
}

/**
 * `<live-player bindnetstatus>` `detail.info`.
 *
 * @example
 * ```ts
 * const info: PlayerNetInfo = sanitizePlayerNetInfo(e.detail.info)
 * const laggy = (info.vSumCacheSize ?? 0) > 30
 * ```
 */
export interface PlayerNetInfo {
  /** Video bitrate, kbps. */
  readonly videoBitrate?: number;
  /** Audio bitrate, kbps. */
  readonly audioBitrate?: number;
  /** Frames per second. */
  readonly videoFPS?: number;
  /** Keyframe interval, seconds. */
  readonly videoGOP?: number;
  /** Receive speed. */
  readonly netSpeed?: number;
  /** Network jitter. */
  readonly netJitter?: number;
  /** 0 = undefined, 1 = best, 2 = good, 3 = fair, 4 = poor, 5 = very poor, 6 = unusable. */
  readonly netQualityLevel?: number;
  /** Picture width, px. */
  readonly videoWidth?: number;
  /** Picture height, px. */
  readonly videoHeight?: number;
  /** Buffered video, ms. */
  readonly videoCache?: number;
  /** Buffered audio, ms. */
  readonly audioCache?: number;
  /** Frames waiting in the decoder (Android hardware decoding). */
  readonly vDecCacheSize?: number;
  /** Total buffered video frames; higher means more latency. */
  readonly vSumCacheSize?: number;
  /** Audio/video sync offset in playback, ms. */
  readonly avPlayInterval?: number;
  /** Audio/video sync offset on the network, ms. */
  readonly avRecvInterval?: number;
  /** Above this audio cache the player starts latency control. */
  readonly audioCacheThreshold?: number;
}

/**
 * The field names of {@link PusherNetInfo}, in table order.
 *
 * @example
 * ```ts
 * PUSHER_NET_INFO_FIELDS.includes('videoFPS') // true
 * ```
 */
export const PUSHER_NET_INFO_FIELDS = [
  'videoBitrate',
  'audioBitrate',
  'videoFPS',
  'videoGOP',
  'netSpeed',
  'netJitter',
  'netQualityLevel',
  'videoWidth',
  'videoHeight',
  'videoCache',
  'audioCache',
] as const satisfies readonly (keyof PusherNetInfo)[];

/**
 * The field names of {@link PlayerNetInfo}, in table order.
 *
 * @example
 * ```ts
 * PLAYER_NET_INFO_FIELDS.includes('avPlayInterval') // true
 * ```
 */
export const PLAYER_NET_INFO_FIELDS = [
  ...PUSHER_NET_INFO_FIELDS,
  'vDecCacheSize',
  'vSumCacheSize',
  'avPlayInterval',
  'avRecvInterval',
  'audioCacheThreshold',
] as const satisfies readonly (keyof PlayerNetInfo)[];

function pickFiniteNumbers<K extends string>(
  value: unknown,
  fields: readonly K[],
): { readonly [P in K]?: number } {
  const out: { [P in K]?: number } = {};
  if (typeof value !== 'object' || value === null) return out;
  const source = value as Record<string, unknown>;
  for (const field of fields) {
    let n: unknown;
    try {
      n = source[field];
    } catch {
      // A throwing getter (a proxy, a host object) must not take the whole event down.
      continue;
    }
    if (typeof n === 'number' && Number.isFinite(n)) out[field] = n;
  }
  return out;
}

/**
 * Keeps only the known, finite numeric fields of a pusher `detail.info`. Never throws; anything that
 * is not an object gives `{}`.
 *
 * @example
 * ```ts
 * sanitizePusherNetInfo({ videoFPS: 15, videoBitrate: 'n/a', extra: 1 }) // { videoFPS: 15 }
 * ```
 */
export function sanitizePusherNetInfo(info: unknown): PusherNetInfo {
  return pickFiniteNumbers(info, PUSHER_NET_INFO_FIELDS);
}

/**
 * Keeps only the known, finite numeric fields of a player `detail.info`. Never throws; anything that
 * is not an object gives `{}`.
 *
 * @example
 * ```ts
 * sanitizePlayerNetInfo({ vSumCacheSize: 12, audioCache: NaN }) // { vSumCacheSize: 12 }
 * ```
 */
export function sanitizePlayerNetInfo(info: unknown): PlayerNetInfo {
  return pickFiniteNumbers(info, PLAYER_NET_INFO_FIELDS);
}
