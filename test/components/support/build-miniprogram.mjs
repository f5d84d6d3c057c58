// Builds the mini program bundle (miniprogram_dist: the SDK and the custom components) into the
// directory given as the first argument, from the config `npm run build` uses. Run from the repo
// root. The component tests load what this produces, so they test the shipped layout (entries,
// externals, `require` paths, shared chunk, copied .json/.wxml/.wxss) without a prior build.
//
// --fast swaps the type-checking TypeScript plugin for a plain transpile and skips minifying:
// tsc and ts-jest check the types elsewhere, and this way the build takes a second, not twenty.
import { rollup } from 'rollup';
import ts from 'typescript';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [outDir, ...flags] = process.argv.slice(2);
if (!outDir) throw new Error('usage: node build-miniprogram.mjs <out-dir> [--fast]');
const fast = flags.includes('--fast');

/** Transpiles .ts files one by one and resolves relative imports to them. */
function transpileOnly() {
  return {
    name: 'transpile-only',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.')) return null;
      const base = resolve(dirname(importer), source);
      for (const candidate of [`${base}.ts`, resolve(base, 'index.ts')]) {
        if (existsSync(candidate)) return candidate;
      }
      return null;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget[`ES${ecma}`],
          sourceMap: false,
        },
      });
      return { code: out.outputText, map: null };
    },
  };
}

const { miniprogramConfig, MINIPROGRAM_ECMA: ecma } = await import(
  pathToFileURL(resolve('rollup.config.mjs')).href
);
for (const config of miniprogramConfig) {
  const plugins = fast
    ? config.plugins.flatMap((p) =>
        p.name === 'typescript' ? [transpileOnly()] : p.name === 'terser' ? [] : [p],
      )
    : config.plugins;
  const bundle = await rollup({ ...config, plugins, onwarn: (w) => process.stderr.write(`${w.message}\n`) });
  try {
    await bundle.write({ ...config.output, dir: resolve(outDir) });
  } finally {
    await bundle.close();
  }
}
