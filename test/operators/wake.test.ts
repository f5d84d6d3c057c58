/**
 * Wake on a network-type change and on the end of an audio interruption: the heartbeat probes the
 * link at once with a short timeout (marbles), and through the built-in driver a dead socket is
 * replaced and the session resumed one probe timeout plus one round trip after the change, where
 * the heartbeat alone would have taken its whole period.
 */
import { Observable, Subject } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { TestScheduler } from 'rxjs/testing';
import type { NetworkStatus } from '../../src/bindings/platform';
import { audioInterruptionEnd$, networkTypeChange$, wake$ } from '../../src/bindings/platform-streams';
import type { LiveLink } from '../../src/bindings/protocol/protocol-driver';
import { RtcError } from '../../src/errors';
import { heartbeat } from '../../src/operators/heartbeat';
import { createClient } from '../../src/streams/create-client';
import { FakePlatform, type FakeSocket } from '../support/fake-platform';

/** FakePlatform with the audio-interruption signal of WeChat. */
class InterruptiblePlatform extends FakePlatform {
  readonly ends = new Set<() => void>();
  onAudioInterruptionEnd(l: () => void) {
    this.ends.add(l);
    return () => void this.ends.delete(l);
  }
  interruptionEnded() {
    this.ends.forEach((l) => l());
  }
}

/** A link whose pongs come `rtt` frames after each ping, until `dead()` is called. */
function link(m: { scheduler: TestScheduler }, rtt: number) {
  const pings: { at: number; timeout: number }[] = [];
  let alive = true;
  const received$ = new Subject<void>();
  const l: LiveLink = {
    heartbeat: { interval: 10_000, timeout: 30_000 },
    received$,
    ping: (timeout) =>
      new Observable<void>((sub) => {
        pings.push({ at: m.scheduler.now(), timeout });
        const answer = alive
          ? m.scheduler.schedule(() => {
              received$.next();
              sub.next();
              sub.complete();
            }, rtt)
          : null;
        const expire = m.scheduler.schedule(() => sub.error(new RtcError('TIMEOUT', 'no pong')), timeout);
        return () => {
          answer?.unsubscribe();
          expire.unsubscribe();
        };
      }),
  };
  return { link: l, pings, dead: () => (alive = false) };
}

describe('heartbeat probes', () => {
  it(
    'a probe on a live link is answered within one round trip and changes nothing',
    marbles((m) => {
      const { link: l, pings } = link(m, 40);
      const probe$ = m.hot('-- 100ms p');
      m.expect(heartbeat({ probe$, probeTimeout: 3000 }, m.scheduler)(l), '^ 5000ms !').toBeObservable('');
      m.flush();
      expect(pings).toEqual([{ at: 102, timeout: 3000 }]);
    }),
  );

  it(
    'a probe on a dead link fails after the probe timeout, not after the heartbeat period',
    marbles((m) => {
      const { link: l, pings, dead } = link(m, 40);
      const probe$ = m.hot('-- 100ms p');
      m.hot('-- 99ms d').subscribe(dead);
      m.expect(heartbeat({ probe$, probeTimeout: 3000 }, m.scheduler)(l)).toBeObservable(
        '-- 100ms 3000ms #',
        undefined,
        new RtcError('HEARTBEAT_TIMEOUT', 'no answer to a ping within 3000 ms'),
      );
      m.flush();
      expect(pings).toEqual([{ at: 102, timeout: 3000 }]);
    }),
  );

  it(
    'a probe replaces a regular ping waiting with the long timeout',
    marbles((m) => {
      const { link: l, pings, dead } = link(m, 40);
      dead();
      // the regular ping goes at 10 000 (interval) with 20 000 to wait; the probe comes at 12 000
      const probe$ = m.hot('12000ms p');
      m.expect(heartbeat({ probe$, probeTimeout: 3000 }, m.scheduler)(l)).toBeObservable(
        '15000ms #',
        undefined,
        new RtcError('HEARTBEAT_TIMEOUT', 'no answer to a ping within 3000 ms'),
      );
      m.flush();
      expect(pings).toEqual([
        { at: 10_000, timeout: 20_000 },
        { at: 12_000, timeout: 3000 },
      ]);
    }),
  );
});

describe('wake signals', () => {
  const status = (networkType: NetworkStatus['networkType'], isConnected = true): NetworkStatus => ({
    isConnected,
    networkType,
  });

  it(
    'a network-type change is a new type while online; going offline and back is not one',
    marbles((m) => {
      const platform = new FakePlatform();
      const reports = m.hot('-a-b-c-d-e', {
        a: status('wifi'),
        b: status('4g'),
        c: status('none', false),
        d: status('4g'),
        e: status('wifi'),
      });
      reports.subscribe((s) => platform.network.forEach((l) => l(s)));
      m.expect(networkTypeChange$(platform)).toBeObservable('-a-b-----e', {
        a: status('wifi'),
        b: status('4g'),
        e: status('wifi'),
      });
    }),
  );

  it(
    'wake$ also fires on a type change and on the end of an audio interruption',
    marbles((m) => {
      const platform = new InterruptiblePlatform();
      m.hot('--e').subscribe(() => platform.interruptionEnded());
      m.hot('----n', { n: status('5g') }).subscribe((s) => platform.network.forEach((l) => l(s)));
      m.hot('------s').subscribe(() => platform.shows.forEach((l) => l()));
      m.expect(wake$(platform)).toBeObservable('--w-w-w', { w: undefined });
      m.expect(audioInterruptionEnd$(platform)).toBeObservable('--w', { w: undefined });
      m.expect(audioInterruptionEnd$(new FakePlatform())).toBeObservable('|');
    }),
  );
});

