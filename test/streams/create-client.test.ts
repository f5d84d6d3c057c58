import { Subject, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createClient, type RtcClient } from '../../src/streams/create-client';
import type { RtcError } from '../../src/errors';
import type { ConnectionState, RoomState } from '../../src/streams/model';
import type { RoomEvent } from '../../src/streams/room-event';
import { FakePlatform, type FakeSocket } from '../support/fake-platform';

const streamInfo = (user: string, extra: Record<string, unknown> = {}) => ({
  id: `${user}:main`,
  user,
  kind: 'main',
  audio: true,
  video: true,
  small: false,
  audioMuted: false,
  videoMuted: false,
  ...extra,
});

/** Plays the server's part on a fake socket. */
class ScriptedServer {
  seq = 0;
  constructor(readonly socket: FakeSocket) {}
  lastRequest(t: string) {
    const frames = this.socket.frames.filter((f) => f.t === t);
    const f = frames[frames.length - 1];
    if (!f) throw new Error(`no ${t} request was sent`);
    return f as { id: number } & Record<string, unknown>;
  }
  ack(t: string, data: unknown) {
    this.socket.fireMessage(JSON.stringify({ v: 1, t: 'ack', id: this.lastRequest(t).id, ok: true, data }));
  }
  nack(t: string, code: string) {
    this.socket.fireMessage(
      JSON.stringify({
        v: 1,
        t: 'ack',
        id: this.lastRequest(t).id,
        ok: false,
        error: { code, reason: 'no' },
      }),
    );
  }
  push(frame: Record<string, unknown>, seq = ++this.seq) {
    this.socket.fireMessage(JSON.stringify({ v: 1, seq, ...frame }));
  }
  acceptJoin(extra: Record<string, unknown> = {}) {
    this.socket.fireOpen();
    this.ack('join', {
      mode: 'joined',
      session: 'sess-1',
      seq: 0,
      self: { user: 'me', role: 'broadcaster', visible: true },
      peers: [{ user: 'bob', role: 'broadcaster', visible: true }],
      streams: [streamInfo('bob')],
      publications: [],
      subscriptions: [],
      attributes: { topic: 'maths' },
      heartbeat: { interval: 10000, timeout: 30000 },
      grace: 20000,
      ...extra,
    });
  }
}

function setup() {
  const platform = new FakePlatform();
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.maxFrames = Number.POSITIVE_INFINITY; // virtual time: flush() runs every timer
  const client = createClient({ url: 'ws://server', platform, scheduler, requestTimeout: 1000 });
  const events: RoomEvent[] = [];
  client.events$.subscribe((e) => events.push(e));
  return { platform, client, events, scheduler };
}

function joinedClient() {
  const t = setup();
  let result: unknown;
  t.client.join({ token: 'tok', roomId: 'r1', userId: 'me' }).subscribe((r) => (result = r));
  const server = new ScriptedServer(t.platform.last);
  server.acceptJoin();
  return { ...t, server, result: () => result };
}

const errorOf = (o: {
  subscribe: (obs: { error: (e: RtcError) => void }) => unknown;
}): RtcError | undefined => {
  let error: RtcError | undefined;
  o.subscribe({ error: (e) => (error = e) });
  return error;
};

