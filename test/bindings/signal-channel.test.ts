import { TestScheduler } from 'rxjs/testing';
import { SignalChannel } from '../../src/bindings/protocol/signal-channel';
import { RtcError } from '../../src/errors';

function setup() {
  const sent: Record<string, unknown>[] = [];
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  let failure: RtcError | null = null;
  const channel = new SignalChannel(
    (text) => {
      if (failure) return failure;
      sent.push(JSON.parse(text) as Record<string, unknown>);
      return null;
    },
    { timeout: 1000, scheduler },
  );
  return { channel, sent, scheduler, failWith: (e: RtcError) => (failure = e) };
}

const ack = (id: number, data: unknown) => JSON.stringify({ v: 1, t: 'ack', id, ok: true, data });
const nack = (id: number, code: string, reason = 'no') =>
  JSON.stringify({ v: 1, t: 'ack', id, ok: false, error: { code, reason } });

describe('SignalChannel', () => {
  it('sends a request with a fresh id and settles it with the ack of that id', () => {
    const { channel, sent } = setup();
    const got: unknown[] = [];
    let done = false;
    channel
      .request({ t: 'unsubscribe', stream: 'bob:main' })
      .subscribe({ next: (d) => got.push(d), complete: () => (done = true) });
    channel.request({ t: 'leave' }).subscribe();
    expect(sent).toEqual([
      { v: 1, t: 'unsubscribe', id: 1, stream: 'bob:main' },
      { v: 1, t: 'leave', id: 2 },
    ]);
    expect(channel.receive(ack(1, {}))).toEqual({ kind: 'settled' });
    expect(got).toEqual([{}]);
    expect(done).toBe(true);
    expect(channel.inFlight).toBe(1);
  });

  it('fails with the error of a refused request', () => {
    const { channel } = setup();
    let error: RtcError | undefined;
    channel.request({ t: 'leave' }).subscribe({ error: (e: RtcError) => (error = e) });
    channel.receive(nack(1, 'NOT_JOINED', 'join first'));
    expect(error).toBeInstanceOf(RtcError);
    expect(error).toMatchObject({ code: 'NOT_JOINED', reason: 'join first' });
  });

  it('fails with INVALID_FRAME when the ack data does not fit the request', () => {
    const { channel } = setup();
    let error: RtcError | undefined;
    channel
      .request({ t: 'subscribe', stream: 'bob:main' })
      .subscribe({ error: (e: RtcError) => (error = e) });
    expect(channel.receive(ack(1, { url: 42 })).kind).toBe('error');
    expect(error?.code).toBe('INVALID_FRAME');
  });

  it('times out on the injected scheduler, and ignores the ack that comes late', () => {
    const { channel, scheduler } = setup();
    scheduler.run(({ expectObservable }) => {
      expectObservable(channel.request({ t: 'leave' })).toBe(
        '1000ms #',
        undefined,
        new RtcError('TIMEOUT', 'no answer to leave within 1000 ms'),
      );
    });
    expect(channel.inFlight).toBe(0);
    expect(channel.receive(ack(1, {}))).toEqual({ kind: 'settled' });
  });

  it('answers pings with pongs', () => {
    const { channel, sent } = setup();
    let done = false;
    channel.request({ t: 'ping' }, 500).subscribe({ complete: () => (done = true) });
    expect(sent[0]).toEqual({ v: 1, t: 'ping', id: 1 });
    channel.receive(JSON.stringify({ v: 1, t: 'pong', id: 1 }));
    expect(done).toBe(true);
  });

  it('fails every request in flight at once when the socket closes, and every later one', () => {
    const { channel } = setup();
    const errors: string[] = [];
    channel.request({ t: 'leave' }).subscribe({ error: (e: RtcError) => errors.push(e.code) });
    channel.request({ t: 'ping' }).subscribe({ error: (e: RtcError) => errors.push(e.code) });
    channel.close(new RtcError('CONNECTION_LOST', 'gone'));
    channel.request({ t: 'leave' }).subscribe({ error: (e: RtcError) => errors.push(e.code) });
    expect(errors).toEqual(['CONNECTION_LOST', 'CONNECTION_LOST', 'CONNECTION_LOST']);
    expect(channel.inFlight).toBe(0);
  });

  it('fails when the socket refuses the frame', () => {
    const { channel, failWith } = setup();
    failWith(new RtcError('CONNECTION_LOST', 'queue full'));
    let error: RtcError | undefined;
    channel.request({ t: 'leave' }).subscribe({ error: (e: RtcError) => (error = e) });
    expect(error?.code).toBe('CONNECTION_LOST');
    expect(channel.inFlight).toBe(0);
  });

  it('refuses a request the server would refuse, typed, without sending it', () => {
    const { channel, sent } = setup();
    let error: RtcError | undefined;
    channel
      .request({ t: 'subscribe', stream: 'not a stream id' })
      .subscribe({ error: (e: RtcError) => (error = e) });
    expect(error?.code).toBe('INVALID_ARGUMENT');
    expect(sent).toEqual([]);
  });

  it('forgets a request when unsubscribed early', () => {
    const { channel } = setup();
    const sub = channel.request({ t: 'leave' }).subscribe();
    sub.unsubscribe();
    expect(channel.inFlight).toBe(0);
  });

  it('passes pushes through and reports bad frames and error frames', () => {
    const { channel } = setup();
    const push = { v: 1, t: 'peer-left', seq: 1, user: 'bob', reason: 'leave' };
    expect(channel.receive(JSON.stringify(push))).toEqual({
      kind: 'push',
      frame: push,
      event: { type: 'peer-left', userId: 'bob', reason: 'leave' },
    });
    expect(channel.receive('{oops')).toMatchObject({ kind: 'error', error: { code: 'MALFORMED_JSON' } });
    expect(
      channel.receive(JSON.stringify({ v: 1, t: 'error', error: { code: 'RATE_LIMITED', reason: 'slow' } })),
    ).toMatchObject({
      kind: 'error',
      error: { code: 'RATE_LIMITED' },
    });
  });

  it('settles a request with an error frame that carries its id', () => {
    const { channel } = setup();
    let error: RtcError | undefined;
    channel.request({ t: 'leave' }).subscribe({ error: (e: RtcError) => (error = e) });
    channel.receive(
      JSON.stringify({ v: 1, t: 'error', id: 1, error: { code: 'RATE_LIMITED', reason: 'slow' } }),
    );
    expect(error?.code).toBe('RATE_LIMITED');
  });
});
