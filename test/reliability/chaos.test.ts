/**
 * Chaos convergence (issue: reliability). CI runs a short version; `RXROOM_SOAK=1` runs many
 * seeds for minutes each (RXROOM_SOAK_SEEDS, RXROOM_SOAK_MS) and prints the figures.
 */
import { runChaosSeeds } from '../support/chaos';

const soak = process.env.RXROOM_SOAK === '1';
const seeds = soak ? Number(process.env.RXROOM_SOAK_SEEDS ?? 20) : 1;
const chaosMs = soak ? Number(process.env.RXROOM_SOAK_MS ?? 120_000) : 6000;

it(
  `converges to the server's truth after ${seeds} seeded chaos run(s)`,
  async () => {
    const results = await runChaosSeeds(seeds, { chaosMs, convergeMs: 20_000, restarts: soak ? 3 : 1 });
    for (const r of results) {
      expect(r.mismatches).toEqual([]);
      expect(r.convergeMs).not.toBeNull();
      expect(r.restarts).toBeGreaterThan(0);
      expect(r.faults.cuts! + r.faults.dropped! + r.faults.halfOpens!).toBeGreaterThan(0);
    }
  },
  soak ? seeds * (chaosMs + 60_000) : 60_000,
);
