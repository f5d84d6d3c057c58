/**
 * The command line of `npm start` (examples/demo/main.ts): its flags, in one place, so the README
 * can be checked against them (test/docs/readme-flags.test.ts).
 */
import { parseArgs } from 'node:util';

/** Every flag `npm start -- …` takes, with what it does (printed by `--help`). */
export const DEMO_FLAGS = {
  forever: {
    type: 'boolean',
    default: false,
    help: 'keep the room running after the story (Ctrl-C ends it)',
  },
  port: {
    type: 'string',
    help: 'port of the server it starts (default: any free one; the example mini programs look at 8080)',
  },
  url: { type: 'string', help: 'use the rxroom server at this ws:// URL instead of starting one' },
  secret: { type: 'string', help: "with --url: that server's token secret (its --secret)" },
  'admin-secret': {
    type: 'string',
    help: "with --url: that server's admin secret, for the kick (its --admin-secret)",
  },
  plain: { type: 'boolean', default: false, help: 'line-by-line output (automatic when not on a terminal)' },
  pace: { type: 'string', help: 'pause between steps, ms (1500 live, 400 plain)' },
  media: {
    type: 'boolean',
    default: false,
    help: 'real media: nginx-rtmp and ffmpeg publishers (apt-get install nginx libnginx-mod-rtmp ffmpeg)',
  },
  help: { type: 'boolean', default: false, help: 'print this and exit' },
} as const;

/** The parsed command line. */
export type DemoArgs = ReturnType<typeof parseDemoArgs>;

/** Parses `npm start -- …`; throws (with Node's message) on an unknown flag. */
export function parseDemoArgs(argv: readonly string[]) {
  const options = Object.fromEntries(
    Object.entries(DEMO_FLAGS).map(([name, { help: _help, ...spec }]) => [name, spec]),
  ) as { [K in keyof typeof DEMO_FLAGS]: Omit<(typeof DEMO_FLAGS)[K], 'help'> };
  return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
}

/** The `--help` text. */
export function demoUsage(): string {
  const lines = Object.entries(DEMO_FLAGS).map(([name, f]) => {
    const arg = f.type === 'string' ? ({ pace: ' MS', url: ' URL', port: ' N' }[name] ?? ' S') : '';
    return `  --${(name + arg).padEnd(18)} ${f.help}`;
  });
  return `npm start -- [flags]: the rxroom demo (reference server + four clients on 127.0.0.1)\n\n${lines.join('\n')}\n`;
}
