// Builds three things (see docs/building.md):
//  1. dist/            the npm package: ESM + CJS + bundled .d.ts, one pair per entry point
//  2. miniprogram_dist/ what WeChat's "build npm" copies: CommonJS, no Node built-ins,
//                      valibot tree-shaken in, rxjs left to the mini program's own npm build
//  3. dist-server/      the reference server and its CLI (`rxroom-server`), Node only
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';
import terser from '@rollup/plugin-terser';
import tsCompiler from 'typescript';

// Every build starts from empty output folders: a file an earlier build wrote and this one no
// longer does (a helper chunk, say) would otherwise ship in miniprogram_dist and dist.
if (!process.env.ROLLUP_WATCH) {
  for (const dir of ['dist', 'miniprogram_dist', 'dist-server'])
    rmSync(dir, { recursive: true, force: true });
}

const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')));
const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Entry points of the npm package. Vendor drivers add theirs here. */
const entries = {
  index: 'src/index.ts',
  node: 'src/node.ts',
  // One per vendor driver, so a page bundles only the one it uses (docs/drivers.md).
  'drivers/trtc': 'src/bindings/drivers/trtc.ts',
  'drivers/volcengine': 'src/bindings/drivers/volcengine.ts',
  'drivers/agora': 'src/bindings/drivers/agora.ts',
  'drivers/rongcloud': 'src/bindings/drivers/rongcloud.ts',
  'drivers/kit': 'src/bindings/drivers/kit/index.ts',
};

const isExternal = (list) => (id) =>
  list.some((d) => id === d || id.startsWith(`${d}/`)) || nodeBuiltins.has(id);

/** Fails the build when the mini program bundle would import a Node built-in or Node-only package. */
function miniProgramSafe(nodeOnly) {
  return {
    name: 'rxroom-miniprogram-safe',
    resolveId(source, importer) {
      if (nodeBuiltins.has(source) || nodeOnly.includes(source)) {
        this.error(`"${source}" is Node-only and must not reach miniprogram_dist (imported by ${importer})`);
      }
      return null;
    },
  };
}

/**
 * Custom components: every `src/components/<name>/index.ts` is an entry of the component build, so
 * it compiles to `miniprogram_dist/components/<name>/index.js` (what `usingComponents` points at).
 */
function componentEntries(root = 'src/components') {
  if (!existsSync(root)) return {};
  return Object.fromEntries(
    readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'index.ts')))
      .map((name) => [`components/${name}/index`, join(root, name, 'index.ts')]),
  );
}

const sdkIndex = resolve('src/index.ts');

/**
 * Components reach the SDK only through `src/index.ts`, which the component build leaves external
 * (rendered as `require('../../index.js')`), so the SDK is never copied into a component. This
 * fails the build when a component imports an SDK module directly, which would copy it.
 */
function componentsUseIndex(allowed) {
  const src = resolve('src') + sep;
  const components = resolve('src/components') + sep;
  return {
    name: 'rxroom-components-use-index',
    load(id) {
      if (id.startsWith(src) && !id.startsWith(components) && id !== sdkIndex && !allowed.includes(id)) {
        this.error(`${id} would be copied into the components: import it from src/index.ts instead`);
      }
      return null;
    },
  };
}

/** Copies custom components (src/components/<name>/*.{json,wxml,wxss}) next to their compiled .js. */
function copyComponentAssets(root = 'src/components') {
  return {
    name: 'rxroom-component-assets',
    writeBundle(output) {
      if (!existsSync(root)) return;
      const outDir = output.dir ?? 'miniprogram_dist';
      for (const name of readdirSync(root)) {
        const dir = join(root, name);
        if (!statSync(dir).isDirectory()) continue;
        for (const file of readdirSync(dir)) {
          if (!/\.(json|wxml|wxss)$/.test(file)) continue;
          mkdirSync(join(outDir, 'components', name), { recursive: true });
          cpSync(join(dir, file), join(outDir, 'components', name, file));
        }
      }
    },
  };
}

const ts = (tsconfig = 'tsconfig.build.json', extra = {}) =>
  typescript({ tsconfig, noEmitOnError: true, ...extra });

/**
 * The newest ECMAScript syntax miniprogram_dist may contain (older WeChat clients parse no more);
 * `.ci/run` checks it with scripts/check-syntax.cjs.
 */
export const MINIPROGRAM_ECMA = 2017;

