/**
 * What a server process costs, asked over IPC by the load generator: heap after GC, RSS and CPU
 * time. Used by the forked bench servers (bench/sections/server-limit.ts) and, through
 * bench/lib/usage-probe.ts, by servers started from their command line.
 */

export interface Usage {
  readonly heapUsed: number;
  readonly rss: number;
  /** process.cpuUsage() user + system, µs. */
  readonly cpuUs: number;
}

/** This process's usage, after two full GCs when `--expose-gc` is on. */
export function usage(): Usage {
  const g = globalThis as { gc?: () => void };
  g.gc?.();
  g.gc?.();
  const m = process.memoryUsage();
  const c = process.cpuUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, cpuUs: c.user + c.system };
}

/** Answers every `usage` message from the parent with `{ usage }`. */
export function answerUsage(): void {
  process.on('message', (msg) => {
    if (msg === 'usage') process.send?.({ usage: usage() });
  });
}
