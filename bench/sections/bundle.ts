/**
 * Benchmark 3: what a mini program ships. rxroom is bundled with rollup and terser the way
 * rollup.config.mjs builds miniprogram_dist (CommonJS, node-resolve for the browser, ES2017: the
 * TypeScript target, bundled dependencies compiled down to it, terser ecma 2017 with two compress
 * passes), TypeScript stripped per file by the TypeScript compiler itself (no type check, so a
 * work-in-progress type error elsewhere cannot stop the measurement).
 *
 * - rxroom, whole public API (`src/index.ts`): every export kept, rxjs left external;
 * - the core: `createRoomClient` over `builtInDriver` (no page layer, no media recovery, no stats
 *   reporting); the lean core alone (`createRoomClient`, what a vendor-driver page adds to its
 *   driver); and `createClient` alone (the core, the built-in driver, media recovery and stats);
 * - a typical room page (bench/bundle/typical-app.ts), tree-shaken: without rxjs (rxjs external,
 *   as the mini program's npm build supplies it) and with rxjs bundled (its ES2015 build);
 *   also without valibot, to show its share;
 * - each vendor driver found under src/bindings/drivers/ at run time: alone (rxjs external), and
 *   what it adds to the typical page;
 * - the vendors, measured from their npm packages in the same run: trtc-wx.js, and RongCloud's
 *   plugin + engine + imlib main entries.
 *
 * Sizes are bytes of the minified file and of its gzip -9.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup, type Plugin } from 'rollup';
import { minify } from 'terser';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');
const TYPICAL = join(ROOT, 'bench/bundle/typical-app.ts');

export interface Size {
  readonly raw: number;
  readonly gzip: number;
}

const sizeOf = (code: string | Buffer): Size => {
  const buf = typeof code === 'string' ? Buffer.from(code, 'utf8') : code;
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
};

/** The syntax level of miniprogram_dist (MINIPROGRAM_ECMA in rollup.config.mjs). */
const ECMA = 2017;

/**
 * TypeScript → JavaScript, per file, with the mini program target; bundled dependencies
 * (valibot) compiled down to it too, as rollup.config.mjs does.
 */
function stripTypes(): Plugin {
  return {
    name: 'bench-strip-types',
    transform(code, id) {
      const dependency = /[\\/]node_modules[\\/]/.test(id) && /\.[cm]?js$/.test(id);
      if (!id.endsWith('.ts') && !dependency) return null;
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          target: ts.ScriptTarget[`ES${ECMA}`],
          module: ts.ModuleKind.ESNext,
          isolatedModules: true,
          allowJs: true,
          sourceMap: false,
        },
      });
      return { code: out.outputText, map: null };
    },
  };
}

/** Entries given as source text (`\0bench:<name>`). */
function virtualEntries(entries: Record<string, string>): Plugin {
  return {
    name: 'bench-virtual',
    resolveId: (id) => (id in entries ? `\0bench:${id}` : null),
    load: (id) => (id.startsWith('\0bench:') ? entries[id.slice('\0bench:'.length)]! : null),
  };
}

interface BuildOptions {
  readonly rxjs: 'external' | 'bundled';
  readonly valibot?: 'external' | 'bundled';
}

interface Built extends Size {
  /** Per module: minified (alone) and gzip bytes, largest first (approximate shares). */
  readonly modules?: { readonly id: string; readonly minified: number; readonly gzip: number }[];
}

export async function build(
  input: string,
  options: BuildOptions,
  virtual: Record<string, string> = {},
  breakdown = false,
): Promise<Built> {
  const external = (id: string) =>
    (options.rxjs === 'external' && (id === 'rxjs' || id.startsWith('rxjs/'))) ||
    (options.valibot === 'external' && id === 'valibot');
  const bundle = await rollup({
    input,
    external,
    treeshake: true,
    onwarn: (warning, warn) => {
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
    plugins: [
      virtualEntries(virtual),
      nodeResolve({ browser: true, extensions: ['.ts', '.mjs', '.js'], exportConditions: ['es2015'] }),
      stripTypes(),
      terser({ ecma: ECMA, module: false, compress: { passes: 2 } }),
    ],
  });
  try {
    const { output } = await bundle.generate({ format: 'cjs', exports: 'named', generatedCode: 'es2015' });
    let code = '';
    const modules: { id: string; minified: number; gzip: number }[] = [];
    for (const chunk of output) {
      if (chunk.type !== 'chunk') continue;
      code += chunk.code;
      if (!breakdown) continue;
      for (const [id, m] of Object.entries(chunk.modules)) {
        if (!m.code) continue;
        const min =
          (await minify(m.code, { ecma: ECMA, module: false, toplevel: false, compress: { passes: 2 } }))
            .code ?? '';
        const s = sizeOf(min);
        modules.push({
          id: id.startsWith(ROOT) ? id.slice(ROOT.length + 1) : id,
          minified: s.raw,
          gzip: s.gzip,
        });
      }
    }
    modules.sort((a, b) => b.gzip - a.gzip);
    return breakdown ? { ...sizeOf(code), modules } : sizeOf(code);
  } finally {
    await bundle.close();
  }
}

/** Vendor driver entries present now: `drivers/<name>.ts` and `drivers/<name>/index.ts` (not `kit`). */
export function driverEntries(): Record<string, string> {
  const dir = join(SRC, 'bindings/drivers');
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // `kit` is the toolkit the drivers share, not a driver.
      if (name !== 'kit' && existsSync(join(path, 'index.ts'))) out[name] = join(path, 'index.ts');
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) {
      out[name.replace(/\.ts$/, '')] = path;
    }
  }
  return out;
}

