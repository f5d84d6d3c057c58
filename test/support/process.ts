/**
 * Processes started by tests (redis-server, rxroom-server nodes): their stdout read line by line
 * (a server says it is ready there), their stderr kept for failure messages, and their end as a
 * promise. Every process is stopped by its own handle (its PID), never by name; the ones a test
 * run leaves behind (a test that timed out) are SIGKILLed when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A process started by {@link startProcess}. */
export interface TestProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves once the process ended. */
  readonly exited: Promise<Exit>;
  /** True once it ended. */
  done(): boolean;
  /** The last 16 kB of stderr (and of stdout lines that were not waited for). */
  output(): string;
  /**
   * Resolves with the first stdout line matching `pattern` (lines already read count); rejects
   * when the process ends first or after `ms`, with its output in the message.
   */
  line(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Sends `signal` (no-op once it ended) and waits for the end. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Every process started here that has not ended yet. */
const running = new Set<ChildProcess>();
let exitHook = false;

/** Starts `command`; its stderr is echoed to ours as it comes when `echo` is true. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean; name?: string } = {},
): TestProcess {
  if (!exitHook) {
    exitHook = true;
    // The last resort for a run that ends without its afterAll (a timeout, a crash).
    process.once('exit', () => {
      for (const child of running) child.kill('SIGKILL');
    });
  }
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${command} did not start`);
  const pid = child.pid;
  const name = options.name ?? command;
  running.add(child);
  let tail = '';
  const keep = (text: string) => {
    tail = (tail + text).slice(-16_000);
  };
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(text);
    keep(`${text}\n`);
    for (const w of [...waiters]) w();
  });
  child.stderr!.on('data', (d: Buffer) => {
    keep(d.toString());
    if (options.echo) process.stderr.write(`[${name}] ${d.toString()}`);
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      running.delete(child);
      for (const w of [...waiters]) w();
      resolve({ code, signal });
    });
  });
  return {
    pid,
    child,
    exited,
    done: () => ended,
    output: () => tail,
    line(pattern, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${name} (pid ${pid}) printed no line like ${pattern} in ${ms} ms:\n${tail}`));
        }, ms);
        const check = () => {
          for (const text of lines) {
            const m = pattern.exec(text);
            if (m) {
              clearTimeout(timer);
              waiters.delete(check);
              resolve(m);
              return;
            }
          }
          if (ended) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`${name} (pid ${pid}) ended before printing ${pattern}:\n${tail}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      // Through the handle: once it has exited this is a no-op, never a signal to a reused PID.
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}
