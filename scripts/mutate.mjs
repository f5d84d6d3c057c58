// Runs Stryker on the named mutation targets (all when none is named), passing other arguments
// on: `node scripts/mutate.mjs reconnect diff`, `npm run mutate -- --mutate src/operators/reconnect.ts`.
// The targets and their test files are in stryker.config.mjs.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { targets } from '../stryker.config.mjs';

const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');
const args = process.argv.slice(2);
const names = args.filter((arg) => Object.hasOwn(targets, arg));
const rest = args.filter((arg) => !names.includes(arg));
const env = { ...process.env };
if (names.length > 0) env.MUTATE_TARGET = names.join(',');
const result = spawnSync(process.execPath, [bin, 'run', ...rest], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
