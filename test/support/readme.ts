/**
 * README samples as written: read from README.md at test time, compiled the way a mini program's
 * TypeScript build compiles them, and run with `require('rxroom')` resolved to this source tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** The first ```ts block after the heading `## <heading>` of a README (path from the repo root). */
export function readmeSample(file: string, heading: string): string {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const at = text.indexOf(`\n## ${heading}\n`);
  if (at < 0) throw new Error(`${file} has no section "${heading}"`);
  const open = text.indexOf('```ts\n', at);
  const close = text.indexOf('\n```', open + 6);
  if (open < 0 || close < 0) throw new Error(`${file} § ${heading} has no ts block`);
  return text.slice(open + 6, close + 1);
}

/**
 * A sample without its `//` comments (whole comment lines dropped) and trailing blanks: the
 * translated README differs only there.
 */
export function withoutComments(code: string): string {
  return code
    .split('\n')
    .filter((line) => !/^\s*\/\/ /.test(line))
    .map((line) => line.replace(/\s*\/\/ .*$/, '').trimEnd())
    .join('\n');
}

/** Runs a sample: compiles it to CommonJS and evaluates it with the given globals and modules. */
export function runSample(
  code: string,
  globals: Readonly<Record<string, unknown>>,
  modules: Readonly<Record<string, unknown>>,
): void {
  const js = ts.transpileModule(code, {
    // esModuleInterop as a mini program's build has it: `import TRTC from 'trtc-wx-sdk'` (a UMD bundle).
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2019,
      esModuleInterop: true,
    },
  }).outputText;
  const requireModule = (name: string): unknown => {
    if (!(name in modules)) throw new Error(`the sample requires ${name}, which the test does not provide`);
    return modules[name];
  };
  const names = Object.keys(globals);
  const run = new Function('require', 'exports', ...names, js) as (...args: unknown[]) => void;
  run(requireModule, {}, ...names.map((n) => globals[n]));
}
