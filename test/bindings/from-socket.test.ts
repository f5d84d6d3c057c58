import { fromSocket, type SocketEvent, type SocketSend } from '../../src/bindings/from-socket';
import { FakePlatform } from '../support/fake-platform';

function open(maxQueue?: number) {
  const platform = new FakePlatform();
  const events: SocketEvent[] = [];
  let send: SocketSend = () => null;
  let completed = false;
  const sub = fromSocket(platform, { url: 'ws://x', ...(maxQueue ? { maxQueue } : {}) }).subscribe({
    next: (e) => {
      events.push(e);
      if (e.type === 'connecting') send = e.send;
    },
    complete: () => (completed = true),
  });
  return {
    platform,
    socket: platform.last,
    events,
    send: (t: string) => send(t),
    sub,
    done: () => completed,
  };
}

describe('fromSocket', () => {
  it('opens on subscribe and emits connecting, open, message, close in order, then completes', () => {
    const t = open();
    expect(t.events.map((e) => e.type)).toEqual(['connecting']);
    t.socket.fireOpen();
    t.socket.fireMessage('hello');
    t.socket.fireError('boom');
    t.socket.fireClose(1006, 'abnormal closure');
    expect(t.events.map((e) => e.type)).toEqual(['connecting', 'open', 'message', 'error', 'close']);
    expect(t.events[4]).toEqual({ type: 'close', code: 1006, reason: 'abnormal closure' });
    expect(t.done()).toBe(true);
  });

  it('queues frames sent before open and flushes them in order on open', () => {
    const t = open();
    expect(t.send('a')).toBeNull();
    expect(t.send('b')).toBeNull();
    expect(t.socket.sent).toEqual([]);
    t.socket.fireOpen();
    expect(t.socket.sent).toEqual(['a', 'b']);
    expect(t.send('c')).toBeNull();
    expect(t.socket.sent).toEqual(['a', 'b', 'c']);
  });

  it('bounds the queue and says so with a typed error', () => {
    const t = open(2);
    t.send('1');
    t.send('2');
    const overflow = t.send('3');
    expect(overflow?.code).toBe('CONNECTION_LOST');
    t.socket.fireOpen();
    expect(t.socket.sent).toEqual(['1', '2']);
  });

  it('drops the queue on close: nothing queued is flushed into the next connection', () => {
    const first = open();
    first.send('for-the-first-socket');
    first.socket.fireClose(1006);
    const late = first.send('too late');
    expect(late?.code).toBe('CONNECTION_LOST');
    // a late open callback of the dead socket (SocketTask has no off*) must not flush anything
    first.socket.fireOpen();
    expect(first.socket.sent).toEqual([]);
    const second = open();
    second.socket.fireOpen();
    expect(second.socket.sent).toEqual([]);
  });

  it('closes the socket with 1000 on unsubscribe and ignores callbacks after that', () => {
    const t = open();
    t.socket.fireOpen();
    t.sub.unsubscribe();
    expect(t.socket.closedWith).toEqual({ code: 1000, reason: 'client closed' });
    t.socket.fireMessage('late');
    t.socket.fireClose(1000);
    expect(t.events.map((e) => e.type)).toEqual(['connecting', 'open']);
    expect(t.send('x')?.code).toBe('CONNECTION_LOST');
  });

  it('does not close a socket that already closed', () => {
    const t = open();
    t.socket.fireClose(1001, 'going away');
    t.sub.unsubscribe();
    expect(t.socket.closedWith).toBeNull();
  });
});
