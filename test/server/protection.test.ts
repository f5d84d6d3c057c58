/**
 * Protection (docs/protocol.md §3, §7, §8): undecodable frames, oversize frames (1009), floods
 * (RATE_LIMITED, 1008), heartbeat timeout (4004), join timeout (4003). The connection or at least
 * the room goes on, and other clients are unaffected.
 */
import type { RunningServer } from '../../server';
import { Client, closeClients, startTestServer, token } from './support';

afterEach(closeClients);

describe('frames the server cannot decode', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  /** alice (the sender of bad frames) and bob, in one room. */
  async function pair(r: string) {
    const { client: alice } = await Client.join(server, r, 'alice');
    const { client: bob } = await Client.join(server, r, 'bob');
    await alice.next('peer-joined');
    return { alice, bob };
  }

  const cases: [string, string | Buffer, string, number | undefined][] = [
    ['text that is not JSON', 'hello', 'MALFORMED_JSON', undefined],
    ['truncated JSON', '{"v":1,"t":"ping","id":1', 'MALFORMED_JSON', undefined],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'MALFORMED_JSON', undefined],
    ['a JSON array', '[1,2,3]', 'INVALID_FRAME', undefined],
    ['JSON null', 'null', 'INVALID_FRAME', undefined],
    ['an unknown type', '{"v":1,"t":"teleport","id":41}', 'UNKNOWN_TYPE', 41],
    [
      'a push sent to the server',
      '{"v":1,"t":"kicked","id":42,"seq":1,"reason":"kicked"}',
      'UNKNOWN_TYPE',
      42,
    ],
    ['protocol version 2', '{"v":2,"t":"ping","id":43}', 'UNSUPPORTED_VERSION', 43],
    ['no version', '{"t":"ping","id":44}', 'UNSUPPORTED_VERSION', 44],
    ['no type', '{"v":1,"id":45}', 'INVALID_FRAME', 45],
    ['a mistyped field', '{"v":1,"t":"publish","id":46,"audio":"yes","video":true}', 'INVALID_FRAME', 46],
    ['a missing field', '{"v":1,"t":"unsubscribe","id":47}', 'INVALID_FRAME', 47],
    ['a bad id', '{"v":1,"t":"ping","id":0}', 'INVALID_FRAME', undefined],
    ['a join without token', '{"v":1,"t":"join","id":48,"room":"r","user":"u"}', 'INVALID_FRAME', 48],
  ];

  it.each(cases)('answers %s with %s, and the connection and room go on', async (_name, raw, code, id) => {
    const r = `bad-${code}-${id ?? 'x'}-${typeof raw === 'string' ? raw.length : 'bin'}`;
    const { alice, bob } = await pair(r);
    const before = alice.frames.length;
    alice.sendRaw(raw);
    if (id === undefined) {
      const error = await alice.nextError(before);
      expect(error).toEqual({ v: 1, t: 'error', error: { code, reason: expect.any(String) } });
    } else {
      await alice.until(() => alice.frames.slice(before).some((f) => f.t === 'ack'), 'the ack');
      expect(alice.frames.slice(before)).toEqual([
        { v: 1, t: 'ack', id, ok: false, error: { code, reason: expect.any(String) } },
      ]);
    }
    // The sender's session works, the other client saw nothing and works too.
    await alice.ok('message', { name: 'still', content: 'here' });
    expect(await bob.next('message')).toMatchObject({ from: 'alice', content: 'here' });
    await bob.ok('attrs-get', {});
    expect(bob.pushTypes()).toEqual(['message']);
  });

  it('reads a binary frame holding a valid request like text', async () => {
    const client = await Client.open(server.url);
    const before = client.frames.length;
    client.sendRaw(Buffer.from('{"v":1,"t":"ping","id":9}'));
    await client.until(() => client.frames.length > before, 'pong');
    expect(client.frames.at(-1)).toEqual({ v: 1, t: 'pong', id: 9 });
  });

  it('runs a duplicated request once: a repeated id on the same connection is dropped', async () => {
    const { client } = await Client.join(server, 'dup-ids', 'alice');
    const frame = JSON.stringify({ v: 1, t: 'publish', id: 777, audio: true, video: true });
    client.sendRaw(frame);
    client.sendRaw(frame);
    await client.until(() => client.frames.some((f) => f.t === 'ack' && f.id === 777), 'the ack');
    await client.ok('attrs-get', {}); // a round trip after both copies arrived
    const acks = client.frames.filter((f) => f.t === 'ack' && f.id === 777);
    expect(acks).toEqual([expect.objectContaining({ ok: true })]);
  });

  it('handles bad frames before join the same way, and a join afterwards works', async () => {
    const client = await Client.open(server.url);
    client.sendRaw('{{{');
    expect((await client.nextError()).error.code).toBe('MALFORMED_JSON');
    await client.ok('join', { token: await token('bad-then-join', 'u'), room: 'bad-then-join', user: 'u' });
  });
});