/**
 * The server's part over FakePlatform sockets, in virtual time: a socket opens `rtt / 2` after it
 * is created, every request is answered `rtt` after it is sent (a join with a resume is resumed),
 * and a socket marked dead swallows everything, as a half-open socket after a network change does.
 */
function virtualServer(platform: FakePlatform, scheduler: TestScheduler, rtt: number) {
  const dead = new Set<FakeSocket>();
  const connect = platform.connectSocket.bind(platform);
  platform.connectSocket = (options) => {
    const socket = connect(options);
    const send = socket.send.bind(socket);
    socket.send = (option) => {
      send(option);
      if (dead.has(socket)) return;
      const f = JSON.parse(option.data) as { t: string; id: number; resume?: unknown };
      scheduler.schedule(() => {
        if (dead.has(socket)) return;
        if (f.t === 'ping') return socket.fireMessage(JSON.stringify({ v: 1, t: 'pong', id: f.id }));
        const data =
          f.t !== 'join'
            ? {}
            : f.resume
              ? { mode: 'resumed', session: 's1', seq: 0, heartbeat, grace: 20_000 }
              : {
                  mode: 'joined',
                  session: 's1',
                  seq: 0,
                  self: { user: 'me', role: 'broadcaster', visible: true },
                  peers: [],
                  streams: [],
                  publications: [],
                  subscriptions: [],
                  attributes: {},
                  heartbeat,
                  grace: 20_000,
                };
        socket.fireMessage(JSON.stringify({ v: 1, t: 'ack', id: f.id, ok: true, data }));
      }, rtt);
    };
    scheduler.schedule(() => socket.fireOpen(), rtt / 2);
    return socket;
  };
  const heartbeat = { interval: 10_000, timeout: 30_000 };
  return { dead: (s: FakeSocket) => dead.add(s) };
}

describe('createClient recovers from a network change: at once from Wi-Fi to 4G, within the probe timeout otherwise', () => {
  function run(change: 'network' | 'cellular' | 'audio' | 'none') {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const log: string[] = [];
    scheduler.run(() => {
      const platform = new InterruptiblePlatform();
      const server = virtualServer(platform, scheduler, 40);
      const client = createClient({
        url: 'ws://server',
        platform,
        scheduler,
        mediaRecovery: false,
        reportStats: false,
      });
      client.connection$.subscribe((c) => log.push(`${scheduler.now()} ${c.status}`));
      client.join({ token: 't', roomId: 'r1', userId: 'me' }).subscribe();
      // At 1000 the phone moves from Wi-Fi to 4G and the old socket is dead without a close.
      scheduler.schedule(() => {
        server.dead(platform.last);
        if (change === 'network') {
          platform.network.forEach((l) => l({ isConnected: true, networkType: 'wifi' }));
          platform.network.forEach((l) => l({ isConnected: true, networkType: '4g' }));
        }
        if (change === 'cellular') {
          platform.network.forEach((l) => l({ isConnected: true, networkType: '4g' }));
          platform.network.forEach((l) => l({ isConnected: true, networkType: '5g' }));
        }
        if (change === 'audio') platform.interruptionEnded();
      }, 1000);
      scheduler.schedule(() => client.destroy(), 60_000);
    });
    return log;
  }

  it('on a move from Wi-Fi to 4G: a new socket at once, without waiting for a probe', () => {
    expect(run('network')).toEqual([
      '0 idle',
      '0 connecting',
      '60 connected', // open at 20, join acked 40 later
      '1000 reconnecting', // the old socket's address went with Wi-Fi
      '1060 resumed', // new socket open at 1020, resume acked one round trip later
      '60000 disconnected',
    ]);
  });

  it('on a change within cellular (4G to 5G): a probe, then a new socket when it goes unanswered', () => {
    expect(run('cellular')).toEqual([
      '0 idle',
      '0 connecting',
      '60 connected',
      '4000 reconnecting', // the probe sent at 1000 went unanswered for 3000
      '4060 resumed', // a new socket at once: open at 4020, resume acked at 4060
      '60000 disconnected',
    ]);
  });

  it('on the end of an audio interruption', () => {
    expect(run('audio')).toEqual([
      '0 idle',
      '0 connecting',
      '60 connected',
      '4000 reconnecting',
      '4060 resumed',
      '60000 disconnected',
    ]);
  });

  it('without a wake signal the heartbeat alone takes its whole period', () => {
    expect(run('none')).toEqual([
      '0 idle',
      '0 connecting',
      '60 connected',
      // the last frame came at 60: ping at 10 060, given up 20 000 later
      '30060 reconnecting',
      '30120 resumed',
      '60000 disconnected',
    ]);
  });
});
