/**
 * The driver kit over a scripted backend, in virtual time: sessions, reconnection through the
 * reconnect operator and policy, held-back events, restore after a rejoin, timeouts, destroy.
 */
import { concat, NEVER, Observable, of, Subject, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { RtcError } from '../../src/errors';
import {
  createVendorDriver,
  type CommandHandlers,
  type RoomSnapshot,
  type VendorBackend,
  type VendorSession,
} from '../../src/bindings/drivers/kit/vendor-driver';
import { fromCallbacks, fromVendorPromise } from '../../src/bindings/drivers/kit/vendor-calls';
import { readVendorError, vendorError, vendorErrorCode } from '../../src/bindings/drivers/kit/vendor-errors';
import { delaysReconnectPolicy } from '../../src/operators/reconnect-policy';
import type { Command, CommandOf, Driver } from '../../src/streams/command';
import type { RoomEvent } from '../../src/streams/room-event';

const join: CommandOf<'join'> = {
  type: 'join',
  token: 't',
  roomId: 'r1',
  userId: 'me',
  visible: true,
  role: 'broadcaster',
};
const lost = new RtcError('CONNECTION_LOST', 'socket closed');
const snapshot = (sessionId = 's'): RoomSnapshot => ({ sessionId });

const bob = {
  id: 'bob:main',
  userId: 'bob',
  kind: 'main' as const,
  hasAudio: true,
  hasVideo: true,
  hasSmall: false,
  audioMuted: false,
  videoMuted: false,
};

/** Handlers that answer at once and record what they were asked. */
function recordingHandlers(log: string[]): CommandHandlers {
  return {
    publish: (c, s) => {
      log.push(`publish:${c.audio}/${c.video}`);
      return of({
        url: `rtmp://push/${s.attempt}`,
        stream: { ...bob, id: 'me:main', userId: 'me', hasAudio: c.audio, hasVideo: c.video },
      });
    },
    'mute-local': (c, s) => {
      log.push(`mute-local:${c.audio ?? '-'}/${c.video ?? '-'}`);
      const stream = s.state.self!.publications[c.streamId]!.stream;
      return of({
        ...stream,
        audioMuted: c.audio ?? stream.audioMuted,
        videoMuted: c.video ?? stream.videoMuted,
      });
    },
    subscribe: (c, s) => {
      log.push(`subscribe:${c.streamId}`);
      return of({
        streamId: c.streamId,
        url: `rtmp://play/${s.attempt}`,
        audio: c.audio,
        video: c.video,
        small: c.small,
        audioMuted: false,
        videoMuted: false,
      });
    },
    'mute-remote': (c, s) => {
      log.push(`mute-remote:${c.audio ?? '-'}/${c.video ?? '-'}`);
      const sub = s.state.streams.get(c.streamId)!.subscription!;
      return of({ ...sub, audioMuted: c.audio ?? sub.audioMuted, videoMuted: c.video ?? sub.videoMuted });
    },
    'send-message': () => NEVER,
  };
}

/** A backend whose attempts are the given Observables, one per connect. */
function scripted(
  attempts: ((session: VendorSession) => Observable<RoomSnapshot>)[],
  extra: Partial<VendorBackend> = {},
): VendorBackend & { sessions: VendorSession[] } {
  const sessions: VendorSession[] = [];
  return {
    name: 'scripted',
    handlers: {},
    sessions,
    connect(session) {
      sessions.push(session);
      const next = attempts[session.attempt];
      return next ? next(session) : throwError(() => new RtcError('INTERNAL', 'no more attempts'));
    },
    leave: () => of(undefined),
    ...extra,
  };
}

function record(driver: Driver): RoomEvent[] {
  const events: RoomEvent[] = [];
  driver.events$.subscribe((e) => events.push(e));
  return events;
}

const statuses = (events: RoomEvent[]) =>
  events.flatMap((e) => (e.type === 'connection' ? [e.state.status] : []));

let ts: TestScheduler;
beforeEach(() => {
  ts = new TestScheduler((a, b) => expect(a).toEqual(b));
});

describe('createVendorDriver: sessions', () => {
  it('joins: connecting, connected, a joined snapshot, then the join result', () => {
    ts.run(({ cold, expectObservable }) => {
      const driver = createVendorDriver(
        scripted([
          () =>
            cold('--a', {
              a: {
                sessionId: 'x',
                peers: [{ userId: 'bob', role: 'broadcaster', visible: true }],
                streams: [bob],
                attributes: { k: 'v' },
              },
            }),
        ]),
        { scheduler: ts },
      );
      const events = record(driver);
      expectObservable(driver.execute(join)).toBe('--(r|)', { r: { roomId: 'r1', sessionId: 'x' } });
      ts.flush();
      expect(statuses(events)).toEqual(['connecting', 'connected']);
      const joined = events.find((e) => e.type === 'joined');
      expect(joined).toMatchObject({
        mode: 'joined',
        roomId: 'r1',
        self: { userId: 'me', role: 'broadcaster', visible: true, publications: {} },
        streams: [bob],
        attributes: { k: 'v' },
      });
    });
  });

  it('holds back events of an attempt until its snapshot is out, so the snapshot cannot wipe them', () => {
    ts.run(({ cold }) => {
      const backend = scripted([
        (session) => {
          session.emit({ type: 'stream-added', stream: bob });
          return cold('-a', { a: snapshot() });
        },
      ]);
      const driver = createVendorDriver(backend, { scheduler: ts });
      const events = record(driver);
      driver.execute(join).subscribe();
      ts.flush();
      expect(events.map((e) => e.type)).toEqual(['connection', 'connection', 'joined', 'stream-added']);
    });
  });

  it('a failed first join fails the call and is not retried', () => {
    ts.run(({ cold, expectObservable }) => {
      const refused = new RtcError('TOKEN_INVALID', 'no');
      const backend = scripted([() => cold('-#', undefined, refused), () => cold('a', { a: snapshot() })]);
      const driver = createVendorDriver(backend, { scheduler: ts });
      const events = record(driver);
      expectObservable(driver.execute(join)).toBe('-#', undefined, refused);
      ts.flush();
      expect(backend.sessions).toHaveLength(1);
      expect(events.slice(-2)).toEqual([
        { type: 'connection', state: { status: 'disconnected', error: refused.toJSON() } },
        { type: 'left', reason: 'connection-lost' },
      ]);
    });
  });

  it('a join the backend never answers fails with TIMEOUT after callTimeout', () => {
    ts.run(({ expectObservable }) => {
      const driver = createVendorDriver(scripted([() => NEVER]), { scheduler: ts, callTimeout: 50 });
      expectObservable(driver.execute(join)).toBe(
        '50ms #',
        undefined,
        new RtcError('TIMEOUT', 'scripted did not answer the join'),
      );
    });
  });
});

describe('createVendorDriver: reconnection with the reconnect operator', () => {
  it('reports reconnecting with the policy delays, retries, and ends rejoined', () => {
    ts.run(({ cold }) => {
      const backend = scripted([
        () => cold('-a--#', { a: snapshot('s0') }, lost),
        () => cold('-#', undefined, lost),
        () => cold('-a', { a: snapshot('s2') }),
      ]);
      const driver = createVendorDriver(backend, {
        scheduler: ts,
        reconnect: { policy: delaysReconnectPolicy([100, 200]) },
      });
      const seen: [number, string, number | undefined, number | undefined][] = [];
      driver.events$.subscribe((e) => {
        if (e.type === 'connection') seen.push([ts.now(), e.state.status, e.state.attempt, e.state.delay]);
      });
      driver.execute(join).subscribe();
      ts.flush();
      expect(seen).toEqual([
        [0, 'connecting', undefined, undefined],
        [1, 'connected', undefined, undefined],
        [4, 'reconnecting', 1, 100],
        [105, 'reconnecting', 2, 200],
        [306, 'rejoined', undefined, undefined],
      ]);
      expect(backend.sessions.map((s) => s.attempt)).toEqual([0, 1, 2]);
    });
  });

  it('gives up as the policy says: failed with RECONNECT_FAILED, then left', () => {
    ts.run(({ cold }) => {
      const backend = scripted([
        () => cold('a#', { a: snapshot() }, lost),
        () => cold('-#', undefined, lost),
      ]);
      const driver = createVendorDriver(backend, {
        scheduler: ts,
        reconnect: { policy: delaysReconnectPolicy([10]) },
      });
      const events = record(driver);
      driver.execute(join).subscribe();
      ts.flush();
      expect(statuses(events)).toEqual(['connecting', 'connected', 'reconnecting', 'failed']);
      const failed = events.find((e) => e.type === 'connection' && e.state.status === 'failed');
      expect(failed).toMatchObject({ state: { error: { code: 'RECONNECT_FAILED' } } });
      expect(events[events.length - 1]).toEqual({ type: 'left', reason: 'connection-lost' });
    });
  });

  it('a kick ends the session kicked and is never retried', () => {
    ts.run(({ cold }) => {
      const backend = scripted([
        (session) =>
          new Observable<RoomSnapshot>((subscriber) => {
            subscriber.next(snapshot());
            ts.schedule(() => subscriber.error(session.kicked('banned', 'spam')), 5);
          }),
        () => cold('a', { a: snapshot() }),
      ]);
      const driver = createVendorDriver(backend, { scheduler: ts });
      const events = record(driver);
      driver.execute(join).subscribe();
      ts.flush();
      expect(backend.sessions).toHaveLength(1);
      expect(events.slice(-3)).toEqual([
        { type: 'kicked', reason: 'banned', message: 'spam' },
        { type: 'connection', state: { status: 'kicked', kickReason: 'banned' } },
        { type: 'left', reason: 'kicked' },
      ]);
    });
  });

  it('commands fail with CONNECTION_LOST while reconnecting', () => {
    ts.run(({ cold }) => {
      const backend = scripted(
        [() => cold('a-#', { a: snapshot() }, lost), () => cold('-----a', { a: snapshot() })],
        {
          handlers: recordingHandlers([]),
        },
      );
      const driver = createVendorDriver(backend, { scheduler: ts, reconnect: { policy: () => 0 } });
      driver.execute(join).subscribe();
      const publish: CommandOf<'publish'> = {
        type: 'publish',
        kind: 'main',
        audio: true,
        video: true,
        small: false,
      };
      const outcomes: string[] = [];
      const attempt = () =>
        driver.execute(publish).subscribe({
          next: () => outcomes.push(`${ts.now()}: published`),
          error: (e: RtcError) => outcomes.push(`${ts.now()}: ${e.code}`),
        });
      ts.schedule(attempt, 3);
      ts.schedule(attempt, 9);
      ts.flush();
      expect(outcomes).toEqual(['3: CONNECTION_LOST', '9: published']);
    });
  });

  it('after a rejoin: publishes, mutes and subscribes again as the user had it', () => {
    ts.run(({ cold }) => {
      const log: string[] = [];
      const drop = new Subject<void>();
      const backend = scripted(
        [
          (session) =>
            new Observable<RoomSnapshot>((subscriber) => {
              subscriber.next(snapshot());
              session.emit({ type: 'stream-added', stream: bob });
              drop.subscribe(() => subscriber.error(lost));
            }),
          (session) => {
            // The vendor announces bob's stream again after the fresh join.
            ts.schedule(() => session.emit({ type: 'stream-added', stream: bob }), 3);
            return cold('a', { a: snapshot('again') });
          },
        ],
        { handlers: recordingHandlers(log) },
      );
      const driver = createVendorDriver(backend, { scheduler: ts, reconnect: { policy: () => 0 } });
      const events = record(driver);
      driver.execute(join).subscribe();
      const run = (c: Command) => driver.execute(c).subscribe();
      run({ type: 'publish', kind: 'main', audio: true, video: false, small: false });
      run({ type: 'mute-local', streamId: 'me:main', audio: true });
      run({ type: 'subscribe', streamId: 'bob:main', audio: true, video: false, small: false });
      run({ type: 'mute-remote', streamId: 'bob:main', audio: true });
      log.length = 0;
      drop.next();
      ts.flush();
      expect(log).toEqual([
        'publish:true/false',
        'mute-local:true/false',
        'subscribe:bob:main',
        'mute-remote:true/false',
      ]);
      const published = events.filter((e) => e.type === 'published');
      expect(published[published.length - 1]).toMatchObject({ publication: { url: 'rtmp://push/1' } });
      const subscribed = events.filter((e) => e.type === 'subscribed');
      expect(subscribed[subscribed.length - 1]).toMatchObject({
        subscription: { url: 'rtmp://play/1', video: false },
      });
    });
  });

  it('a wanted subscription whose stream never comes back is forgotten after the grace', () => {
    ts.run(({ cold }) => {
      const log: string[] = [];
      const drop = new Subject<void>();
      const backend = scripted(
        [
          (session) =>
            new Observable<RoomSnapshot>((subscriber) => {
              subscriber.next(snapshot());
              session.emit({ type: 'stream-added', stream: bob });
              drop.subscribe(() => subscriber.error(lost));
            }),
          (session) => {
            ts.schedule(() => session.emit({ type: 'stream-added', stream: bob }), 60);
            return cold('a', { a: snapshot() });
          },
        ],
        { handlers: recordingHandlers(log) },
      );
      const driver = createVendorDriver(backend, {
        scheduler: ts,
        reconnect: { policy: () => 0 },
        resubscribeGrace: 50,
      });
      driver.execute(join).subscribe();
      driver
        .execute({ type: 'subscribe', streamId: 'bob:main', audio: true, video: true, small: false })
        .subscribe();
      log.length = 0;
      drop.next();
      ts.flush();
      expect(log).toEqual([]);
    });
  });
});

describe('createVendorDriver: commands', () => {
  it('emits the event of a result before the result, as the protocol driver does', () => {
    ts.run(() => {
      const driver = createVendorDriver(
        // An attempt stays open while in the room; completing would end the session.
        scripted([() => concat(of(snapshot()), NEVER)], { handlers: recordingHandlers([]) }),
        { scheduler: ts },
      );
      const order: string[] = [];
      driver.events$.subscribe((e) => order.push(e.type));
      driver.execute(join).subscribe();
      driver
        .execute({ type: 'publish', kind: 'main', audio: true, video: true, small: false })
        .subscribe(() => order.push('result'));
      expect(order.slice(-2)).toEqual(['published', 'result']);
    });
  });

  it('declares the handlers and features it has, and refuses the rest with UNSUPPORTED', () => {
    const driver = createVendorDriver(
      scripted([], {
        handlers: recordingHandlers([]),
        features: ['small-stream'],
        refuse: (c) =>
          c.type === 'publish' && c.kind === 'screen' ? new RtcError('UNSUPPORTED', 'no screen') : null,
      }),
    );
    expect([...driver.capabilities].sort()).toEqual(
      [
        'join',
        'leave',
        'publish',
        'mute-local',
        'subscribe',
        'mute-remote',
        'send-message',
        'small-stream',
      ].sort(),
    );
    const codes: string[] = [];
    driver
      .execute({ type: 'set-role', role: 'audience' })
      .subscribe({ error: (e: RtcError) => codes.push(e.code) });
    driver
      .execute({ type: 'publish', kind: 'screen', audio: true, video: true, small: false })
      .subscribe({ error: (e: RtcError) => codes.push(e.code) });
    driver
      .execute({ type: 'unpublish', streamId: 'x:main' })
      .subscribe({ error: (e: RtcError) => codes.push(e.code) });
    expect(codes).toEqual(['UNSUPPORTED', 'UNSUPPORTED', 'UNSUPPORTED']);
  });

  it('a vendor call that never answers fails with TIMEOUT', () => {
    ts.run(({ cold, expectObservable }) => {
      const driver = createVendorDriver(
        scripted([() => cold('a', { a: snapshot() })], { handlers: recordingHandlers([]) }),
        { scheduler: ts, callTimeout: 20 },
      );
      driver.execute(join).subscribe();
      expectObservable(driver.execute({ type: 'send-message', name: 'n', content: 'c' })).toBe(
        '20ms #',
        undefined,
        new RtcError('TIMEOUT', 'scripted did not answer send-message'),
      );
    });
  });

  it('destroy fails a pending join with DESTROYED, releases the backend and completes', () => {
    let released = 0;
    const driver = createVendorDriver(scripted([() => NEVER], { destroy: () => void released++ }));
    let error: RtcError | undefined;
    driver.execute(join).subscribe({ error: (e: RtcError) => (error = e) });
    let completed = false;
    driver.events$.subscribe({ complete: () => (completed = true) });
    driver.destroy();
    driver.destroy();
    expect(error?.code).toBe('DESTROYED');
    expect(released).toBe(1);
    expect(completed).toBe(true);
    let after: RtcError | undefined;
    driver.execute(join).subscribe({ error: (e: RtcError) => (after = e) });
    expect(after?.code).toBe('DESTROYED');
  });
});

describe('vendor errors', () => {
  it('reads the code table backwards: vendor code → rxroom code, first match in table order', () => {
    expect(vendorErrorCode('agora', 904)).toBe('CONNECTION_LOST');
    expect(vendorErrorCode('agora', 903)).toBe('TIMEOUT');
    expect(vendorErrorCode('volcengine', 200004)).toBe('TOKEN_INVALID');
    expect(vendorErrorCode('rongcloud', 53029)).toBe('DUPLICATE_SESSION');
    expect(vendorErrorCode('rongcloud', 53008)).toBe('KICKED');
    expect(vendorErrorCode('agora', 123456)).toBeUndefined();
  });

  it('keeps the vendor code in the reason; overrides win; unknown codes take the fallback', () => {
    const e = vendorError('volcengine', { code: 100003, reason: 'already in room' }, 'INTERNAL');
    expect(e).toMatchObject({ code: 'ALREADY_JOINED', reason: 'volcengine 100003: already in room' });
    expect(vendorError('rongcloud', { code: 53008 }, 'INTERNAL', { 53008: 'CONNECTION_LOST' }).code).toBe(
      'CONNECTION_LOST',
    );
    expect(vendorError('agora', { code: 777 }, 'CONNECT_FAILED').code).toBe('CONNECT_FAILED');
    expect(vendorError('trtc', new Error('boom'), 'INTERNAL').reason).toBe('trtc: boom');
    const same = new RtcError('KICKED', 'x');
    expect(vendorError('agora', same, 'INTERNAL')).toBe(same);
  });

  it('reads codes from numbers, objects and numeric strings', () => {
    expect(readVendorError(904)).toEqual({ code: 904, reason: '' });
    expect(readVendorError({ code: '53004', msg: 'request failed' })).toEqual({
      code: 53004,
      reason: 'request failed',
    });
    expect(readVendorError({ errMsg: 'socket error' })).toEqual({ code: undefined, reason: 'socket error' });
  });
});

describe('vendor calls', () => {
  const toError = (e: unknown) => vendorError('agora', e, 'INTERNAL');

  it('fromCallbacks: the first answer wins; a throw or a rejected Promise is a failure', async () => {
    const values: string[] = [];
    fromCallbacks<string>((ok, fail) => {
      ok('a');
      ok('b');
      fail({ code: 1 });
    }, toError).subscribe((v) => values.push(v));
    expect(values).toEqual(['a']);
    let thrown: RtcError | undefined;
    fromCallbacks(() => {
      throw new Error('sync');
    }, toError).subscribe({ error: (e: RtcError) => (thrown = e) });
    expect(thrown?.reason).toBe('agora: sync');
    const rejected = await new Promise<RtcError>((resolve) =>
      fromCallbacks(() => Promise.reject({ code: 905 }), toError).subscribe({ error: resolve }),
    );
    expect(rejected.code).toBe('CONNECT_FAILED');
  });

  it('fromVendorPromise: values and rejections, nothing after unsubscribe', async () => {
    const value = await new Promise((resolve) =>
      fromVendorPromise(() => Promise.resolve(7), toError).subscribe(resolve),
    );
    expect(value).toBe(7);
    const plain = await new Promise((resolve) => fromVendorPromise(() => 'sync', toError).subscribe(resolve));
    expect(plain).toBe('sync');
    const rejected = await new Promise<RtcError>((resolve) =>
      fromVendorPromise(() => Promise.reject({ code: 904 }), toError).subscribe({ error: resolve }),
    );
    expect(rejected.code).toBe('CONNECTION_LOST');
    const late: unknown[] = [];
    fromVendorPromise(() => Promise.resolve(1), toError)
      .subscribe((v) => late.push(v))
      .unsubscribe();
    await Promise.resolve();
    expect(late).toEqual([]);
  });
});
