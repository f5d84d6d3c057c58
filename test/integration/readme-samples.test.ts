/**
 * The README's other TypeScript samples, as written (read from README.md at test time): the page
 * over a vendor SDK (the real trtc-wx-sdk on its fake native side) and the client core composed by
 * hand. README.zh-CN.md shows the same code (only its comments are translated).
 */
import * as rxroom from '../../src/index';
import * as trtcEntry from '../../src/bindings/drivers/trtc';
import { FakeLivePusher, FakeTrtcCloud, installFakeWx, loadTrtc } from '../drivers/fakes/fake-trtc';
import { FakeWx } from '../support/fake-wx';
import { readmeSample, runSample, withoutComments } from '../support/readme';

type Hooks = { onLoad(): void; onUnload(): void };

describe('README samples', () => {
  it.each([
    ['Over a vendor SDK', '运行在厂商 SDK 之上'],
    ['Only what you use', '只打包用到的部分'],
  ])('%s: README.zh-CN.md shows the same code', (en, zh) => {
    expect(withoutComments(readmeSample('README.zh-CN.md', zh))).toBe(
      withoutComments(readmeSample('README.md', en)),
    );
  });

  it('over a vendor SDK: the page gets trtc-wx pusher attributes and unloads cleanly', () => {
    const wx = installFakeWx();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      let options: (Hooks & object) | undefined;
      runSample(
        readmeSample('README.md', 'Over a vendor SDK'),
        { Page: (o: Hooks) => (options = o) },
        { rxroom, 'rxroom/drivers/trtc': trtcEntry, 'trtc-wx-sdk': loadTrtc() },
      );
      const shown: Record<string, unknown>[] = [];
      const page = Object.assign(
        {
          pusher: new FakeLivePusher(new FakeTrtcCloud()),
          setData: (data: Record<string, unknown>) => shown.push(data),
        },
        options,
      );
      page.onLoad();
      expect(shown[0]).toMatchObject({ pusher: { url: '', autopush: false, enableMic: false } });
      page.onUnload();
    } finally {
      log.mockRestore();
      wx.uninstall();
    }
  });

  it('the client core composed by hand: built-in driver and media recovery over the wx platform', () => {
    const fakeWx = new FakeWx();
    const global = globalThis as { wx?: unknown };
    const before = global.wx;
    global.wx = fakeWx;
    try {
      expect(() => runSample(readmeSample('README.md', 'Only what you use'), {}, { rxroom })).not.toThrow();
      // Nothing connects before a join.
      expect(fakeWx.created).toEqual([]);
    } finally {
      global.wx = before;
    }
  });
});