function packageFile(pkg: string, file: string): string {
  return join(ROOT, 'node_modules', pkg, file);
}

function mainOf(pkg: string): string {
  const json = JSON.parse(readFileSync(packageFile(pkg, 'package.json'), 'utf8')) as {
    main?: string;
    version: string;
  };
  return packageFile(pkg, json.main ?? 'index.js');
}

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(packageFile(pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function runBundle() {
  // The page module has side effects, but the package says `sideEffects: false`; entries re-export
  // its definition so every build keeps exactly the same page code.
  const page = `export { roomPage } from ${JSON.stringify(TYPICAL)};\n`;
  const full = await build(join(SRC, 'index.ts'), { rxjs: 'external' });
  const index = JSON.stringify(join(SRC, 'index.ts'));
  // Each a function of its own, so the bundle keeps exactly what such a page calls.
  const core = await build(
    'entry',
    { rxjs: 'external' },
    {
      entry:
        `import { createRoomClient, builtInDriver } from ${index};\n` +
        'export const open = (url) => createRoomClient({ driver: builtInDriver({ url }) });\n',
    },
  );
  const leanCore = await build(
    'entry',
    { rxjs: 'external' },
    { entry: `export { createRoomClient } from ${index};\n` },
  );
  const createClientAlone = await build(
    'entry',
    { rxjs: 'external' },
    { entry: `export { createClient } from ${index};\n` },
  );
  const typical = await build('entry', { rxjs: 'external' }, { entry: page }, true);
  const typicalWithRxjs = await build('entry', { rxjs: 'bundled' }, { entry: page });
  const typicalNoValibot = await build('entry', { rxjs: 'external', valibot: 'external' }, { entry: page });

  const drivers: Record<string, { alone: Size; addedToTypical: Size; error?: string }> = {};
  for (const [name, path] of Object.entries(driverEntries())) {
    try {
      const alone = await build(path, { rxjs: 'external' });
      const both = await build(
        'entry',
        { rxjs: 'external' },
        { entry: `${page}export * from ${JSON.stringify(path)};\n` },
      );
      drivers[name] = {
        alone,
        addedToTypical: { raw: both.raw - typical.raw, gzip: both.gzip - typical.gzip },
      };
    } catch (e) {
      drivers[name] = {
        alone: { raw: NaN, gzip: NaN },
        addedToTypical: { raw: NaN, gzip: NaN },
        error: e instanceof Error ? e.message.split('\n')[0]! : String(e),
      };
    }
  }

  const trtc = sizeOf(readFileSync(packageFile('trtc-wx-sdk', 'trtc-wx.js')));
  const rongFiles = {
    plugin: mainOf('@rongcloud/plugin-wechat-rtc'),
    engine: mainOf('@rongcloud/engine'),
    imlib: mainOf('@rongcloud/imlib-next'),
  };
  const rongParts: Record<string, Size> = {};
  for (const [k, f] of Object.entries(rongFiles)) rongParts[k] = sizeOf(readFileSync(f));
  const rong = Object.values(rongParts).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), {
    raw: 0,
    gzip: 0,
  });

  return {
    rxroom: {
      fullIndexWithoutRxjs: full,
      /** createRoomClient over builtInDriver: the client core and the built-in driver, no page layer. */
      core,
      /** createRoomClient alone: what a vendor-driver page bundles besides its driver. */
      leanCore,
      /** createClient alone: the core, the built-in driver, media recovery and stats reporting. */
      createClient: createClientAlone,
      typicalWithoutRxjs: { raw: typical.raw, gzip: typical.gzip },
      typicalWithRxjs,
      rxjsShare: { raw: typicalWithRxjs.raw - typical.raw, gzip: typicalWithRxjs.gzip - typical.gzip },
      valibotShare: { raw: typical.raw - typicalNoValibot.raw, gzip: typical.gzip - typicalNoValibot.gzip },
    },
    /** Largest modules of the typical page without rxjs, each minified and gzipped alone. */
    typicalModules: (typical.modules ?? []).slice(0, 15),
    drivers,
    vendors: {
      trtc: { version: versionOf('trtc-wx-sdk'), ...trtc },
      rongcloud: {
        versions: {
          plugin: versionOf('@rongcloud/plugin-wechat-rtc'),
          engine: versionOf('@rongcloud/engine'),
          imlib: versionOf('@rongcloud/imlib-next'),
        },
        parts: rongParts,
        ...rong,
      },
    },
    method:
      'rollup + @rollup/plugin-node-resolve (browser, es2015 condition) + TypeScript to ES2017 (bundled dependencies too) + terser (ecma 2017, 2 passes), CommonJS output, gzip -9',
  };
}
