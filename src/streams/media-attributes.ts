/**
 * The attributes of `<live-pusher>` and `<live-player>` that an app sets (WeChat's component
 * documents), as typed settings with their defaults, and the pure checks of a change. The client
 * keeps the current settings (`client.pusher$`, `client.player$(id)`); pages and the rx-pusher /
 * rx-player components bind them. The push/play URL and the mute bits are not settings: they come
 * from the room (publish, subscribe, muteLocal, muteRemote).
 */
import { RtcError } from '../errors';

/** How one attribute's values are checked. */
type Spec =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string' }
  | { readonly kind: 'one-of'; readonly values: readonly (string | number)[] }
  | { readonly kind: 'number'; readonly min: number; readonly max: number; readonly integer?: boolean }
  | { readonly kind: 'pip' };

const bool = { kind: 'boolean' } as const;
const str = { kind: 'string' } as const;
const pip = { kind: 'pip' } as const;
const oneOf = <V extends string | number>(...values: V[]) => ({ kind: 'one-of', values }) as const;
const int = (min: number, max: number) => ({ kind: 'number', min, max, integer: true }) as const;
const num = (min: number, max: number) => ({ kind: 'number', min, max }) as const;

/** `picture-in-picture-mode`: none (`[]`), `push`, `pop`, or both. */
export type PictureInPictureMode = readonly ('push' | 'pop')[];

/** The filter presets of `<live-pusher filter>`. */
export const PUSHER_FILTERS = [
  'standard',
  'pink',
  'nostalgia',
  'blues',
  'romantic',
  'cool',
  'fresher',
  'solor',
  'aestheticism',
  'whitening',
  'cerisered',
] as const;

/**
 * What an app sets on `<live-pusher>` (WeChat's names in camelCase: `min-bitrate` is
 * `minBitrate`). Defaults are WeChat's, except `autopush` (rxroom pushes as soon as it has a URL)
 * and `aspect` (`3:4`, as rx-pusher always had).
 */
export interface PusherSettings {
  /** `SD`, `HD`, `FHD`, `RTC` (default; real-time calls), or `QVGA`/`HVGA` (base library 3.5.0). */
  readonly mode: 'SD' | 'HD' | 'FHD' | 'RTC' | 'QVGA' | 'HVGA';
  /** Push as soon as the URL is set. Default true. */
  readonly autopush: boolean;
  /** Deprecated by WeChat for `enable-mic`; rxroom keeps it false and mutes through muteLocal. */
  readonly muted: boolean;
  readonly autoFocus: boolean;
  readonly orientation: 'vertical' | 'horizontal';
  /** 0–9, 0 off. */
  readonly beauty: number;
  /** 0–9, 0 off. */
  readonly whiteness: number;
  readonly aspect: '3:4' | '9:16';
  /** kbps. */
  readonly minBitrate: number;
  /** kbps, at least `minBitrate`. */
  readonly maxBitrate: number;
  /** `high` (48 kHz) or `low` (16 kHz). */
  readonly audioQuality: 'high' | 'low';
  /** The image pushed while the app is in the background ('' for none). */
  readonly waitingImage: string;
  readonly waitingImageHash: string;
  /** Pinch to zoom. */
  readonly zoom: boolean;
  /** The camera: `client.switchCamera()` flips it. */
  readonly devicePosition: 'front' | 'back';
  /** Deprecated by WeChat (always muted in the background). */
  readonly backgroundMute: boolean;
  readonly mirror: boolean;
  /** Mirror what the others see. */
  readonly remoteMirror: boolean;
  /** Mirror the local preview: `auto` (front camera only), `enable`, `disable`. */
  readonly localMirror: 'auto' | 'enable' | 'disable';
  /** 0 off, 1 KTV, 2 small room, 3 hall, 4 deep, 5 loud, 6 metallic, 7 magnetic. */
  readonly audioReverbType: number;
  /** Automatic gain control. */
  readonly enableAgc: boolean;
  /** Noise suppression. */
  readonly enableAns: boolean;
  /** Hear yourself in the earphones (iOS). */
  readonly enableEarMonitor: boolean;
  readonly audioVolumeType: 'auto' | 'media' | 'voicecall';
  /** Pixels; with `videoHeight` it overrides `aspect`. */
  readonly videoWidth: number;
  readonly videoHeight: number;
  readonly beautyStyle: 'smooth' | 'nature';
  readonly filter: (typeof PUSHER_FILTERS)[number];
  readonly pictureInPictureMode: PictureInPictureMode;
  /** Frames per second, 1–30. */
  readonly fps: number;
  /** 0 off, 1–11 WeChat's voice changers. */
  readonly voiceChangerType: number;
  readonly enableVideoCustomRender: boolean;
  /** Turn on the skin/face effects below. */
  readonly customEffect: boolean;
  /** 0–1. */
  readonly skinWhiteness: number;
  readonly skinSmoothness: number;
  readonly faceThinness: number;
  readonly eyeBigness: number;
}

