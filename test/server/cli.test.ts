/**
 * The `rxroom-server` command line, run in-process through `main(argv, io)`.
 */
import { CliUsageError, DEV_SECRET_WARNING, main, parseCli, usage, type CliIo } from '../../server/cli-main';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rootPackage = require('../../package.json') as { version: string };
import { DEV_SECRET, verifyToken } from '../../server';
import { Client, closeClients, token } from './support';

afterEach(closeClients);

/** A fake process: collects output, records signal handlers and exit calls. */
function fakeIo(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const handlers = new Map<string, () => void>();
  const exits: number[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    onSignal: (signal, handler) => {
      handlers.set(signal, handler);
      return () => void handlers.delete(signal);
    },
    exit: (code) => void exits.push(code),
  };
  return { io, out, err, handlers, exits, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('parseCli', () => {
  it('serves with info logs and nothing else set by default', () => {
    expect(parseCli([])).toEqual({ command: 'serve', options: { logLevel: 'info' } });
  });

  it('reads every flag', () => {
    const argv = [
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--secret',
      's',
      '--app-id',
      'a',
      '--admin-secret',
      'x',
      '--push-template',
      'p/{stream}',
      '--play-template',
      'q/{stream}',
      '--media-token-ttl',
      '5000',
      '--max-visible',
      '5',
      '--max-publishers',
      '2',
      '--grace',
      '100',
      '--heartbeat-interval',
      '10',
      '--heartbeat-timeout',
      '50',
      '--join-timeout',
      '60',
      '--max-frame-bytes',
      '2048',
      '--rate-limit',
      '7',
      '--rate-burst',
      '9',
      '--replay-buffer',
      '3',
      '--duplicate-user',
      'refuse',
      '--dev-tokens',
      '--log-level',
      'debug',
    ];
    expect(parseCli(argv)).toEqual({
      command: 'serve',
      options: {
        port: 0,
        host: '0.0.0.0',
        secret: 's',
        appId: 'a',
        adminSecret: 'x',
        pushTemplate: 'p/{stream}',
        playTemplate: 'q/{stream}',
        mediaTokenTtl: 5000,
        maxVisible: 5,
        maxPublishers: 2,
        grace: 100,
        heartbeatInterval: 10,
        heartbeatTimeout: 50,
        joinTimeout: 60,
        maxFrameBytes: 2048,
        rateLimit: 7,
        rateBurst: 9,
        replayBuffer: 3,
        duplicateUser: 'refuse',
        devTokens: true,
        logLevel: 'debug',
      },
    });
  });

  it('reads RXROOM_* environment variables; flags win', () => {
    const env = {
      RXROOM_PORT: '9000',
      RXROOM_SECRET: 'env-secret',
      RXROOM_MAX_VISIBLE: '3',
      RXROOM_DEV_TOKENS: 'true',
      RXROOM_LOG_LEVEL: 'warn',
      RXROOM_ADMIN_SECRET: 'adm',
    };
    expect(parseCli(['--port', '9001'], env)).toEqual({
      command: 'serve',
      options: {
        port: 9001,
        secret: 'env-secret',
        maxVisible: 3,
        devTokens: true,
        logLevel: 'warn',
        adminSecret: 'adm',
      },
    });
    expect(parseCli([], { RXROOM_DEV_TOKENS: '0' })).toEqual({
      command: 'serve',
      options: { devTokens: false, logLevel: 'info' },
    });
  });

  it.each([
    [['--port', 'abc'], /--port must be a non-negative integer/],
    [['--port', '-1'], /--port/],
    [['--grace', '1.5'], /--grace/],
    [['--duplicate-user', 'maybe'], /kick, refuse/],
    [['--log-level', 'loud'], /log-level/],
    [['--bogus'], /bogus/],
    [['extra'], /extra/],
    [['token', '--room', 'r'], /--room and --user/],
    [['token', '--room', 'r', '--user', 'u', '--ttl', 'x'], /--ttl/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(CliUsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('refuses bad environment values, naming the variable', () => {
    expect(() => parseCli([], { RXROOM_PORT: 'x' })).toThrow(/RXROOM_PORT/);
    expect(() => parseCli([], { RXROOM_DEV_TOKENS: 'perhaps' })).toThrow(/RXROOM_DEV_TOKENS/);
  });

  it('parses the token command with its defaults', () => {
    expect(parseCli(['token', '--room', 'r', '--user', 'u'])).toEqual({
      command: 'token',
      token: { room: 'r', user: 'u', publish: false, subscribe: true, ttl: 3600, secret: DEV_SECRET },
    });
    expect(
      parseCli(
        [
          'token',
          '--room',
          'r',
          '--user',
          'u',
          '--publish',
          '--no-subscribe',
          '--ttl',
          '60',
          '--app-id',
          'a',
        ],
        {
          RXROOM_SECRET: 'from-env',
        },
      ),
    ).toEqual({
      command: 'token',
      token: {
        room: 'r',
        user: 'u',
        publish: true,
        subscribe: false,
        ttl: 60,
        secret: 'from-env',
        appId: 'a',
      },
    });
  });
});

describe('main', () => {
  it('--help prints the usage, every flag and its environment variable', async () => {
    const { io, stdout } = fakeIo();
    expect(await main(['--help'], io)).toEqual({ exitCode: 0 });
    expect(stdout()).toBe(usage());
    for (const flag of ['--port', '--admin-secret', '--dev-tokens', '--grace', '--max-publishers']) {
      expect(stdout()).toContain(flag);
    }
    expect(stdout()).toContain('RXROOM_MAX_VISIBLE');
    expect(stdout()).toContain('token --room R --user U');
  });

  it('--version prints the package version and the protocol version', async () => {
    const { io, stdout } = fakeIo();
    expect(await main(['--version'], io)).toEqual({ exitCode: 0 });
    expect(stdout()).toBe(`rxroom-server ${rootPackage.version} (protocol v1)\n`);
    expect(rootPackage.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('token warns on stderr when it signs with the development secret, and only then', async () => {
    const dev = fakeIo();
    expect(await main(['token', '--room', 'r', '--user', 'u'], dev.io)).toEqual({ exitCode: 0 });
    expect(dev.stderr()).toBe(DEV_SECRET_WARNING);
    expect(dev.stderr()).toContain('--secret S');
    await expect(verifyToken(dev.stdout().trim(), DEV_SECRET)).resolves.toMatchObject({ user: 'u' });

    const own = fakeIo({ RXROOM_SECRET: 'from-env' });
    expect(await main(['token', '--room', 'r', '--user', 'u'], own.io)).toEqual({ exitCode: 0 });
    const flag = fakeIo();
    expect(await main(['token', '--room', 'r', '--user', 'u', '--secret', 's'], flag.io)).toEqual({
      exitCode: 0,
    });
    expect([own.stderr(), flag.stderr()]).toEqual(['', '']);
  });

  it('exits 2 with the reason and the usage on stderr for a bad command line', async () => {
    const { io, stderr, stdout } = fakeIo();
    expect(await main(['--port', 'nine'], io)).toEqual({ exitCode: 2 });
    expect(stderr()).toMatch(/^rxroom-server: --port must be a non-negative integer/);
    expect(stderr()).toContain('Usage:');
    expect(stdout()).toBe('');
  });

  it('token prints a token with the asked privileges, signed with the given secret and app id', async () => {
    const { io, stdout } = fakeIo();
    const argv = [
      'token',
      '--room',
      'r1',
      '--user',
      'u1',
      '--publish',
      '--secret',
      'cli-secret',
      '--app-id',
      'app',
    ];
    expect(await main(argv, io)).toEqual({ exitCode: 0 });
    const claims = await verifyToken(stdout().trim(), 'cli-secret');
    expect(claims).toMatchObject({
      app: 'app',
      room: 'r1',
      user: 'u1',
      privileges: { publish: true, subscribe: true },
    });
    expect(claims.exp - (claims.iat as number)).toBe(3600);
  });

  it('token exits 1 for an id the protocol does not allow', async () => {
    const { io, stderr } = fakeIo();
    expect(await main(['token', '--room', 'a/b', '--user', 'u'], io)).toEqual({ exitCode: 1 });
    expect(stderr()).toMatch(/cannot create token/);
  });

  it('serves: prints the URL, accepts a token from the token command, closes on SIGTERM', async () => {
    const env = { RXROOM_PORT: '0', RXROOM_SECRET: 'cli-secret', RXROOM_LOG_LEVEL: 'silent' };
    const tokenRun = fakeIo(env);
    await main(['token', '--room', 'r', '--user', 'u', '--publish'], tokenRun.io);
    const { io, stdout, handlers } = fakeIo(env);
    const outcome = await main([], io);
    expect(outcome.exitCode).toBe(0);
    const server = outcome.server;
    if (!server || !outcome.stopped) throw new Error('no server');
    expect(stdout()).toBe(`rxroom-server listening on ${server.url} (http: ${server.httpUrl})\n`);
    const client = await Client.open(server.url);
    await client.ok('join', { token: tokenRun.stdout().trim(), room: 'r', user: 'u' });
    await client.ok('publish', { audio: true, video: true });
    expect([...handlers.keys()].sort()).toEqual(['SIGINT', 'SIGTERM']);
    handlers.get('SIGTERM')?.();
    await outcome.stopped;
    expect((await client.waitClose()).code).toBe(1000);
    expect(handlers.size).toBe(0);
  });

  it('exits at once on a second signal during shutdown', async () => {
    const { io, handlers, exits, stderr } = fakeIo({ RXROOM_LOG_LEVEL: 'silent' });
    const outcome = await main(['--port', '0', '--secret', 's'], io);
    const sigint = handlers.get('SIGINT');
    sigint?.();
    sigint?.();
    expect(exits).toEqual([1]);
    expect(stderr()).toMatch(/SIGINT again/);
    await outcome.stopped;
  });

  it('logs to stderr, as JSON lines', async () => {
    const { io, stderr } = fakeIo();
    const outcome = await main(['--port', '0', '--log-level', 'info'], io);
    await outcome.stop?.();
    const lines = stderr()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual([
      'using the public development token secret; set a secret before exposing this server',
      'listening',
      'closed',
    ]);
  });

  it('exits 1 when the port is taken', async () => {
    const first = await main(['--port', '0', '--log-level', 'silent'], fakeIo().io);
    const port = String(first.server?.port);
    const { io, stderr } = fakeIo();
    expect(await main(['--port', port, '--log-level', 'silent'], io)).toEqual({ exitCode: 1 });
    expect(stderr()).toMatch(/EADDRINUSE/);
    await first.stop?.();
  });

  it('exits 1 naming the URL when Redis cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const { io, stderr } = fakeIo();
    expect(
      await main(['--port', '0', '--redis', 'redis://127.0.0.1:1', '--log-level', 'silent'], io),
    ).toEqual({
      exitCode: 1,
    });
    expect(stderr()).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });

  it('a token for the wrong secret is refused by the served server', async () => {
    const outcome = await main(['--port', '0', '--secret', 'right', '--log-level', 'silent'], fakeIo().io);
    const server = outcome.server;
    if (!server) throw new Error('no server');
    const client = await Client.open(server.url);
    const error = await client.fail('join', {
      token: await token('r', 'u', { secret: 'wrong' }),
      room: 'r',
      user: 'u',
    });
    expect(error.code).toBe('TOKEN_INVALID');
    await outcome.stop?.();
  });
});
