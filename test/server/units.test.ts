/**
 * The server's small parts on their own: room replay log, rate limiter, URL templates, tokens,
 * option defaults.
 */
import { SignJWT } from 'jose';
import { RtcError } from '../../src/errors';
import { fillTemplate } from '../../server/media';
import { RateLimiter } from '../../server/rate-limit';
import { encodePush, numbered, RoomLog } from '../../server/replay';
import { encodeFrame, LIMITS, PROTOCOL_VERSION } from '../../src/protocol';
import { checkTokenMatch, createToken, resolveOptions, signToken, verifyToken } from '../../server';

describe('RoomLog', () => {
  const filled = (capacity: number, n: number) => {
    const log = new RoomLog(capacity);
    for (let i = 1; i <= n; i++) log.append(`p${i}`);
    return log;
  };

  it("returns a session's last n pushes, oldest first", () => {
    const log = filled(4, 3);
    expect(log.lastFor('s', 3)).toEqual(['p1', 'p2', 'p3']);
    expect(log.lastFor('s', 1)).toEqual(['p3']);
    expect(log.lastFor('s', 0)).toEqual([]);
  });

  it('keeps only the last `capacity` pushes of the room', () => {
    const log = filled(4, 10);
    expect(log.lastFor('s', 4)).toEqual(['p7', 'p8', 'p9', 'p10']);
    expect(log.lastFor('s', 5)).toBeUndefined();
    expect(log.lastFor('s', -1)).toBeUndefined();
  });

  it('with capacity 0 can only say that nothing was missed', () => {
    const log = filled(0, 5);
    expect(log.lastFor('s', 0)).toEqual([]);
    expect(log.lastFor('s', 1)).toBeUndefined();
  });

  it('counts for each session only the pushes addressed to it', () => {
    const log = new RoomLog(8);
    log.append('all');
    log.append('not-a', { except: 'a' });
    log.append('to-a', { to: 'a' });
    log.append('to-b', { to: 'b' });
    expect(log.lastFor('a', 2)).toEqual(['all', 'to-a']);
    expect(log.lastFor('b', 3)).toEqual(['all', 'not-a', 'to-b']);
    expect(log.lastFor('c', 2)).toEqual(['all', 'not-a']);
    expect(log.lastFor('c', 3)).toBeUndefined();
    // Pushes for others push a's out of the ring too: it is the room's log.
    for (let i = 0; i < 5; i++) log.append(`to-b-${i}`, { to: 'b' });
    expect(log.lastFor('a', 1)).toEqual(['to-a']);
    expect(log.lastFor('a', 2)).toBeUndefined();
  });

  it('encodes a push once, and each number makes the frame the encoder would have written', () => {
    const body = { t: 'message', from: 'a', name: 'n', content: 'x', private: false } as const;
    const tail = encodePush(body);
    for (const seq of [1, 42, Number.MAX_SAFE_INTEGER]) {
      expect(numbered(seq, tail)).toBe(encodeFrame({ v: PROTOCOL_VERSION, seq, ...body }));
    }
  });

  it('refuses a push too large for a frame whatever its number', () => {
    const content = 'x'.repeat(LIMITS.maxFrameBytes);
    expect(() => encodePush({ t: 'message', from: 'a', name: 'n', content, private: false })).toThrow(
      expect.objectContaining({ code: 'FRAME_TOO_LARGE' }),
    );
  });
});

describe('RateLimiter', () => {
  it('accepts a burst, rejects above it, closes after another burst of rejections', () => {
    let now = 0;
    const limiter = new RateLimiter(10, 5, () => now);
    const verdicts = Array.from({ length: 11 }, () => limiter.take());
    expect(verdicts).toEqual([...Array(5).fill('accept'), ...Array(5).fill('reject'), 'close']);
    now += 1000;
    expect(limiter.take()).toBe('accept');
  });

  it('refills at the sustained rate, up to the burst', () => {
    let now = 0;
    const limiter = new RateLimiter(10, 5, () => now);
    for (let i = 0; i < 5; i++) limiter.take();
    expect(limiter.take()).toBe('reject');
    now += 100; // one token
    expect(limiter.take()).toBe('accept');
    expect(limiter.take()).toBe('reject');
    now += 60_000; // capped at the burst
    expect(Array.from({ length: 6 }, () => limiter.take())).toEqual([...Array(5).fill('accept'), 'reject']);
  });

  it('a sender at the sustained rate is never refused', () => {
    let now = 0;
    const limiter = new RateLimiter(50, 100, () => now);
    for (let i = 0; i < 1000; i++) {
      now += 20;
      expect(limiter.take()).toBe('accept');
    }
  });
});

