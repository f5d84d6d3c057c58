/**
 * What is particular to the Agora driver, over the fake Agora service in virtual time: its
 * reconnection recipe, presence through streams, URL refreshes, uids, and the SDK reports.
 */
import {
  agoraDriver,
  type AgoraDriverOptions,
  type AgoraPromiseOptions,
} from '../../src/bindings/drivers/agora';
import { selectPeer, selectPeerList, selectStream } from '../../src/streams/selectors';
import {
  decodePlayerNetStatus,
  decodePlayerStateChange,
  decodePusherNetStatus,
  decodePusherStateChange,
} from '../../src/bindings/native/decode';
import { delaysReconnectPolicy } from '../../src/operators/reconnect-policy';
import { createClient, type RtcClient } from '../../src/streams/create-client';
import type { RoomEvent } from '../../src/streams/room-event';
import { of } from 'rxjs';
import { advance, failure, result, turn, virtualScheduler, virtualUntil } from './conformance/harness';
import { FakeAgoraServer } from './fakes/fake-agora';

const ROOM = 'class-7';

type Extra = Partial<Pick<AgoraPromiseOptions, 'contract' | 'uidType' | 'reconnect'>>;

function setup(extra: Extra = {}) {
  const server = new FakeAgoraServer();
  const scheduler = virtualScheduler();
  const until = virtualUntil(scheduler);
  const clients: RtcClient[] = [];
  const client = (options: Extra = extra) => {
    const common = {
      appId: server.appId,
      scheduler,
      ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    };
    const driverOptions: AgoraDriverOptions =
      options.contract === 'promise'
        ? {
            ...common,
            contract: 'promise',
            sdk: server.promiseSdk,
            ...(options.uidType ? { uidType: options.uidType } : {}),
          }
        : { ...common, sdk: server.sdk };
    const c = createClient({ driver: agoraDriver(driverOptions), scheduler });
    clients.push(c);
    return c;
  };
  const joined = async (userId: string, options?: Extra) => {
    const c = client(options);
    await result(c.join({ token: 'tok', roomId: ROOM, userId }));
    return c;
  };
  return { server, scheduler, until, client, joined, teardown: () => clients.forEach((c) => c.destroy()) };
}

let t: ReturnType<typeof setup>;
afterEach(() => {
  t.teardown();
  // No call of the driver ever made the SDK throw (a callback where none belongs, or missing).
  expect(t.server.uncaught).toEqual([]);
});

