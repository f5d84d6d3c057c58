/**
 * The client's hot path does not run valibot: SignalChannel.receive checks frames with the
 * hand-written guards (src/protocol/guards.ts). valibot is wrapped here to count its parse calls.
 */
import { TestScheduler } from 'rxjs/testing';
import * as v from 'valibot';
import { SignalChannel } from '../../src/bindings/protocol/signal-channel';
import { pushSamples } from '../protocol/samples';

jest.mock('valibot', () => {
  const actual = jest.requireActual<typeof v>('valibot');
  return {
    ...actual,
    safeParse: jest.fn(actual.safeParse),
    parse: jest.fn(actual.parse),
    is: jest.fn(actual.is),
  };
});

const parsers = [v.safeParse, v.parse, v.is] as unknown as jest.Mock[];
const calls = () => parsers.reduce((n, p) => n + p.mock.calls.length, 0);

it('receives acks, pongs, errors, pushes and bad frames without calling valibot', () => {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const channel = new SignalChannel(() => null, { timeout: 1000, scheduler });
  const got: unknown[] = [];
  channel.request({ t: 'mute-local', stream: 'alice:main', audio: true }).subscribe((d) => got.push(d));
  channel.request({ t: 'ping' }).subscribe((d) => got.push(d));
  for (const p of parsers) p.mockClear();

  const stream = { ...pushSamples['stream-added'][0]!.stream, id: 'alice:main', user: 'alice' };
  expect(channel.receive(JSON.stringify({ v: 1, t: 'ack', id: 1, ok: true, data: { stream } }))).toEqual({
    kind: 'settled',
  });
  expect(channel.receive(JSON.stringify({ v: 1, t: 'pong', id: 2, seq: 0 }))).toEqual({
    kind: 'seq',
    seq: 0,
  });
  for (const push of Object.values(pushSamples).flat()) {
    expect(channel.receive(JSON.stringify(push))).toMatchObject({ kind: 'push', frame: push });
  }
  const error = { v: 1, t: 'error', error: { code: 'RATE_LIMITED', reason: 'slow' } };
  expect(channel.receive(JSON.stringify(error))).toMatchObject({
    kind: 'error',
    error: { code: 'RATE_LIMITED' },
  });
  expect(channel.receive('{"v":1,"t":"peer-left","seq":1}')).toMatchObject({
    kind: 'error',
    error: { code: 'INVALID_FRAME', reason: 'peer-left: user: missing' },
  });
  expect(got).toEqual([{ stream }, {}]);
  expect(calls()).toBe(0);
});
