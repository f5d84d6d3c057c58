/**
 * Chaos convergence over a cluster (issue 18): a throwaway Redis, three rxroom-server node
 * processes behind one fault proxy acting as the load balancer, clients in two rooms doing random
 * things while the proxy injects faults, one node is SIGKILLed and another restarted. Then every
 * client must converge to the truth, which every live node's admin API must tell alike.
 * Needs redis-server (`.ci/run` installs it): without it the test fails, naming the install command.
 * `RXROOM_SOAK=1` runs many seeds for minutes each (RXROOM_SOAK_SEEDS, RXROOM_SOAK_MS).
 */
import { runChaosSeeds } from '../support/chaos';

const soak = process.env.RXROOM_SOAK === '1';
const seeds = soak ? Number(process.env.RXROOM_SOAK_SEEDS ?? 5) : 1;
const chaosMs = soak ? Number(process.env.RXROOM_SOAK_MS ?? 120_000) : 6000;
/** A kill, then a restart; in a soak more of both (a dead node is started again before the next kill). */
const disruptions = soak ? 6 : 2;

it(
  `a 3-node cluster converges to the truth after ${seeds} seeded chaos run(s) with a node killed and one restarted`,
  async () => {
    const results = await runChaosSeeds(seeds, {
      chaosMs,
      convergeMs: 30_000,
      restarts: disruptions,
      backend: 'cluster',
    });
    for (const r of results) {
      expect(r.mismatches).toEqual([]);
      expect(r.convergeMs).not.toBeNull();
      // CI: exactly one kill then one restart; a soak alternates more of them
      if (!soak) expect(r.disruptions.map((d) => d.split(' ')[0])).toEqual(['kill', 'restart']);
      expect(r.disruptions.some((d) => d.startsWith('kill '))).toBe(true);
      expect(r.faults.cuts! + r.faults.dropped! + r.faults.halfOpens!).toBeGreaterThan(0);
    }
  },
  soak ? seeds * (chaosMs + 90_000) : 120_000,
);
