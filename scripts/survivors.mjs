// Lists the mutants a Stryker JSON report left alive: `node scripts/survivors.mjs reports/mutation/diff.json`.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  const lines = source.split('\n');
  for (const m of mutants) {
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    const { start } = m.location;
    console.log(
      `${file}:${start.line}:${start.column} ${m.status} ${m.mutatorName} ${JSON.stringify(m.replacement ?? '')}`,
    );
    console.log(`    ${lines[start.line - 1].trim()}`);
  }
}
