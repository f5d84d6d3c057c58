/**
 * The background policy: each policy on app hide and show (marbles on the injected scheduler),
 * restoring exactly what it muted, leaving after a while hidden (also when WeChat suspended the
 * timers), and stopping media at once when the user closes the mini program.
 */
import { Subject, Subscription, type SchedulerLike } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import type { AppHideInfo } from '../../src/bindings/platform';
import { RtcError } from '../../src/errors';
import {
  combineBackgroundPolicies,
  KEEP_PLAN,
  keep,
  leaveAfter,
  muteAll,
  muteVideo,
} from '../../src/operators/background-policies';
import { backgroundPolicy } from '../../src/operators/background-policy';
import { createRoomClient } from '../../src/streams/create-client';
import { initialRoomState } from '../../src/streams/model';
import type { BackgroundEvent } from '../../src/streams/room-event';
import { joinPublishing, scriptedDriver } from '../support/scripted-driver';

const HIDE: AppHideInfo = { reason: 'other' };

/** A joined client publishing `me:main`, with the given mute bits. */
function publishing(mute: { audioMuted?: boolean; videoMuted?: boolean } = {}) {
  const d = scriptedDriver();
  const client = createRoomClient({ driver: d.driver });
  d.state = () => client.state;
  joinPublishing(d, mute);
  const bits = () => {
    const s = client.state.self?.publications['me:main']?.stream;
    return { audioMuted: s?.audioMuted, videoMuted: s?.videoMuted };
  };
  return { d, client, bits };
}

const muted = (audio: boolean, video: boolean): BackgroundEvent => ({
  type: 'background',
  action: 'muted',
  streamId: 'me:main',
  audio,
  video,
});
const restored = (audio: boolean, video: boolean): BackgroundEvent => ({
  type: 'background',
  action: 'restored',
  streamId: 'me:main',
  audio,
  video,
});

describe('background policies', () => {
  it('compose left to right and the strictest restriction wins', () => {
    const room = initialRoomState;
    expect(keep(KEEP_PLAN, room)).toEqual({ muteAudio: false, muteVideo: false });
    expect(muteVideo(KEEP_PLAN, room)).toEqual({ muteAudio: false, muteVideo: true });
    expect(combineBackgroundPolicies(muteAll, muteVideo, keep)(KEEP_PLAN, room)).toEqual({
      muteAudio: true,
      muteVideo: true,
    });
    expect(combineBackgroundPolicies(leaveAfter(300), muteVideo, leaveAfter(100))(KEEP_PLAN, room)).toEqual({
      muteAudio: false,
      muteVideo: true,
      leaveAfter: 100,
    });
    expect(() => leaveAfter(-1)).toThrow(RangeError);
  });
});

