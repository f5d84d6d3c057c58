/**
 * What each native code means, one English sentence per code, for humans: docs, logs, dev
 * tooling. The runtime (decoders, drivers, media recovery) never imports this module, so a page
 * does not ship the sentences unless it asks for them. The types make each table cover exactly
 * the codes of its runtime table in ./codes.ts.
 */
import {
  PLAYER_STATE_CODES,
  PUSHER_ERROR_CODES,
  PUSHER_STATE_CODES,
  type NativeCodeInfo,
  type PlayerStateCode,
  type PusherErrorCode,
  type PusherStateCode,
} from './codes';

/** What each `<live-pusher bindstatechange>` code means. */
export const PUSHER_STATE_MEANINGS: { readonly [C in PusherStateCode]: string } = {
  0: 'No error.',
  1001: 'Connected to the push server.',
  1002: 'Handshake done, pushing started.',
  1003: 'Camera opened.',
  1004: 'Screen capture started.',
  1005: 'Push resolution adjusted.',
  1006: 'Push bitrate adjusted.',
  1007: 'First frame captured.',
  1008: 'Encoder started.',
  1018: 'Entered the room (TRTC room protocol).',
  1019: 'Left the room (TRTC room protocol).',
  1020: 'Remote anchor list changed (TRTC room protocol).',
  1021: 'Network type changed; the room must be entered again (TRTC room protocol).',
  1022: 'Entering the room failed (TRTC room protocol).',
  1031: 'A remote anchor entered the room (TRTC room protocol).',
  1032: 'A remote anchor left the room (TRTC room protocol).',
  1033: 'A remote anchor video state changed (TRTC room protocol).',
  1034: 'A remote anchor audio state changed (TRTC room protocol).',
  1101: 'Uplink bandwidth too low for the push.',
  1102: 'Disconnected from the push server; reconnecting automatically.',
  1103: 'Hardware encoding failed; switched to software encoding.',
  1104: 'Video encoding failed; the encoder restarted.',
  1105: 'Legacy: software encoding with the new beauty filter failed.',
  1106: 'Legacy: software encoding with the new beauty filter failed.',
  3001: 'RTMP DNS lookup failed; retrying.',
  3002: 'RTMP connection to the server failed; retrying.',
  3003: 'RTMP handshake with the server failed; retrying.',
  3004: 'The server closed the connection (invalid push URL or expired anti-leech signature).',
  3005: 'RTMP read or write failed; retrying.',
  4998: 'The enable-mic attribute was toggled (iOS only).',
  4999: 'The muted attribute was toggled (iOS only).',
  5000: 'The mini program was suspended (TRTC; not in the WeChat docs).',
  5001: 'Interrupted by a system or WeChat call (TRTC: the floating window was closed).',
  10001: 'Camera permission denied.',
  10002: 'Microphone permission denied.',
  10003: 'Background music failed to load.',
  10004: 'The waiting image failed to load.',
  [-1301]: 'Opening the camera failed.',
  [-1302]: 'Opening the microphone failed.',
  [-1303]: 'Video encoding failed.',
  [-1304]: 'Audio encoding failed.',
  [-1305]: 'Unsupported video resolution.',
  [-1306]: 'Unsupported audio sample rate.',
  [-1307]: 'Network lost and reconnect retries exhausted; the push must be restarted.',
  [-1308]: 'Screen capture was refused.',
  [-1309]: 'Screen capture needs Android 5.0 or later.',
  [-1310]: 'Screen capture was interrupted.',
  [-1311]: 'The microphone opened on Android but captures no data.',
  [-1312]: 'Screen capture failed to rotate.',
  [-3301]: 'Entering the room failed (TRTC; not in the WeChat docs).',
  [-100018]: 'The room signature (userSig) is invalid (TRTC; not in the WeChat docs).',
};

