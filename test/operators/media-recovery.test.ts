/**
 * Media recovery through the client, in virtual time: the native events come in the shape WeChat
 * delivers them to the WXML handlers (`{ detail: { code } }`, PLATFORM.md §3–4: live-pusher 3004
 * "server closed the connection (check URL / anti-leech expiry)", live-player −2302 "failed to get
 * pull URL", live-pusher −1307 "connection lost, retries exhausted") and go through
 * `nativeHandlers(client)`, the way a page binds them. The driver answers commands as the Driver
 * contract says (test/support/answering-driver.ts).
 */
import { TestScheduler } from 'rxjs/testing';
import { createClient, type RtcClient } from '../../src/streams/create-client';
import { nativeHandlers, playerElementId } from '../../src/bindings/native/handlers';
import { mediaSymptomOf } from '../../src/operators/media-recovery';
import { decodePlayerStateChange, decodePusherStateChange } from '../../src/bindings/native/decode';
import type { MediaSymptom } from '../../src/streams/command';
import type { RoomEvent } from '../../src/streams/room-event';
import { scriptedDriver } from '../support/scripted-driver';
import { joined, stream, subscription } from '../support/room-fixtures';

const BOB = 'bob:main';

function setup(recovers: readonly MediaSymptom[] = []) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.maxFrames = 120_000;
  const d = scriptedDriver({ recovers });
  const { driver, commands, emit } = d;
  const client = createClient({
    driver,
    scheduler,
    reportStats: false,
    mediaRecovery: { random: () => 0, jitter: 'none' },
  });
  d.state = () => client.state;
  const recovery: [number, string, string, string][] = [];
  client.events$.subscribe((e) => {
    if (e.type === 'media-recovery') recovery.push([scheduler.now(), e.action, e.streamId, e.outcome]);
  });
  const handlers = nativeHandlers(client);
  return { scheduler, client, commands, emit, recovery, handlers };
}

/** A player event as WeChat delivers it to `bindstatechange` on the stream's `<live-player>`. */
const playerEvent = (streamId: string, code: number) => ({
  currentTarget: { id: playerElementId(streamId), dataset: { streamId } },
  detail: { code },
});

const publishing = (client: RtcClient, emit: (e: RoomEvent) => void) => {
  emit(joined());
  emit({ type: 'connection', state: { status: 'connected' } });
  emit({
    type: 'published',
    publication: { stream: stream('me', { videoMuted: true }), url: 'rtmp://push/me?v=0' },
  });
  expect(client.state.self?.publications['me:main']?.stream.videoMuted).toBe(true);
};

