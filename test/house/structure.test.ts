/**
 * The shape of src/ (issue 17, "house"): no import circle anywhere in src/, and no function in
 * the client core and the built-in driver longer than a couple of screens. Read with the
 * TypeScript compiler's parser, so comments and strings never count as imports.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '../..');
const SRC = path.join(ROOT, 'src');
const MAX_FUNCTION_LINES = 150;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [file] : [];
  });
}

const parse = (file: string) =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** The files of src/ a file imports or re-exports from (type-only imports included). */
export function importsOf(file: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    const spec =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : ts.isCallExpression(node) &&
            node.expression.kind === ts.SyntaxKind.ImportKeyword &&
            node.arguments[0] &&
            ts.isStringLiteral(node.arguments[0])
          ? node.arguments[0].text
          : ts.isImportTypeNode(node) &&
              ts.isLiteralTypeNode(node.argument) &&
              ts.isStringLiteral(node.argument.literal)
            ? node.argument.literal.text
            : null;
    if (spec?.startsWith('.')) {
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f));
      if (!target) throw new Error(`${rel(file)}: cannot resolve ${spec}`);
      out.push(target);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return out;
}

/** Every import circle of a graph, each once, as the list of files around it. */
export function findCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's strongly connected components: a component of more than one file, or a file that
  // imports itself, is a circle.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const connect = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return circles;
}

/** Every function, method, accessor or arrow function longer than `max` lines, with its length. */
export function longFunctions(file: string, max: number): string[] {
  const source = parse(file);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) {
        const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
        out.push(`${rel(file)}:${start + 1} ${name}: ${lines} lines`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('the checks themselves', () => {
  it('find a circle of two and a self-import, and nothing in a chain', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['a', 'c']],
      ['c', ['d']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCircles(graph)).toEqual([['a', 'b'], ['e']]);
    expect(
      findCircles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('measure a function from its first line to its last', () => {
    // This very file has functions of more than 20 lines: findCircles is one.
    expect(longFunctions(__filename, 20).some((f) => f.includes('findCircles'))).toBe(true);
    expect(longFunctions(__filename, 1000)).toEqual([]);
  });

  it('see imports, re-exports, type-only imports and import() in TypeScript source', () => {
    const imports = importsOf(path.join(SRC, 'index.ts')).map(rel);
    expect(imports).toContain('src/errors.ts');
    expect(imports).toContain('src/streams/create-client.ts');
    const types = importsOf(path.join(SRC, 'operators/media-recovery.ts')).map(rel);
    expect(types).toContain('src/streams/client/types.ts');
  });
});

describe('src/', () => {
  it('has no import circle', () => {
    const graph = new Map(sourceFiles(SRC).map((f) => [f, importsOf(f)]));
    expect(findCircles(graph).map((c) => c.map(rel).join(' ⇄ '))).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines in src/streams/ or src/bindings/protocol/`, () => {
    const files = [
      ...sourceFiles(path.join(SRC, 'streams')),
      ...sourceFiles(path.join(SRC, 'bindings/protocol')),
    ];
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => longFunctions(f, MAX_FUNCTION_LINES))).toEqual([]);
  });
});

/** Calls of the global timer functions in a file (not method calls such as `timers.after`). */
export function globalTimerCalls(file: string): string[] {
  const found: string[] = [];
  const names = new Set(['setTimeout', 'setInterval', 'setImmediate']);
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && names.has(node.expression.text)) {
      const { line } = node.getSourceFile().getLineAndCharacterOfPosition(node.getStart());
      found.push(`${rel(file)}:${line + 1} ${node.expression.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return found;
}

describe('server/', () => {
  it('the timer check sees a global timer call and ignores a method of the same name', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'house-')), 'timers-sample.ts');
    writeFileSync(file, 'setTimeout(() => 1, 5);\nclock.setTimeout(() => 1, 5);\n// setInterval(x)\n');
    expect(globalTimerCalls(file).map((f) => f.replace(/^.*:(\d+) /, '$1 '))).toEqual(['1 setTimeout']);
  });

  // Shutdown proves it left no timer behind by counting the server's own (server/timers.ts), so
  // a timer started any other way would escape that count.
  it('starts timers only through server/timers.ts', () => {
    const files = sourceFiles(path.join(ROOT, 'server')).filter((f) => rel(f) !== 'server/timers.ts');
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(globalTimerCalls)).toEqual([]);
  });
});
