import { PersistentMap } from '../../src/streams/persistent-map';
import { stream as streamSample } from '../protocol/samples';
import { TestScheduler } from 'rxjs/testing';
import { createClient } from '../../src/streams/create-client';
import { nativeHandlers, playerElementId } from '../../src/bindings/native/handlers';
import type { RoomState } from '../../src/streams/model';
import type { NetStatusMap, VolumeMap } from '../../src/streams/media-levels';
import { FakePlatform } from '../support/fake-platform';

/** bob's camera stream, unmuted. */
const BOB_MAIN = { ...streamSample, videoMuted: false };

function joinedClient() {
  const platform = new FakePlatform();
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const client = createClient({ url: 'ws://x', platform, scheduler, reportStats: false });
  client.join({ token: 't', roomId: 'r', userId: 'me' }).subscribe();
  const socket = platform.last;
  socket.fireOpen();
  const id = (socket.frames[0] as { id: number }).id;
  const stream = BOB_MAIN;
  socket.fireMessage(
    JSON.stringify({
      v: 1,
      t: 'ack',
      id,
      ok: true,
      data: {
        mode: 'joined',
        session: 's',
        seq: 0,
        self: { user: 'me', role: 'broadcaster', visible: true },
        peers: [{ user: 'bob', role: 'broadcaster', visible: true }],
        streams: [stream],
        publications: [],
        subscriptions: [
          {
            stream: 'bob:main',
            url: 'rtmp://p',
            audio: true,
            video: true,
            small: false,
            audioMuted: false,
            videoMuted: false,
          },
        ],
        attributes: {},
        heartbeat: { interval: 10000, timeout: 30000 },
        grace: 20000,
      },
    }),
  );
  return { client, platform, socket };
}

describe('native events in the client', () => {
  it('volume and net status go to volume$ and netStatus$, never to room$', () => {
    const { client } = joinedClient();
    const rooms: RoomState[] = [];
    const volumes: VolumeMap[] = [];
    const nets: NetStatusMap[] = [];
    client.room$.subscribe((r) => rooms.push(r));
    client.volume$.subscribe((v) => volumes.push(v));
    client.netStatus$.subscribe((n) => nets.push(n));
    const handlers = nativeHandlers(client);
    const player = (detail: object) => ({
      detail,
      currentTarget: { dataset: { streamId: 'bob:main' }, id: playerElementId('bob:main') },
    });
    handlers.onPusherAudioVolume({ detail: { volume: 30 } });
    handlers.onPlayerAudioVolume(player({ volume: 55 }));
    handlers.onPlayerAudioVolume(player({ volume: 55 })); // the same level: no emission
    handlers.onPlayerNetStatus(player({ info: { netQualityLevel: 2, videoBitrate: 700, bogus: 'x' } }));
    handlers.onPusherNetStatus({ detail: { info: { netQualityLevel: 1 } } });
    expect(rooms).toHaveLength(1);
    expect(volumes.map((v) => v.toRecord())).toEqual([{}, { me: 30 }, { me: 30, bob: 55 }]);
    expect(nets[nets.length - 1]!.toRecord()).toEqual({
      bob: { netQualityLevel: 2, videoBitrate: 700 },
      me: { netQualityLevel: 1 },
    });
  });

  it('forgets a user’s levels when they leave', () => {
    const { client, socket } = joinedClient();
    client.dispatchNative({ type: 'player-volume', streamId: 'bob:main', volume: 40 });
    let latest: VolumeMap = PersistentMap.empty();
    client.volume$.subscribe((v) => (latest = v));
    expect(latest.toRecord()).toEqual({ bob: 40 });
    socket.fireMessage(
      JSON.stringify({
        v: 1,
        t: 'stream-removed',
        seq: 1,
        stream: 'bob:main',
        user: 'bob',
        reason: 'peer-left',
      }),
    );
    socket.fireMessage(JSON.stringify({ v: 1, t: 'peer-left', seq: 2, user: 'bob', reason: 'leave' }));
    expect(latest.size).toBe(0);
  });

  it('does not bring a departed user back from a late reading of their player (and rejoin starts clean)', () => {
    const { client, socket } = joinedClient();
    let volume: VolumeMap = PersistentMap.empty();
    let net: NetStatusMap = PersistentMap.empty();
    client.volume$.subscribe((v) => (volume = v));
    client.netStatus$.subscribe((n) => (net = n));
    client.dispatchNative({ type: 'player-volume', streamId: 'bob:main', volume: 80 });
    client.dispatchNative({ type: 'player-net', streamId: 'bob:main', info: { netQualityLevel: 5 } });
    expect(volume.get('bob')).toBe(80);
    socket.fireMessage(JSON.stringify({ v: 1, t: 'peer-left', seq: 1, user: 'bob', reason: 'leave' }));
    expect(volume.has('bob')).toBe(false);
    expect(net.has('bob')).toBe(false);
    // The page has not removed bob's <live-player> yet: it still reports.
    client.dispatchNative({ type: 'player-volume', streamId: 'bob:main', volume: 80 });
    client.dispatchNative({ type: 'player-net', streamId: 'bob:main', info: { netQualityLevel: 5 } });
    expect(volume.has('bob')).toBe(false);
    expect(net.has('bob')).toBe(false);
    // bob comes back: nothing of the old readings shows.
    socket.fireMessage(
      JSON.stringify({
        v: 1,
        t: 'stream-added',
        seq: 2,
        stream: BOB_MAIN,
      }),
    );
    expect(client.state.streams.has('bob:main')).toBe(true);
    expect(volume.has('bob')).toBe(false);
    expect(net.has('bob')).toBe(false);
  });

  it('passes native events to the driver and on events$, and a malformed one never throws', () => {
    const { client } = joinedClient();
    const types: string[] = [];
    client.events$.subscribe((e) => types.push(e.type === 'native' ? `native:${e.event.type}` : e.type));
    const handlers = nativeHandlers(() => client);
    handlers.onPusherStateChange({ detail: { code: 1002 } });
    handlers.onPlayerStateChange({ detail: { code: 'nope' } });
    handlers.onPusherError(null);
    expect(types).toEqual(['native:pusher-state', 'native:malformed', 'native:malformed']);
  });

  it('handlers do nothing before the client exists', () => {
    const handlers = nativeHandlers(() => null);
    expect(() => handlers.onPusherAudioVolume({ detail: { volume: 1 } })).not.toThrow();
  });

  it('completes volume$ and netStatus$ on destroy', () => {
    const { client } = joinedClient();
    let done = 0;
    client.volume$.subscribe({ complete: () => done++ });
    client.netStatus$.subscribe({ complete: () => done++ });
    client.destroy();
    client.dispatchNative({ type: 'pusher-volume', volume: 1 });
    expect(done).toBe(2);
  });
});
