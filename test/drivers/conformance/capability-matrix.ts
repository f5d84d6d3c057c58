/**
 * Reads the capability matrix of docs/drivers.md, so the suite checks that every driver declares
 * exactly what the documentation promises (and the documentation cannot drift from the tests).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Capability } from '../../../src/streams/command';

/** How the matrix marks a cell. */
export type Support = 'native' | 'added' | 'unsupported';

const MARKS: Record<string, Support> = { '✅': 'native', '➕': 'added', '❌': 'unsupported' };

/** The capability matrix: driver name → capability → support. */
export function capabilityMatrix(): Map<string, Map<Capability, Support>> {
  const text = readFileSync(join(__dirname, '../../../docs/drivers.md'), 'utf8');
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\|\s*Capability\s*\|/.test(l));
  if (header < 0) throw new Error('docs/drivers.md has no capability matrix');
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
  const drivers = cells(lines[header]!)
    .slice(1)
    .map((d) => d.replace(/`/g, ''));
  const matrix = new Map<string, Map<Capability, Support>>(drivers.map((d) => [d, new Map()]));
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [name, ...marks] = cells(line);
    const capability = name!.replace(/`/g, '') as Capability;
    marks.forEach((cell, i) => {
      const mark = [...Object.keys(MARKS)].find((m) => cell.startsWith(m));
      if (!mark) throw new Error(`docs/drivers.md: no mark for ${capability} / ${drivers[i]}: "${cell}"`);
      matrix.get(drivers[i]!)!.set(capability, MARKS[mark]!);
    });
  }
  return matrix;
}

/** The capabilities docs/drivers.md says `driver` has (native or added by rxroom). */
export function documentedCapabilities(driver: string): Set<Capability> {
  const row = capabilityMatrix().get(driver);
  if (!row) throw new Error(`docs/drivers.md has no column for ${driver}`);
  return new Set([...row].filter(([, s]) => s !== 'unsupported').map(([c]) => c));
}
