#!/usr/bin/env node
// `npm run examples:pack`: gets the example mini programs to what a phone would load, as CI does
// on a clean clone: rxroom built (miniprogram_dist/), each example's own packages installed (its
// `rxroom` is a link to this repository), and WeChat's "build npm" run by miniprogram-ci
// (examples/miniprogram/scripts/build-npm.cjs) into each example's miniprogram_npm/.
//
//   node scripts/pack-examples.mjs            every step, always
//   node scripts/pack-examples.mjs --if-needed  only the steps whose output is missing or stale
//                                             (`npm test` runs this first)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { EXAMPLES, packedProblems } = require('./miniprogram-lookup.cjs');
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const ifNeeded = process.argv.includes('--if-needed');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const run = (what, command, args, cwd = repo) => {
  process.stdout.write(
    `== ${what}: ${[command, ...args].join(' ')}${cwd === repo ? '' : ` (in ${path.relative(repo, cwd)})`}\n`,
  );
  execFileSync(command, args, { cwd, stdio: 'inherit' });
};

if (ifNeeded && packedProblems().length === 0) process.exit(0);

if (!ifNeeded || packedProblems().some((p) => p.startsWith('miniprogram_dist/'))) {
  run('build rxroom', npm, ['run', 'build']);
}
for (const project of EXAMPLES) {
  // Installed: its link to rxroom is there, and every package it declares.
  const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8'));
  const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  const installed = declared.every((name) =>
    existsSync(path.join(project, 'node_modules', name, 'package.json')),
  );
  if (!ifNeeded || !installed) run('install', npm, ['install', '--no-audit', '--no-fund'], project);
}
run('build npm (miniprogram-ci)', process.execPath, [
  path.join(repo, 'examples/miniprogram/scripts/build-npm.cjs'),
  ...EXAMPLES,
]);
const problems = packedProblems();
if (problems.length > 0) {
  process.stderr.write(`still not usable:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
