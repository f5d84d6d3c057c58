/**
 * Every flag the READMEs show on a command line is one that command takes: `npm start -- …` (the
 * demo, examples/demo/args.ts), `rxroom-server …` / `node dist-server/cli.cjs …` (the server) and
 * `rxroom-server token …` (server/cli-main.ts). Read from fenced blocks (with `\` continuations) and
 * inline code, so a renamed or removed flag fails here instead of failing a reader.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { DEMO_FLAGS } from '../../examples/demo/args';
import { INFO_FLAGS, SERVE_FLAGS, TOKEN_FLAGS } from '../../server/cli-main';

const ROOT = path.join(__dirname, '../..');

/** README*.md files under a folder of the repository (installed packages left out). */
function readmesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'miniprogram_npm'].includes(entry.name) ? [] : readmesUnder(file);
    }
    return /^README(\.[\w-]+)?\.md$/.test(entry.name) ? [file] : [];
  });
}

/** The READMEs: the repository's, its translation, and those of the examples and the server. */
const READMES = [
  'README.md',
  'README.zh-CN.md',
  ...['examples', 'server'].flatMap((dir) => readmesUnder(dir)),
].filter((f) => existsSync(path.join(ROOT, f)));

/** The commands, each with the flags it takes. */
const COMMANDS: readonly { readonly name: string; readonly pattern: RegExp; readonly flags: Set<string> }[] =
  [
    { name: 'npm start', pattern: /\bnpm start\b(?: --)?/, flags: new Set(Object.keys(DEMO_FLAGS)) },
    {
      name: 'rxroom-server token',
      pattern: /(?:\brxroom-server|dist-server\/cli\.cjs) token\b/,
      flags: new Set(Object.keys(TOKEN_FLAGS)),
    },
    {
      name: 'rxroom-server',
      pattern: /(?:\brxroom-server|dist-server\/cli\.cjs)(?! token\b)/,
      flags: new Set([...SERVE_FLAGS.map((f) => f.flag), ...INFO_FLAGS]),
    },
  ];

/** Code as the README shows it: fenced blocks (continued lines joined) and inline code spans. */
export function codeOf(markdown: string): string[] {
  const pieces: string[] = [];
  const fenced = /^```[^\n]*\n([\s\S]*?)^```/gm;
  for (const block of markdown.matchAll(fenced)) {
    pieces.push(...block[1]!.replace(/\\\n\s*/g, ' ').split('\n'));
  }
  const prose = markdown.replace(fenced, '');
  for (const span of prose.matchAll(/`([^`\n]+)`/g)) pieces.push(span[1]!);
  return pieces;
}

/** Each command line in `code`: which command, and the flags written after it. */
export function invocations(code: string): { command: string; flags: string[] }[] {
  const found: { command: string; flags: string[] }[] = [];
  // A shell comment, `&&`, `|` or `;` ends a command.
  for (const part of code.split(/\s#|&&|\|\|?|;/)) {
    const command = COMMANDS.find((c) => c.pattern.test(part));
    if (!command) continue;
    const rest = part.slice(part.search(command.pattern)).replace(command.pattern, '');
    const flags = [...rest.matchAll(/(?:^|\s|\[)--([a-z][\w-]*)/g)].map((m) => m[1]!);
    found.push({ command: command.name, flags });
  }
  return found;
}

/** Flags the READMEs show that their command does not take, as `file: command --flag`. */
export function unknownFlags(files: readonly string[], read: (file: string) => string): string[] {
  const bad: string[] = [];
  for (const file of files) {
    for (const code of codeOf(read(file))) {
      for (const { command, flags } of invocations(code)) {
        const known = COMMANDS.find((c) => c.name === command)!.flags;
        for (const flag of flags) if (!known.has(flag)) bad.push(`${file}: ${command} --${flag}`);
      }
    }
  }
  return bad;
}

const readRepo = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('flags in the READMEs', () => {
  it('reads the READMEs of the repository, its translation, the examples and the server', () => {
    expect(READMES).toEqual(
      expect.arrayContaining(['README.md', 'README.zh-CN.md', 'examples/miniprogram/README.md']),
    );
  });

  it('are all taken by their command', () => {
    expect(unknownFlags(READMES, readRepo)).toEqual([]);
  });

  it('include the ones a reader needs (so the check above read something)', () => {
    const seen = new Set(
      READMES.flatMap((f) => codeOf(readRepo(f)).flatMap(invocations)).flatMap((i) =>
        i.flags.map((flag) => `${i.command} --${flag}`),
      ),
    );
    for (const expected of [
      'npm start --forever',
      'npm start --url',
      'npm start --secret',
      'npm start --admin-secret',
      'npm start --media',
      'rxroom-server --secret',
      'rxroom-server --dev-tokens',
      'rxroom-server --version',
      'rxroom-server token --room',
    ]) {
      expect(seen).toContain(expected);
    }
  });

  it('names a flag no command takes (the check can fail)', () => {
    const markdown = [
      'Run `npm start -- --forever --colour`.',
      '```sh',
      'npx rxroom-server --port 8080 \\',
      '  --secrte s   # typo',
      'rxroom-server token --room r --user u --publsh',
      '```',
    ].join('\n');
    expect(unknownFlags(['fake.md'], () => markdown)).toEqual([
      'fake.md: rxroom-server --secrte',
      'fake.md: rxroom-server token --publsh',
      'fake.md: npm start --colour',
    ]);
  });
});