describe('oversize frames', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ maxFrameBytes: 4096 });
  });
  afterAll(() => server.close());

  it('closes the connection with 1009; the session enters grace; the room goes on', async () => {
    const { client: alice } = await Client.join(server, 'big', 'alice');
    const { client: bob } = await Client.join(server, 'big', 'bob');
    alice.sendRaw(JSON.stringify({ v: 1, t: 'message', id: 5, name: 'x', content: 'y'.repeat(5000) }));
    expect((await alice.waitClose()).code).toBe(1009);
    await bob.ok('message', { name: 'still', content: 'ok' });
    // alice is in her grace window, not gone: bob sees her reconnecting, and no peer-left.
    expect(await bob.next('peer-reconnecting')).toMatchObject({ user: 'alice' });
    await bob.sync();
    expect(bob.pushTypes()).toEqual(['peer-reconnecting']);
  });

  it('counts bytes, not characters: 1,500 three-byte characters are too large', async () => {
    const client = await Client.open(server.url);
    client.sendRaw(JSON.stringify({ v: 1, t: 'ping', id: 1, pad: '€'.repeat(1500) }));
    expect((await client.waitClose()).code).toBe(1009);
  });

  it('accepts a frame just under the limit', async () => {
    const client = await Client.open(server.url);
    const frame = JSON.stringify({ v: 1, t: 'ping', id: 1, pad: '' });
    const padded = frame.replace('"pad":""', `"pad":"${'p'.repeat(4096 - frame.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(4096);
    client.sendRaw(padded);
    await client.until(() => client.frames.some((f) => f.t === 'pong'), 'pong');
    expect(client.frames).toEqual([{ v: 1, t: 'pong', id: 1 }]);
  });
});

describe('flood protection', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimit: 10, rateBurst: 20 });
  });
  afterAll(() => server.close());

  const burst = (client: Client, n: number, first: number) => {
    for (let i = 0; i < n; i++) client.sendRaw(JSON.stringify({ v: 1, t: 'attrs-get', id: first + i }));
  };
  const acks = (client: Client) => client.frames.filter((f) => f.t === 'ack');

  it('answers RATE_LIMITED above the burst, and serves again once the bucket refills', async () => {
    const { client } = await Client.join(server, 'flood', 'alice');
    burst(client, 30, 100);
    await client.until(() => acks(client).length === 30, '30 acks');
    const limited = acks(client).filter((f) => f.t === 'ack' && !f.ok && f.error.code === 'RATE_LIMITED');
    // 20 tokens in the bucket, the join took one (plus a token or two refilled meanwhile).
    expect(limited.length).toBeGreaterThanOrEqual(8);
    expect(limited.length).toBeLessThanOrEqual(11);
    expect(client.closeInfo).toBeUndefined();
    // 10 frames/s: a token is back after 100 ms.
    await new Promise((resolve) => setTimeout(resolve, 250));
    await client.ok('attrs-get', {});
  });

  it('refuses a rate-limited ping as it refuses a bad one: an ack with ok:false naming its id', async () => {
    const client = await Client.open(server.url);
    for (let i = 1; i <= 25; i++) client.sendRaw(JSON.stringify({ v: 1, t: 'ping', id: i }));
    client.sendRaw(JSON.stringify({ v: 2, t: 'ping', id: 500 })); // a bad ping: refused whatever the rate
    await client.until(() => client.frames.length === 26, '26 answers');
    const refused = client.frames.filter((f) => f.t !== 'pong');
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const frame of refused) {
      expect(frame).toEqual({ v: 1, t: 'ack', id: expect.any(Number), ok: false, error: expect.any(Object) });
    }
    expect(
      refused.filter((f) => f.t === 'ack' && !f.ok && f.error.code === 'RATE_LIMITED').length,
    ).toBeGreaterThanOrEqual(2);
    expect(client.frames.some((f) => f.t === 'error')).toBe(false);
  });

  it('closes with 1008 when the flood goes on past twice the burst; others are unaffected', async () => {
    const { client: flooder } = await Client.join(server, 'flood2', 'flooder');
    const { client: calm } = await Client.join(server, 'flood2', 'calm');
    burst(flooder, 100, 1000);
    expect((await flooder.waitClose()).code).toBe(1008);
    // Refused frames are answered at once: `burst` of them before the close. Every admitted
    // request is answered too, before the close; the frame that broke the limit and the ones
    // after it are not (§8). So the answered ids are exactly the first ones sent, each once.
    const answered = acks(flooder).flatMap((f) => (f.t === 'ack' && f.id >= 1000 ? [f.id] : []));
    const limited = acks(flooder).filter((f) => f.t === 'ack' && !f.ok && f.error.code === 'RATE_LIMITED');
    // `burst` refusals in a row close it; a token refilled meanwhile can add a few more.
    expect(limited.length).toBeGreaterThanOrEqual(20);
    expect(answered.length).toBeLessThan(100);
    expect([...answered].sort((a, b) => a - b)).toEqual(
      answered.map((_, i) => 1000 + i).sort((a, b) => a - b),
    );
    expect(answered.length - limited.length).toBeGreaterThanOrEqual(1);
    expect(acks(flooder).every((f) => f.t !== 'ack' || f.ok || f.error.code === 'RATE_LIMITED')).toBe(true);
    await calm.ok('attrs-get', {});
    // The flooder's session waits out its grace window: calm sees it reconnecting, nothing else.
    expect(await calm.next('peer-reconnecting')).toMatchObject({ user: 'flooder' });
    await calm.sync();
    expect(calm.pushTypes()).toEqual(['peer-reconnecting']);
  });
});

describe('timeouts', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Timeouts long enough that a loaded machine's stalls (a few hundred ms) cannot fake a silence.
    server = await startTestServer({ heartbeatTimeout: 1200, joinTimeout: 1200, grace: 4000 });
  });
  afterAll(() => server.close());

  it('closes a joined connection silent for heartbeatTimeout with 4004, and the session can resume', async () => {
    const { client, ack } = await Client.join(server, 'hb', 'alice');
    expect(ack.mode !== 'resumed' && ack.heartbeat).toEqual({ interval: 400, timeout: 1200 });
    expect((await client.waitClose()).code).toBe(4004);
    const again = await Client.open(server.url);
    const resumed = await again.ok('join', {
      token: await token('hb', 'alice'),
      room: 'hb',
      user: 'alice',
      resume: { session: ack.session, seq: 0 },
    });
    expect(resumed.mode).toBe('resumed');
    again.close();
  });

  it('keeps a connection that pings alive past the timeout', async () => {
    const { client } = await Client.join(server, 'hb2', 'alice');
    const start = Date.now();
    while (Date.now() - start < 2500) {
      await client.sync();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(client.closeInfo).toBeUndefined();
    client.close();
  });

  it('closes a connection that does not join within joinTimeout with 4003, pings or not', async () => {
    const silent = await Client.open(server.url);
    const pinging = await Client.open(server.url);
    const timer = setInterval(() => void pinging.sync().catch(() => undefined), 50);
    try {
      expect((await silent.waitClose()).code).toBe(4003);
      expect((await pinging.waitClose()).code).toBe(4003);
    } finally {
      clearInterval(timer);
    }
  });

  it('a join after a refused join still counts: no 4003 once joined', async () => {
    const client = await Client.open(server.url);
    expect((await client.fail('join', { token: '', room: 'jt', user: 'u' })).code).toBe('TOKEN_MISSING');
    await client.ok('join', { token: await token('jt', 'u'), room: 'jt', user: 'u' });
    // Past the join timeout, the heartbeat keeps it: ping until then.
    const start = Date.now();
    while (Date.now() - start < 1800) {
      await client.sync();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(client.closeInfo).toBeUndefined();
    client.close();
  });
});