describe('fillTemplate', () => {
  const values = {
    room: 'r 1',
    user: 'a+b@c',
    kind: 'main',
    stream: 'a+b@c_main',
    key: 'k-1_Z',
    token: 'x.y.z',
  };

  it('replaces every placeholder, repeatedly, URI-encoded', () => {
    expect(fillTemplate('rtmp://h/{room}/{user}/{kind}/{stream}/{key}?t={token}&again={room}', values)).toBe(
      'rtmp://h/r%201/a%2Bb%40c/main/a%2Bb%40c_main/k-1_Z?t=x.y.z&again=r%201',
    );
  });

  it('leaves unknown braces alone', () => {
    expect(fillTemplate('{other}/{stream}', values)).toBe('{other}/a%2Bb%40c_main');
  });
});

describe('tokens', () => {
  const secret = 'unit-secret';
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    app: 'rxroom',
    room: 'r',
    user: 'u',
    exp: now + 60,
    privileges: { publish: true, subscribe: false },
  };
  const code = async (token: string) => {
    try {
      await verifyToken(token, secret);
      return 'ok';
    } catch (e) {
      return e instanceof RtcError ? e.code : `not an RtcError: ${String(e)}`;
    }
  };

  it('round-trips claims through signToken and verifyToken', async () => {
    expect(await verifyToken(await signToken(claims, secret), secret)).toEqual(claims);
  });

  it('maps every failure to its §9 code', async () => {
    expect(await code('')).toBe('TOKEN_MISSING');
    expect(await code('a.b.c')).toBe('TOKEN_INVALID');
    expect(await code(await signToken(claims, 'other'))).toBe('TOKEN_INVALID');
    expect(await code(await signToken({ ...claims, exp: now - 60 }, secret))).toBe('TOKEN_EXPIRED');
    expect(await code(await signToken({ ...claims, nbf: now + 60 }, secret))).toBe('TOKEN_NOT_YET_VALID');
    const badClaims = await new SignJWT({ ...claims, user: 'a/b' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
    expect(await code(badClaims)).toBe('TOKEN_INVALID');
    const wrongType = await new SignJWT({ ...claims, nbf: 'soon' } as Record<string, unknown>)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
    expect(await code(wrongType)).toBe('TOKEN_INVALID');
  });

  it('accepts only the exact HS256 form: canonical base64url, no extensions, an object payload', async () => {
    const good = await signToken(claims, secret);
    const [head, body, mac] = good.split('.') as [string, string, string];
    const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signed = async (header: Record<string, unknown>, payload: unknown) => {
      const h = enc(header);
      const p = enc(payload);
      const { createHmac } = await import('node:crypto');
      return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
    };
    expect(await code(await signed({ alg: 'HS256' }, claims))).toBe('ok');
    // The same MAC bytes spelled another way (padding, a stray character) are not the token signed.
    expect(await code(`${head}.${body}.${mac}=`)).toBe('TOKEN_INVALID');
    expect(await code(`${head}.${body}.${mac.slice(0, 10)}*${mac.slice(10)}`)).toBe('TOKEN_INVALID');
    expect(await code(`${head}.${body}.${mac}.x`)).toBe('TOKEN_INVALID');
    expect(await code(await signed({ alg: 'HS256', crit: ['b64'], b64: false }, claims))).toBe(
      'TOKEN_INVALID',
    );
    expect(await code(await signed({ alg: 'HS384' }, claims))).toBe('TOKEN_INVALID');
    expect(await code(await signed({ alg: 'HS256' }, [claims]))).toBe('TOKEN_INVALID');
    expect(await code(await signed({ alg: 'HS256' }, { ...claims, exp: String(now + 60) }))).toBe(
      'TOKEN_INVALID',
    );
    expect(await code(await signed({ alg: 'HS256' }, { ...claims, iat: 'now' }))).toBe('TOKEN_INVALID');
  });

  it('tolerates a few seconds of clock skew', async () => {
    expect(await code(await signToken({ ...claims, exp: now - 2 }, secret))).toBe('ok');
    expect(await code(await signToken({ ...claims, nbf: now + 2 }, secret))).toBe('ok');
  });

  it('checkTokenMatch names app, room and user mismatches', () => {
    const expectation = { appId: 'rxroom', room: 'r', user: 'u' };
    expect(checkTokenMatch(claims, expectation)).toBeUndefined();
    expect(checkTokenMatch(claims, { ...expectation, appId: 'x' })?.code).toBe('TOKEN_MISMATCH');
    expect(checkTokenMatch(claims, { ...expectation, room: 'x' })?.reason).toMatch(/room/);
    expect(checkTokenMatch(claims, { ...expectation, user: 'x' })?.reason).toMatch(/user/);
  });

  it('createToken defaults: dev secret, app rxroom, 1 h, subscribe only', async () => {
    const t = await createToken({ room: 'r', user: 'u', now: now * 1000 });
    const verified = await verifyToken(t, 'rxroom-dev-secret');
    expect(verified).toEqual({
      app: 'rxroom',
      room: 'r',
      user: 'u',
      iat: now,
      exp: now + 3600,
      privileges: { publish: false, subscribe: true },
    });
  });

  it('createToken refuses ids and ttls that can never work', async () => {
    await expect(createToken({ room: 'a:b', user: 'u' })).rejects.toThrow(RangeError);
    await expect(createToken({ room: 'r', user: 'u', ttl: 0 })).rejects.toThrow(/ttl/);
  });
});

describe('resolveOptions', () => {
  it('fills the documented defaults', () => {
    expect(resolveOptions()).toEqual({
      port: 8080,
      host: '127.0.0.1',
      secret: 'rxroom-dev-secret',
      defaultSecret: true,
      appId: 'rxroom',
      adminSecret: undefined,
      pushTemplate: 'rtmp://127.0.0.1/live/{key}?t={token}',
      playTemplate: 'rtmp://127.0.0.1/live/{key}?t={token}',
      mediaTokenTtl: 3_600_000,
      mediaHooks: false,
      mediaApp: 'live',
      mediaControl: undefined,
      mediaLostGrace: 10_000,
      maxVisible: 20,
      maxPublishers: 8,
      grace: 20_000,
      heartbeatInterval: 10_000,
      heartbeatTimeout: 30_000,
      joinTimeout: 10_000,
      maxConnectionsPerIp: 64,
      maxPendingPerIp: 16,
      headersTimeout: 5_000,
      maxFrameBytes: 65_536,
      rateLimit: 50,
      rateBurst: 100,
      replayBuffer: 256,
      tokenExpiryLead: 60_000,
      duplicateUser: 'kick',
      devTokens: false,
      redis: undefined,
      redisCluster: false,
      nodeId: expect.stringMatching(/^n-[0-9a-f]{12}$/),
      nodeTtl: 5000,
      logLevel: 'silent',
    });
  });

  it('derives a heartbeat interval that fits a short timeout', () => {
    expect(resolveOptions({ heartbeatTimeout: 300 })).toMatchObject({
      heartbeatInterval: 100,
      heartbeatTimeout: 300,
    });
  });

  it('treats an empty admin secret as none', () => {
    expect(resolveOptions({ adminSecret: '' }).adminSecret).toBeUndefined();
  });
});

describe('resolveOptions: cluster', () => {
  it('takes a redis:// or rediss:// URL and refuses anything else', () => {
    expect(resolveOptions({ redis: 'redis://127.0.0.1:6379' }).redis).toBe('redis://127.0.0.1:6379');
    expect(resolveOptions({ redis: 'rediss://cache.example:6380/2' }).redis).toBe(
      'rediss://cache.example:6380/2',
    );
    expect(resolveOptions({ redis: '' }).redis).toBeUndefined();
    expect(() => resolveOptions({ redis: 'http://127.0.0.1:6379' })).toThrow(
      /option redis must be a redis:\/\//,
    );
    expect(() => resolveOptions({ redis: '127.0.0.1:6379' })).toThrow(TypeError);
  });

  it('keeps a given node id, makes a random one otherwise, and refuses ids unfit for key names', () => {
    expect(resolveOptions({ nodeId: 'node-1.a_b' }).nodeId).toBe('node-1.a_b');
    expect(resolveOptions().nodeId).not.toBe(resolveOptions().nodeId);
    expect(() => resolveOptions({ nodeId: 'a:b' })).toThrow(/nodeId/);
    expect(() => resolveOptions({ nodeId: 'x'.repeat(65) })).toThrow(/nodeId/);
  });

  it('bounds the node TTL', () => {
    expect(resolveOptions({ nodeTtl: 1500 }).nodeTtl).toBe(1500);
    expect(() => resolveOptions({ nodeTtl: 100 })).toThrow(/nodeTtl/);
  });
});

describe('resolveOptions: Redis Cluster', () => {
  it('takes redisCluster with a seed URL only', () => {
    expect(resolveOptions({ redis: 'redis://127.0.0.1:7000', redisCluster: true }).redisCluster).toBe(true);
    expect(resolveOptions({ redis: 'redis://127.0.0.1:7000' }).redisCluster).toBe(false);
    expect(() => resolveOptions({ redisCluster: true })).toThrow(/redisCluster needs redis/);
  });
});
