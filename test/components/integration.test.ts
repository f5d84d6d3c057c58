/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 *
 * The components against the real reference server: a host publishes from Node, a viewer runs on
 * our fake `wx` (real `ws` sockets; miniprogram-simulate's own SocketTask is a stub that never
 * opens), and rx-player / rx-pusher render the viewer's room. Real time, so every wait is for a
 * condition with a deadline. The export conditions are Node's, not jsdom's default `browser`, so
 * that `ws` resolves to the real package rather than its browser stub.
 */
import './support/node-globals';
import { firstValueFrom } from 'rxjs';
import { createToken, DEV_SECRET, streamKey } from '../../server';
import { createClient, registerClient, wxPlatform, type RtcClient } from '../../src';
import { FakeWx } from '../support/fake-wx';
import { eventually, Harness, until, waitFor } from '../support/integration';
import { componentPath, componentScope, html, loadComponent, instrument, parent } from './support/simulate';

const harness = new Harness();
const scope = componentScope();
let playerId: string;
let pusherId: string;

beforeAll(async () => {
  playerId = loadComponent(componentPath('rx-player'), 'rx-player');
  pusherId = loadComponent(componentPath('rx-pusher'), 'rx-pusher');
  await harness.start();
});
afterAll(() => harness.stop());

/** A client on the fake wx platform, joined to `room`. */
async function wxClient(fake: FakeWx, userId: string, room: string): Promise<RtcClient> {
  const client = createClient({ url: harness.server.url, platform: wxPlatform(fake) });
  const token = await createToken({ room, user: userId, publish: true, subscribe: true });
  await firstValueFrom(client.join({ token, roomId: room, userId }));
  return client;
}

describe('rx-player and rx-pusher with a real server', () => {
  it('render the room, report native events into it, and leave nothing behind on detach', async () => {
    const host = harness.client('host');
    await harness.join(host, 'room-c');
    await firstValueFrom(host.client.publish());

    const fake = new FakeWx();
    const viewer = await wxClient(fake, 'viewer', 'room-c');
    const counted = instrument(viewer);
    scope.register(counted.client);
    const baseline = counted.subscriptions();

    const player = scope.render(playerId, { streamId: 'host:main' });
    const pusher = scope.render(pusherId);
    player.attach(parent());
    pusher.attach(parent());

    await until(
      { client: viewer, platform: host.platform, userId: 'viewer' },
      (r) => !!r.streams.get('host:main'),
    );
    await firstValueFrom(viewer.subscribe('host:main'));
    await firstValueFrom(viewer.publish());
    await eventually(() => player.data.url !== '' && pusher.data.publishing === true);
    // The default templates name a stream by its key (server/media-token.ts).
    const key = (stream: string) => `/live/${streamKey(DEV_SECRET, 'rxroom', 'room-c', stream)}?`;
    expect(player.data.url).toContain(key('host:main'));
    expect(pusher.data.url).toContain(key('viewer:main'));

    // Native events on the inner elements reach the viewer's client.
    const inner = player.querySelector(`#${String(player.data.elementId)}`)!;
    inner.dispatchEvent('audiovolumenotify', { detail: { volume: 71 } });
    inner.dispatchEvent('netstatus', { detail: { info: { netQualityLevel: 2 } } });
    pusher.querySelector('#rx-pusher')!.dispatchEvent('audiovolumenotify', { detail: { volume: 33 } });
    await waitFor(viewer.volume$, (v) => v.get('host') === 71 && v.get('viewer') === 33);
    await eventually(() => player.data.volume === 70 && pusher.data.volume === 30);
    expect(player.data.quality).toBe('good');
    expect(html(player)).toContain('width: 70%');

    // The host mutes its microphone: the viewer's player follows.
    await firstValueFrom(host.client.muteLocal({ audio: true }));
    await eventually(() => player.data.muted === true);

    player.detach();
    pusher.detach();
    expect(counted.subscriptions()).toBe(baseline);
    expect(counted.contexts()).toBe(0);

    // Destroying the viewer closes its sockets and removes its wx listeners.
    viewer.destroy();
    await eventually(() => fake.open.size === 0 && fake.listenerCount === 0);
  });

  it('pick up a client registered after they render', async () => {
    const fake = new FakeWx();
    const host = harness.client('host2');
    await harness.join(host, 'room-d');
    await firstValueFrom(host.client.publish());
    const player = scope.render(playerId, { streamId: 'host2:main' });
    player.attach(parent());
    expect(player.data.url).toBe('');

    const viewer = await wxClient(fake, 'late', 'room-d');
    scope.defer(registerClient(viewer));
    scope.defer(() => viewer.destroy());
    await waitFor(viewer.remoteStreams$, (s) => !!s.get('host2:main'));
    await firstValueFrom(viewer.subscribe('host2:main'));
    await eventually(() => player.data.url !== '');
    expect(player.data.userId).toBe('host2');
  });
});
