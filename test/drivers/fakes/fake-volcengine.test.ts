/**
 * The Volcengine fake holds to the vendor document (seed 001 "Client"): one test per method. The
 * documented call answers through its callbacks (and the Promise the member table lists); a call
 * with missing or wrongly typed arguments fails as the document's SDK would: 100001
 * INVALID_PARAMS through onFailure, a TypeError inside the SDK when something other than a
 * function sits where a callback belongs.
 */
import { recorder, settle } from './callbacks';
import { ERROR_CODES, EVENTS, FakeVolcengineServer, type FakeVolcengineClient } from './fake-volcengine';

const ROOM = 'fake-room';

/** Waits for a call's Promise whatever its outcome (the callbacks are what is checked). */
const done = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    () => undefined,
  );

const invalid = expect.objectContaining({ code: ERROR_CODES.INVALID_PARAMS });

let server: FakeVolcengineServer;
beforeEach(() => {
  server = new FakeVolcengineServer();
});

async function inRoom(userId: string, publish = false): Promise<FakeVolcengineClient> {
  const client = new server.sdk.Client();
  await client.init(server.appId);
  await client.join('tok', ROOM, userId);
  if (publish) await client.publish();
  return client;
}

describe('fake Volcengine SDK (seed 001)', () => {
  it('seed 001 init: init(appId, onSuccess, onFailure), also a Promise; a non-function callback throws in the SDK', async () => {
    const r = recorder();
    const client = new server.sdk.Client();
    await expect(client.init(server.appId, r.onSuccess, r.onFailure)).resolves.toBeUndefined();
    await done(client.init(server.appId, r.onSuccess, r.onFailure));
    expect(r.ok).toEqual([undefined]);
    expect(r.fail).toEqual([{ code: ERROR_CODES.HAS_INITED, reason: 'already initialised' }]);
    await done(new server.sdk.Client().init(server.appId, 'not a function'));
    expect(server.uncaught.map((e) => e.message)).toEqual(['onSuccess is not a function']);
  });

  it('seed 001 destroy: destroy(onSuccess, onFailure) leaves the room', async () => {
    const client = await inRoom('alice');
    const r = recorder();
    await done(client.destroy(r.onSuccess, r.onFailure));
    expect(r.ok).toEqual([undefined]);
    expect(server.room(ROOM).has('alice')).toBe(false);
    // Something else where onSuccess belongs: the SDK calls it and throws inside.
    const other = await inRoom('bob');
    await done((other.destroy as (...a: unknown[]) => Promise<void>).call(other, 'all'));
    expect(server.uncaught.map((e) => e.message)).toEqual(['onSuccess is not a function']);
  });

  it('seed 001 setBusinessId: (businessId) => boolean before join; after join it has no effect (false)', async () => {
    const client = new server.sdk.Client();
    expect(client.setBusinessId('biz-1')).toBe(true);
    await client.init(server.appId);
    await client.join('tok', ROOM, 'alice');
    expect(client.setBusinessId('biz-2')).toBe(false);
    expect(client.businessId).toBe('biz-1');
  });

  it('seed 001 join: join(token, roomId, userId, onSuccess(userId), onFailure); missing arguments are INVALID_PARAMS', async () => {
    const client = new server.sdk.Client();
    await client.init(server.appId);
    const r = recorder();
    await done(client.join('tok', ROOM, 'alice', r.onSuccess, r.onFailure));
    expect(r.ok).toEqual(['alice']);
    const other = new server.sdk.Client();
    await other.init(server.appId);
    const join = other.join.bind(other) as unknown as (...a: unknown[]) => Promise<unknown>;
    // Without the userId the callbacks slide one place left: the failure reaches no onFailure.
    await expect(join('tok', ROOM, r.onSuccess, r.onFailure)).rejects.toEqual(invalid);
    expect(r.fail).toEqual([]);
    const bad = new server.sdk.Client();
    await bad.init(server.appId);
    await done(bad.join('bad', ROOM, 'carol', r.onSuccess, r.onFailure));
    expect(r.fail[0]).toMatchObject({ code: ERROR_CODES.LOGIN_FAILED });
  });

  it('seed 001 leave: leave(onSuccess, onFailure); the others get PEER_LEAVE', async () => {
    const client = await inRoom('alice');
    const watcher = await inRoom('bob');
    const left: unknown[] = [];
    watcher.on(EVENTS.PEER_LEAVE, (e) => left.push(e));
    const r = recorder();
    await done(client.leave(r.onSuccess, r.onFailure));
    await settle();
    expect(r.ok).toEqual([undefined]);
    expect(left).toEqual([{ uid: 'alice' }]);
    const other = await inRoom('carol');
    await done((other.leave as (...a: unknown[]) => Promise<void>).call(other, {}, r.onFailure));
    expect(server.uncaught.map((e) => e.message)).toEqual(['onSuccess is not a function']);
  });

  it('seed 001 publish: publish(onSuccess(url), onFailure); the others get STREAM_ADDED; a second one fails', async () => {
    const client = await inRoom('alice');
    const watcher = await inRoom('bob');
    const added: unknown[] = [];
    watcher.on(EVENTS.STREAM_ADDED, (e) => added.push(e));
    const r = recorder();
    await done(client.publish(r.onSuccess, r.onFailure));
    await done(client.publish(r.onSuccess, r.onFailure));
    await settle();
    expect(r.ok).toEqual([expect.stringMatching(/^rtmp:\/\/volc\.test\/push\//)]);
    expect(r.fail).toEqual([expect.objectContaining({ code: ERROR_CODES.ALREADY_PUBLISHED })]);
    expect(added).toEqual([
      { uid: 'alice', screen: false, streamPublishState: { audio: true, video: true } },
    ]);
    // The Agora-style publish('all', ok, fail): the SDK calls 'all' and throws inside.
    const carol = await inRoom('carol');
    await done(
      (carol.publish as (...a: unknown[]) => Promise<string>).call(carol, 'all', r.onSuccess, r.onFailure),
    );
    expect(server.uncaught.map((e) => e.message)).toEqual(['onSuccess is not a function']);
  });

  it('seed 001 unpublish: unpublish(onSuccess, onFailure); unpublishing nothing fails', async () => {
    const client = await inRoom('alice', true);
    const r = recorder();
    await done(client.unpublish(r.onSuccess, r.onFailure));
    await done(client.unpublish(r.onSuccess, r.onFailure));
    expect(r.ok).toEqual([undefined]);
    expect(r.fail).toEqual([expect.objectContaining({ code: ERROR_CODES.NOT_PUBLISHED })]);
    const carol = await inRoom('carol', true);
    await done((carol.unpublish as (...a: unknown[]) => Promise<void>).call(carol, true));
    expect(server.uncaught.map((e) => e.message)).toEqual(['onSuccess is not a function']);
  });

  it('seed 001 subscribe: subscribe(userId, options, onSuccess(url), onFailure); options are required', async () => {
    await inRoom('bob', true);
    const client = await inRoom('alice');
    const r = recorder();
    client.subscribe('bob', { audio: false, video: true, screen: false }, r.onSuccess, r.onFailure);
    await settle();
    expect(r.ok).toEqual([expect.stringMatching(/^rtmp:\/\/volc\.test\/play\/fake-room\/bob/)]);
    expect(client.receptions.get('bob')?.options).toEqual({ audio: false, video: true, screen: false });
    client.subscribe('bob', undefined as never, r.onSuccess, r.onFailure);
    client.subscribe('bob', { audio: 'no' } as never, r.onSuccess, r.onFailure);
    await settle();
    expect(r.fail).toEqual([invalid, invalid]);
  });

  it('seed 001 unsubscribe: unsubscribe(userId, options, onSuccess, onFailure); the old unsubscribe(userId) is INVALID_PARAMS', async () => {
    await inRoom('bob', true);
    const client = await inRoom('alice');
    client.subscribe('bob', {}, undefined, undefined);
    await settle();
    const r = recorder();
    await done(client.unsubscribe('bob', { screen: false }, r.onSuccess, r.onFailure));
    expect(r.ok).toEqual([undefined]);
    expect(client.receptions.has('bob')).toBe(false);
    const unsubscribe = client.unsubscribe.bind(client) as unknown as (...a: unknown[]) => Promise<unknown>;
    await expect(unsubscribe('bob')).rejects.toEqual(invalid);
  });

  it('seed 001 muteLocal: muteLocal({audio, video}, onSuccess, onFailure); a partial object is INVALID_PARAMS', async () => {
    const client = await inRoom('alice', true);
    const watcher = await inRoom('bob');
    const seen: string[] = [];
    for (const e of [EVENTS.MUTE_AUDIO, EVENTS.STREAM_REMOVED, EVENTS.STREAM_ADDED])
      watcher.on(e, () => seen.push(e));
    const r = recorder();
    await done(client.muteLocal({ audio: true, video: false }, r.onSuccess, r.onFailure));
    await done(client.muteLocal({ audio: true, video: true }, r.onSuccess, r.onFailure));
    await done(client.muteLocal({ audio: true, video: false }, r.onSuccess, r.onFailure));
    await settle();
    expect(seen).toEqual([EVENTS.MUTE_AUDIO, EVENTS.STREAM_REMOVED, EVENTS.STREAM_ADDED]);
    await done(client.muteLocal({ audio: true } as never, r.onSuccess, r.onFailure));
    expect(r.ok).toHaveLength(3);
    expect(r.fail).toEqual([invalid]);
  });

  it('seed 001 muteRemote: muteRemote(userId, {audio, video, screen}, onSuccess, onFailure); a partial object is INVALID_PARAMS', async () => {
    await inRoom('bob', true);
    const client = await inRoom('alice');
    client.subscribe('bob', {}, undefined, undefined);
    await settle();
    const r = recorder();
    await done(
      client.muteRemote('bob', { audio: true, video: false, screen: false }, r.onSuccess, r.onFailure),
    );
    expect(client.receptions.get('bob')).toMatchObject({ audioMuted: true, videoMuted: false });
    await done(client.muteRemote('bob', { audio: true } as never, r.onSuccess, r.onFailure));
    await done(
      client.muteRemote('carol', { audio: true, video: true, screen: false }, r.onSuccess, r.onFailure),
    );
    expect(r.ok).toEqual([undefined]);
    expect(r.fail).toEqual([invalid, expect.objectContaining({ code: ERROR_CODES.UID_NOT_FOUND })]);
  });

  it('seed 001 setUserVisibility: setUserVisibility(enable, onSuccess, onFailure), callbacks required', async () => {
    const client = await inRoom('alice');
    const watcher = await inRoom('bob');
    const seen: string[] = [];
    watcher.on(EVENTS.PEER_LEAVE, () => seen.push('leave'));
    watcher.on(EVENTS.PEER_ONLINE, () => seen.push('online'));
    const r = recorder();
    await done(client.setUserVisibility(false, r.onSuccess, r.onFailure));
    await done(client.setUserVisibility(true, r.onSuccess, r.onFailure));
    await settle();
    expect(r.ok).toEqual([undefined, undefined]);
    expect(seen).toEqual(['leave', 'online']);
    const setUserVisibility = client.setUserVisibility.bind(client) as unknown as (
      v: boolean,
    ) => Promise<void>;
    await setUserVisibility(false);
    expect(server.uncaught.map((e) => e.message)).toEqual(['onSuccess is not a function']);
  });

  it('seed 001 on / off: on(event, callback) and off(event, callback), both required', async () => {
    const client = await inRoom('alice');
    const listener = () => undefined;
    client.on(EVENTS.PEER_ONLINE, listener);
    expect(client.listenerCount).toBe(1);
    client.off(EVENTS.PEER_ONLINE, listener);
    expect(client.listenerCount).toBe(0);
    expect(() => client.on(EVENTS.PEER_ONLINE, undefined as never)).toThrow(TypeError);
    expect(() => (client.off.bind(client) as unknown as (e: string) => void)(EVENTS.PEER_ONLINE)).toThrow(
      TypeError,
    );
  });

  it('seed 001 reportPusherStateChange: (code, message); the old ({detail}) form throws', () => {
    const client = new server.sdk.Client();
    client.reportPusherStateChange(1002, 'pushing');
    expect(client.reports).toEqual([{ method: 'reportPusherStateChange', args: [1002, 'pushing'] }]);
    expect(() =>
      (client.reportPusherStateChange as unknown as (e: object) => void)({ detail: { code: 1002 } }),
    ).toThrow(TypeError);
  });

  it('seed 001 reportPusherNetStatusChange: (info); the old ({detail}) form throws', () => {
    const client = new server.sdk.Client();
    client.reportPusherNetStatusChange({ videoFPS: 15 });
    expect(client.reports).toEqual([{ method: 'reportPusherNetStatusChange', args: [{ videoFPS: 15 }] }]);
    expect(() => client.reportPusherNetStatusChange({ detail: { info: {} } })).toThrow(TypeError);
  });

  it('seed 001 reportPlayerStateChange: (uid, code, message); the old (uid, {detail}) form throws', () => {
    const client = new server.sdk.Client();
    client.reportPlayerStateChange('bob', 2004, '');
    expect(client.reports).toEqual([{ method: 'reportPlayerStateChange', args: ['bob', 2004, ''] }]);
    expect(() =>
      (client.reportPlayerStateChange as unknown as (u: string, e: object) => void)('bob', {
        detail: { code: 2004 },
      }),
    ).toThrow(TypeError);
  });

  it('seed 001 reportPlayerNetStatusChange: (uid, info); the old (uid, {detail}) form throws', () => {
    const client = new server.sdk.Client();
    client.reportPlayerNetStatusChange('bob', { videoFPS: 12 });
    expect(client.reports).toEqual([
      { method: 'reportPlayerNetStatusChange', args: ['bob', { videoFPS: 12 }] },
    ]);
    expect(() => client.reportPlayerNetStatusChange('bob', { detail: { info: {} } })).toThrow(TypeError);
  });
});
