/**
 * The `rxroom-server` command line, as a function of its arguments, environment and output, so it
 * can be tested in-process. `server/cli.ts` only wires it to `process`.
 *
 * ```
 * rxroom-server [--port 8080] [--host 127.0.0.1] [--secret S] … [--dev-tokens] [--log-level info]
 * rxroom-server token --room R --user U [--publish] [--no-subscribe] [--ttl 3600] [--secret S] [--app-id A]
 * rxroom-server --help | --version
 * ```
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { PROTOCOL_VERSION } from '../src/protocol';
import { startServer, type RunningServer } from './index';
import { DEFAULTS, DEV_SECRET, LOG_LEVELS, type LogLevel, type ServerOptions } from './options';
import { createToken, type CreateTokenOptions } from './tokens';

/** What the CLI touches of the outside world. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `handler` on the signal; returns a function that removes it. */
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): () => void;
  /** Ends the process at once (second signal during shutdown). */
  exit(code: number): void;
}

/** The result of {@link main}. */
export interface CliOutcome {
  /** Exit code for commands that end (help, token, errors). 0 while a server runs. */
  readonly exitCode: number;
  /** The server, for the serve command. */
  readonly server?: RunningServer;
  /** Closes the server as a signal would; resolves when it is closed. */
  readonly stop?: () => Promise<void>;
  /** Resolves once the server has been stopped (by a signal or {@link CliOutcome.stop}). */
  readonly stopped?: Promise<void>;
}

/** A command line the CLI could not accept. */
export class CliUsageError extends Error {}

type Kind = 'int' | 'string' | 'bool';

interface ServeFlag {
  readonly flag: string;
  readonly key: keyof ServerOptions;
  readonly kind: Kind;
  readonly help: string;
  readonly choices?: readonly string[];
}

/** Every server flag; the environment variable is `RXROOM_` + the flag in upper snake case. */
export const SERVE_FLAGS: readonly ServeFlag[] = [
  { flag: 'port', key: 'port', kind: 'int', help: `TCP port, 0 for any free port (${DEFAULTS.port})` },
  { flag: 'host', key: 'host', kind: 'string', help: `interface to listen on (${DEFAULTS.host})` },
  {
    flag: 'secret',
    key: 'secret',
    kind: 'string',
    help: 'HS256 token secret (a public dev secret, with a warning)',
  },
  { flag: 'app-id', key: 'appId', kind: 'string', help: `app id tokens must name (${DEFAULTS.appId})` },
  {
    flag: 'admin-secret',
    key: 'adminSecret',
    kind: 'string',
    help: 'Bearer secret of /admin (admin API off if unset)',
  },
  {
    flag: 'push-template',
    key: 'pushTemplate',
    kind: 'string',
    help: 'push URL template ({room} {user} {stream} {kind} {key} {token})',
  },
  {
    flag: 'play-template',
    key: 'playTemplate',
    kind: 'string',
    help: 'play URL template (same placeholders)',
  },
  {
    flag: 'media-token-ttl',
    key: 'mediaTokenTtl',
    kind: 'int',
    help: `media token lifetime, ms (${DEFAULTS.mediaTokenTtl})`,
  },
  {
    flag: 'media-hooks',
    key: 'mediaHooks',
    kind: 'bool',
    help: 'serve the nginx-rtmp hooks; stream state follows the media',
  },
  { flag: 'media-app', key: 'mediaApp', kind: 'string', help: `media application (${DEFAULTS.mediaApp})` },
  {
    flag: 'media-control',
    key: 'mediaControl',
    kind: 'string',
    help: 'nginx-rtmp control/stat base URL, e.g. http://127.0.0.1:8081',
  },
  {
    flag: 'media-lost-grace',
    key: 'mediaLostGrace',
    kind: 'int',
    help: `lost media before the stream is removed, ms (${DEFAULTS.mediaLostGrace})`,
  },
  {
    flag: 'max-visible',
    key: 'maxVisible',
    kind: 'int',
    help: `visible users per room (${DEFAULTS.maxVisible})`,
  },
  {
    flag: 'max-publishers',
    key: 'maxPublishers',
    kind: 'int',
    help: `publishers per room (${DEFAULTS.maxPublishers})`,
  },
  { flag: 'grace', key: 'grace', kind: 'int', help: `grace window for resume, ms (${DEFAULTS.grace})` },
  {
    flag: 'heartbeat-interval',
    key: 'heartbeatInterval',
    kind: 'int',
    help: `announced ping interval, ms (${DEFAULTS.heartbeatInterval})`,
  },
  {
    flag: 'heartbeat-timeout',
    key: 'heartbeatTimeout',
    kind: 'int',
    help: `silence before close 4004, ms (${DEFAULTS.heartbeatTimeout})`,
  },
  {
    flag: 'join-timeout',
    key: 'joinTimeout',
    kind: 'int',
    help: `time to join before close 4003, ms (${DEFAULTS.joinTimeout})`,
  },
  {
    flag: 'max-frame-bytes',
    key: 'maxFrameBytes',
    kind: 'int',
    help: `largest frame before close 1009 (${DEFAULTS.maxFrameBytes})`,
  },
  {
    flag: 'rate-limit',
    key: 'rateLimit',
    kind: 'int',
    help: `sustained frames/s per connection (${DEFAULTS.rateLimit})`,
  },
  {
    flag: 'rate-burst',
    key: 'rateBurst',
    kind: 'int',
    help: `burst of frames per connection (${DEFAULTS.rateBurst})`,
  },
  {
    flag: 'replay-buffer',
    key: 'replayBuffer',
    kind: 'int',
    help: `pushes kept per room for resume (${DEFAULTS.replayBuffer})`,
  },
  {
    flag: 'token-expiry-lead',
    key: 'tokenExpiryLead',
    kind: 'int',
    help: `token-expiring push this long before exp, ms (${DEFAULTS.tokenExpiryLead})`,
  },
  {
    flag: 'max-connections-per-ip',
    key: 'maxConnectionsPerIp',
    kind: 'int',
    help: `open sockets allowed per IP address, 0 = no limit (${DEFAULTS.maxConnectionsPerIp})`,
  },
  {
    flag: 'max-pending-per-ip',
    key: 'maxPendingPerIp',
    kind: 'int',
    help: `connections per IP address still sending their headers, 0 = no limit (${DEFAULTS.maxPendingPerIp})`,
  },
  {
    flag: 'headers-timeout',
    key: 'headersTimeout',
    kind: 'int',
    help: `ms a connection has to send its request headers, then 408 (${DEFAULTS.headersTimeout})`,
  },
  {
    flag: 'duplicate-user',
    key: 'duplicateUser',
    kind: 'string',
    choices: ['kick', 'refuse'],
    help: `same user joining twice: kick | refuse (${DEFAULTS.duplicateUser})`,
  },
  { flag: 'dev-tokens', key: 'devTokens', kind: 'bool', help: 'serve POST /dev/token (development only)' },
  {
    flag: 'redis',
    key: 'redis',
    kind: 'string',
    help: 'redis://host:port: keep rooms in Redis, as one node of a cluster (docs/deploy.md)',
  },
  {
    flag: 'redis-cluster',
    key: 'redisCluster',
    kind: 'bool',
    help: '--redis names one node of a Redis Cluster (Redis 7+)',
  },
  { flag: 'node-id', key: 'nodeId', kind: 'string', help: "this node's id in a cluster (random)" },
  {
    flag: 'node-ttl',
    key: 'nodeTtl',
    kind: 'int',
    help: `ms a silent node counts as alive before its rooms move (${DEFAULTS.nodeTtl})`,
  },
  { flag: 'log-level', key: 'logLevel', kind: 'string', choices: LOG_LEVELS, help: 'log level (info)' },
];

