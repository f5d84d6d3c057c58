/**
 * `npm run bench`: every benchmark of issue 9, one table, bench/results.json and
 * docs/performance.md.
 *
 *   tsx bench/run.ts            the full run (writes both files; the docs only if no section failed)
 *   tsx bench/run.ts --quick    fewer rounds and runs; writes bench/results.json only
 *   tsx bench/run.ts --only=setdata,bundle   some sections; writes bench/results.json only
 *   tsx bench/run.ts --render   the table and docs/performance.md again from bench/results.json
 *   tsx bench/run.ts --only=media --merge   re-measure some sections and merge them into the
 *                               full run in bench/results.json (docs/performance.md names them and
 *                               their date; for a section added after the last full run)
 *
 * Each section runs in its own child process, one after another (never in parallel: they would
 * share the 2 cores), so heap figures and JIT state of one cannot leak into another. Each has a
 * watchdog; a section that fails or times out is reported as such and the run goes on. Everything
 * talks to 127.0.0.1 only, and every loop is bounded.
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineInfo, renderConsole, renderMarkdown, summaryRows, type Results } from './report';

const ROOT = join(__dirname, '..');
const SECTIONS = [
  'setdata',
  'signaling',
  'bundle',
  'recovery',
  'server',
  'limit',
  'cluster',
  'media',
] as const;
type Section = (typeof SECTIONS)[number];

/** Generous per-section limits; the whole run is expected to take about 4 minutes. */
const LIMIT_MS: Record<Section, number> = {
  setdata: 120_000,
  signaling: 180_000,
  bundle: 150_000,
  recovery: 150_000,
  server: 120_000,
  limit: 360_000,
  cluster: 300_000,
  media: 240_000,
};

async function runSection(name: Section, quick: boolean): Promise<unknown> {
  switch (name) {
    case 'setdata': {
      const { runSetData } = await import('./sections/setdata');
      return runSetData();
    }
    case 'signaling': {
      const { runSignaling } = await import('./sections/signaling');
      return runSignaling({ quick });
    }
    case 'bundle': {
      const { runBundle } = await import('./sections/bundle');
      return runBundle();
    }
    case 'recovery': {
      const { runReconnect, runLeaks } = await import('./sections/recovery');
      const reconnect = await runReconnect(quick ? 10 : 50);
      const leaks = await runLeaks(quick ? 200 : 1000);
      return { reconnect, leaks };
    }
    case 'server': {
      const { runServerLoad } = await import('./sections/server-load');
      return runServerLoad(__filename, process.execArgv);
    }
    case 'limit': {
      const { runServerLimit } = await import('./sections/server-limit');
      return runServerLimit(__filename, process.execArgv);
    }
    case 'cluster': {
      const { runServerCluster } = await import('./sections/server-cluster');
      return runServerCluster(__filename, process.execArgv);
    }
    case 'media': {
      const { runMedia } = await import('./sections/media');
      return runMedia(quick ? 3 : 10, 2, quick ? 3000 : 10_000);
    }
  }
}

/** Runs one section in a child process; resolves with its result or an error description. */
function inChild(
  name: Section,
  quick: boolean,
): Promise<{ ok: true; result: unknown; ms: number } | { ok: false; error: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = fork(__filename, ['--section', name, ...(quick ? ['--quick'] : [])], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const finish = (value: { ok: true; result: unknown } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      resolve({ ...value, ms: Math.round(performance.now() - started) });
    };
    const watchdog = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, error: `timed out after ${LIMIT_MS[name] / 1000} s` });
    }, LIMIT_MS[name]);
    child.on('message', (msg: { result?: unknown; error?: string }) => {
      if (msg.error !== undefined) finish({ ok: false, error: msg.error });
      else finish({ ok: true, result: msg.result });
    });
    child.on('exit', (code) => finish({ ok: false, error: `exited with code ${code} before reporting` }));
  });
}

async function child(): Promise<void> {
  const name = process.argv[process.argv.indexOf('--section') + 1] as Section;
  const quick = process.argv.includes('--quick');
  let message: { result?: unknown; error?: string };
  try {
    message = { result: await runSection(name, quick) };
  } catch (e) {
    message = { error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
  // Once the message is out, end whatever is left (sockets, timers) for sure.
  process.send?.(message, undefined, undefined, () => process.exit(0));
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const onlyArg = process.argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? (onlyArg.slice('--only='.length).split(',') as Section[]) : [...SECTIONS];
  for (const s of only)
    if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s}; known: ${SECTIONS.join(', ')}`);
  const merge = process.argv.includes('--merge');
  if (merge && (quick || only.length === SECTIONS.length)) {
    throw new Error('--merge re-measures some sections (--only=…) at full length (no --quick)');
  }
  const full = !quick && only.length === SECTIONS.length;

  const started = performance.now();
  const startedAt = new Date().toISOString();
  const machine = machineInfo(ROOT);
  const results: Results = merge
    ? (JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8')) as Results)
    : { startedAt, machine, mode: quick ? 'quick' : 'full', sections: {}, durationsMs: {}, errors: {} };
  if (merge && results.mode !== 'full') throw new Error('--merge needs a full run in bench/results.json');
  for (const name of only) {
    process.stdout.write(`bench: ${name}…`);
    const r = await inChild(name, quick);
    results.durationsMs[name] = r.ms;
    delete results.errors[name];
    delete results.sections[name];
    if (r.ok) results.sections[name] = r.result;
    else results.errors[name] = r.error;
    if (merge) (results.merged ??= {})[name] = { at: startedAt, cpu: machine.cpu, commit: machine.commit };
    process.stdout.write(
      r.ok ? ` done in ${(r.ms / 1000).toFixed(1)} s\n` : ` FAILED (${r.error.split('\n')[0]})\n`,
    );
  }
  if (!merge) results.totalMs = Math.round(performance.now() - started);
  results.summary = summaryRows(results);

  console.log(`\n${renderConsole(results)}`);
  writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results.json');
  const failed = Object.keys(results.errors);
  const complete = SECTIONS.every((name) => name in results.sections);
  if ((full || (merge && complete)) && failed.length === 0 && Object.keys(results.errors).length === 0) {
    writeFileSync(join(ROOT, 'docs/performance.md'), renderMarkdown(results));
    console.log('wrote docs/performance.md');
  } else {
    console.log(
      `docs/performance.md left as it is (${failed.length ? `${failed.join(', ')} failed` : 'only a complete full run writes it'})`,
    );
  }
  process.exitCode = Object.keys(results.errors).length > 0 ? 1 : 0;
}

/** Re-renders the table and docs/performance.md from bench/results.json (after editing report.ts). */
function render(): void {
  const results = JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8')) as Results;
  results.summary = summaryRows(results);
  console.log(renderConsole(results));
  if (
    results.mode === 'full' &&
    Object.keys(results.sections).length === SECTIONS.length &&
    Object.keys(results.errors).length === 0
  ) {
    writeFileSync(join(ROOT, 'docs/performance.md'), renderMarkdown(results));
    console.log('wrote docs/performance.md');
  }
}

if (process.argv.includes('--render')) {
  render();
} else if (process.argv.includes('--server-child')) {
  void import('./sections/server-load').then((m) => m.serveChild());
} else if (process.argv.some((a) => a.startsWith('--limit-child='))) {
  const kind = process.argv.find((a) => a.startsWith('--limit-child='))!.slice('--limit-child='.length);
  void import('./sections/server-limit').then((m) => m.serveLimitChild(kind as 'bare' | 'rxroom'));
} else if (process.argv.includes('--section')) {
  void child();
} else {
  void main();
}
