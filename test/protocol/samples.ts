/**
 * One valid sample of every frame type of protocol v1. Typed by mapped types, so adding a frame
 * type to the schemas without a sample here is a compile error.
 */
import type {
  AckFrame,
  ErrorFrame,
  PongFrame,
  PushFrame,
  PushType,
  RequestFrame,
  RequestType,
  StreamInfo,
} from '../../src/protocol';

export const stream: StreamInfo = {
  id: 'bob:main',
  user: 'bob',
  kind: 'main',
  audio: true,
  video: true,
  small: false,
  audioMuted: false,
  videoMuted: true,
};

export const requestSamples: { [K in RequestType]: RequestFrame<K>[] } = {
  join: [
    { v: 1, t: 'join', id: 1, token: 'a.b.c', room: 'room-1', user: 'alice' },
    {
      v: 1,
      t: 'join',
      id: 2,
      token: 'a.b.c',
      room: 'room_1',
      user: 'alice@corp',
      visible: false,
      role: 'audience',
      businessId: 'biz',
      resume: { session: 's-1', seq: 42 },
    },
  ],
  leave: [{ v: 1, t: 'leave', id: 3 }],
  publish: [
    { v: 1, t: 'publish', id: 4, audio: true, video: true },
    { v: 1, t: 'publish', id: 5, kind: 'screen', audio: false, video: true, small: true },
  ],
  unpublish: [{ v: 1, t: 'unpublish', id: 6, stream: 'alice:main' }],
  subscribe: [
    { v: 1, t: 'subscribe', id: 7, stream: 'bob:main' },
    { v: 1, t: 'subscribe', id: 8, stream: 'bob:screen', audio: false, video: true, small: true },
  ],
  unsubscribe: [{ v: 1, t: 'unsubscribe', id: 9, stream: 'bob:main' }],
  'mute-local': [{ v: 1, t: 'mute-local', id: 10, stream: 'alice:main', audio: true }],
  'mute-remote': [{ v: 1, t: 'mute-remote', id: 11, stream: 'bob:main', audio: false, video: true }],
  'set-visibility': [{ v: 1, t: 'set-visibility', id: 12, visible: false }],
  'set-role': [{ v: 1, t: 'set-role', id: 13, role: 'audience' }],
  'set-business-id': [{ v: 1, t: 'set-business-id', id: 14, businessId: '' }],
  'attrs-set': [{ v: 1, t: 'attrs-set', id: 15, attributes: { topic: 'maths', 中文: '值' }, notify: false }],
  'attrs-get': [
    { v: 1, t: 'attrs-get', id: 16 },
    { v: 1, t: 'attrs-get', id: 17, keys: ['topic'] },
  ],
  'attrs-delete': [{ v: 1, t: 'attrs-delete', id: 18, keys: ['topic'], notify: true }],
  message: [
    { v: 1, t: 'message', id: 19, name: 'chat', content: 'hello 👋' },
    { v: 1, t: 'message', id: 20, name: 'raise-hand', content: '{"up":true}', to: 'teacher' },
  ],
  report: [
    {
      v: 1,
      t: 'report',
      id: 21,
      report: { kind: 'pusher-state', code: -1307, message: 'retries exhausted' },
    },
    { v: 1, t: 'report', id: 22, report: { kind: 'player-state', stream: 'bob:main', code: 2004 } },
    {
      v: 1,
      t: 'report',
      id: 23,
      report: { kind: 'pusher-net', info: { videoBitrate: 900, netQualityLevel: 2 } },
    },
    { v: 1, t: 'report', id: 24, report: { kind: 'player-net', stream: 'bob:main', info: { videoFPS: 15 } } },
  ],
  ping: [{ v: 1, t: 'ping', id: 2147483647 }],
  'renew-token': [{ v: 1, t: 'renew-token', id: 25, token: 'a.b.c' }],
};

export const pushSamples: { [K in PushType]: PushFrame<K>[] } = {
  'peer-joined': [
    { v: 1, t: 'peer-joined', seq: 1, peer: { user: 'bob', role: 'broadcaster', visible: true } },
    {
      v: 1,
      t: 'peer-joined',
      seq: 2,
      peer: { user: 'carol', role: 'audience', visible: true, businessId: 'vip' },
    },
  ],
  'peer-left': [{ v: 1, t: 'peer-left', seq: 3, user: 'bob', reason: 'timeout' }],
  'peer-updated': [
    { v: 1, t: 'peer-updated', seq: 4, peer: { user: 'bob', role: 'audience', visible: true } },
  ],
  'peer-reconnecting': [{ v: 1, t: 'peer-reconnecting', seq: 4, user: 'bob' }],
  'peer-reconnected': [{ v: 1, t: 'peer-reconnected', seq: 5, user: 'bob' }],
  'stream-added': [{ v: 1, t: 'stream-added', seq: 5, stream }],
  'stream-removed': [
    { v: 1, t: 'stream-removed', seq: 6, stream: 'bob:main', user: 'bob', reason: 'unpublished' },
  ],
  'stream-updated': [
    { v: 1, t: 'stream-updated', seq: 7, stream: { ...stream, audioMuted: true } },
    { v: 1, t: 'stream-updated', seq: 8, stream: { ...stream, media: 'pending' } },
    { v: 1, t: 'stream-updated', seq: 9, stream: { ...stream, media: 'live' } },
    { v: 1, t: 'stream-updated', seq: 10, stream: { ...stream, media: 'lost' } },
  ],
  'url-updated': [
    { v: 1, t: 'url-updated', seq: 8, stream: 'bob:main', direction: 'play', url: 'rtmp://h/live/x' },
  ],
  'stream-failed': [
    {
      v: 1,
      t: 'stream-failed',
      seq: 9,
      stream: 'alice:main',
      direction: 'push',
      reason: 'media server gone',
    },
  ],
  kicked: [
    { v: 1, t: 'kicked', seq: 10, reason: 'replaced' },
    { v: 1, t: 'kicked', seq: 11, reason: 'banned', message: 'spam' },
  ],
  'attributes-changed': [
    { v: 1, t: 'attributes-changed', seq: 12, set: { topic: 'x' }, deleted: ['old'], by: 'bob' },
  ],
  message: [{ v: 1, t: 'message', seq: 13, from: 'bob', name: 'chat', content: 'hi', private: true }],
  'token-expiring': [{ v: 1, t: 'token-expiring', seq: 14, exp: 1767225600 }],
};

export const ackSamples: AckFrame[] = [
  { v: 1, t: 'ack', id: 1, ok: true, data: { stream: 'bob:main' } },
  { v: 1, t: 'ack', id: 2, ok: false, error: { code: 'NOT_JOINED', reason: 'join first' } },
];

export const pongSamples: PongFrame[] = [{ v: 1, t: 'pong', id: 5 }];

export const errorSamples: ErrorFrame[] = [
  { v: 1, t: 'error', error: { code: 'MALFORMED_JSON', reason: 'Unexpected token' } },
  { v: 1, t: 'error', id: 9, error: { code: 'UNKNOWN_TYPE', reason: 'unknown frame type "x"' } },
];
