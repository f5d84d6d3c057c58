/**
 * Setup errors: WeChat's errMsg for a socket domain outside the domain list, live components the
 * mini program may not use, and the phone denying WeChat the camera, each read into a code whose
 * reason names the fix, where it happens: joining, and restarting a push or a play.
 */
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { setupError } from '../../src/bindings/setup-errors';
import { wxPlatform, type WxApi } from '../../src/bindings/wx-platform';
import { decodePusherStateChange } from '../../src/bindings/native/decode';
import type { PusherContext } from '../../src/bindings/platform';
import { mediaRecovery } from '../../src/operators/media-recovery';
import { createClient, createRoomClient } from '../../src/streams/create-client';
import { FakePlatform } from '../support/fake-platform';
import { FakeWxLifecycle } from '../support/fake-wx-lifecycle';
import { joinPublishing, scriptedDriver } from '../support/scripted-driver';

describe('setupError', () => {
  it.each([
    ['connectSocket:fail url not in domain list', 'DOMAIN_NOT_ALLOWED', /socket domains/],
    ['createSocketTask:fail wss url not in domain list', 'DOMAIN_NOT_ALLOWED', /Server Domains/],
    [
      'operateLivePlayer:fail no permission, appId=wx0123456789abcdef',
      'LIVE_COMPONENT_NOT_ENABLED',
      /API Settings/,
    ],
    ['operateLivePusher:fail no permission', 'LIVE_COMPONENT_NOT_ENABLED', /eligible category/],
    ['insertLivePusher:fail:system permission denied', 'SYSTEM_PERMISSION_DENIED', /system settings/],
  ])('%s → %s, naming the fix', (errMsg, code, fix) => {
    const e = setupError(errMsg);
    expect(e?.code).toBe(code);
    expect(e?.reason.startsWith(errMsg)).toBe(true);
    expect(e?.reason).toMatch(fix);
  });

  it.each([
    undefined,
    '',
    'connectSocket:fail timeout',
    'operateLivePusher:fail internal error',
    'authorize:fail auth deny',
  ])('is null for anything else (%s)', (errMsg) => expect(setupError(errMsg)).toBeNull());
});

describe('a socket domain outside the domain list', () => {
  it('fails the join with DOMAIN_NOT_ALLOWED and tries no reconnect', () => {
    const platform = new FakePlatform();
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const client = createClient({
      url: 'wss://not-listed.example.com',
      platform,
      scheduler,
      reportStats: false,
    });
    let error: { code: string; reason: string } | undefined;
    client
      .join({ token: 't', roomId: 'r', userId: 'me' })
      .subscribe({ error: (e: typeof error) => (error = e) });
    platform.last.fireError('connectSocket:fail url not in domain list');
    platform.last.fireClose(1006, 'abnormal closure');
    scheduler.flush();
    expect(error?.code).toBe('DOMAIN_NOT_ALLOWED');
    expect(platform.sockets).toHaveLength(1);
    expect(client.state.connection.status).toBe('disconnected');
    client.destroy();
  });

  it('is read from connectSocket’s fail callback too, which the task itself never reports', async () => {
    const wx = new FakeWxLifecycle();
    // The documented ConnectSocketOption.fail, answered asynchronously; the task's callbacks stay quiet.
    wx.connectSocket = (option) => {
      queueMicrotask(() => {
        option.fail?.({ errMsg: 'connectSocket:fail url not in domain list' });
        option.complete?.({ errMsg: 'connectSocket:fail url not in domain list' });
      });
      const quiet = () => undefined;
      return {
        send: quiet,
        close: quiet,
        onOpen: quiet,
        onMessage: quiet,
        onClose: quiet,
        onError: quiet,
      } as never;
    };
    const client = createClient({
      url: 'wss://not-listed.example.com',
      platform: wxPlatform(wx as unknown as WxApi),
    });
    const error = await firstValueFrom(client.join({ token: 't', roomId: 'r', userId: 'me' })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'DOMAIN_NOT_ALLOWED' });
    client.destroy();
  });
});

describe('live components the mini program may not use', () => {
  it('media recovery reports LIVE_COMPONENT_NOT_ENABLED when restarting the push fails so', async () => {
    const d = scriptedDriver();
    const client = createRoomClient({ driver: d.driver });
    d.state = () => client.state;
    joinPublishing(d);
    const pusher: PusherContext = {
      stop: (o?: { complete?: () => void }) => o?.complete?.(),
      start: (o) => o?.fail?.({ errMsg: 'operateLivePusher:fail no permission' }),
    } as PusherContext;
    const scheduler = new TestScheduler(() => undefined);
    const events = lastValueFrom(
      mediaRecovery(client, { pusherContext: () => pusher, random: () => 0, maxAttempts: 1 }, scheduler).pipe(
        toArray(),
      ),
    );
    client.dispatchNative(decodePusherStateChange({ detail: { code: -1307 } }));
    scheduler.flush();
    client.destroy();
    const failed = (await events).find((e) => e.outcome === 'failed');
    expect(failed?.error?.code).toBe('LIVE_COMPONENT_NOT_ENABLED');
  });
});
