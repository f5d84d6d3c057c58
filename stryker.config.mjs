// @ts-check
/**
 * Mutation testing (StrykerJS) of the state core: `npm run mutate` (all targets) or
 * `npm run mutate:<target>`; see README.md, Development. Not part of CI's default run.
 *
 * Each target names the files it mutates and the only test files Jest runs for it, so a target
 * takes minutes. The targets come from MUTATE_TARGET (comma-separated names, set by
 * scripts/mutate.mjs) or, for `stryker run --mutate <file>`, from the file given.
 */
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const jestProjects = require('./jest.config.js');
/**
 * The SDK's project of jest.config.js (the other one runs the example mini programs over their
 * packed npm output, which mutants never reach), with the global test timeout.
 *
 * @type {import('jest').Config}
 */
const jestConfig = {
  ...jestProjects.projects.find((p) => p.displayName === 'rxroom'),
  testTimeout: jestProjects.testTimeout,
};

/** A .ts file that compiles to nothing (types and type re-exports only) has nothing to mutate. */
function hasCode(file) {
  const out = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2019 },
  }).outputText;
  return (
    out
      .replace(/\/\/.*$/gm, '')
      .replace(/export \{\};?/g, '')
      .trim() !== ''
  );
}

const protocolFiles = readdirSync('src/protocol')
  .filter((name) => name.endsWith('.ts'))
  .map((name) => `src/protocol/${name}`)
  .filter(hasCode);

/**
 * The property tests in test/properties are left out: thousands of runs each, on every mutant they
 * cover (nearly all), made a target take hours on two cores. The example tests must kill mutants.
 */
/** @type {Record<string, { mutate: string[], tests: string[] }>} */
export const targets = {
  reducer: {
    mutate: ['src/streams/reduce-room.ts'],
    tests: ['test/streams/reduce-room*.test.ts', 'test/streams/selectors.test.ts'],
  },
  codec: {
    mutate: protocolFiles,
    tests: ['test/protocol/*.test.ts'],
  },
  diff: {
    mutate: ['src/bindings/page/diff.ts'],
    tests: ['test/bindings/page/diff*.test.ts', 'test/bindings/page/split-paths.test.ts'],
  },
  reconnect: {
    mutate: ['src/operators/reconnect.ts', 'src/operators/reconnect-policy.ts'],
    tests: ['test/operators/reconnect*.test.ts'],
  },
};

/** The files given with `--mutate a.ts,b.ts` (or `-m`), if any. */
function mutateArgument() {
  const argv = process.argv;
  const at = argv.findIndex((arg) => arg === '--mutate' || arg === '-m');
  if (at !== -1 && argv[at + 1]) return argv[at + 1].split(',');
  const inline = argv.find((arg) => arg.startsWith('--mutate='));
  return inline ? inline.slice('--mutate='.length).split(',') : [];
}

function selectTargets() {
  const names = (process.env.MUTATE_TARGET ?? '').split(',').filter(Boolean);
  for (const name of names) {
    if (!(name in targets))
      throw new Error(`unknown mutation target "${name}": ${Object.keys(targets).join(', ')}`);
  }
  if (names.length > 0) return names;
  const files = mutateArgument().map((file) => file.replace(/:.*$/, '').replace(/^\.\//, ''));
  const named = Object.keys(targets).filter((name) => targets[name].mutate.some((f) => files.includes(f)));
  return named.length > 0 ? named : Object.keys(targets);
}

const selected = selectTargets();
const label = selected.length === Object.keys(targets).length ? 'all' : selected.join('+');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  coverageAnalysis: 'perTest',
  mutate: selected.flatMap((name) => targets[name].mutate),
  jest: {
    projectType: 'custom',
    enableFindRelatedTests: false,
    config: {
      ...jestConfig,
      transform: {
        ...jestConfig.transform,
        // Transpile only: a mutant is run, not type-checked (npm run typecheck does that), and
        // ts-jest's type-checking language service would make every run seconds slower.
        '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
      },
      testMatch: selected.flatMap((name) => targets[name].tests.map((glob) => `<rootDir>/${glob}`)),
    },
  },
  // Two shared cores: one Jest worker by default (MUTATE_CONCURRENCY=2 to use both).
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${label}.html` },
  jsonReporter: { fileName: `reports/mutation/${label}.json` },
  thresholds: { high: 90, low: 80, break: null },
  // One folder per target, so that targets can run side by side.
  ignorePatterns: ['/.stryker-tmp', '/reports'],
  tempDirName: `.stryker-tmp/${label}`,
  cleanTempDir: true,
};
