/**
 * The Agora fakes hold to their contracts: one test per method. For the seed's callback SDK
 * (seed 002, "Class Client"), the documented call answers through its callbacks, and a call in
 * another convention fails as that SDK would: the SDK calls what sits where a callback belongs,
 * throws `TypeError: … is not a function` in its own code, and the caller never hears back.
 */
import { recorder, settle } from './callbacks';
import { FakeAgoraServer, type PromiseAgoraClient, type SeedAgoraClient } from './fake-agora';

const CH = 'fake-ch';

let server: FakeAgoraServer;
beforeEach(() => {
  server = new FakeAgoraServer();
});

/** A seed client, initialised, in CH as `uid`. */
async function seedIn(uid: number): Promise<SeedAgoraClient> {
  const client = new server.sdk.Client();
  const r = recorder();
  client.init(server.appId, r.onSuccess, r.onFailure);
  client.join(undefined, CH, uid, r.onSuccess, r.onFailure);
  await settle();
  expect(r.fail).toEqual([]);
  return client;
}

/** `uid` in CH and publishing. */
async function publisher(uid: number): Promise<SeedAgoraClient> {
  const client = await seedIn(uid);
  const r = recorder();
  client.publish(r.onSuccess, r.onFailure);
  await settle();
  return client;
}

/** Calls `call` the wrong way and checks the SDK threw and answered nothing. */
async function neverAnswers(call: (r: ReturnType<typeof recorder>) => unknown, thrown: string) {
  const r = recorder();
  const returned = call(r);
  await settle();
  expect(returned).toBeUndefined();
  expect(r.ok).toEqual([]);
  expect(r.fail).toEqual([]);
  expect(server.uncaught.map((e) => `${e.name}: ${e.message}`)).toEqual([`TypeError: ${thrown}`]);
}