describe('mediaRecovery through the client', () => {
  it('3004 (the media server closed the push): publishes again for a fresh URL and restores the mute bits', () => {
    const t = setup();
    publishing(t.client, t.emit);
    t.handlers.onPusherStateChange({ detail: { code: 3004, message: 'server closed' } });
    t.scheduler.flush();
    expect(t.commands.map((c) => c.type)).toEqual(['unpublish', 'publish', 'mute-local']);
    expect(t.commands[1]).toMatchObject({ kind: 'main', audio: true, video: true, small: false });
    expect(t.commands[2]).toMatchObject({ audio: false, video: true });
    expect(t.recovery).toEqual([
      [0, 'republish', 'me:main', 'scheduled'],
      [1000, 'republish', 'me:main', 'done'],
    ]);
    const pub = t.client.state.self?.publications['me:main'];
    expect(pub?.url).toBe('rtmp://push/me:main?v=1');
    expect(pub?.stream.videoMuted).toBe(true);
    t.client.destroy();
  });

  it('3004 again before the push starts: backs off; 1002 (push started) resets the count', () => {
    const t = setup();
    publishing(t.client, t.emit);
    t.handlers.onPusherStateChange({ detail: { code: 3004 } });
    t.scheduler.flush();
    t.handlers.onPusherStateChange({ detail: { code: 3004 } });
    t.scheduler.flush();
    // second attempt waits twice as long
    expect(t.recovery.slice(2)).toEqual([
      [1000, 'republish', 'me:main', 'scheduled'],
      [3000, 'republish', 'me:main', 'done'],
    ]);
    t.handlers.onPusherStateChange({ detail: { code: 1002 } });
    t.handlers.onPusherStateChange({ detail: { code: 3004 } });
    t.scheduler.flush();
    expect(t.recovery.slice(4)).toEqual([
      [3000, 'republish', 'me:main', 'scheduled'],
      [4000, 'republish', 'me:main', 'done'],
    ]);
    t.client.destroy();
  });

  it('−2302 (no play URL): subscribes again with the same options and receiver-side mutes', () => {
    const t = setup();
    t.emit(
      joined({
        streams: [stream('bob')],
        subscriptions: [subscription(BOB, { small: true, audioMuted: true })],
      }),
    );
    t.emit({ type: 'connection', state: { status: 'connected' } });
    t.handlers.onPlayerStateChange(playerEvent(BOB, -2302));
    t.scheduler.flush();
    expect(t.commands).toEqual([
      { type: 'unsubscribe', streamId: BOB },
      { type: 'subscribe', streamId: BOB, audio: true, video: true, small: true },
      { type: 'mute-remote', streamId: BOB, audio: true, video: false },
    ]);
    expect(t.recovery).toEqual([
      [0, 'resubscribe', BOB, 'scheduled'],
      [1000, 'resubscribe', BOB, 'done'],
    ]);
    expect(t.client.state.streams.get(BOB)?.subscription).toMatchObject({ small: true, audioMuted: true });
    t.client.destroy();
  });

  it('−2302 for a stream this client does not subscribe to: nothing', () => {
    const t = setup();
    t.emit(joined({ streams: [stream('bob')] }));
    t.handlers.onPlayerStateChange(playerEvent(BOB, -2302));
    t.scheduler.flush();
    expect(t.commands).toEqual([]);
    expect(t.recovery).toEqual([]);
    t.client.destroy();
  });

  it('stands down for a symptom the driver recovers by itself, and only for that one', () => {
    const t = setup(['push-lost', 'play-url-failed']);
    expect(t.client.driverRecovers.has('push-lost')).toBe(true);
    publishing(t.client, t.emit);
    t.emit({ type: 'subscribed', subscription: subscription(BOB) });
    t.emit({ type: 'stream-added', stream: stream('bob') });
    t.handlers.onPusherStateChange({ detail: { code: -1307 } });
    t.handlers.onPlayerStateChange(playerEvent(BOB, -2302));
    t.scheduler.flush();
    expect(t.recovery).toEqual([]);
    expect(t.commands).toEqual([]);
    // 3004 is not declared: rxroom still owns it.
    t.handlers.onPusherStateChange({ detail: { code: 3004 } });
    t.scheduler.flush();
    expect(t.recovery.map(([, action, , outcome]) => `${action} ${outcome}`)).toEqual([
      'republish scheduled',
      'republish done',
    ]);
    t.client.destroy();
  });
});

describe('mediaSymptomOf', () => {
  it('names the symptom of every code media recovery has a remedy for, and nothing else', () => {
    const push = (code: number) => mediaSymptomOf(decodePusherStateChange({ detail: { code } }));
    const play = (code: number) => mediaSymptomOf(decodePlayerStateChange(playerEvent(BOB, code)));
    expect([-1307, -1303, -1304, 3004, 5000, 5001, 1002, -1301].map(push)).toEqual([
      'push-lost',
      'push-encoder-failed',
      'push-encoder-failed',
      'push-closed',
      'push-suspended',
      'push-suspended',
      undefined,
      undefined,
    ]);
    expect([-2301, -2302, 2004, 2103].map(play)).toEqual([
      'play-lost',
      'play-url-failed',
      undefined,
      undefined,
    ]);
  });
});
