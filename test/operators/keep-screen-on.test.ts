/**
 * Keep-screen-on: on while in a room (reconnects included), set again when the app is shown,
 * released on leave, kick, failure and destroy; off entirely with `keepScreenOn: false`. Through
 * createClient over a fake wx whose `setKeepScreenOn` answers as documented.
 */
import { marbles } from 'rxjs-marbles/jest';
import { keepScreenOn } from '../../src/operators/keep-screen-on';
import { createRoomClient } from '../../src/streams/create-client';
import type { RoomEvent } from '../../src/streams/room-event';
import { wxLifecycleClient } from '../support/fake-wx-lifecycle';
import { joined } from '../support/room-fixtures';
import { scriptedDriver } from '../support/scripted-driver';

function setup(options: { keepScreenOn?: boolean } = {}) {
  const { wx, d, client } = wxLifecycleClient(options);
  const connection = (status: 'connected' | 'reconnecting' | 'resumed' | 'failed') =>
    d.emit({ type: 'connection', state: { status } });
  return { wx, d, client, connection };
}

describe('keep-screen-on (createClient over the wx platform)', () => {
  it('is on while in a room, through a reconnect, set again on show, and released on leave', () => {
    const { wx, d, client, connection } = setup();
    expect(wx.keepScreenOnCalls).toEqual([]);
    d.emit(joined());
    connection('connected');
    expect(wx.keepScreenOnCalls).toEqual([true]);
    connection('reconnecting');
    connection('resumed');
    expect(wx.keepScreenOnCalls).toEqual([true]);
    wx.show();
    expect(wx.keepScreenOnCalls).toEqual([true, true]);
    client.leave().subscribe();
    expect(wx.keepScreenOnCalls).toEqual([true, true, false]);
    wx.show();
    client.destroy();
    expect(wx.keepScreenOnCalls).toEqual([true, true, false]);
  });

  it.each<[string, RoomEvent[]]>([
    ['a kick', [{ type: 'connection', state: { status: 'kicked' } }]],
    [
      'a failed connection',
      [
        { type: 'connection', state: { status: 'failed' } },
        { type: 'left', reason: 'connection-lost' },
      ],
    ],
  ])('is released on %s', (_, events) => {
    const { wx, d, client, connection } = setup();
    d.emit(joined());
    connection('connected');
    events.forEach((e) => d.emit(e));
    expect(wx.keepScreenOnCalls).toEqual([true, false]);
    client.destroy();
  });

  it('is released when the client is destroyed in a room (page unload)', () => {
    const { wx, d, client, connection } = setup();
    d.emit(joined());
    connection('connected');
    client.destroy();
    expect(wx.keepScreenOnCalls).toEqual([true, false]);
  });

  it('is never touched with keepScreenOn: false', () => {
    const { wx, d, client, connection } = setup({ keepScreenOn: false });
    d.emit(joined());
    connection('connected');
    wx.show();
    client.destroy();
    expect(wx.keepScreenOnCalls).toEqual([]);
  });
});

describe('keepScreenOn', () => {
  it(
    'follows the room in virtual time',
    marbles((m) => {
      const d = scriptedDriver();
      const client = createRoomClient({ driver: d.driver });
      const calls: string[] = [];
      m.hot('-j-c-r-s-l', {
        j: joined(),
        c: { type: 'connection', state: { status: 'connected' } },
        r: { type: 'connection', state: { status: 'reconnecting' } },
        s: { type: 'connection', state: { status: 'rejoined' } },
        l: { type: 'left', reason: 'leave' },
      } as Record<string, RoomEvent>).subscribe((e) => d.emit(e));
      const show$ = m.hot('--------x');
      keepScreenOn(client, { set: (on) => calls.push(`${m.scheduler.now()} ${on}`), show$ }).subscribe();
      m.flush();
      // joined while the status is still idle: on at the first status of a room (connected)
      expect(calls).toEqual(['3 true', '8 true', '9 false']);
    }),
  );
});
