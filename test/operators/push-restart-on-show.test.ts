/**
 * Restarting a suspended push when the app is shown again, as createClient composes it over the wx
 * platform: the live-pusher reports 5000 (suspended; TRTC's reading) or 5001 (interrupted) while
 * the app is hidden, and on `wx.onAppShow` media recovery stops and starts the push through the
 * pusher context, with the background policy's restore alongside. A push that resumed by itself
 * (1002) or was never suspended is left alone; a close through the capsule stops it at once.
 */
import { TestScheduler } from 'rxjs/testing';
import { decodePusherStateChange } from '../../src/bindings/native/decode';
import type { PusherContext } from '../../src/bindings/platform';
import type { RoomEvent } from '../../src/streams/room-event';
import { wxLifecycleClient } from '../support/fake-wx-lifecycle';
import { joinPublishing } from '../support/scripted-driver';

function setup() {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  const { wx, d, client } = wxLifecycleClient({ scheduler, mediaRecovery: { random: () => 0 } });
  const log: string[] = [];
  // The component's pusher context, answering as LivePusherContext does (complete after stop).
  const pusher: PusherContext = {
    stop: (o?: { complete?: () => void }) => {
      log.push(`${scheduler.now()} stop`);
      o?.complete?.();
    },
    start: (o) => {
      log.push(`${scheduler.now()} start`);
      o?.success?.();
    },
  } as PusherContext;
  client.registerPusherContext(pusher);
  client.events$.subscribe((e: RoomEvent) => {
    if (e.type === 'media-recovery') log.push(`${scheduler.now()} ${e.action} ${e.outcome}`);
    if (e.type === 'background') log.push(`${scheduler.now()} background ${e.action}`);
  });
  joinPublishing(d);
  const at = (t: number, fn: () => void) => scheduler.schedule(fn, t);
  const pusherCode = (code: number) => client.dispatchNative(decodePusherStateChange({ detail: { code } }));
  return { wx, scheduler, client, log, at, pusherCode };
}

describe('a push suspended while the app was hidden', () => {
  it.each([5000, 5001])('is restarted when the app is shown again (%i)', (code) => {
    const { wx, scheduler, client, log, at, pusherCode } = setup();
    at(100, () => wx.hide(3));
    at(5100, () => pusherCode(code));
    at(60_000, () => wx.show());
    scheduler.flush();
    expect(log).toEqual([
      '100 background muted',
      '60000 restart-push scheduled',
      '60000 background restored',
      // the first backoff delay (jitter drawn at 0) later, stop then start through the context
      expect.stringMatching(/^6\d{4} stop$/),
      expect.stringMatching(/^6\d{4} start$/),
      expect.stringMatching(/^6\d{4} restart-push done$/),
    ]);
    client.destroy();
  });

  it('is left alone when it resumed by itself before the app came back (1002)', () => {
    const { wx, scheduler, client, log, at, pusherCode } = setup();
    at(100, () => wx.hide(3));
    at(5100, () => pusherCode(5000));
    at(7000, () => pusherCode(1002));
    at(60_000, () => wx.show());
    scheduler.flush();
    expect(log).toEqual(['100 background muted', '60000 background restored']);
    client.destroy();
  });

  it('is not restarted on show when it was never suspended', () => {
    const { wx, scheduler, client, log, at } = setup();
    at(100, () => wx.hide(3));
    at(60_000, () => wx.show());
    scheduler.flush();
    expect(log).toEqual(['100 background muted', '60000 background restored']);
    client.destroy();
  });

  it('is stopped at once, and the room left, when the user closes the mini program', () => {
    const { wx, scheduler, client, log, at } = setup();
    at(100, () => wx.hide(0));
    scheduler.flush();
    expect(log).toEqual(['100 stop', '100 background closed']);
    expect(client.state.roomId).toBeNull();
    client.destroy();
  });
});

describe('page unload', () => {
  it('destroy() stops the push at once, before the component goes', () => {
    const { scheduler, client, log } = setup();
    scheduler.flush();
    client.destroy();
    expect(log).toEqual(['0 stop']);
  });
});
