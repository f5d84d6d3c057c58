/**
 * Commands issued while a join is in flight wait for it: they run when it succeeds, fail with its
 * error when it fails, and give up with TIMEOUT after `requestTimeout` (virtual time throughout).
 */
import { Subject, concat, defer, ignoreElements, of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createRoomClient, type RtcClient } from '../../src/streams/create-client';
import { RtcError } from '../../src/errors';
import type { Capability, Command, Driver } from '../../src/streams/command';
import type { RoomEvent } from '../../src/streams/room-event';
import { joined, stream } from '../support/room-fixtures';
import { CAPABILITIES } from '../../src/bindings/protocol/session';

/** Every command of the protocol. */
const ALL = [...CAPABILITIES];

/**
 * A driver whose join answers after `joinDelay` virtual ms (or fails with `joinError`), reporting
 * `connecting` at once and `joined` just before the answer, as drivers do; every other command
 * answers at once and is recorded with the virtual time it reached the driver.
 */
function slowJoinDriver(
  scheduler: TestScheduler,
  o: { joinMarbles: string; joinError?: RtcError; capabilities?: Capability[] },
) {
  const events = new Subject<RoomEvent>();
  const executed: string[] = [];
  const driver: Driver = {
    name: 'slow-join',
    capabilities: new Set(o.capabilities ?? ALL),
    events$: events,
    execute: (command: Command) => {
      if (command.type !== 'join') {
        executed.push(`${scheduler.now()} ${command.type}`);
        if (command.type === 'publish') {
          const publication = { stream: stream('me'), url: 'rtmp://push/me:main' };
          return defer(() => {
            events.next({ type: 'published', publication });
            return of(publication);
          }) as Observable<never>;
        }
        return of(undefined) as Observable<never>;
      }
      events.next({ type: 'connection', state: { status: 'connecting' } });
      // The marbles say when the backend answers: `|` accepted, `#` refused, nothing: never.
      return concat(
        scheduler.createColdObservable(o.joinMarbles, {}, o.joinError).pipe(ignoreElements()),
        defer(() => {
          events.next(joined());
          events.next({ type: 'connection', state: { status: 'connected' } });
          return of({ roomId: 'r1', sessionId: 's1' });
        }),
      ) as Observable<never>;
    },
    destroy: () => events.complete(),
  };
  return { driver, executed };
}

type RunHelpers = Parameters<Parameters<TestScheduler['run']>[0]>[0];

const JOIN = { token: 't', roomId: 'r1', userId: 'me' };

function run(
  joinMarbles: string,
  body: (client: RtcClient, helpers: RunHelpers, executed: string[]) => void,
  extra: { joinError?: RtcError; requestTimeout?: number; capabilities?: Capability[] } = {},
) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run((helpers) => {
    const { driver, executed } = slowJoinDriver(scheduler, {
      joinMarbles,
      ...(extra.joinError ? { joinError: extra.joinError } : {}),
      ...(extra.capabilities ? { capabilities: extra.capabilities } : {}),
    });
    const client = createRoomClient({
      driver,
      scheduler,
      ...(extra.requestTimeout !== undefined ? { requestTimeout: extra.requestTimeout } : {}),
    });
    body(client, helpers, executed);
  });
}

describe('commands issued while a join is in flight', () => {
  it('run when the join succeeds, in the order they were issued, after it', () => {
    run('----|', (client, { expectObservable }, executed) => {
      client.join(JOIN).subscribe();
      expectObservable(client.publish()).toBe('----(p|)', {
        p: { stream: stream('me'), url: 'rtmp://push/me:main' },
      });
      expectObservable(client.setAttributes({ topic: 'maths' })).toBe('----(u|)', { u: undefined });
      expectObservable(client.sendMessage('chat', 'hi')).toBe('----(u|)', { u: undefined });
      // A command whose check reads the joined state checks it after the join.
      expectObservable(client.muteLocal({ audio: true })).toBe('----(u|)', { u: undefined });
      expect(executed).toEqual([]);
    });
  });

  it('reach the driver only after the join answered', () => {
    let seen: string[] = [];
    run('---|', (client, { flush }, executed) => {
      client.join(JOIN).subscribe();
      client.publish().subscribe();
      client.report({ kind: 'pusher-state', code: 1002 }).subscribe();
      expect(executed).toEqual([]);
      flush();
      seen = executed;
    });
    expect(seen).toEqual(['3 publish', '3 report']);
  });

  it("fail with the join's error when the join fails", () => {
    const refused = new RtcError('TOKEN_INVALID', 'bad token');
    run(
      '--#',
      (client, { expectObservable }) => {
        expectObservable(client.join(JOIN)).toBe('--#', undefined, refused);
        expectObservable(client.publish()).toBe('--#', undefined, refused);
        expectObservable(client.subscribe('bob:main')).toBe('--#', undefined, refused);
      },
      { joinError: refused },
    );
  });

  it('give up with TIMEOUT after requestTimeout when the join does not answer', () => {
    run(
      '-',
      (client, { expectObservable }) => {
        client.join(JOIN).subscribe();
        expectObservable(client.publish()).toBe(
          '50ms #',
          undefined,
          new RtcError('TIMEOUT', 'publish waited 50 ms for the join in flight'),
        );
      },
      { requestTimeout: 50 },
    );
  });

  it('fail with NOT_JOINED when the join is cancelled (its caller unsubscribed)', () => {
    run('-----|', (client, { cold, expectObservable }) => {
      const join = client.join(JOIN).subscribe();
      cold('--a').subscribe(() => join.unsubscribe());
      expectObservable(client.publish()).toBe(
        '--#',
        undefined,
        new RtcError('NOT_JOINED', 'the join was cancelled'),
      );
    });
  });

  it('answer UNSUPPORTED at once, without waiting', () => {
    run(
      '----|',
      (client, { expectObservable }) => {
        client.join(JOIN).subscribe();
        expectObservable(client.publish()).toBe(
          '#',
          undefined,
          new RtcError('UNSUPPORTED', 'slow-join does not support publish'),
        );
      },
      { capabilities: ['join'] },
    );
  });

  it('a second join during the first fails at once and leaves the first one awaited', () => {
    run('----|', (client, { expectObservable }) => {
      client.join(JOIN).subscribe();
      expectObservable(client.join(JOIN)).toBe(
        '#',
        undefined,
        new RtcError('ALREADY_JOINED', 'already joined or joining'),
      );
      expectObservable(client.sendMessage('chat', 'hi')).toBe('----(u|)', { u: undefined });
    });
  });

  it('with no join in flight, still fail at once with NOT_JOINED', () => {
    run('|', (client, { expectObservable }) => {
      expectObservable(client.publish()).toBe(
        '#',
        undefined,
        new RtcError('NOT_JOINED', 'publish needs a joined room'),
      );
    });
  });
});