describe('createClient: join', () => {
  it('connects only on join, sends the join request on open, and resolves with the session', () => {
    const t = setup();
    const join = t.client.join({ token: 'tok', roomId: 'r1', userId: 'me', businessId: 'b1' });
    expect(t.platform.sockets).toHaveLength(0);
    let result: unknown;
    join.subscribe((r) => (result = r));
    const socket = t.platform.last;
    expect(socket.url).toBe('ws://server');
    expect(t.client.state.connection.status).toBe('connecting');
    const server = new ScriptedServer(socket);
    server.acceptJoin();
    expect(socket.frames[0]).toEqual({
      v: 1,
      t: 'join',
      id: 1,
      token: 'tok',
      room: 'r1',
      user: 'me',
      visible: true,
      role: 'broadcaster',
      businessId: 'b1',
    });
    expect(result).toEqual({ roomId: 'r1', sessionId: 'sess-1' });
    expect(t.client.state.connection.status).toBe('connected');
    expect([...t.client.state.peers.keys()]).toEqual(['bob']);
    expect(t.client.state.streams.get('bob:main')?.hasVideo).toBe(true);
    expect(t.client.state.attributes).toEqual({ topic: 'maths' });
  });

  it('fails the join with the server error and ends the session', () => {
    const t = setup();
    let error: RtcError | undefined;
    t.client
      .join({ token: 'tok', roomId: 'r1', userId: 'me' })
      .subscribe({ error: (e: RtcError) => (error = e) });
    const server = new ScriptedServer(t.platform.last);
    t.platform.last.fireOpen();
    server.nack('join', 'TOKEN_EXPIRED');
    expect(error?.code).toBe('TOKEN_EXPIRED');
    expect(t.client.state.connection.status).toBe('disconnected');
    expect(t.platform.last.closedWith).toEqual({ code: 1000, reason: 'client closed' });
  });

  it('fails with CONNECT_FAILED when the socket never opens', () => {
    const t = setup();
    let error: RtcError | undefined;
    t.client
      .join({ token: 'tok', roomId: 'r1', userId: 'me' })
      .subscribe({ error: (e: RtcError) => (error = e) });
    t.platform.last.fireClose(1006, 'connection refused');
    expect(error?.code).toBe('CONNECT_FAILED');
  });

  it('refuses a second join and bad arguments at once, without touching the socket', () => {
    const t = joinedClient();
    expect(errorOf(t.client.join({ token: 'tok', roomId: 'r1', userId: 'me' }))?.code).toBe('ALREADY_JOINED');
    const fresh = setup();
    expect(errorOf(fresh.client.join({ token: '', roomId: 'r1', userId: 'me' }))?.code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorOf(fresh.client.join({ token: 't', roomId: 'a/b', userId: 'me' }))?.code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorOf(fresh.client.join({ token: 't', roomId: 'r', userId: 'x'.repeat(129) }))?.code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(fresh.platform.sockets).toHaveLength(0);
  });
});

describe('createClient: commands in the wrong state fail at once with their code', () => {
  it('before join', () => {
    const { client, platform } = setup();
    expect(errorOf(client.publish())?.code).toBe('NOT_JOINED');
    expect(errorOf(client.subscribe('bob:main'))?.code).toBe('NOT_JOINED');
    expect(errorOf(client.leave())?.code).toBe('NOT_JOINED');
    expect(errorOf(client.sendMessage('chat', 'hi'))?.code).toBe('NOT_JOINED');
    expect(platform.sockets).toHaveLength(0);
  });

  it('after join', () => {
    const { client, platform } = joinedClient();
    const sent = platform.last.sent.length;
    expect(errorOf(client.subscribe('nobody:main'))?.code).toBe('STREAM_NOT_FOUND');
    expect(errorOf(client.subscribe('not-a-stream'))?.code).toBe('INVALID_ARGUMENT');
    expect(errorOf(client.unsubscribe('bob:main'))?.code).toBe('NOT_SUBSCRIBED');
    expect(errorOf(client.muteRemote('bob:main', { audio: true }))?.code).toBe('NOT_SUBSCRIBED');
    expect(errorOf(client.unpublish())?.code).toBe('NOT_PUBLISHED');
    expect(errorOf(client.muteLocal({ audio: true }))?.code).toBe('NOT_PUBLISHED');
    expect(errorOf(client.publish({ audio: false, video: false }))?.code).toBe('INVALID_ARGUMENT');
    expect(errorOf(client.setAttributes({}))?.code).toBe('INVALID_ARGUMENT');
    expect(errorOf(client.sendMessage('', 'x'))?.code).toBe('INVALID_ARGUMENT');
    expect(errorOf(client.setRole('admin' as never))?.code).toBe('INVALID_ARGUMENT');
    expect(platform.last.sent.length).toBe(sent);
  });

  it('after destroy', () => {
    const { client } = joinedClient();
    client.destroy();
    expect(errorOf(client.publish())?.code).toBe('DESTROYED');
    expect(errorOf(client.join({ token: 't', roomId: 'r', userId: 'u' }))?.code).toBe('DESTROYED');
  });
});

describe('createClient: commands', () => {
  it('publish emits the publication after the room state has it', () => {
    const { client, server } = joinedClient();
    let seen: RoomState | undefined;
    client.publish().subscribe(() => (seen = client.state));
    server.ack('publish', { stream: streamInfo('me'), url: 'rtmp://push/me' });
    expect(seen?.self?.publications['me:main']?.url).toBe('rtmp://push/me');
    expect(errorOf(client.publish())?.code).toBe('ALREADY_PUBLISHED');
  });

  it('subscribe, mute-remote and unsubscribe move the subscription', () => {
    const { client, server } = joinedClient();
    const sub = {
      stream: 'bob:main',
      url: 'rtmp://play/bob',
      audio: true,
      video: false,
      small: true,
      audioMuted: false,
      videoMuted: false,
    };
    client.subscribe('bob:main', { video: false, small: true }).subscribe();
    expect(server.lastRequest('subscribe')).toMatchObject({
      stream: 'bob:main',
      audio: true,
      video: false,
      small: true,
    });
    server.ack('subscribe', sub);
    expect(client.state.streams.get('bob:main')?.subscription?.url).toBe('rtmp://play/bob');
    client.muteRemote('bob:main', { audio: true }).subscribe();
    server.ack('mute-remote', { subscription: { ...sub, audioMuted: true } });
    expect(client.state.streams.get('bob:main')?.subscription?.audioMuted).toBe(true);
    client.unsubscribe('bob:main').subscribe();
    server.ack('unsubscribe', {});
    expect(client.state.streams.get('bob:main')?.subscription).toBeNull();
  });

  it('times out a command on the injected scheduler', () => {
    const { client, scheduler } = joinedClient();
    let error: RtcError | undefined;
    client.setVisibility(false).subscribe({ error: (e: RtcError) => (error = e) });
    scheduler.flush();
    expect(error?.code).toBe('TIMEOUT');
  });

  it('applies pushes in order, drops duplicates, and resumes after a gap', () => {
    const { client, server, events, platform, scheduler } = joinedClient();
    server.push({ t: 'peer-joined', peer: { user: 'carol', role: 'audience', visible: true } }, 1);
    server.push({ t: 'peer-joined', peer: { user: 'carol', role: 'audience', visible: true } }, 1);
    expect([...client.state.peers.keys()].sort()).toEqual(['bob', 'carol']);
    expect(events.filter((e) => e.type === 'peer-joined')).toHaveLength(1);
    server.push({ t: 'peer-left', user: 'bob', reason: 'leave' }, 5);
    expect(events.find((e) => e.type === 'seq-gap')).toEqual({ type: 'seq-gap', expected: 2, received: 5 });
    // the push after the gap is not applied; the client reconnects and resumes from seq 1
    expect(events.some((e) => e.type === 'peer-left')).toBe(false);
    expect(client.state.connection).toMatchObject({ status: 'reconnecting', attempt: 1, delay: 0 });
    expect(client.state.peers.get('bob')).toBeDefined();
    scheduler.flush();
    expect(platform.sockets).toHaveLength(2);
    const resumed = new ScriptedServer(platform.last);
    platform.last.fireOpen();
    expect(resumed.lastRequest('join')).toMatchObject({ resume: { session: 'sess-1', seq: 1 } });
    resumed.ack('join', {
      mode: 'resumed',
      session: 'sess-1',
      seq: 1,
      heartbeat: { interval: 10000, timeout: 30000 },
      grace: 20000,
    });
    resumed.push({ t: 'peer-left', user: 'bob', reason: 'leave' }, 2);
    expect(client.state.connection.status).toBe('resumed');
    expect([...client.state.peers.keys()]).toEqual(['carol']);
  });

  it('after an unanswered request, reconnects and asks for a snapshot, which becomes the truth', () => {
    const { client, platform, scheduler } = joinedClient();
    let error: RtcError | undefined;
    client.publish().subscribe({ error: (e: RtcError) => (error = e) });
    // the answer arrives corrupted: the request may or may not have taken effect
    platform.last.fireMessage('{"v":1,"t":"ack","id":2,"ok":tr1e}');
    scheduler.flush();
    expect(error?.code).toBe('TIMEOUT');
    expect(platform.sockets).toHaveLength(2);
    const again = new ScriptedServer(platform.last);
    platform.last.fireOpen();
    expect(again.lastRequest('join')).toMatchObject({
      resume: { session: 'sess-1', seq: 0, snapshot: true },
    });
    // it had taken effect: the snapshot says so, and the client now knows it publishes
    again.ack('join', {
      mode: 'snapshot',
      session: 'sess-1',
      seq: 0,
      self: { user: 'me', role: 'broadcaster', visible: true },
      peers: [{ user: 'bob', role: 'broadcaster', visible: true }],
      streams: [streamInfo('bob')],
      publications: [{ stream: streamInfo('me'), url: 'rtmp://push/me' }],
      subscriptions: [],
      attributes: {},
      heartbeat: { interval: 10000, timeout: 30000 },
      grace: 20000,
    });
    expect(client.state.self?.publications['me:main']?.url).toBe('rtmp://push/me');
    expect(client.state.connection.status).toBe('resumed');
  });

  it('reports stream-failed and url-updated pushes as events', () => {
    const { server, events } = joinedClient();
    server.push({
      t: 'stream-failed',
      stream: 'bob:main',
      direction: 'play',
      reason: 'media server lost the stream',
    });
    server.push({ t: 'url-updated', stream: 'bob:main', direction: 'play', url: 'rtmp://new' });
    expect(events.filter((e) => e.type === 'stream-failed' || e.type === 'url-updated')).toEqual([
      {
        type: 'stream-failed',
        streamId: 'bob:main',
        direction: 'play',
        reason: 'media server lost the stream',
      },
      { type: 'url-updated', streamId: 'bob:main', direction: 'play', url: 'rtmp://new' },
    ]);
  });

  it('leaves: sends leave, clears the room, and closes the socket', () => {
    const { client, server, platform } = joinedClient();
    let done = false;
    client.leave().subscribe({ complete: () => (done = true) });
    server.ack('leave', {});
    expect(done).toBe(true);
    expect(client.state.roomId).toBeNull();
    expect(client.state.connection.status).toBe('disconnected');
    expect(platform.last.closedWith).toEqual({ code: 1000, reason: 'client closed' });
  });

  it('is kicked: kicked state, no reconnect', () => {
    const { client, server, platform } = joinedClient();
    server.push({ t: 'kicked', reason: 'replaced' });
    platform.last.fireClose(4001, 'kicked');
    expect(client.state.connection).toEqual({ status: 'kicked', kickReason: 'replaced' });
    expect(client.state.roomId).toBeNull();
    expect(platform.sockets).toHaveLength(1);
  });

  it('reports bad frames on errors$ and carries on', () => {
    const { client, server, platform } = joinedClient();
    const errors: string[] = [];
    client.errors$.subscribe((e) => errors.push(e.code));
    platform.last.fireMessage('{not json');
    platform.last.fireMessage(JSON.stringify({ v: 1, t: 'peer-joined', seq: 1 }));
    server.push({ t: 'peer-joined', peer: { user: 'zed', role: 'broadcaster', visible: true } }, 1);
    expect(errors).toEqual(['MALFORMED_JSON', 'INVALID_FRAME']);
    expect(client.state.peers.get('zed')).toBeDefined();
  });
});

describe('createClient: hot state streams', () => {
  it('replay the latest value to late subscribers and emit only on change', () => {
    const { client, server } = joinedClient();
    const connection: ConnectionState[] = [];
    const peers: string[][] = [];
    client.connection$.subscribe((c) => connection.push(c));
    client.peers$.subscribe((p) => peers.push([...p.keys()].sort()));
    server.push({ t: 'stream-updated', stream: streamInfo('bob', { audioMuted: true }) });
    server.push({ t: 'peer-joined', peer: { user: 'carol', role: 'broadcaster', visible: true } });
    expect(connection).toEqual([{ status: 'connected' }]);
    expect(peers).toEqual([['bob'], ['bob', 'carol']]);
  });

  it('never touch the socket when pages subscribe and unsubscribe', () => {
    const { client, platform } = joinedClient();
    for (let i = 0; i < 5; i++) client.room$.subscribe().unsubscribe();
    const sub = client.remoteStreams$.subscribe();
    sub.unsubscribe();
    expect(platform.sockets).toHaveLength(1);
    expect(platform.last.closedWith).toBeNull();
  });

  it('complete on destroy, with the socket closed and no listener left', () => {
    const { client, platform } = joinedClient();
    const completed: string[] = [];
    const streams: [string, { subscribe: (o: { complete: () => void }) => unknown }][] = [
      ['room$', client.room$],
      ['peers$', client.peers$],
      ['remoteStreams$', client.remoteStreams$],
      ['localStream$', client.localStream$],
      ['connection$', client.connection$],
      ['attributes$', client.attributes$],
      ['events$', client.events$],
      ['errors$', client.errors$],
    ];
    for (const [name, s] of streams) s.subscribe({ complete: () => completed.push(name) });
    client.destroy();
    client.destroy();
    expect(completed.sort()).toEqual(streams.map(([n]) => n).sort());
    expect(platform.last.closedWith).not.toBeNull();
    expect(platform.listeners).toBe(0);
    expect(client.state.roomId).toBeNull();
  });
});

export type { RtcClient };

describe('createClient: token renewal (virtual time)', () => {
  /** A JWT-shaped token whose `exp` (seconds) the client can read; the server alone checks it. */
  const jwt = (exp: number, name = 'tok') =>
    `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ exp, name }),
    ).toString('base64url')}.sig`;

  /**
   * A joined client whose steps are logged as marbles: `f` the renewToken function was called,
   * `r` a renew-token request left (its token in the value), `j` a join left (its token, and
   * whether it resumes).
   */
  function renewal(
    token: string,
    renewToken: (() => Observable<string>) | undefined,
    steps: Subject<string>,
    scheduler: TestScheduler,
    reconnect?: { policy: (attempt: number) => number | null },
  ) {
    const platform = new FakePlatform();
    const client = createClient({
      url: 'ws://server',
      platform,
      scheduler,
      requestTimeout: 1000,
      heartbeat: false,
      mediaRecovery: false,
      reportStats: false,
      ...(reconnect ? { reconnect } : {}),
      ...(renewToken
        ? {
            renewToken: () => {
              steps.next('f');
              return renewToken();
            },
          }
        : {}),
    });
    const watch = (socket: FakeSocket) => {
      const send = socket.send.bind(socket);
      socket.send = (option) => {
        send(option);
        const frame = JSON.parse(option.data) as { t: string; token?: string; resume?: unknown };
        if (frame.t === 'renew-token') steps.next(`r:${frame.token}`);
        if (frame.t === 'join') steps.next(`j:${frame.token}${frame.resume ? '+resume' : ''}`);
      };
    };
    const connect = platform.connectSocket.bind(platform);
    platform.connectSocket = (options) => {
      const socket = connect(options);
      watch(socket);
      return socket;
    };
    client.join({ token, roomId: 'r1', userId: 'me' }).subscribe();
    const server = new ScriptedServer(platform.last);
    server.acceptJoin();
    const errors: RtcError[] = [];
    client.errors$.subscribe((e) => errors.push(e));
    const states: ConnectionState[] = [];
    client.connection$.subscribe((c) => states.push(c));
    /** The server side of the newest socket, opened. */
    const reopened = () => {
      const next = new ScriptedServer(platform.last);
      next.seq = server.seq;
      next.socket.fireOpen();
      return next;
    };
    const resumed = (s: ScriptedServer) =>
      s.ack('join', {
        mode: 'resumed',
        session: 'sess-1',
        seq: s.seq,
        heartbeat: { interval: 10000, timeout: 30000 },
        grace: 20000,
      });
    return { client, platform, server, errors, states, reopened, resumed };
  }

  const marbles = (
    test: (t: { scheduler: TestScheduler } & Parameters<Parameters<TestScheduler['run']>[0]>[0]) => void,
  ) => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run((helpers) => test({ scheduler, ...helpers }));
  };

  it('token-expiring → renewToken called → renew-token with its token; later resumes present it', () => {
    marbles(({ scheduler, cold, expectObservable }) => {
      const steps = new Subject<string>();
      const t = renewal('tok-1', () => cold('---(t|)', { t: 'tok-2' }), steps, scheduler);
      const renewed: unknown[] = [];
      scheduler.schedule(() => t.server.push({ t: 'token-expiring', exp: 3600 }), 10);
      scheduler.schedule(() => {
        t.server.ack('renew-token', { exp: 7200 });
      }, 20);
      scheduler.schedule(() => t.platform.last.fireClose(1006), 30);
      scheduler.schedule(() => t.resumed(t.reopened()), 31);
      t.client.tokenExpiring$.subscribe((w) => renewed.push(w));
      expectObservable(steps).toBe('10ms f 2ms r 17ms j', { f: 'f', r: 'r:tok-2', j: 'j:tok-2+resume' });
      scheduler.schedule(() => {
        expect(renewed).toEqual([{ expiresAt: 3_600_000 }]);
        expect(t.errors).toEqual([]);
        expect(t.client.state.connection.status).toBe('resumed');
        t.client.destroy();
      }, 40);
    });
  });

  it('a reconnection with an expired token fetches a fresh one first, then resumes with it', () => {
    marbles(({ scheduler, cold, expectObservable }) => {
      const steps = new Subject<string>();
      // The held token expires at 1 s of virtual time; the socket drops at 2 s.
      const t = renewal(jwt(1), () => cold('--(t|)', { t: 'fresh' }), steps, scheduler);
      scheduler.schedule(() => t.platform.last.fireClose(1006), 2000);
      scheduler.schedule(() => t.resumed(t.reopened()), 2005);
      expectObservable(steps).toBe('2000ms f 4ms j', { f: 'f', j: 'j:fresh+resume' });
      scheduler.schedule(() => {
        expect(t.client.state.connection.status).toBe('resumed');
        expect(t.states.map((s) => s.status)).toEqual(['connected', 'reconnecting', 'resumed']);
        t.client.destroy();
      }, 2010);
    });
  });

  it('a resume refused as TOKEN_EXPIRED (clocks differ) fetches once and resumes again at once', () => {
    marbles(({ scheduler, cold, expectObservable }) => {
      const steps = new Subject<string>();
      const t = renewal('opaque', () => cold('--(t|)', { t: 'fresh' }), steps, scheduler);
      scheduler.schedule(() => t.platform.last.fireClose(1006), 10);
      scheduler.schedule(() => t.reopened().nack('join', 'TOKEN_EXPIRED'), 12);
      scheduler.schedule(() => t.resumed(t.reopened()), 20);
      // The join leaves when the new socket opens (12); its refusal fetches at once.
      expectObservable(steps).toBe('12ms (jf) 4ms k', {
        j: 'j:opaque+resume',
        f: 'f',
        k: 'j:fresh+resume',
      });
      scheduler.schedule(() => {
        expect(t.platform.sockets).toHaveLength(3);
        expect(JSON.parse(t.platform.last.sent[0]!)).toMatchObject({
          token: 'fresh',
          resume: { session: 'sess-1' },
        });
        expect(t.client.state.connection.status).toBe('resumed');
        t.client.destroy();
      }, 30);
    });
  });

  it('a failing renewToken on token-expiring is TOKEN_RENEW_FAILED; the server then ends the session as kicked: token-expired', () => {
    marbles(({ scheduler, cold, expectObservable }) => {
      const steps = new Subject<string>();
      const t = renewal(
        'tok-1',
        () => cold('--#', undefined, new Error('token service down')),
        steps,
        scheduler,
      );
      scheduler.schedule(() => t.server.push({ t: 'token-expiring', exp: 3600 }), 10);
      scheduler.schedule(() => {
        t.server.push({ t: 'kicked', reason: 'token-expired' });
        t.platform.last.fireClose(4001, 'kicked: token-expired');
      }, 50);
      expectObservable(steps).toBe('10ms f');
      scheduler.schedule(() => {
        expect(t.errors.map((e) => e.code)).toEqual(['TOKEN_RENEW_FAILED']);
        expect(t.errors[0]?.reason).toContain('token service down');
        expect(t.client.state.connection).toEqual({ status: 'kicked', kickReason: 'token-expired' });
        expect(t.platform.sockets).toHaveLength(1); // never retried
        t.client.destroy();
      }, 60);
    });
  });

  it('a failing renewToken at a reconnection fails the attempts with TOKEN_RENEW_FAILED until the policy gives up', () => {
    marbles(({ scheduler, cold, expectObservable }) => {
      const steps = new Subject<string>();
      const t = renewal(jwt(1), () => cold('-#', undefined, new Error('no')), steps, scheduler, {
        policy: (attempt) => (attempt <= 2 ? 5 : null),
      });
      scheduler.schedule(() => t.platform.last.fireClose(1006), 2000);
      expectObservable(steps).toBe('2005ms f 5ms f');
      scheduler.schedule(() => {
        expect(t.platform.sockets).toHaveLength(1); // no socket opened with a lapsed token
        expect(t.states.map((s) => s.status)).toEqual([
          'connected',
          'reconnecting',
          'reconnecting',
          'failed',
        ]);
        expect(t.states[2]).toMatchObject({ error: { code: 'TOKEN_RENEW_FAILED' } });
        expect(t.client.state.connection).toMatchObject({
          status: 'failed',
          error: { code: 'RECONNECT_FAILED' },
        });
        t.client.destroy();
      }, 2050);
    });
  });

  it('without renewToken, a resume refused as TOKEN_EXPIRED ends the session as kicked: token-expired', () => {
    marbles(({ scheduler, expectObservable }) => {
      const steps = new Subject<string>();
      const t = renewal('tok-1', undefined, steps, scheduler);
      const left: RoomEvent[] = [];
      t.client.events$.subscribe((e) => {
        if (e.type === 'left' || e.type === 'kicked') left.push(e);
      });
      scheduler.schedule(() => t.platform.last.fireClose(1006), 10);
      scheduler.schedule(() => t.reopened().nack('join', 'TOKEN_EXPIRED'), 12);
      expectObservable(steps).toBe('12ms j', { j: 'j:tok-1+resume' });
      scheduler.schedule(() => {
        expect(t.client.state.connection).toEqual({ status: 'kicked', kickReason: 'token-expired' });
        expect(left.map((e) => e.type)).toEqual(['kicked', 'left']);
        expect(left[1]).toEqual({ type: 'left', reason: 'kicked' });
        t.client.destroy();
      }, 20);
    });
  });
});
