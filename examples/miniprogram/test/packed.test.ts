/**
 * What WeChat's own "build npm" (miniprogram-ci's packNpmManually, `npm run examples:pack`) wrote
 * into each example's miniprogram_npm/, read as a phone reads it: every `require` in it, and every
 * import and `usingComponents` entry of the pages, resolves under the mini program's lookup rule
 * (scripts/miniprogram-lookup.cjs), and nothing Node-only was packed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as acorn from 'acorn';
import * as ts from 'typescript';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lookup = require('../../../scripts/miniprogram-lookup.cjs') as {
  EXAMPLES: string[];
  NODE_BUILTINS: Set<string>;
  filesUnder(dir: string): string[];
  npmDirsOf(projectDir: string): string[];
  resolveInMiniprogram(request: string, fromDir: string, root: string, extensions?: string[]): string | null;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rootPackage = require('../../../package.json') as { dependencies: Record<string, string> };

/** rxroom's own `dependencies`: its reference server's (ws, jose, pino …), never the mini program's. */
const SERVER_DEPENDENCIES = Object.keys(rootPackage.dependencies);

type Node = acorn.Node & Record<string, unknown>;

/** Every node of a tree, parents first, with the chain of nodes above it. */
function* walk(node: unknown, above: Node[] = []): Generator<[Node, Node[]]> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) yield* walk(child, above);
    return;
  }
  const n = node as Node;
  if (typeof n.type !== 'string') return;
  yield [n, above];
  for (const [key, value] of Object.entries(n)) if (key !== 'type') yield* walk(value, [...above, n]);
}

const isCallTo = (n: Node, name: string) =>
  n.type === 'CallExpression' && (n.callee as Node).type === 'Identifier' && (n.callee as Node).name === name;

/** A string literal's value, or undefined. */
const literal = (n: Node | undefined) =>
  n?.type === 'Literal' && typeof n.value === 'string' ? (n.value as string) : undefined;

/** What one packed .js file asks of the mini program's `require`. */
interface Requires {
  /** Names resolved by the real `require`, relative to the file. */
  readonly outer: string[];
  /** Names a miniprogram-ci bundle resolves inside itself (its `__DEFINE__` maps). */
  readonly inner: number;
  /** `require(expression)`: the mini program cannot follow it. */
  readonly dynamic: string[];
}

/**
 * The requires of a file. miniprogram-ci bundles a plain npm package into one index.js of
 * `__DEFINE__(id, function (require, module, exports) {…}, function (modId) { var map = {…} … })`
 * calls: a name in a module's map is another module of the bundle (its id must be defined); any
 * other name falls through to the real `require`. The prelude's own `require(source)` is that
 * fall-through.
 */
function requiresOf(code: string): Requires {
  const tree = acorn.parse(code, { ecmaVersion: 2019, sourceType: 'script', locations: true });
  const defined = new Set<unknown>();
  const maps = new Map<Node, Map<string, unknown>>();
  for (const [n] of walk(tree)) {
    if (!isCallTo(n, '__DEFINE__')) continue;
    const [id, body, mapper] = n.arguments as Node[];
    defined.add((id as Node).value);
    const map = new Map<string, unknown>();
    for (const [m] of walk(mapper)) {
      if (m.type === 'VariableDeclarator' && (m.id as Node).name === 'map') {
        for (const p of (m.init as Node).properties as Node[]) {
          map.set(literal(p.key as Node) ?? String((p.key as Node).name), (p.value as Node).value);
        }
      }
    }
    maps.set(body as Node, map);
  }
  const out: Requires = { outer: [], inner: 0, dynamic: [] };
  let inner = 0;
  for (const [n, above] of walk(tree)) {
    if (!isCallTo(n, 'require')) continue;
    const name = literal((n.arguments as Node[])[0]);
    const inPrelude = above.some(
      (a) => a.type === 'VariableDeclarator' && (a.id as Node).name === '__REQUIRE__',
    );
    if (name === undefined) {
      if (!inPrelude) out.dynamic.push(`line ${n.loc!.start.line}`);
      continue;
    }
    const module = [...above].reverse().find((a) => maps.has(a));
    const target = module ? maps.get(module)!.get(name) : undefined;
    if (module && target !== undefined) {
      if (!defined.has(target)) out.dynamic.push(`${name} maps to undefined module ${String(target)}`);
      inner++;
    } else out.outer.push(name);
  }
  return { ...out, inner };
}

