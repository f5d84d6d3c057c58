// Builds three things (see docs/building.md):
//  1. dist/            the npm package: ESM + CJS + bundled .d.ts, one pair per entry point
//  2. miniprogram_dist/ what WeChat's "build npm" copies: CommonJS, no Node built-ins,
//                      valibot tree-shaken in, rxjs left to the mini program's own npm build
//  3. dist-server/      the reference server and its CLI (`rxroom-server`), Node only
import { builtinModules } from 'node:module';
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';
import terser from '@rollup/plugin-terser';

const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')));
const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Entry points of the npm package. Vendor drivers add theirs here. */
const entries = {
  index: 'src/index.ts',
  node: 'src/node.ts',
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

/** Copies custom components (src/components/<name>/*.{json,wxml,wxss}) next to their compiled .js. */
function copyComponentAssets() {
  return {
    name: 'rxroom-component-assets',
    writeBundle() {
      const root = 'src/components';
      if (!existsSync(root)) return;
      for (const name of readdirSync(root)) {
        const dir = join(root, name);
        if (!statSync(dir).isDirectory()) continue;
        for (const file of readdirSync(dir)) {
          if (/\.(json|wxml|wxss)$/.test(file))
            cpSync(join(dir, file), join('miniprogram_dist/components', name, file));
        }
      }
    },
  };
}

const ts = (tsconfig = 'tsconfig.build.json', extra = {}) => typescript({ tsconfig, noEmitOnError: true, ...extra });

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
  {
    input: { index: 'src/index.ts' },
    external: (id) => id === 'rxjs' || id.startsWith('rxjs/'),
    plugins: [
      miniProgramSafe(['ws', 'jose', 'pino']),
      nodeResolve({ browser: true }),
      ts('tsconfig.build.json', { sourceMap: false }),
      // Mini programs pay for every byte of the main package (2 MB cap): ship it minified.
      terser({ ecma: 2019, module: false, compress: { passes: 2 } }),
      copyComponentAssets(),
    ],
    output: { dir: 'miniprogram_dist', format: 'cjs', exports: 'named', generatedCode: 'es2015' },
  },
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
