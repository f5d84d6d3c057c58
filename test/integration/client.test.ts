import { filter, firstValueFrom, toArray, take, type OperatorFunction } from 'rxjs';
import { eventually, Harness, until, view, waitFor } from '../support/integration';
import type { RtcError } from '../../src/errors';
import { DEV_SECRET, streamKey } from '../../server';
import type { RoomEvent } from '../../src/streams/room-event';

const h = new Harness({ adminSecret: 'admin' });
beforeEach(() => h.start());
afterEach(() => h.stop());

describe('rxroom clients against the reference server', () => {
  it('join, see each other, publish, subscribe, mute, and converge to the same room', async () => {
    const alice = h.client('alice');
    const bob = h.client('bob');
    const carol = h.client('carol');
    await h.join(alice);
    await h.join(bob);
    await h.join(carol);
    await until(alice, (r) => [...r.peers.keys()].length === 2);

    const pub = await firstValueFrom(alice.client.publish());
    // The default template: the stream key of room-1/alice:main and the media token.
    const key = streamKey(DEV_SECRET, 'rxroom', 'room-1', 'alice:main');
    expect(pub.url.startsWith(`rtmp://127.0.0.1/live/${key}?t=`)).toBe(true);
    await until(bob, (r) => !!r.streams.get('alice:main'));
    const sub = await firstValueFrom(bob.client.subscribe('alice:main', { small: false }));
    expect(sub.url).toMatch(/^rtmp:\/\//);
    expect(bob.client.state.streams.get('alice:main')?.subscription?.url).toBe(sub.url);

    await firstValueFrom(alice.client.muteLocal({ audio: true }));
    await until(carol, (r) => r.streams.get('alice:main')?.audioMuted === true);
    await until(bob, (r) => r.streams.get('alice:main')?.audioMuted === true);
    expect(bob.client.state.streams.get('alice:main')?.subscription).not.toBeNull();

    const remote = await firstValueFrom(bob.client.muteRemote('alice:main', { video: true }));
    expect(remote.videoMuted).toBe(true);

    await firstValueFrom(carol.client.setAttributes({ topic: 'maths' }));
    await until(alice, (r) => r.attributes.topic === 'maths');
    await until(bob, (r) => r.attributes.topic === 'maths');

    const views = [alice, bob, carol].map((c) => view(c.client.state));
    expect(views[0]).toEqual(views[1]);
    expect(views[1]).toEqual(views[2]);
    expect(views[0]).toEqual({
      users: ['alice', 'bob', 'carol'],
      streams: ['alice:main/aV'],
      attributes: { topic: 'maths' },
    });
  });

  it('messages: broadcast and private', async () => {
    const [a, b, c] = [h.client('a'), h.client('b'), h.client('c')];
    for (const x of [a, b, c]) await h.join(x);
    const atB = firstValueFrom(b.client.events$.pipe(filterMessages(), take(2), toArray()));
    const atC = firstValueFrom(c.client.events$.pipe(filterMessages(), take(1), toArray()));
    await firstValueFrom(a.client.sendMessage('chat', 'hello all'));
    await firstValueFrom(a.client.sendMessage('whisper', 'just you', { to: 'b' }));
    expect((await atB).map((m) => [m.name, m.content, m.private])).toEqual([
      ['chat', 'hello all', false],
      ['whisper', 'just you', true],
    ]);
    expect((await atC).map((m) => m.name)).toEqual(['chat']);
  });

  it('attributes: get, delete, silent writes', async () => {
    const [a, b] = [h.client('a'), h.client('b')];
    await h.join(a);
    await h.join(b);
    await firstValueFrom(a.client.setAttributes({ x: '1', y: '2' }, { notify: false }));
    expect(a.client.state.attributes).toEqual({ x: '1', y: '2' });
    expect(b.client.state.attributes).toEqual({});
    expect(await firstValueFrom(b.client.getAttributes())).toEqual({ x: '1', y: '2' });
    expect(b.client.state.attributes).toEqual({ x: '1', y: '2' });
    await firstValueFrom(b.client.deleteAttributes(['x']));
    await until(a, (r) => !('x' in r.attributes));
  });

  it('visibility, role and business id', async () => {
    const [a, b] = [h.client('a'), h.client('b')];
    await h.join(a);
    await h.join(b, 'room-1', { visible: false });
    expect([...a.client.state.peers.keys()]).toEqual([]);
    expect([...b.client.state.peers.keys()]).toEqual(['a']);
    await firstValueFrom(b.client.setVisibility(true));
    await until(a, (r) => !!r.peers.get('b'));
    await firstValueFrom(b.client.setBusinessId('vip'));
    await until(a, (r) => r.peers.get('b')?.businessId === 'vip');
    await firstValueFrom(b.client.publish());
    await until(a, (r) => !!r.streams.get('b:main'));
    await firstValueFrom(b.client.setRole('audience'));
    await until(a, (r) => !r.streams.get('b:main') && r.peers.get('b')?.role === 'audience');
    expect(b.client.state.self?.publications).toEqual({});
  });

  it('unsubscribe, unpublish and leave reach everyone', async () => {
    const [a, b] = [h.client('a'), h.client('b')];
    await h.join(a);
    await h.join(b);
    await firstValueFrom(a.client.publish({ video: false }));
    await until(b, (r) => r.streams.get('a:main')?.hasVideo === false);
    await firstValueFrom(b.client.subscribe('a:main'));
    await firstValueFrom(b.client.unsubscribe('a:main'));
    expect(b.client.state.streams.get('a:main')?.subscription).toBeNull();
    await firstValueFrom(a.client.unpublish());
    await until(b, (r) => !r.streams.get('a:main'));
    await firstValueFrom(a.client.leave());
    await until(b, (r) => !r.peers.get('a'));
    expect(a.client.state.roomId).toBeNull();
    expect(a.client.state.connection.status).toBe('disconnected');
    await eventually(() => a.platform.stats().sockets === 0);
  });

  it('errors come back typed: privileges, unknown streams', async () => {
    const [a, viewer] = [h.client('a'), h.client('viewer')];
    await h.join(a);
    await h.join(viewer, 'room-1', { publish: false });
    const e = await firstValueFrom(viewer.client.publish()).catch((err: RtcError) => err);
    expect((e as RtcError).code).toBe('NOT_ALLOWED');
    const e2 = await firstValueFrom(a.client.subscribe('ghost:main')).catch((err: RtcError) => err);
    expect((e2 as RtcError).code).toBe('STREAM_NOT_FOUND');
  });

  it('stats reports reach the server (manual and sampled), and the identity queries answer', async () => {
    const a = h.client('a', { reportStats: { netInterval: 20, stateInterval: 20 } });
    await h.join(a);
    expect(a.client.state.roomId).toBe('room-1');
    expect(a.client.state.self?.userId).toBe('a');
    expect(a.client.state.sessionId).toMatch(/.+/);
    await firstValueFrom(a.client.report({ kind: 'pusher-state', code: 1002, message: 'push started' }));
    a.client.dispatchNative({ type: 'pusher-net', info: { netQualityLevel: 2, videoBitrate: 800 } });
    const admin = async () =>
      (await (
        await fetch(`${h.server.httpUrl}/admin/rooms/room-1`, { headers: { authorization: 'Bearer admin' } })
      ).json()) as { reports: Record<string, Record<string, { report: unknown }>> };
    let reports: Record<string, { report: unknown }> | undefined;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      reports = (await admin()).reports.a;
      if (reports && Object.keys(reports).some((k) => k.includes('pusher-net'))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const values = Object.values(reports ?? {}).map((r) => r.report);
    expect(values).toEqual(
      expect.arrayContaining([
        { kind: 'pusher-state', code: 1002, message: 'push started' },
        { kind: 'pusher-net', info: { netQualityLevel: 2, videoBitrate: 800 } },
      ]),
    );
  });

  it('publish shows on localStream$ and is replaced when the server re-issues URLs (url-updated)', async () => {
    await h.stop();
    const short = new Harness({ mediaTokenTtl: 1000 });
    await short.start();
    try {
      const [a, b] = [short.client('a'), short.client('b')];
      await short.join(a);
      await short.join(b);
      const pub = await firstValueFrom(a.client.publish());
      expect((await firstValueFrom(a.client.localStream$))?.url).toBe(pub.url);
      await until(b, (r) => !!r.streams.get('a:main'));
      const sub = await firstValueFrom(b.client.subscribe('a:main'));
      const pushed = await waitFor(a.client.localStream$, (p) => !!p && p.url !== pub.url, 3000);
      const played = await until(
        b,
        (r) =>
          !!r.streams.get('a:main')?.subscription && r.streams.get('a:main')!.subscription!.url !== sub.url,
        3000,
      );
      expect(pushed?.url).toMatch(/^rtmp:/);
      expect(played.streams.get('a:main')?.subscription?.url).toMatch(/^rtmp:/);
    } finally {
      await short.stop();
      await h.start();
    }
  });

  it('a kick by the admin API ends the session for good', async () => {
    const [a, b] = [h.client('a'), h.client('b')];
    await h.join(a);
    await h.join(b);
    const res = await fetch(`${h.server.httpUrl}/admin/rooms/room-1/kick`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin', 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'b', reason: 'banned' }),
    });
    expect(res.status).toBeLessThan(300);
    await waitFor(b.client.connection$, (c) => c.status === 'kicked');
    expect(b.client.state.connection.kickReason).toBe('banned');
    expect(b.client.state.roomId).toBeNull();
    await until(a, (r) => !r.peers.get('b'));
    await eventually(() => b.platform.stats().sockets === 0);
  });

  it('the same user joining elsewhere replaces the old session', async () => {
    const [first, second] = [h.client('same'), h.client('same')];
    await h.join(first);
    await h.join(second);
    await waitFor(first.client.connection$, (c) => c.status === 'kicked');
    expect(first.client.state.connection.kickReason).toBe('replaced');
    expect(second.client.state.connection.status).toBe('connected');
  });
});

function filterMessages(): OperatorFunction<RoomEvent, Extract<RoomEvent, { type: 'message' }>> {
  return filter((e): e is Extract<RoomEvent, { type: 'message' }> => e.type === 'message');
}