/** Problems of one mini program root's packed tree and pages, and how much was checked. */
function check(root: string): { problems: string[]; outer: number; inner: number } {
  const problems: string[] = [];
  let outer = 0;
  let inner = 0;
  const where = (file: string) => path.relative(root, file);
  const accept = (name: string, file: string) => {
    const found = lookup.resolveInMiniprogram(name, path.dirname(file), root, ['.js', '.ts']);
    if (lookup.NODE_BUILTINS.has(name)) problems.push(`${where(file)}: requires Node's ${name}`);
    else if (!found) problems.push(`${where(file)}: require('${name}') does not resolve`);
    else if (SERVER_DEPENDENCIES.some((d) => found.includes(`${path.sep}${d}${path.sep}`)))
      problems.push(`${where(file)}: ${name} is a server dependency`);
  };
  const npm = path.join(root, 'miniprogram_npm');
  for (const file of lookup.filesUnder(npm).filter((f) => f.endsWith('.js'))) {
    const r = requiresOf(readFileSync(file, 'utf8'));
    for (const d of r.dynamic) problems.push(`${where(file)}: require it cannot follow (${d})`);
    for (const name of r.outer) accept(name, file);
    outer += r.outer.length;
    inner += r.inner;
  }
  const own = lookup.filesUnder(root).filter((f) => !f.startsWith(npm + path.sep));
  for (const file of own.filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))) {
    for (const i of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      accept(i.fileName, file);
      outer++;
    }
  }
  for (const file of lookup.filesUnder(root).filter((f) => f.endsWith('.json'))) {
    const using = (JSON.parse(readFileSync(file, 'utf8')) as { usingComponents?: Record<string, string> })
      .usingComponents;
    for (const [tag, request] of Object.entries(using ?? {})) {
      const json = lookup.resolveInMiniprogram(request, path.dirname(file), root, ['.json']);
      const base = json?.replace(/\.json$/, '');
      const ok =
        json &&
        (JSON.parse(readFileSync(json, 'utf8')) as { component?: boolean }).component === true &&
        existsSync(`${base}.js`) &&
        existsSync(`${base}.wxml`);
      if (!ok) problems.push(`${where(file)}: component ${tag} (${request}) does not resolve`);
    }
  }
  return { problems, outer, inner };
}

const roots = lookup.EXAMPLES.flatMap((project) => lookup.npmDirsOf(project).map((npm) => path.dirname(npm)));

describe.each(roots.map((root) => [path.relative(path.join(__dirname, '../../..'), root), root]))(
  'the packed npm of %s',
  (_name, root) => {
    it('holds rxroom (its miniprogram_dist), rxjs and rxjs’s tslib, and nothing of the server', () => {
      const packages = readdirSync(path.join(root, 'miniprogram_npm')).sort();
      expect(packages).toEqual(['rxjs', 'rxroom', 'tslib']);
      for (const dep of SERVER_DEPENDENCIES) expect(packages).not.toContain(dep);
    });

    it('resolves every require, import and usingComponents under the mini program lookup rule', () => {
      const { problems, outer, inner } = check(root);
      expect(problems).toEqual([]);
      // It did look: rxroom's files require rxjs and each other, rxjs's bundle its own modules.
      expect(outer).toBeGreaterThan(10);
      expect(inner).toBeGreaterThan(100);
    });
  },
);

describe('the check itself', () => {
  it('names Node modules, server dependencies, missing files, dynamic requires and components', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'rxroom-packed-'));
    try {
      const write = (file: string, text: string) => {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), text);
      };
      write('app.json', '{}');
      write(
        'miniprogram_npm/lib/index.js',
        "require('fs'); require('node:path'); require('./here'); require('./gone'); require('ws'); require(name);",
      );
      write('miniprogram_npm/lib/here.js', '');
      write('miniprogram_npm/ws/index.js', '');
      write('pages/a/index.js', "require('lib'); require('absent');");
      write('pages/a/index.json', '{"usingComponents":{"x":"lib/none"}}');
      expect(check(root).problems.sort()).toEqual(
        [
          "miniprogram_npm/lib/index.js: requires Node's fs",
          "miniprogram_npm/lib/index.js: requires Node's node:path",
          "miniprogram_npm/lib/index.js: require('./gone') does not resolve",
          'miniprogram_npm/lib/index.js: ws is a server dependency',
          'miniprogram_npm/lib/index.js: require it cannot follow (line 1)',
          "pages/a/index.js: require('absent') does not resolve",
          'pages/a/index.json: component x (lib/none) does not resolve',
        ].sort(),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