describe('backgroundPolicy', () => {
  it(
    'keep: publishes on while hidden; nothing is sent',
    marbles((m) => {
      const { d, client } = publishing();
      const hide$ = m.hot('--h----', { h: HIDE });
      const show$ = m.hot('------s');
      m.expect(backgroundPolicy(client, keep, { hide$, show$ }, m.scheduler)).toBeObservable('');
      m.flush();
      expect(d.commands).toEqual([]);
    }),
  );

  it(
    'muteVideo: mutes the camera on hide and unmutes it on show; the microphone is never touched',
    marbles((m) => {
      const { d, client, bits } = publishing();
      const seen: unknown[] = [];
      const hide$ = m.hot('--h----', { h: HIDE });
      const show$ = m.hot('------s');
      hide$.subscribe(() => seen.push(bits()));
      show$.subscribe(() => seen.push(bits()));
      m.expect(backgroundPolicy(client, muteVideo, { hide$, show$ }, m.scheduler)).toBeObservable('--m---r', {
        m: muted(false, true),
        r: restored(false, true),
      });
      m.flush();
      // (the recording subscriber runs before the policy's at each frame)
      expect(seen).toEqual([
        { audioMuted: false, videoMuted: false },
        { audioMuted: false, videoMuted: true },
      ]);
      expect(bits()).toEqual({ audioMuted: false, videoMuted: false });
      expect(d.commands).toEqual([
        { type: 'mute-local', streamId: 'me:main', video: true },
        { type: 'mute-local', streamId: 'me:main', video: false },
      ]);
    }),
  );

  it(
    'muteAll (the default): mutes both, and on show restores only what it muted, never what the user had muted',
    marbles((m) => {
      const { d, client, bits } = publishing({ audioMuted: true });
      const hide$ = m.hot('--h---h--', { h: HIDE }); // a second hide while hidden changes nothing
      const show$ = m.hot('--------s');
      m.expect(backgroundPolicy(client, undefined, { hide$, show$ }, m.scheduler)).toBeObservable(
        '--m-----r',
        { m: muted(false, true), r: restored(false, true) },
      );
      m.flush();
      expect(bits()).toEqual({ audioMuted: true, videoMuted: false });
      expect(d.commands).toHaveLength(2);
    }),
  );

  it(
    'restores only once the connection is back when the app returns reconnecting',
    marbles((m) => {
      const { d, client, bits } = publishing();
      const hide$ = m.hot('--h------', { h: HIDE });
      const show$ = m.hot('----s----');
      m.hot('---r---c').subscribe((c) =>
        d.emit({ type: 'connection', state: { status: c === 'r' ? 'reconnecting' : 'resumed' } }),
      );
      m.expect(backgroundPolicy(client, muteAll, { hide$, show$ }, m.scheduler)).toBeObservable('--m----r', {
        m: muted(true, true),
        r: restored(true, true),
      });
      m.flush();
      expect(bits()).toEqual({ audioMuted: false, videoMuted: false });
    }),
  );

  it(
    'leaveAfter: leaves once hidden that long, and a later show restores nothing',
    marbles((m) => {
      const { d, client } = publishing();
      const hide$ = m.hot('--h', { h: HIDE });
      const show$ = m.hot('--- 200ms s');
      const policy = combineBackgroundPolicies(muteAll, leaveAfter(100));
      m.expect(backgroundPolicy(client, policy, { hide$, show$ }, m.scheduler)).toBeObservable('--m 99ms l', {
        m: muted(true, true),
        l: { type: 'background', action: 'left', hiddenFor: 100 },
      });
      m.flush();
      expect(d.commands.map((c) => c.type)).toEqual(['mute-local', 'leave']);
      expect(client.state.roomId).toBeNull();
    }),
  );

  it(
    'leaveAfter: a show before the time is up cancels the leave',
    marbles((m) => {
      const { d, client } = publishing();
      const hide$ = m.hot('--h', { h: HIDE });
      const show$ = m.hot('-- 50ms s');
      m.expect(
        backgroundPolicy(
          client,
          combineBackgroundPolicies(muteVideo, leaveAfter(100)),
          { hide$, show$ },
          m.scheduler,
        ),
        '^ 300ms !',
      ).toBeObservable('--m 49ms r', { m: muted(false, true), r: restored(false, true) });
      m.flush();
      expect(d.commands.map((c) => c.type)).toEqual(['mute-local', 'mute-local']);
      expect(client.state.roomId).toBe('r1');
    }),
  );

  it('leaveAfter: leaves on show when WeChat suspended the timer past its time', () => {
    // WeChat suspends a hidden app's JavaScript after ~5 s: timers due meanwhile run only after
    // the app is shown again. This scheduler never runs them, and its clock is set by hand.
    let now = 0;
    const suspended: SchedulerLike = {
      now: () => now,
      schedule: () => new Subscription(),
    };
    const { d, client } = publishing();
    const hide$ = new Subject<AppHideInfo>();
    const show$ = new Subject<void>();
    const events: BackgroundEvent[] = [];
    backgroundPolicy(
      client,
      combineBackgroundPolicies(muteAll, leaveAfter(60_000)),
      { hide$, show$ },
      suspended,
    ).subscribe((e) => events.push(e));
    now = 1000;
    hide$.next(HIDE);
    now = 1000 + 90_000;
    show$.next();
    expect(events).toEqual([muted(true, true), { type: 'background', action: 'left', hiddenFor: 90_000 }]);
    expect(d.commands.map((c) => c.type)).toEqual(['mute-local', 'leave']);
  });

  it(
    'a close through the capsule button stops the media at once and leaves, whatever the policy',
    marbles((m) => {
      const { d, client } = publishing();
      const calls: string[] = [];
      d.driver.execute = ((execute) => (c: Parameters<typeof execute>[0]) => {
        calls.push(c.type);
        return execute(c);
      })(d.driver.execute.bind(d.driver)) as typeof d.driver.execute;
      const hide$ = m.hot('--q---', { q: { reason: 'quit' } as AppHideInfo });
      const show$ = m.hot('-----s');
      const stopMedia = () => calls.push('stop-media');
      m.expect(backgroundPolicy(client, keep, { hide$, show$, stopMedia }, m.scheduler)).toBeObservable(
        '--c',
        {
          c: { type: 'background', action: 'closed' },
        },
      );
      m.flush();
      // the push stops before anything goes to the server
      expect(calls).toEqual(['stop-media', 'leave']);
      expect(client.state.roomId).toBeNull();
    }),
  );

  it(
    'does nothing for a client that is not in a room',
    marbles((m) => {
      const d = scriptedDriver();
      const client = createRoomClient({ driver: d.driver });
      d.state = () => client.state;
      const hide$ = m.hot('--h', { h: HIDE });
      const show$ = m.hot('-- 200ms s');
      const policy = combineBackgroundPolicies(muteAll, leaveAfter(100));
      m.expect(backgroundPolicy(client, policy, { hide$, show$ }, m.scheduler)).toBeObservable('');
      m.flush();
      expect(d.commands).toEqual([]);
    }),
  );

  it(
    'reports a mute that fails, and does not pretend to restore it',
    marbles((m) => {
      const { d, client } = publishing();
      const error = new RtcError('CONNECTION_LOST', 'offline');
      d.failing.set('mute-local', error);
      const hide$ = m.hot('--h--', { h: HIDE });
      const show$ = m.hot('----s');
      m.expect(backgroundPolicy(client, muteAll, { hide$, show$ }, m.scheduler)).toBeObservable('--f--', {
        f: { type: 'background', action: 'failed', streamId: 'me:main', error },
      });
      m.flush();
      // nothing was muted, so nothing is unmuted on show
      expect(d.commands).toHaveLength(1);
    }),
  );
});