describe('agora driver', () => {
  it("reconnects with Agora's recipe, paced by the reconnect policy", async () => {
    t = setup({ reconnect: { policy: delaysReconnectPolicy([1000, 2000]) } });
    const a = await t.joined('1001');
    const b = await t.joined('1002');
    await result(b.publish());
    await t.until('a sees b', () => !!selectStream('1002:main')(a.state));
    await result(a.publish());
    await result(a.subscribe('1002:main'));
    const seen: [number, string, number | undefined][] = [];
    a.connection$.subscribe((c) => seen.push([t.scheduler.now(), c.status, c.delay]));
    const first = t.server.clients[0]!;
    const start = t.scheduler.now();
    t.server.failNext('join', { code: 905, reason: 'all servers failed' });

    t.server.drop(ROOM, 1001);
    await t.until('a rejoined', () => a.state.connection.status === 'rejoined');
    await t.until('a restored', () => !!selectStream('1002:main')(a.state)?.subscription);

    expect(first.destroyed).toBe(true);
    // The failed attempt's client is destroyed too; the next one starts from scratch.
    const [failed, last] = t.server.clients.slice(-2);
    expect(failed!.calls).toEqual(['init', 'setRole:broadcaster', 'join', 'destroy']);
    expect(last!.calls.slice(0, 5)).toEqual([
      'init',
      'setRole:broadcaster',
      'join',
      'publish',
      'subscribe:1002',
    ]);
    expect(seen.slice(1).map(([time, status, delay]) => [time - start, status, delay])).toEqual([
      [0, 'reconnecting', 1000],
      [1000, 'reconnecting', 2000],
      [3000, 'rejoined', undefined],
    ]);
    // The new push URL replaced the old one.
    expect(a.state.self?.publications['1001:main']?.url).toMatch(/\/push\/class-7\/1001\?n=\d+$/);
    await t.until('b sees a again', () => !!selectStream('1001:main')(b.state));
  });

  it('knows peers only through their streams (Agora has no presence events)', async () => {
    t = setup();
    const a = await t.joined('1001');
    const b = await t.joined('1002');
    await turn();
    advance(t.scheduler, 1000);
    expect(selectPeerList(a.state)).toEqual([]);
    await result(b.publish());
    await t.until('a sees b', () => !!selectPeer('1002')(a.state) && !!selectStream('1002:main')(a.state));
    await result(b.unpublish());
    await t.until('b gone', () => !selectPeer('1002')(a.state) && !selectStream('1002:main')(a.state));
  });

  it('publishing without video mutes it through muteLocal, and the others see it muted', async () => {
    t = setup();
    const a = await t.joined('1001');
    const b = await t.joined('1002');
    const publication = await result(b.publish({ video: false }));
    expect(publication.stream).toMatchObject({ hasAudio: true, hasVideo: false });
    expect(t.server.clients[1]!.calls).toContain('muteLocal:video');
    await t.until('a sees b video muted', () => selectStream('1002:main')(a.state)?.videoMuted === true);
    await result(b.muteLocal({ audio: true, video: true }));
    expect(t.server.clients[1]!.calls).toContain('muteLocal:all');
  });

  it('update-url refreshes the push URL and the play URL', async () => {
    t = setup();
    const a = await t.joined('1001');
    const b = await t.joined('1002');
    await result(b.publish());
    await t.until('a sees b', () => !!selectStream('1002:main')(a.state));
    await result(a.publish());
    await result(a.subscribe('1002:main'));
    const client = t.server.clients[0]!;
    client.fire('update-url', { uid: 1001, url: 'rtmp://agora.test/push/new' });
    client.fire('update-url', { uid: 1002, url: 'rtmp://agora.test/play/new' });
    await t.until(
      'urls updated',
      () => selectStream('1002:main')(a.state)?.subscription?.url === 'rtmp://agora.test/play/new',
    );
    expect(a.state.self?.publications['1001:main']?.url).toBe('rtmp://agora.test/push/new');
  });

  it('plays the small stream through setRemoteVideoStreamType with the promise contract only', async () => {
    t = setup({ contract: 'promise' });
    const a = await t.joined('1001');
    const b = await t.joined('1002');
    await result(b.publish());
    await t.until('a sees b', () => !!selectStream('1002:main')(a.state));
    expect(selectStream('1002:main')(a.state)?.hasSmall).toBe(true);
    const sub = await result(a.subscribe('1002:main', { small: true }));
    expect(sub).toMatchObject({ small: true });
    expect(t.server.clients[0]!.calls).toContain('setRemoteVideoStreamType:1002:1');
    expect(t.server.clients[0]!.receptions.get('1002')?.streamType).toBe(1);

    const seed = setup();
    const c = await seed.joined('1001');
    const d = await seed.joined('1002');
    await result(d.publish());
    await seed.until('c sees d', () => !!selectStream('1002:main')(c.state));
    expect(await failure(c.subscribe('1002:main', { small: true }))).toMatchObject({ code: 'UNSUPPORTED' });
    seed.teardown();
  });

  it('subscribes as seed 002 documents (uid, onSuccess, onFailure); unwanted tracks and receiver mutes go through mute/unmute', async () => {
    t = setup();
    const a = await t.joined('1001');
    const b = await t.joined('1002');
    await result(b.publish());
    await t.until('a sees b', () => !!selectStream('1002:main')(a.state));
    await result(a.subscribe('1002:main', { audio: false }));
    const calls = t.server.clients[0]!.calls;
    expect(calls.slice(-2)).toEqual(['subscribe:1002', 'mute:1002:audio']);
    const reception = () => t.server.clients[0]!.receptions.get('1002');
    expect(reception()).toMatchObject({ audioMuted: true, videoMuted: false });
    await result(a.muteRemote('1002:main', { video: true }));
    expect(reception()).toMatchObject({ videoMuted: true });
    await result(a.muteRemote('1002:main', { video: false }));
    expect(reception()).toMatchObject({ videoMuted: false });
    expect(calls.slice(-2)).toEqual(['mute:1002:video', 'unmute:1002:video']);
  });

  it('turning audience stops the push first, then sets the role', async () => {
    t = setup();
    const a = await t.joined('1001');
    const b = await t.joined('1002');
    await result(b.publish());
    await t.until('a sees b', () => !!selectStream('1002:main')(a.state));
    const peer = await result(b.setRole('audience'));
    expect(peer).toEqual({ userId: '1002', role: 'audience', visible: true });
    expect(t.server.clients[1]!.calls.slice(-2)).toEqual(['unpublish', 'setRole:audience']);
    expect(b.state.self?.publications).toEqual({});
    await t.until('a sees b go', () => !selectStream('1002:main')(a.state));
    expect(await failure(b.publish())).toMatchObject({ code: 'NOT_ALLOWED' });
  });

  it('forwards component events to the update* methods of the promise contract; the documented SDK has none', async () => {
    t = setup({ contract: 'promise' });
    const a = await t.joined('1001');
    a.dispatchNative(decodePusherStateChange({ detail: { code: 1002, message: 'pushing' } }));
    a.dispatchNative(decodePusherNetStatus({ detail: { info: { videoFPS: 15 } } }));
    a.dispatchNative(
      decodePlayerStateChange({
        currentTarget: { dataset: { streamId: '1002:main' } },
        detail: { code: 2004 },
      }),
    );
    a.dispatchNative(
      decodePlayerNetStatus({
        currentTarget: { dataset: { streamId: '1002:main' } },
        detail: { info: { videoFPS: 12 } },
      }),
    );
    expect(t.server.clients[0]!.reports).toEqual([
      { method: 'updatePusherStateChange', event: { detail: { code: 1002, message: 'pushing' } } },
      { method: 'updatePusherNetStatus', event: { detail: { info: { videoFPS: 15 } } } },
      { method: 'updatePlayerStateChange', uid: 1002, event: { detail: { code: 2004 } } },
      { method: 'updatePlayerNetStatus', uid: 1002, event: { detail: { info: { videoFPS: 12 } } } },
    ]);
    const seed = setup();
    const c = await seed.joined('1001');
    c.dispatchNative(decodePusherStateChange({ detail: { code: 1002, message: 'pushing' } }));
    expect(seed.server.clients[0]!.reports).toEqual([]);
    seed.teardown();
  });

  it('takes uint32 user ids, or strings with the promise contract and uidType "string"', async () => {
    t = setup();
    expect(await failure(t.client().join({ token: 'tok', roomId: ROOM, userId: 'alice' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(
      await failure(t.client().join({ token: 'tok', roomId: ROOM, userId: '4294967296' })),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const alice = await t.joined('alice', { contract: 'promise', uidType: 'string' });
    expect(alice.state.roomId).toBe(ROOM);
    expect([...t.server.channel(ROOM).keys()]).toEqual(['alice']);
  });

  it('an expired token ends the session as kicked (token-expired); 503 is ignored, others are errors', async () => {
    t = setup();
    const a = await t.joined('1001');
    const errors: string[] = [];
    a.errors$.subscribe((e) => errors.push(e.code));
    const client = t.server.clients[0]!;
    client.fire('error', { code: 503, reason: 'normal server exit' });
    client.fire('error', { code: 429, reason: 'too frequent' });
    await t.until('error reported', () => errors.length > 0);
    expect(errors).toEqual(['RATE_LIMITED']);
    const events: RoomEvent[] = [];
    a.events$.subscribe((e) => events.push(e));
    client.fire('token-privilege-did-expire');
    await t.until('kicked', () => a.state.connection.status === 'kicked');
    expect(a.state.connection.kickReason).toBe('token-expired');
    expect(events).toContainEqual({ type: 'kicked', reason: 'token-expired' });
    advance(t.scheduler, 60_000);
    expect(t.server.clients).toHaveLength(1);
  });

  it('promise contract: token-privilege-will-expire → tokenExpiring$ → the renewToken option → SDK renewToken; a rejoin presents the renewed token', async () => {
    t = setup();
    const fetched: string[] = [];
    const a = createClient({
      driver: agoraDriver({
        appId: t.server.appId,
        scheduler: t.scheduler,
        contract: 'promise',
        sdk: t.server.promiseSdk,
        reconnect: { policy: delaysReconnectPolicy([1000]) },
      }),
      scheduler: t.scheduler,
      renewToken: () => {
        fetched.push(`tok-${fetched.length + 2}`);
        return of(fetched[fetched.length - 1]!);
      },
    });
    const warnings: unknown[] = [];
    a.tokenExpiring$.subscribe((w) => warnings.push(w));
    await result(a.join({ token: 'tok-1', roomId: ROOM, userId: '1001' }));
    t.server.warnExpiry(ROOM, 1001);
    const sdk = t.server.clients[0]!;
    await t.until('renewed', () => sdk.calls.includes('renewToken:tok-2'));
    expect(warnings).toEqual([{}]);
    expect(sdk.tokens).toEqual(['tok-1', 'tok-2']);
    // Agora's recipe after a lost socket: a new client joins with the token held now.
    t.server.drop(ROOM, 1001);
    await t.until('rejoined', () => a.state.connection.status === 'rejoined');
    expect(t.server.clients[1]!.tokens).toEqual(['tok-2']);
    expect(fetched).toEqual(['tok-2']);
    a.destroy();
  });

  it('callback contract (seed 002 has no renewToken): renewToken answers UNSUPPORTED; the warning still reaches tokenExpiring$', async () => {
    t = setup();
    const a = await t.joined('1001');
    const warnings: unknown[] = [];
    a.tokenExpiring$.subscribe((w) => warnings.push(w));
    expect((await failure(a.renewToken('tok-2'))).code).toBe('UNSUPPORTED');
    t.server.warnExpiry(ROOM, 1001);
    await t.until('warned', () => warnings.length === 1);
    expect(t.server.clients[0]!.calls.some((c) => c.startsWith('renewToken'))).toBe(false);
  });
});
