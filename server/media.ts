/**
 * Media URLs: the push and play URLs handed out by `publish` and `subscribe`, built from the URL
 * templates of docs/protocol.md §9.
 */
import { LIMITS, type StreamKind } from '../src/protocol';
import { RtcError } from '../src/errors';
import { signMediaToken, streamKey } from './media-token';

/** What a media URL is for. */
export interface MediaUrlInput {
  readonly room: string;
  /** The publisher of the stream: `{user}`, and with `kind` the stream id. */
  readonly owner: string;
  readonly kind: StreamKind;
  /** The stream's custom tag, if any: the stream id is then `{owner}:{tag}`. */
  readonly tag?: string | undefined;
  /** Who gets the URL: the publisher for `push`, the subscriber for `play`. Named in the media token. */
  readonly holder: string;
  readonly direction: 'push' | 'play';
}

/** Signs media tokens and fills templates for one server. */
export interface MediaUrlSettings {
  readonly appId: string;
  readonly secret: string;
  readonly ttl: number;
  readonly pushTemplate: string;
  readonly playTemplate: string;
}

const PLACEHOLDER = /\{(room|user|stream|kind|key|token)\}/g;

/**
 * Fills `template`. Values are URI-encoded: ids may hold `+` and `@`, which mean something else in
 * a URL. `{stream}` is the stream id with `:` replaced by `_` (a colon would end the host part).
 * `{key}` is the short stream key and `{token}` the compact media token of ./media-token.ts.
 */
export function fillTemplate(
  template: string,
  values: { room: string; user: string; kind: string; stream: string; key: string; token: string },
): string {
  return template.replace(PLACEHOLDER, (_all, name: keyof typeof values) => encodeURIComponent(values[name]));
}

/**
 * Builds the push or play URL of a stream. The media token is signed only when the template uses it.
 *
 * @throws {@link RtcError} `INTERNAL` when the template makes a URL longer than the protocol allows.
 */
export function mediaUrl(settings: MediaUrlSettings, input: MediaUrlInput): string {
  const template = input.direction === 'push' ? settings.pushTemplate : settings.playTemplate;
  const stream = `${input.owner}:${input.tag ?? input.kind}`;
  const token = template.includes('{token}')
    ? signMediaToken(
        settings.secret,
        { app: settings.appId, room: input.room, stream, holder: input.holder, direction: input.direction },
        settings.ttl,
      )
    : '';
  const url = fillTemplate(template, {
    room: input.room,
    user: input.owner,
    kind: input.kind,
    stream: stream.replace(':', '_'),
    key: streamKey(settings.secret, settings.appId, input.room, stream),
    token,
  });
  if (url.length > LIMITS.maxUrlLength) {
    throw new RtcError(
      'INTERNAL',
      `the ${input.direction} URL template makes URLs over ${LIMITS.maxUrlLength} chars`,
    );
  }
  return url;
}