describe('fake Agora SDK, callback contract (seed 002)', () => {
  it('seed 002 init: init(appId, onSuccess, onFailure); a promise-style init never answers', async () => {
    const r = recorder();
    const client = new server.sdk.Client();
    expect(client.init(server.appId, r.onSuccess, r.onFailure)).toBeUndefined();
    client.init('wrong-app', r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(r.fail).toEqual([{ code: 401, reason: 'invalid vendor key' }]);
    await neverAnswers(
      () => new server.sdk.Client().init(server.appId, undefined, undefined),
      'onSuccess is not a function',
    );
  });

  it('seed 002 join: join(token, channel, uid, onSuccess(uid), onFailure); the 7-argument form never answers', async () => {
    const client = new server.sdk.Client();
    const r = recorder();
    client.init(server.appId, r.onSuccess, r.onFailure);
    client.join(undefined, CH, 1001, r.onSuccess, r.onFailure);
    client.join('t', CH, 'alice' as unknown as number, r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined, 1001]);
    expect(r.fail).toEqual([{ code: 432, reason: 'invalid uid alice' }]);
    const other = new server.sdk.Client();
    other.init(
      server.appId,
      () => undefined,
      () => undefined,
    );
    await settle();
    await neverAnswers(
      (rr) =>
        (other.join as unknown as (...a: unknown[]) => unknown)(
          't',
          CH,
          1002,
          false,
          0,
          rr.onSuccess,
          rr.onFailure,
        ),
      'onSuccess is not a function',
    );
  });

  it('seed 002 leave: leave(onSuccess, onFailure); without callbacks it never answers', async () => {
    const client = await seedIn(1001);
    const r = recorder();
    client.leave(r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(server.member(CH, 1001)).toBeUndefined();
    const other = await seedIn(1002);
    await neverAnswers(() => other.leave(undefined, undefined), 'onSuccess is not a function');
  });

  it('seed 002 destroy: destroy(onSuccess, onFailure) leaves and silences the client; without callbacks it throws', async () => {
    const client = await seedIn(1001);
    const r = recorder();
    client.destroy(r.onSuccess, r.onFailure);
    expect(r.ok).toEqual([undefined]);
    expect(client.destroyed).toBe(true);
    expect(server.member(CH, 1001)).toBeUndefined();
    const other = await seedIn(1002);
    await neverAnswers(() => other.destroy(undefined, undefined), 'onSuccess is not a function');
  });

  it('seed 002 publish: publish(onSuccess(url), onFailure); the example form publish("all", …) never answers', async () => {
    const client = await seedIn(1001);
    const watcher = await seedIn(1002);
    const added: unknown[] = [];
    watcher.on('stream-added', (e) => added.push(e));
    const r = recorder();
    client.publish(r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([expect.stringMatching(/^rtmp:\/\/agora\.test\/push\//)]);
    expect(added).toEqual([{ uid: 1001 }]);
    await neverAnswers(
      (rr) => (watcher.publish as unknown as (...a: unknown[]) => unknown)('all', rr.onSuccess, rr.onFailure),
      'onSuccess is not a function',
    );
  });

  it('seed 002 unpublish: unpublish(onSuccess, onFailure); without callbacks it never answers', async () => {
    const client = await publisher(1001);
    const r = recorder();
    client.unpublish(r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(server.member(CH, 1001)?.publishing).toBe(false);
    await neverAnswers(() => client.unpublish(undefined, undefined), 'onSuccess is not a function');
  });

  it('seed 002 subscribe: subscribe(uid, onSuccess(url), onFailure); the (uid, options, ok, fail) form never answers', async () => {
    await publisher(1002);
    const client = await seedIn(1001);
    const r = recorder();
    client.subscribe(1002, r.onSuccess, r.onFailure);
    client.subscribe(1003, r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([expect.stringMatching(/^rtmp:\/\/agora\.test\/play\/fake-ch\/1002/)]);
    expect(r.fail).toEqual([{ code: 432, reason: '1003 does not publish' }]);
    await neverAnswers(
      (rr) =>
        (client.subscribe as unknown as (...a: unknown[]) => unknown)(
          1002,
          { audio: true, video: true },
          rr.onSuccess,
          rr.onFailure,
        ),
      'onSuccess is not a function',
    );
  });

  it('seed 002 unsubscribe: unsubscribe(uid, onSuccess, onFailure); without callbacks it never answers', async () => {
    await publisher(1002);
    const client = await seedIn(1001);
    client.subscribe(
      1002,
      () => undefined,
      () => undefined,
    );
    await settle();
    const r = recorder();
    client.unsubscribe(1002, r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(client.receptions.has('1002')).toBe(false);
    await neverAnswers(() => client.unsubscribe(1002, undefined, undefined), 'onSuccess is not a function');
  });

  it('seed 002 mute: mute(uid, target, onSuccess, onFailure) stops receiving; a target other than audio/video/all fails', async () => {
    await publisher(1002);
    const client = await seedIn(1001);
    client.subscribe(
      1002,
      () => undefined,
      () => undefined,
    );
    await settle();
    const r = recorder();
    client.mute(1002, 'video', r.onSuccess, r.onFailure);
    client.mute(1002, 'screen' as 'all', r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(r.fail).toEqual([{ code: 432, reason: 'invalid target screen' }]);
    expect(client.receptions.get('1002')).toMatchObject({ audioMuted: false, videoMuted: true });
    await neverAnswers(() => client.mute(1002, 'all', undefined, undefined), 'onSuccess is not a function');
  });

  it('seed 002 unmute: unmute(uid, target, onSuccess, onFailure) receives again; without callbacks it never answers', async () => {
    await publisher(1002);
    const client = await seedIn(1001);
    client.subscribe(
      1002,
      () => undefined,
      () => undefined,
    );
    client.mute(
      1002,
      'all',
      () => undefined,
      () => undefined,
    );
    const r = recorder();
    client.unmute(1002, 'audio', r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(client.receptions.get('1002')).toMatchObject({ audioMuted: false, videoMuted: true });
    await neverAnswers(() => client.unmute(1002, 'all', undefined, undefined), 'onSuccess is not a function');
  });

  it('seed 002 muteLocal: muteLocal(target, onSuccess, onFailure) tells the others; without callbacks it never answers', async () => {
    const client = await publisher(1001);
    const watcher = await seedIn(1002);
    const seen: unknown[] = [];
    watcher.on('mute-video', (e) => seen.push(e));
    const r = recorder();
    client.muteLocal('video', r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(seen).toEqual([{ uid: 1001 }]);
    await neverAnswers(() => client.muteLocal('audio', undefined, undefined), 'onSuccess is not a function');
  });

  it('seed 002 unmuteLocal: unmuteLocal(target, onSuccess, onFailure); without callbacks it never answers', async () => {
    const client = await publisher(1001);
    const watcher = await seedIn(1002);
    const seen: unknown[] = [];
    watcher.on('unmute-audio', (e) => seen.push(e));
    client.muteLocal(
      'all',
      () => undefined,
      () => undefined,
    );
    const r = recorder();
    client.unmuteLocal('audio', r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(seen).toEqual([{ uid: 1001 }]);
    await neverAnswers(
      () => client.unmuteLocal('video', undefined, undefined),
      'onSuccess is not a function',
    );
  });

  it('seed 002 setRole: audience while published makes the push URL invalid and unpublishes nothing', async () => {
    const client = await publisher(1001);
    const watcher = await seedIn(1002);
    const removed: unknown[] = [];
    watcher.on('stream-removed', (e) => removed.push(e));
    const r = recorder();
    client.setRole('audience', r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(server.member(CH, 1001)).toMatchObject({ publishing: true, pushValid: false });
    expect(removed).toEqual([]);
    client.publish(r.onSuccess, r.onFailure);
    await settle();
    expect(r.fail).toEqual([{ code: 433, reason: 'audience cannot publish' }]);
    await neverAnswers(
      () => client.setRole('broadcaster', undefined, undefined),
      'onSuccess is not a function',
    );
  });

  it('seed 002 on / off: on(event, callback) registers, off(event) removes; on without a callback throws', async () => {
    const client = await seedIn(1001);
    const seen: unknown[] = [];
    client.on('stream-added', (e) => seen.push(e));
    await publisher(1002);
    client.off('stream-added');
    await publisher(1003);
    expect(seen).toEqual([{ uid: 1002 }]);
    expect(client.listenerCount()).toBe(0);
    expect(() => client.on('stream-added', undefined as never)).toThrow(TypeError);
  });

  it('seed 002 has nothing else: no rejoin, setRemoteVideoStreamType or update* methods', () => {
    const client = new server.sdk.Client() as unknown as Record<string, unknown>;
    for (const name of [
      'rejoin',
      'setRemoteVideoStreamType',
      'updatePusherStateChange',
      'updatePusherNetStatus',
      'updatePlayerStateChange',
      'updatePlayerNetStatus',
      'renewToken',
    ])
      expect({ name, present: typeof client[name] === 'function' }).toEqual({ name, present: false });
  });
});

describe('fake Agora SDK, promise contract (2.6.x, not in the seeds)', () => {
  async function promiseIn(uid: number): Promise<PromiseAgoraClient> {
    const client = new server.promiseSdk.Client();
    await client.init(server.appId);
    await client.join(undefined, CH, uid, false, 0);
    return client;
  }

  it('promise join: join(token, channel, uid, isAudioOnly, uidType) resolves the uid; the seed form is refused', async () => {
    const client = new server.promiseSdk.Client();
    await client.init(server.appId);
    await expect(client.join(undefined, CH, 'alice', false, 1)).resolves.toBe('alice');
    const other = new server.promiseSdk.Client();
    await other.init(server.appId);
    const join = other.join.bind(other) as unknown as (...a: unknown[]) => Promise<unknown>;
    await expect(
      join(
        't',
        CH,
        1002,
        () => undefined,
        () => undefined,
      ),
    ).rejects.toEqual({
      code: 432,
      reason: 'isAudioOnly must be a boolean',
    });
  });

  it('promise subscribe: subscribe(uid, options) resolves {url, rotation}; setRemoteVideoStreamType picks the small stream', async () => {
    const pub = await promiseIn(1002);
    await pub.publish();
    const client = await promiseIn(1001);
    await expect(client.subscribe(1002, { audio: true, video: false })).resolves.toEqual({
      url: expect.stringMatching(/^rtmp:\/\//),
      rotation: 0,
    });
    expect(client.receptions.get('1002')).toMatchObject({ audio: true, video: false });
    await client.setRemoteVideoStreamType(1002, 1);
    expect(client.receptions.get('1002')?.streamType).toBe(1);
    await expect(client.setRemoteVideoStreamType(1002, 2 as 1)).rejects.toMatchObject({ code: 432 });
  });

  it('promise calls: publish, mute, muteLocal, unpublish, leave and destroy resolve; failures reject with {code, reason}', async () => {
    const client = await promiseIn(1001);
    await expect(client.publish()).resolves.toMatch(/^rtmp:\/\/agora\.test\/push\//);
    await expect(client.muteLocal('audio')).resolves.toBeUndefined();
    await expect(client.unmuteLocal('audio')).resolves.toBeUndefined();
    await expect(client.mute(1009, 'audio')).rejects.toEqual({ code: 432, reason: '1009 is not subscribed' });
    await expect(client.unpublish()).resolves.toBeUndefined();
    await expect(client.setRole('audience')).resolves.toBeUndefined();
    await expect(client.publish()).rejects.toEqual({ code: 433, reason: 'audience cannot publish' });
    await expect(client.leave()).resolves.toBeUndefined();
    await expect(client.destroy()).resolves.toBeUndefined();
    expect(server.uncaught).toEqual([]);
  });

  it('promise renewToken: renews in a channel; refuses outside one, an empty and a bad token; the warning and expiry events carry no payload', async () => {
    const client = await promiseIn(1001);
    const seen: unknown[] = [];
    client.on('token-privilege-will-expire', (e) => seen.push(['will', e]));
    client.on('token-privilege-did-expire', (e) => seen.push(['did', e]));
    await expect(client.renewToken('tok-2')).resolves.toBeUndefined();
    await expect(client.renewToken('')).rejects.toMatchObject({ code: 432 });
    await expect(client.renewToken('bad')).rejects.toEqual({ code: 401, reason: 'invalid token' });
    server.warnExpiry(CH, 1001);
    server.expire(CH, 1001);
    await settle();
    expect(seen).toEqual([
      ['will', undefined],
      ['did', undefined],
    ]);
    expect(server.member(CH, 1001)).toBeUndefined();
    await expect(client.renewToken('tok-3')).rejects.toMatchObject({ code: 432 });
    expect(client.tokens).toEqual([undefined, 'tok-2']);
  });
});
