/**
 * The README's "In a page" example, as written (read from README.md at test time), on the fake wx
 * against the real reference server: the page joins, publishes and auto-subscribes to a peer, and
 * its media controls (pusher settings, camera switch, snapshot) reach the page and the context.
 * README.zh-CN.md shows the same code (only its comments are translated).
 */
import { firstValueFrom } from 'rxjs';
import * as rxroom from '../../src/index';
import { createToken } from '../../server';
import { FakeWx } from '../support/fake-wx';
import { RecordingPage } from '../bindings/page/recording-page';
import { readmeSample, runSample, withoutComments } from '../support/readme';
import { eventually, Harness, until, waitFor } from '../support/integration';

type PageHooks = {
  onLoad(query: Record<string, string>): void;
  onUnload(): void;
  onSwitchCamera(): void;
  onSnapshot(): void;
};

const h = new Harness();
beforeEach(() => h.start());
afterEach(() => h.stop());

describe("README's page example", () => {
  const sample = readmeSample('README.md', 'In a page');

  it('is the same code in README.zh-CN.md', () => {
    expect(withoutComments(readmeSample('README.zh-CN.md', '在页面中使用'))).toBe(withoutComments(sample));
  });

  it('runs as written: joins, publishes, auto-subscribes and drives the media controls', async () => {
    const fakeWx = new FakeWx({ 'wss://rtc.example.com': h.server.url });
    let options: object | undefined;
    const global = globalThis as { wx?: unknown };
    const before = global.wx;
    global.wx = fakeWx;
    try {
      runSample(sample, { Page: (o: object) => (options = o) }, { rxroom });
      expect(options).toBeDefined();

      // A peer already publishing in the room.
      const bob = h.client('bob');
      await h.join(bob, 'class-1');
      await firstValueFrom(bob.client.publish());

      // WeChat creates the page and calls onLoad with the query.
      const page = Object.assign(new RecordingPage({ now: () => 0 }), options) as RecordingPage & PageHooks;
      const token = await createToken({ room: 'class-1', user: 'alice', publish: true, subscribe: true });
      page.onLoad({ token, room: 'class-1', user: 'alice' });
      expect(fakeWx.created.map((c) => c.url)).toEqual(['wss://rtc.example.com']);

      // The page's client published (bob sees its stream) and subscribed to bob's stream.
      await until(bob, (room) => room.streams.has('alice:main'));
      const client = rxroom.getClient();
      expect(client).toBeDefined();
      const room = await waitFor(client!.room$, (r) => !!r.streams.get('bob:main')?.subscription);
      expect(Object.keys(room.self?.publications ?? {})).toEqual(['alice:main']);
      // …and the page shows both, through setData.
      type Shown = { pusher?: { publishing?: boolean }; players?: { streamId: string; url: string }[] };
      await eventually(() => {
        const data = page.data as Shown;
        return data.pusher?.publishing === true && data.players?.[0]?.streamId === 'bob:main';
      });
      expect((page.data as Shown).players?.[0]?.url).toBe(room.streams.get('bob:main')?.subscription?.url);
      // The settings it gave, through roomViewModel: the pusher attributes the page binds.
      type Pusher = { beauty?: number; whiteness?: number; devicePosition?: string };
      const pusher = () => (page.data as { pusher?: Pusher }).pusher;
      expect(pusher()).toMatchObject({ beauty: 5, whiteness: 3, devicePosition: 'front' });

      // A tap on the camera button, then on the snapshot button.
      page.onSwitchCamera();
      await eventually(() => pusher()?.devicePosition === 'back');
      page.onSnapshot();
      expect(fakeWx.pusherContext.methods).toContain('snapshot');
      expect(fakeWx.previews).toEqual([['wxfile://tmp/snapshot.jpg']]);

      expect(page.violations).toEqual([]);
      page.onUnload();
      expect(client!.state.connection.status).not.toBe('connected');
      expect(rxroom.getClient()).toBeUndefined();
    } finally {
      rxroom.getClient()?.destroy(); // when an assertion failed before onUnload
      global.wx = before;
    }
  });
});
