import { firstValueFrom } from 'rxjs';
import { createToken, DEV_SECRET, startServer, streamKey, type RunningServer } from '../../server';
import { wxPlatform } from '../../src/bindings/wx-platform';
import { createClient } from '../../src/streams/create-client';
import { FakeWx } from '../support/fake-wx';
import { eventually, waitFor } from '../support/integration';

let server: RunningServer;
beforeEach(async () => (server = await startServer({ port: 0 })));
afterEach(() => server.close());

describe('wxPlatform over a fake wx that behaves like the documented SocketTask', () => {
  it('joins the real server, sees the room, and closes with close({}) on destroy', async () => {
    const wx = new FakeWx();
    const client = createClient({ url: server.url, platform: wxPlatform(wx) });
    const token = await createToken({ room: 'r', user: 'u', publish: true });
    await firstValueFrom(client.join({ token, roomId: 'r', userId: 'u' }));
    const pub = await firstValueFrom(client.publish());
    expect(pub.url).toContain(`/live/${streamKey(DEV_SECRET, 'rxroom', 'r', 'u:main')}?`);
    // network status: reachability, the network-type probe and the Wi-Fi/cellular move; app show: the heartbeat check,
    // media recovery, the background policy, keep-screen-on and the frozen-player watchdog; app
    // hide: the background policy and the frozen-player watchdog (it waits while the app is hidden)
    expect(wx.listenerCount).toBe(10);
    client.destroy();
    expect(wx.created[0]?.closeArgs).toEqual([{ code: 1000, reason: 'client closed' }]);
    await eventually(() => wx.open.size === 0);
    expect(wx.listenerCount).toBe(0);
  });

  it('recovers when the phone drops the socket, waiting for the network and retrying when it is back', async () => {
    const wx = new FakeWx();
    const client = createClient({ url: server.url, platform: wxPlatform(wx) });
    await firstValueFrom(
      client.join({ token: await createToken({ room: 'r', user: 'u' }), roomId: 'r', userId: 'u' }),
    );
    wx.setNetwork(false);
    wx.drop();
    await waitFor(client.connection$, (c) => c.status === 'reconnecting' && c.waitingForNetwork === true);
    expect(wx.created).toHaveLength(1);
    wx.setNetwork(true);
    await waitFor(client.connection$, (c) => c.status === 'resumed');
    expect(wx.created).toHaveLength(2);
    client.destroy();
  });

  it('never has more than one socket per client open, so the 5-socket limit holds for 5 clients', async () => {
    const wx = new FakeWx();
    const clients = Array.from({ length: 5 }, () =>
      createClient({ url: server.url, platform: wxPlatform(wx) }),
    );
    await Promise.all(
      clients.map(async (c, i) =>
        firstValueFrom(
          c.join({ token: await createToken({ room: 'r', user: `u${i}` }), roomId: 'r', userId: `u${i}` }),
        ),
      ),
    );
    expect(wx.open.size).toBe(5);
    wx.drop();
    await Promise.all(clients.map((c) => waitFor(c.connection$, (s) => s.status === 'resumed')));
    expect(wx.open.size).toBe(5);
    // a sixth client is refused by the platform and says so with a typed error
    const sixth = createClient({ url: server.url, platform: wxPlatform(wx) });
    const error = await firstValueFrom(
      sixth.join({ token: await createToken({ room: 'r', user: 'u6' }), roomId: 'r', userId: 'u6' }),
    ).catch((e: { code: string }) => e);
    expect((error as { code: string }).code).toBe('CONNECT_FAILED');
    [...clients, sixth].forEach((c) => c.destroy());
  });

  it('says clearly when there is no wx', () => {
    expect(() => wxPlatform()).toThrow(/no `wx` global/);
  });
});
