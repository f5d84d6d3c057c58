/**
 * Chaos convergence (issue: reliability). CI runs a short version; `RXROOM_SOAK=1` runs many
 * seeds for minutes each (RXROOM_SOAK_SEEDS, RXROOM_SOAK_MS) and prints the figures.
 */
import { runChaos, type ChaosResult } from '../support/chaos';

const soak = process.env.RXROOM_SOAK === '1';
const seeds = soak ? Number(process.env.RXROOM_SOAK_SEEDS ?? 20) : 1;
const chaosMs = soak ? Number(process.env.RXROOM_SOAK_MS ?? 120_000) : 6000;

function summary(results: ChaosResult[]): string {
  const times = results.map((r) => r.convergeMs ?? Infinity).sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const total = (k: string) => results.reduce((n, r) => n + (r.faults[k] ?? 0), 0);
  return [
    `chaos: ${results.length} seed(s) × ${chaosMs} ms`,
    `faults: dropped ${total('dropped')}, duplicated ${total('duplicated')}, reordered ${total('reordered')}, corrupted ${total('corrupted')}, delayed ${total('delayed')}, cuts ${total('cuts')}, half-open ${total('halfOpens')}, server restarts ${results.reduce((n, r) => n + r.restarts, 0)}`,
    `actions ${results.reduce((n, r) => n + r.actions, 0)}, reconnects ${results.reduce((n, r) => n + r.reconnects, 0)}`,
    `time to converge: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${times[times.length - 1]} ms`,
    `state mismatches at the deadline: ${results.reduce((n, r) => n + r.mismatches.length, 0)}`,
  ].join('\n');
}

it(
  `converges to the server's truth after ${seeds} seeded chaos run(s)`,
  async () => {
    const results: ChaosResult[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const result = await runChaos({ seed, chaosMs, convergeMs: 20_000, restarts: soak ? 3 : 1 });
      results.push(result);
      if (result.mismatches.length)
        process.stdout.write(`seed ${seed} mismatches:\n  ${result.mismatches.join('\n  ')}\n`);
    }
    process.stdout.write(`${summary(results)}\n`);
    for (const r of results) {
      expect(r.mismatches).toEqual([]);
      expect(r.convergeMs).not.toBeNull();
      expect(r.restarts).toBeGreaterThan(0);
      expect(r.faults.cuts! + r.faults.dropped! + r.faults.halfOpens!).toBeGreaterThan(0);
    }
  },
  soak ? seeds * (chaosMs + 60_000) : 60_000,
);
