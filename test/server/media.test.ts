/**
 * Media URLs and media hooks without a media server: URL sizes for the longest ids the protocol
 * allows, and the hook checks answered over HTTP exactly as nginx-rtmp posts them (its own form
 * fields, then the client's query arguments). The real pair is in test/integration/media.test.ts.
 */
import type { RunningServer } from '../../server';
import { LIMITS } from '../../src/protocol';
import { afterApp, nginxForm, postForm, split } from './media-forms';
import { Client, closeClients, startTestServer } from './support';

afterEach(closeClients);

describe('media URLs for the longest ids', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(); // the default templates
  });
  afterAll(() => server.close());

  it('push and play URLs have at most 200 bytes after the application path', async () => {
    const room = `R@+${'r'.repeat(LIMITS.maxRoomIdLength - 3)}`;
    const owner = `U@+${'u'.repeat(LIMITS.maxUserIdLength - 3)}`;
    const viewer = `V.-${'v'.repeat(LIMITS.maxUserIdLength - 3)}`;
    expect([room.length, owner.length, viewer.length]).toEqual([128, 128, 128]);
    const { client: a } = await Client.join(server, room, owner);
    const { client: b } = await Client.join(server, room, viewer);
    for (const kind of ['main', 'screen'] as const) {
      const pub = await a.ok('publish', { kind, audio: true, video: true });
      const sub = await b.ok('subscribe', { stream: `${owner}:${kind}` });
      for (const url of [pub.url, sub.url]) {
        expect(Buffer.byteLength(afterApp(url))).toBeLessThanOrEqual(200);
      }
    }
  });
});

describe('media hooks over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ mediaHooks: true, mediaLostGrace: 60_000 });
  });
  afterAll(() => server.close());

  it('answer 404 when hooks are off', async () => {
    const plain = await startTestServer();
    try {
      expect((await postForm(plain, '/media/on_publish', [['app', 'live']])).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('drive pending → live → lost → live, seen by the others as stream-updated', async () => {
    const { client: a } = await Client.join(server, 'hooks-1', 'alice');
    const { client: b } = await Client.join(server, 'hooks-1', 'bob');
    const pub = await a.ok('publish', { audio: true, video: true });
    expect(pub.stream.media).toBe('pending');
    expect((await b.next('stream-added')).stream.media).toBe('pending');
    const { name, args } = split(pub.url);

    expect(await postForm(server, '/media/on_publish', nginxForm('publish', name, args))).toMatchObject({
      status: 200,
    });
    expect((await b.next('stream-updated')).stream.media).toBe('live');
    expect((await postForm(server, '/media/on_update', nginxForm('update_publish', name, args))).status).toBe(
      200,
    );
    // Another client's publish_done changes nothing; the live one's makes the stream lost.
    await postForm(server, '/media/on_publish_done', nginxForm('publish_done', name, args, '99'));
    await postForm(server, '/media/on_publish_done', nginxForm('publish_done', name, args));
    expect((await b.next('stream-updated')).stream.media).toBe('lost');
    await postForm(server, '/media/on_publish', nginxForm('publish', name, args, '8'));
    expect((await b.next('stream-updated')).stream.media).toBe('live');
    await b.sync();
    expect(b.pushTypes()).toEqual(['stream-added', 'stream-updated', 'stream-updated', 'stream-updated']);
  });

  it('on_update refuses holders who are gone: a player who left, a publisher who unpublished', async () => {
    const { client: a } = await Client.join(server, 'hooks-3', 'alice');
    const { client: b } = await Client.join(server, 'hooks-3', 'bob');
    const pub = await a.ok('publish', { audio: true, video: true });
    const sub = await b.ok('subscribe', { stream: 'alice:main' });
    const push = split(pub.url);
    const play = split(sub.url);
    const update = (call: string, url: { name: string; args: [string, string][] }) =>
      postForm(server, '/media/on_update', nginxForm(call, url.name, url.args));
    expect((await postForm(server, '/media/on_play', nginxForm('play', play.name, play.args))).status).toBe(
      200,
    );
    expect((await update('update_play', play)).status).toBe(200);
    expect((await update('update_publish', push)).status).toBe(200);

    await b.ok('leave', {});
    expect(await update('update_play', play)).toEqual({ status: 403, text: 'the holder is not in the room' });
    await a.ok('unpublish', { stream: 'alice:main' });
    expect(await update('update_publish', push)).toEqual({ status: 403, text: 'no such stream' });
  });

  it('refuse a repeated field, an unknown app, a call on the wrong hook, a bad token', async () => {
    const { client: a } = await Client.join(server, 'hooks-2', 'alice');
    const { client: b } = await Client.join(server, 'hooks-2', 'bob');
    const pub = await a.ok('publish', { audio: true, video: true });
    const { name, args } = split(pub.url);
    const publish = (form: [string, string][], path = '/media/on_publish') => postForm(server, path, form);

    const smuggled = nginxForm('publish', 'other-stream', [...args, ['name', name]]);
    expect(await publish(smuggled)).toEqual({ status: 403, text: 'repeated field name' });
    const otherApp = nginxForm('publish', name, args).map(([k, v]): [string, string] =>
      k === 'app' ? [k, 'vod'] : [k, v],
    );
    expect(await publish(otherApp)).toEqual({ status: 403, text: 'unknown app' });
    expect(await publish(nginxForm('play', name, args))).toEqual({
      status: 403,
      text: 'call play on on_publish',
    });
    // One character of the MAC changed (to another one: a token ending in A would stay the same).
    const flip = (v: string) => `${v.slice(0, -1)}${v.endsWith('A') ? 'B' : 'A'}`;
    const tampered = args.map(([k, v]): [string, string] => [k, k === 't' ? flip(v) : v]);
    expect((await publish(nginxForm('publish', name, tampered))).status).toBe(403);
    expect(await publish(nginxForm('publish', name, []))).toEqual({
      status: 403,
      text: 'no token, or not a media token',
    });
    expect((await postForm(server, '/media/on_publish', [])).status).toBe(403);
    expect((await postForm(server, '/media/nope', [])).status).toBe(404);
    await b.sync();
    // Nothing went live.
    expect(b.pushes('stream-updated')).toEqual([]);
  });
});
