import {
  deepEqual,
  selectHasAudio,
  selectHasVideo,
  selectIsOwnerMuteAudio,
  selectIsOwnerMuteVideo,
  selectIsSubscribed,
  selectLocalStream,
  selectPublications,
  selectRemoteUserIds,
  selectStream,
  selectStreamsOfUser,
} from '../../src/streams/selectors';
import { joined, peer, reduceAll, stream, subscription } from '../support/room-fixtures';

const room = reduceAll([
  joined({
    peers: [peer('bob'), peer('carol')],
    streams: [
      stream('bob', { audioMuted: true }),
      stream('bob', { kind: 'screen', hasAudio: false }),
      stream('carol', { hasVideo: false, videoMuted: true }),
    ],
    subscriptions: [subscription('bob:main')],
  }),
  { type: 'published', publication: { stream: stream('me'), url: 'rtmp://push' } },
  { type: 'published', publication: { stream: stream('me', { kind: 'screen' }), url: 'rtmp://push2' } },
]);

describe('selectors (the seed SDKs’ queries)', () => {
  it('getRemoteUserIds, getRemoteStreamsByUserId, getStream', () => {
    expect([...selectRemoteUserIds(room)].sort()).toEqual(['bob', 'carol']);
    expect(selectStreamsOfUser('bob')(room).map((s) => s.id)).toEqual(['bob:main', 'bob:screen']);
    expect(selectStreamsOfUser('nobody')(room)).toEqual([]);
    expect(selectStream('carol:main')(room)?.hasVideo).toBe(false);
    expect(selectStream('nobody:main')(room)).toBeNull();
  });

  it('isSubscribed, hasAudio, hasVideo, isOwnerMuteAudio, isOwnerDisableVideo', () => {
    expect(selectIsSubscribed('bob:main')(room)).toBe(true);
    expect(selectIsSubscribed('bob:screen')(room)).toBe(false);
    expect(selectHasAudio('bob:screen')(room)).toBe(false);
    expect(selectHasVideo('bob:screen')(room)).toBe(true);
    expect(selectIsOwnerMuteAudio('bob:main')(room)).toBe(true);
    expect(selectIsOwnerMuteVideo('carol:main')(room)).toBe(true);
    expect(selectIsOwnerMuteAudio('ghost:main')(room)).toBe(false);
  });

  it('the local stream is the main publication', () => {
    expect(selectLocalStream(room)?.url).toBe('rtmp://push');
    expect(selectPublications(room).map((p) => p.stream.id)).toEqual(['me:main', 'me:screen']);
    expect(selectLocalStream(reduceAll([joined()]))).toBeNull();
  });

  it('deepEqual compares JSON-like values structurally', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual([1], [1, 2])).toBe(false);
  });
});