/**
 * Bundled dependencies (valibot) ship newer syntax (`?.`, `??`, object spread) than the mini
 * program target: compile their JavaScript down to it, as our own TypeScript is.
 */
function downlevelDependencies() {
  return {
    name: 'rxroom-downlevel-dependencies',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]/.test(id) || !/\.[cm]?js$/.test(id)) return null;
      const out = tsCompiler.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          allowJs: true,
          target: tsCompiler.ScriptTarget[`ES${MINIPROGRAM_ECMA}`],
          module: tsCompiler.ModuleKind.ESNext,
          sourceMap: false,
        },
      });
      return { code: out.outputText, map: null };
    },
  };
}

const miniprogramOutput = {
  dir: 'miniprogram_dist',
  format: 'cjs',
  exports: 'named',
  generatedCode: 'es2015',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name].js',
};
const miniprogramPlugins = (...extra) => [
  miniProgramSafe(['ws', 'jose', 'pino']),
  ...extra,
  nodeResolve({ browser: true }),
  downlevelDependencies(),
  ts('tsconfig.build.json', { sourceMap: false, target: `ES${MINIPROGRAM_ECMA}` }),
  // Mini programs pay for every byte of the main package (2 MB cap): ship it minified.
  terser({ ecma: MINIPROGRAM_ECMA, module: false, compress: { passes: 2 } }),
];

/**
 * 2. WeChat build npm: the SDK (`index.js`, what `require('rxroom')` loads) and the custom
 * components, which `require` it. Exported by name as well, so the component tests can build it
 * into a scratch directory (test/components/support/build-miniprogram.mjs).
 */
export const miniprogramConfig = [
  {
    // The SDK and the vendor drivers (`require('rxroom/drivers/trtc')`), sharing their code in chunks/.
    input: Object.fromEntries(Object.entries(entries).filter(([name]) => name !== 'node')),
    external: (id) => id === 'rxjs' || id.startsWith('rxjs/'),
    plugins: miniprogramPlugins(),
    // The SDK's shared code goes to lib/, the components' to chunks/.
    output: { ...miniprogramOutput, chunkFileNames: 'lib/[name].js' },
  },
  {
    input: componentEntries(),
    external: (id) => id === 'rxjs' || id.startsWith('rxjs/') || id === sdkIndex,
    plugins: [
      ...miniprogramPlugins(componentsUseIndex([resolve('src/bindings/wx-context.ts')])),
      copyComponentAssets(),
    ],
    output: {
      ...miniprogramOutput,
      // Rendered relative to each output file: ../../index.js from a component, ../index.js from chunks/.
      paths: { [sdkIndex]: 'index.js' },
      // What several components share (the registry wiring, wx contexts) is one file.
      manualChunks: (id) =>
        /[\\/]src[\\/](components[\\/]shared|bindings)[\\/]/.test(id) ? 'components-shared' : undefined,
    },
  },
];

export default [
  // 1. npm package
  {
    input: entries,
    external: isExternal([...deps, 'ws']),
    plugins: [ts()],
    output: [
      {
        dir: 'dist',
        format: 'es',
        entryFileNames: '[name].mjs',
        chunkFileNames: 'chunks/[name]-[hash].mjs',
        sourcemap: true,
      },
      {
        dir: 'dist',
        format: 'cjs',
        entryFileNames: '[name].cjs',
        chunkFileNames: 'chunks/[name]-[hash].cjs',
        sourcemap: true,
        exports: 'named',
      },
    ],
  },
  {
    input: entries,
    external: isExternal([...deps, 'ws']),
    plugins: [dts({ tsconfig: 'tsconfig.build.json' })],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts' },
  },
  // 2. WeChat build npm
  ...miniprogramConfig,
  // 3. reference server. jose 6 is ESM-only and Node 20 < 20.19 cannot require() ESM, so it is
  //    bundled into the CommonJS output; the other dependencies stay external.
  {
    input: { cli: 'server/cli.ts', index: 'server/index.ts' },
    external: isExternal(
      [...deps, ...Object.keys(pkg.devDependencies ?? {}), 'ws', 'pino'].filter((d) => d !== 'jose'),
    ),
    plugins: [nodeResolve({ preferBuiltins: true }), ts('tsconfig.server.json')],
    output: {
      dir: 'dist-server',
      format: 'cjs',
      entryFileNames: '[name].cjs',
      chunkFileNames: '[name]-[hash].cjs',
      exports: 'named',
    },
  },
];