const envName = (flag: string) => `RXROOM_${flag.toUpperCase().replace(/-/g, '_')}`;

/** The `--help` text. */
export function usage(): string {
  const serve = SERVE_FLAGS.map((f) => {
    const arg = f.kind === 'bool' ? '' : f.kind === 'int' ? ' N' : ' S';
    return `  --${(f.flag + arg).padEnd(22)} ${f.help}\n  ${''.padEnd(24)} env ${envName(f.flag)}`;
  }).join('\n');
  return `rxroom-server: rxroom reference signaling server (protocol v${PROTOCOL_VERSION})

Usage:
  rxroom-server [options]          serve (prints the WebSocket URL)
  rxroom-server token --room R --user U [--publish] [--no-subscribe] [--ttl 3600]
                [--secret S] [--app-id A]
                                   print a join token
  rxroom-server --help | --version

Server options (a flag wins over its environment variable):
${serve}

SIGINT or SIGTERM closes every connection with 1000 and exits.
`;
}

function parseInt10(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new CliUsageError(`${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function parseBool(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off|)$/i.test(value)) return false;
  throw new CliUsageError(`${name} must be true or false, got "${value}"`);
}

/** A parsed command line. */
export type CliCommand =
  | { readonly command: 'serve'; readonly options: ServerOptions }
  | { readonly command: 'token'; readonly token: CreateTokenOptions }
  | { readonly command: 'help' }
  | { readonly command: 'version' };

function parseServe(argv: readonly string[], env: CliIo['env']): CliCommand {
  const spec: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const flag of INFO_FLAGS) spec[flag] = { type: 'boolean' };
  for (const f of SERVE_FLAGS) spec[f.flag] = { type: f.kind === 'bool' ? 'boolean' : 'string' };
  const { values } = parseArgs({ args: [...argv], options: spec, strict: true, allowPositionals: false });
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const options: Record<string, unknown> = {};
  for (const f of SERVE_FLAGS) {
    const flagValue = values[f.flag];
    const envValue = env[envName(f.flag)];
    let value: unknown;
    if (f.kind === 'bool') {
      if (flagValue === true) value = true;
      else if (envValue !== undefined) value = parseBool(envName(f.flag), envValue);
    } else {
      const raw = typeof flagValue === 'string' ? flagValue : envValue;
      const name = typeof flagValue === 'string' ? `--${f.flag}` : envName(f.flag);
      if (raw !== undefined) {
        if (f.choices && !f.choices.includes(raw)) {
          throw new CliUsageError(`${name} must be one of ${f.choices.join(', ')}, got "${raw}"`);
        }
        value = f.kind === 'int' ? parseInt10(name, raw) : raw;
      }
    }
    if (value !== undefined) options[f.key] = value;
  }
  // A command-line server talks to its operator: log at info unless told otherwise.
  options['logLevel'] ??= 'info';
  return { command: 'serve', options: options as ServerOptions };
}

/** The flags of `rxroom-server token`. */
export const TOKEN_FLAGS = {
  room: { type: 'string' },
  user: { type: 'string' },
  publish: { type: 'boolean' },
  'no-subscribe': { type: 'boolean' },
  ttl: { type: 'string' },
  secret: { type: 'string' },
  'app-id': { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** The flags that end at once instead of serving. */
export const INFO_FLAGS = ['help', 'version'] as const;

function parseToken(argv: readonly string[], env: CliIo['env']): CliCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: TOKEN_FLAGS,
  });
  if (values.help) return { command: 'help' };
  if (!values.room || !values.user) throw new CliUsageError('token needs --room and --user');
  const secret = values.secret ?? env[envName('secret')];
  const appId = values['app-id'] ?? env[envName('app-id')];
  return {
    command: 'token',
    token: {
      room: values.room,
      user: values.user,
      publish: values.publish ?? false,
      subscribe: !values['no-subscribe'],
      ttl: values.ttl === undefined ? 3600 : parseInt10('--ttl', values.ttl),
      secret: secret ?? DEV_SECRET,
      ...(appId === undefined ? {} : { appId }),
    },
  };
}

/**
 * Parses a command line (without `node` and the script). Throws {@link CliUsageError} for anything
 * it cannot accept, including unknown flags.
 */
export function parseCli(argv: readonly string[], env: CliIo['env'] = {}): CliCommand {
  try {
    return argv[0] === 'token' ? parseToken(argv.slice(1), env) : parseServe(argv, env);
  } catch (e) {
    if (e instanceof CliUsageError) throw e;
    // util.parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed flags.
    throw new CliUsageError(e instanceof Error ? e.message : String(e));
  }
}

/** What `token` says on stderr when it signs with the public development secret. */
export const DEV_SECRET_WARNING =
  'rxroom-server: warning: signing with the public development secret; a server started with ' +
  '--secret S refuses this token: pass the same --secret S (or RXROOM_SECRET)\n';

/**
 * rxroom's version, from its package.json: one folder up from this file in the sources
 * (server/) and in the build (dist-server/).
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the CLI. Never throws: failures are written to stderr and returned as an exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<CliOutcome> {
  let command: CliCommand;
  try {
    command = parseCli(argv, io.env);
  } catch (e) {
    io.stderr(`rxroom-server: ${e instanceof Error ? e.message : String(e)}\n\n${usage()}`);
    return { exitCode: 2 };
  }
  try {
    switch (command.command) {
      case 'help':
        io.stdout(usage());
        return { exitCode: 0 };
      case 'version':
        io.stdout(`rxroom-server ${packageVersion()} (protocol v${PROTOCOL_VERSION})\n`);
        return { exitCode: 0 };
      case 'token':
        if (command.token.secret === DEV_SECRET) io.stderr(DEV_SECRET_WARNING);
        io.stdout(`${await createToken(command.token)}\n`);
        return { exitCode: 0 };
      case 'serve':
        return await serve(command.options, io);
    }
  } catch (e) {
    io.stderr(`rxroom-server: ${e instanceof Error ? e.message : String(e)}\n`);
    return { exitCode: 1 };
  }
}

async function serve(options: ServerOptions, io: CliIo): Promise<CliOutcome> {
  const level: LogLevel = options.logLevel ?? 'info';
  // Logs go to stderr, so stdout carries only the URL line (scripts can read it).
  const logger = pino({ name: 'rxroom-server', level }, { write: (line: string) => io.stderr(line) });
  const server = await startServer({ ...options, logger });
  io.stdout(`rxroom-server listening on ${server.url} (http: ${server.httpUrl})\n`);
  let stopping: Promise<void> | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const removers: (() => void)[] = [];
  const stop = (): Promise<void> => {
    if (!stopping) {
      stopping = server.close().then(() => {
        for (const remove of removers) remove();
        resolveStopped();
      });
    }
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    removers.push(
      io.onSignal(signal, () => {
        if (stopping) {
          io.stderr(`rxroom-server: ${signal} again, exiting now\n`);
          io.exit(1);
          return;
        }
        io.stderr(`rxroom-server: ${signal}, closing\n`);
        void stop();
      }),
    );
  }
  return { exitCode: 0, server, stop, stopped };
}

/** The real process as a {@link CliIo}. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    onSignal: (signal, handler) => {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
    exit: (code) => process.exit(code),
  };
}