/** What an app sets on a `<live-player>`. Defaults are WeChat's values for RTC mode. */
export interface PlayerSettings {
  /** `RTC` (default) or `live`. */
  readonly mode: 'live' | 'RTC';
  readonly autoplay: boolean;
  /** Mute this player here (added to the room's mute bits). */
  readonly muted: boolean;
  readonly orientation: 'vertical' | 'horizontal';
  readonly objectFit: 'contain' | 'fillCrop';
  /** Seconds (RTC: 0.2). */
  readonly minCache: number;
  /** Seconds (RTC: 0.8), at least `minCache`. */
  readonly maxCache: number;
  /** `speaker` or `ear` (the earpiece). */
  readonly soundMode: 'speaker' | 'ear';
  readonly autoPauseIfNavigate: boolean;
  readonly autoPauseIfOpenNative: boolean;
  readonly pictureInPictureMode: PictureInPictureMode;
  readonly enableAutoRotation: boolean;
  readonly referrerPolicy: 'origin' | 'no-referrer';
  readonly enableCasting: boolean;
}

const PUSHER_SPECS: { readonly [K in keyof PusherSettings]: Spec } = {
  mode: oneOf('SD', 'HD', 'FHD', 'RTC', 'QVGA', 'HVGA'),
  autopush: bool,
  muted: bool,
  autoFocus: bool,
  orientation: oneOf('vertical', 'horizontal'),
  beauty: int(0, 9),
  whiteness: int(0, 9),
  aspect: oneOf('3:4', '9:16'),
  minBitrate: int(1, 100_000),
  maxBitrate: int(1, 100_000),
  audioQuality: oneOf('high', 'low'),
  waitingImage: str,
  waitingImageHash: str,
  zoom: bool,
  devicePosition: oneOf('front', 'back'),
  backgroundMute: bool,
  mirror: bool,
  remoteMirror: bool,
  localMirror: oneOf('auto', 'enable', 'disable'),
  audioReverbType: int(0, 7),
  enableAgc: bool,
  enableAns: bool,
  enableEarMonitor: bool,
  audioVolumeType: oneOf('auto', 'media', 'voicecall'),
  videoWidth: int(1, 4096),
  videoHeight: int(1, 4096),
  beautyStyle: oneOf('smooth', 'nature'),
  filter: oneOf(...PUSHER_FILTERS),
  pictureInPictureMode: pip,
  fps: int(1, 30),
  voiceChangerType: int(0, 11),
  enableVideoCustomRender: bool,
  customEffect: bool,
  skinWhiteness: num(0, 1),
  skinSmoothness: num(0, 1),
  faceThinness: num(0, 1),
  eyeBigness: num(0, 1),
};

const PLAYER_SPECS: { readonly [K in keyof PlayerSettings]: Spec } = {
  mode: oneOf('live', 'RTC'),
  autoplay: bool,
  muted: bool,
  orientation: oneOf('vertical', 'horizontal'),
  objectFit: oneOf('contain', 'fillCrop'),
  minCache: num(0, 60),
  maxCache: num(0, 60),
  soundMode: oneOf('speaker', 'ear'),
  autoPauseIfNavigate: bool,
  autoPauseIfOpenNative: bool,
  pictureInPictureMode: pip,
  enableAutoRotation: bool,
  referrerPolicy: oneOf('origin', 'no-referrer'),
  enableCasting: bool,
};

/** The pusher settings of a new client. */
export const DEFAULT_PUSHER_SETTINGS: PusherSettings = Object.freeze({
  mode: 'RTC',
  autopush: true,
  muted: false,
  autoFocus: true,
  orientation: 'vertical',
  beauty: 0,
  whiteness: 0,
  aspect: '3:4',
  minBitrate: 200,
  maxBitrate: 1000,
  audioQuality: 'high',
  waitingImage: '',
  waitingImageHash: '',
  zoom: false,
  devicePosition: 'front',
  backgroundMute: false,
  mirror: false,
  remoteMirror: false,
  localMirror: 'auto',
  audioReverbType: 0,
  enableAgc: false,
  enableAns: false,
  enableEarMonitor: false,
  audioVolumeType: 'auto',
  videoWidth: 360,
  videoHeight: 640,
  beautyStyle: 'smooth',
  filter: 'standard',
  pictureInPictureMode: Object.freeze([]) as PictureInPictureMode,
  fps: 15,
  voiceChangerType: 0,
  enableVideoCustomRender: false,
  customEffect: false,
  skinWhiteness: 0,
  skinSmoothness: 0,
  faceThinness: 0,
  eyeBigness: 0,
});

/** The settings of a player nobody changed. */
export const DEFAULT_PLAYER_SETTINGS: PlayerSettings = Object.freeze({
  mode: 'RTC',
  autoplay: true,
  muted: false,
  orientation: 'vertical',
  objectFit: 'fillCrop',
  minCache: 0.2,
  maxCache: 0.8,
  soundMode: 'speaker',
  autoPauseIfNavigate: true,
  autoPauseIfOpenNative: true,
  pictureInPictureMode: Object.freeze([]) as PictureInPictureMode,
  enableAutoRotation: false,
  referrerPolicy: 'no-referrer',
  enableCasting: false,
});

