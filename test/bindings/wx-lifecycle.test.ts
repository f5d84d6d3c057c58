/**
 * wxPlatform's lifecycle signals over a fake wx that behaves as documented: the app-hide reason
 * (HideOptionsApp.reason, base library 3.5.7), the end of an audio interruption with its off*,
 * setKeepScreenOn, and the permission API only where wx has it.
 */
import type { AppHideInfo } from '../../src/bindings/platform';
import { wxPlatform, type WxApi } from '../../src/bindings/wx-platform';
import { FakeWx } from '../support/fake-wx';
import { FakeWxLifecycle } from '../support/fake-wx-lifecycle';

const platformOf = (wx: FakeWx) => wxPlatform(wx as unknown as WxApi);

describe('wxPlatform lifecycle signals', () => {
  it('names the reason of an app hide, and says unknown where the base library gives none', () => {
    const wx = new FakeWxLifecycle();
    const seen: (AppHideInfo | undefined)[] = [];
    const unlisten = platformOf(wx).onAppHide((info) => seen.push(info));
    wx.hide(0);
    wx.hide(1);
    wx.hide(2);
    wx.hide(3);
    wx.hide();
    unlisten();
    wx.hide(0);
    expect(seen.map((i) => i?.reason)).toEqual([
      'quit',
      'other-mini-program',
      'native-page',
      'other',
      'unknown',
    ]);
    expect(wx.hideListeners).toHaveLength(0);
  });

  it('passes the end of an audio interruption on, and removes exactly its listener', () => {
    const wx = new FakeWxLifecycle();
    const platform = platformOf(wx);
    let ends = 0;
    const unlisten = platform.onAudioInterruptionEnd!(() => ends++);
    wx.interruptionEnded();
    unlisten();
    unlisten();
    wx.interruptionEnded();
    expect(ends).toBe(1);
    expect(wx.interruptionEndListeners).toHaveLength(0);
  });

  it('keeps the screen on and lets it sleep through wx.setKeepScreenOn', () => {
    const wx = new FakeWxLifecycle();
    const platform = platformOf(wx);
    platform.setKeepScreenOn!(true);
    platform.setKeepScreenOn!(false);
    expect(wx.keepScreenOnCalls).toEqual([true, false]);
  });

  it('offers the permission API, the interruption signal and keep-screen-on only where wx has them', () => {
    const full = platformOf(new FakeWxLifecycle());
    expect(full.permissions).toBeDefined();
    expect(full.onAudioInterruptionEnd).toBeDefined();
    const bare = platformOf(new FakeWx());
    expect(bare.permissions).toBeUndefined();
    expect(bare.onAudioInterruptionEnd).toBeUndefined();
    expect(bare.setKeepScreenOn).toBeUndefined();
  });
});
