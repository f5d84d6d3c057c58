/**
 * `npm start` as a person runs it (examples/demo/start.mjs, line mode): something on the screen
 * first, the whole story, and a last line that says it finished. The process is the test's own,
 * stopped by its PID if it is still running at the end.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

it('prints a first line before anything else, plays the story, and ends saying it finished', async () => {
  const child = spawn(process.execPath, [path.join(__dirname, 'start.mjs'), '--plain', '--pace', '20'], {
    cwd: path.join(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
  try {
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const lines = out.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toBe('rxroom demo: starting the reference server and four clients on 127.0.0.1…');
    expect(lines).toContain('[milestone] done: the end');
    expect(lines.at(-1)).toBe(
      '✔ rxroom demo finished: 12 of 12 steps done. `npm start -- --forever` keeps the room open.',
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 120_000);

it('--help lists every flag and starts nothing', async () => {
  const child = spawn(process.execPath, [path.join(__dirname, 'start.mjs'), '--help'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  try {
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
    for (const flag of ['--forever', '--url', '--secret', '--admin-secret', '--plain', '--pace', '--media']) {
      expect(out).toContain(`  ${flag}`);
    }
    expect(out).not.toContain('rxroom demo: starting');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 60_000);
