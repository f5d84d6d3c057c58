/**
 * Camera/microphone permission over a fake wx that answers as documented (getSetting, authorize,
 * openSetting, showModal: see test/support/fake-wx-lifecycle.ts): granted, never asked and
 * granted, refused, refused before and granted in the settings page, the settings page outside a
 * tap; and the automatic path of createClient, which asks after MEDIA_PERMISSION_DENIED and then
 * publishes again.
 */
import { firstValueFrom, lastValueFrom, type Observable } from 'rxjs';
import { ensureMediaPermission, openMediaSettings } from '../../src/bindings/permissions';
import type { PermissionApi } from '../../src/bindings/platform';
import { decodePusherError } from '../../src/bindings/native/decode';
import type { RoomEvent } from '../../src/streams/room-event';
import { FakeWxLifecycle, wxLifecycleClient } from '../support/fake-wx-lifecycle';
import { joinPublishing } from '../support/scripted-driver';

/** The fake as the permission API (its methods follow the typings' callback contract). */
const api = (wx: FakeWxLifecycle) => wx as unknown as PermissionApi;
const codeOf = (o: Observable<unknown>) =>
  lastValueFrom(o).then(
    () => 'ok',
    (e: { code: string }) => e.code,
  );

describe('ensureMediaPermission', () => {
  it('answers at once when both scopes are granted, without a prompt', async () => {
    const wx = new FakeWxLifecycle();
    wx.authSetting = { 'scope.camera': true, 'scope.record': true };
    await expect(firstValueFrom(ensureMediaPermission({ api: api(wx) }))).resolves.toEqual({
      granted: ['scope.camera', 'scope.record'],
    });
    expect(wx.shown).toEqual([]);
  });

  it('prompts for scopes never asked, one after the other, and records the answers', async () => {
    const wx = new FakeWxLifecycle();
    await expect(firstValueFrom(ensureMediaPermission({ api: api(wx) }))).resolves.toEqual({
      granted: ['scope.camera', 'scope.record'],
    });
    expect(wx.shown).toEqual(['prompt scope.camera', 'prompt scope.record']);
    expect(wx.authSetting).toEqual({ 'scope.camera': true, 'scope.record': true });
  });

  it('asks only for the microphone when video is not wanted', async () => {
    const wx = new FakeWxLifecycle();
    await firstValueFrom(ensureMediaPermission({ api: api(wx), camera: false }));
    expect(wx.shown).toEqual(['prompt scope.record']);
  });

  it('fails with PERMISSION_REFUSED naming the scope when the user refuses the prompt', async () => {
    const wx = new FakeWxLifecycle();
    wx.answer = (scope) => scope !== 'scope.record';
    const error = await lastValueFrom(ensureMediaPermission({ api: api(wx) })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PERMISSION_REFUSED' });
    expect((error as { reason: string }).reason).toMatch(
      /^microphone permission refused \(authorize:fail auth deny\)/,
    );
    expect((error as { reason: string }).reason).toContain('openMediaSettings()');
    // no settings page right after a refusal
    expect(wx.shown).toEqual(['prompt scope.camera', 'prompt scope.record']);
  });

  it('says the privacy guideline was not agreed to', async () => {
    const wx = new FakeWxLifecycle();
    wx.privacyAgreed = false;
    const error = await lastValueFrom(ensureMediaPermission({ api: api(wx) })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PERMISSION_REFUSED' });
    expect((error as { reason: string }).reason).toContain('privacy guideline');
  });

  it('a scope refused before: PERMISSION_REFUSED by default, the settings page behind a modal when given one', async () => {
    const wx = new FakeWxLifecycle();
    wx.authSetting = { 'scope.camera': false, 'scope.record': true };
    await expect(codeOf(ensureMediaPermission({ api: api(wx) }))).resolves.toBe('PERMISSION_REFUSED');
    expect(wx.shown).toEqual([]); // WeChat would not prompt again, so nothing was shown
    // From a modal, whose confirm is a tap, the settings page opens.
    const granted = await firstValueFrom(
      ensureMediaPermission({ api: api(wx), settings: { title: 'Camera', content: 'Turn it on?' } }),
    );
    expect(granted).toEqual({ granted: ['scope.camera', 'scope.record'] });
    expect(wx.shown).toEqual(['modal Camera', 'settings']);
  });

  it('openMediaSettings from a tap opens the settings page at once', async () => {
    const wx = new FakeWxLifecycle();
    wx.authSetting = { 'scope.camera': false, 'scope.record': false };
    let result: Promise<unknown> = Promise.resolve();
    wx.tap(() => (result = firstValueFrom(openMediaSettings({ api: api(wx) }))));
    await expect(result).resolves.toEqual({ granted: ['scope.camera', 'scope.record'] });
    expect(wx.shown).toEqual(['settings']);
  });

  it('refuses when the user leaves a switch off in the settings page, or declines the modal', async () => {
    const wx = new FakeWxLifecycle();
    wx.authSetting = { 'scope.camera': false, 'scope.record': true };
    wx.settingsAnswer = (scope) => scope === 'scope.record';
    let result: Promise<string> = Promise.resolve('');
    wx.tap(() => (result = codeOf(openMediaSettings({ api: api(wx) }))));
    await expect(result).resolves.toBe('PERMISSION_REFUSED');
    wx.modalConfirm = false;
    await expect(
      codeOf(ensureMediaPermission({ api: api(wx), settings: { title: 'Camera', content: 'Turn it on?' } })),
    ).resolves.toBe('PERMISSION_REFUSED');
    await expect(codeOf(ensureMediaPermission({ api: api(wx), settings: false }))).resolves.toBe(
      'PERMISSION_REFUSED',
    );
  });

  it('outside a tap, the settings page fails with INVALID_STATE that says what to do', async () => {
    const wx = new FakeWxLifecycle();
    wx.authSetting = { 'scope.camera': false };
    const error = await lastValueFrom(openMediaSettings({ api: api(wx), microphone: false })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INVALID_STATE' });
    expect((error as { reason: string }).reason).toContain('can only be invoked by user TAP gesture');
  });
});

describe('the automatic permission path of createClient', () => {
  function setup(prompt?: { title: string; content: string }) {
    const { wx, d, client } = wxLifecycleClient(prompt ? { mediaPermission: { prompt } } : {});
    const events: RoomEvent[] = [];
    client.events$.subscribe((e) => {
      if (e.type === 'permission') events.push(e);
    });
    joinPublishing(d);
    const denied = () =>
      client.dispatchNative(decodePusherError({ detail: { errCode: 10001, errMsg: 'camera denied' } }));
    const settled = async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    };
    return { wx, d, client, events, denied, settled };
  }

  it('asks after MEDIA_PERMISSION_DENIED and publishes again once granted', async () => {
    const { wx, d, client, events, denied, settled } = setup();
    denied();
    await settled();
    expect(wx.shown).toEqual(['prompt scope.camera', 'prompt scope.record']);
    expect(events.map((e) => (e.type === 'permission' ? e.action : ''))).toEqual([
      'asked',
      'granted',
      'republished',
    ]);
    expect(d.commands.map((c) => c.type)).toEqual(['unpublish', 'publish']);
    expect(client.state.self?.publications['me:main']?.url).toBe('rtmp://push/me:main?v=1');
    client.destroy();
  });

  it('reports a refusal as a typed error and publishes nothing', async () => {
    const { wx, d, client, events, denied, settled } = setup();
    wx.answer = () => false;
    denied();
    await settled();
    expect(events).toEqual([
      { type: 'permission', action: 'asked', scopes: ['scope.camera', 'scope.record'] },
      {
        type: 'permission',
        action: 'refused',
        error: expect.objectContaining({ code: 'PERMISSION_REFUSED' }),
      },
    ]);
    expect(d.commands).toEqual([]);
    client.destroy();
  });

  it('with a prompt, a scope refused before goes through the modal and the settings page', async () => {
    const { wx, d, client, events, denied, settled } = setup({ title: 'Camera', content: 'Turn it on?' });
    wx.authSetting = { 'scope.camera': false, 'scope.record': true };
    denied();
    await settled();
    expect(wx.shown).toEqual(['modal Camera', 'settings']);
    expect(events.map((e) => (e.type === 'permission' ? e.action : ''))).toEqual([
      'asked',
      'granted',
      'republished',
    ]);
    expect(d.commands.map((c) => c.type)).toEqual(['unpublish', 'publish']);
    client.destroy();
  });

  it('does not ask when the phone denies WeChat itself', async () => {
    const { wx, client, events, settled } = setup();
    client.dispatchNative(
      decodePusherError({
        detail: { errCode: 10002, errMsg: 'insertLivePusher:fail:system permission denied' },
      }),
    );
    await settled();
    expect(wx.shown).toEqual([]);
    expect(events).toEqual([
      {
        type: 'permission',
        action: 'refused',
        error: expect.objectContaining({ code: 'SYSTEM_PERMISSION_DENIED' }),
      },
    ]);
    client.destroy();
  });
});