/** Every pusher setting name, in WeChat's order. */
export const PUSHER_SETTING_NAMES = Object.keys(PUSHER_SPECS) as (keyof PusherSettings)[];
/** Every player setting name. */
export const PLAYER_SETTING_NAMES = Object.keys(PLAYER_SPECS) as (keyof PlayerSettings)[];

/**
 * The WXML attribute of a setting: `minBitrate` → `min-bitrate`.
 *
 * @example
 * ```ts
 * attributeName('autoPauseIfOpenNative') // 'auto-pause-if-open-native'
 * ```
 */
export function attributeName(setting: string): string {
  return setting.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The pusher attributes that are not settings, and the command that owns each. */
const PUSHER_OWNED: Readonly<Record<string, string>> = {
  url: 'publish()',
  enableMic: 'muteLocal({ audio })',
  enableCamera: 'muteLocal({ video })',
};
const PLAYER_OWNED: Readonly<Record<string, string>> = { src: 'subscribe()' };

function valueProblem(name: string, spec: Spec, value: unknown): string | null {
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${name} must be a boolean`;
    case 'string':
      return typeof value === 'string' && value.length <= 2048 ? null : `${name} must be a string (≤ 2048)`;
    case 'one-of':
      return spec.values.includes(value as string | number)
        ? null
        : `${name} must be one of ${spec.values.join(', ')}`;
    case 'number':
      return typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= spec.min &&
        value <= spec.max &&
        (!spec.integer || Number.isInteger(value))
        ? null
        : `${name} must be ${spec.integer ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}`;
    case 'pip':
      return Array.isArray(value) &&
        value.length <= 2 &&
        value.every((m) => m === 'push' || m === 'pop') &&
        new Set(value).size === value.length
        ? null
        : `${name} must be an array of push and pop ([] for none)`;
  }
}

function changeProblem<S extends object>(
  what: string,
  specs: { readonly [K in keyof S]: Spec },
  owned: Readonly<Record<string, string>>,
  current: S,
  changes: unknown,
): RtcError | Partial<S> {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    return new RtcError('INVALID_ARGUMENT', `${what} takes an object of attributes`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(changes)) {
    if (name in owned) {
      return new RtcError('INVALID_ARGUMENT', `${name} follows the room: use ${owned[name]}`);
    }
    if (!Object.prototype.hasOwnProperty.call(specs, name)) {
      return new RtcError('INVALID_ARGUMENT', `${what}: unknown attribute ${name.slice(0, 40)}`);
    }
    const problem = valueProblem(name, specs[name as keyof S], value);
    if (problem) return new RtcError('INVALID_ARGUMENT', problem);
    out[name] = Array.isArray(value) ? Object.freeze([...(value as unknown[])]) : value;
  }
  const next = { ...current, ...out } as Record<string, unknown>;
  const pairs: [string, string][] = [
    ['minBitrate', 'maxBitrate'],
    ['minCache', 'maxCache'],
  ];
  for (const [lo, hi] of pairs) {
    if (lo in specs && (next[lo] as number) > (next[hi] as number)) {
      return new RtcError('INVALID_ARGUMENT', `${lo} must not exceed ${hi}`);
    }
  }
  return out as Partial<S>;
}

/**
 * Checks a pusher change against WeChat's documented values: the changes to apply, or the
 * `INVALID_ARGUMENT` error naming the first bad one (nothing is applied then).
 *
 * @example
 * ```ts
 * checkPusherChange(DEFAULT_PUSHER_SETTINGS, { beauty: 5 }) // { beauty: 5 }
 * checkPusherChange(DEFAULT_PUSHER_SETTINGS, { beauty: 12 }) // RtcError INVALID_ARGUMENT
 * ```
 */
export function checkPusherChange(
  current: PusherSettings,
  changes: unknown,
): RtcError | Partial<PusherSettings> {
  return changeProblem('setPusher', PUSHER_SPECS, PUSHER_OWNED, current, changes);
}

/**
 * Checks a player change, like {@link checkPusherChange}.
 *
 * @example
 * ```ts
 * checkPlayerChange(DEFAULT_PLAYER_SETTINGS, { objectFit: 'contain' }) // { objectFit: 'contain' }
 * ```
 */
export function checkPlayerChange(
  current: PlayerSettings,
  changes: unknown,
): RtcError | Partial<PlayerSettings> {
  return changeProblem('setPlayer', PLAYER_SPECS, PLAYER_OWNED, current, changes);
}

/** Everything a page binds on `<live-pusher>`: the settings plus what the room decides. */
export interface PusherAttributes extends PusherSettings {
  /** The push URL of this client's `main` publication ('' while not publishing). */
  readonly url: string;
  /** Publishing audio and not muted (muteLocal). */
  readonly enableMic: boolean;
  /** Publishing video and not muted (muteLocal). */
  readonly enableCamera: boolean;
}

/** Everything a page binds on one `<live-player>`. */
export interface PlayerAttributes extends PlayerSettings {
  readonly streamId: string;
  /** The play URL ('' while not subscribed). */
  readonly src: string;
}