/** What each `<live-pusher binderror>` code means. */
export const PUSHER_ERROR_MEANINGS: { readonly [C in PusherErrorCode]: string } = {
  10001: 'Camera permission denied.',
  10002: 'Microphone permission denied.',
  10003: 'Background music failed to load.',
  10004: 'The waiting image failed to load.',
};

/** What each `<live-player bindstatechange>` code means. */
export const PLAYER_STATE_MEANINGS: { readonly [C in PlayerStateCode]: string } = {
  2001: 'Connected to the server.',
  2002: 'RTMP connected; pulling started.',
  2003: 'First video packet (IDR) received.',
  2004: 'Playback started.',
  2005: 'Playback progress.',
  2006: 'Playback ended.',
  2007: 'Loading.',
  2008: 'Decoder started.',
  2009: 'Video resolution changed.',
  2030: 'Audio device changed (e.g. headset unplugged).',
  2032: 'First video frame rendered.',
  2101: 'Decoding a video frame failed.',
  2102: 'Decoding an audio frame failed.',
  2103: 'Disconnected; reconnecting automatically.',
  2104: 'Inbound packets are unstable.',
  2105: 'Playback stutters.',
  2106: 'Hardware decoding failed; switched to software decoding.',
  2107: 'Video frames are discontinuous.',
  2108: 'Hardware decoding of the first I-frame failed; switched to software decoding.',
  3001: 'RTMP DNS lookup failed; retrying.',
  3002: 'RTMP connection to the server failed; retrying.',
  3003: 'RTMP handshake with the server failed; retrying.',
  3005: 'RTMP read or write failed; retrying.',
  [-2301]: 'Disconnected and reconnect retries exhausted; playback must be restarted.',
  [-2302]: 'Getting the play URL failed.',
  6002: 'TRTC player warning 6002 (meaning undocumented).',
  6003: 'TRTC player warning 6003 (meaning undocumented).',
  6004: 'TRTC player warning 6004 (meaning undocumented).',
  6005: 'TRTC player warning 6005 (meaning undocumented).',
};

/** A code table entry with its meaning. */
export interface NativeCodeEntry extends NativeCodeInfo {
  /** One English sentence for humans. */
  readonly meaning: string;
}

/** Which table a code comes from. */
export type NativeCodeTable = 'pusher-state' | 'pusher-error' | 'player-state';

const MEANINGS: { readonly [T in NativeCodeTable]: Readonly<Record<number, string>> } = {
  'pusher-state': PUSHER_STATE_MEANINGS,
  'pusher-error': PUSHER_ERROR_MEANINGS,
  'player-state': PLAYER_STATE_MEANINGS,
};

/**
 * The English sentence for a native code, or `undefined` for a code not in the table.
 *
 * @example
 * ```ts
 * nativeCodeMeaning('player-state', -2301) // 'Disconnected and reconnect retries exhausted; …'
 * client.events$.pipe(ofType('native')).subscribe(({ event }) => {
 *   if (event.type === 'pusher-state') console.log(nativeCodeMeaning('pusher-state', event.code))
 * })
 * ```
 */
export function nativeCodeMeaning(table: NativeCodeTable, code: number): string | undefined {
  return Object.prototype.hasOwnProperty.call(MEANINGS[table], code) ? MEANINGS[table][code] : undefined;
}

/**
 * A runtime table with the meanings added, in table order (docs and tests).
 *
 * @example
 * ```ts
 * withMeanings('pusher-state').filter((e) => e.severity === 'fatal').map((e) => `${e.code} ${e.meaning}`)
 * ```
 */
export function withMeanings(table: NativeCodeTable): readonly NativeCodeEntry[] {
  const entries: readonly NativeCodeInfo[] =
    table === 'pusher-state'
      ? PUSHER_STATE_CODES
      : table === 'pusher-error'
        ? PUSHER_ERROR_CODES
        : PLAYER_STATE_CODES;
  return entries.map((e) => ({ ...e, meaning: MEANINGS[table][e.code]! }));
}
