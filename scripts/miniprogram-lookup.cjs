// How a WeChat mini program finds the module a `require` names, and whether the packed npm output
// of the examples (miniprogram_npm/, written by miniprogram-ci) is there and current. Shared by
// the examples' Jest resolver and setup (test/support/), scripts/pack-examples.mjs and the tests.
//
// The lookup rule (WeChat docs, "npm 支持", 原理介绍 and 使用 npm 包): a relative path is taken from
// the requiring file's folder, a path starting with `/` from the mini program root; any other name
// is an npm package, looked up in `miniprogram_npm/` of the requiring file's folder, then of each
// folder above it, up to the mini program root. A name alone means that package's `index.js` (or
// the `index` component); `pkg/sub` means `sub.js` or `sub/index.js` inside it.
const { builtinModules } = require('node:module');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const path = require('node:path');

const repo = path.join(__dirname, '..');

/** The example mini program projects (each with project.config.json and a miniprogram/ root). */
const EXAMPLES = ['examples/miniprogram', 'examples/miniprogram-js'].map((dir) => path.join(repo, dir));

const isFile = (file) => existsSync(file) && statSync(file).isFile();
const isDir = (dir) => existsSync(dir) && statSync(dir).isDirectory();

const roots = new Map();
/** The mini program root holding `file` (the nearest folder with app.json), or null. */
function miniprogramRootOf(fileOrDir) {
  let dir = isDir(fileOrDir) ? fileOrDir : path.dirname(fileOrDir);
  const seen = [];
  let root = null;
  for (;;) {
    if (roots.has(dir)) {
      root = roots.get(dir);
      break;
    }
    seen.push(dir);
    if (isFile(path.join(dir, 'app.json'))) {
      root = dir;
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const d of seen) roots.set(d, root);
  return root;
}

/** The file a path names: itself, with `.js`, or its `index.js` (or its package.json `main`). */
function asFile(target, extensions = ['.js']) {
  if (isFile(target)) return target;
  for (const ext of extensions) if (isFile(target + ext)) return target + ext;
  if (isDir(target)) {
    const pkg = path.join(target, 'package.json');
    if (isFile(pkg)) {
      const main = JSON.parse(readFileSync(pkg, 'utf8')).main;
      if (typeof main === 'string') {
        const found = asFile(path.join(target, main), extensions);
        if (found) return found;
      }
    }
    for (const ext of extensions)
      if (isFile(path.join(target, 'index' + ext))) return path.join(target, 'index' + ext);
  }
  return null;
}

/** Whether a request names an npm package (not a relative or root-absolute path). */
const isPackageRequest = (request) => !/^\.\.?(\/|$)/.test(request) && !request.startsWith('/');

/**
 * Resolves `request` from `fromDir` inside the mini program at `root` the way the mini program
 * does, or returns null. `extensions` are tried after the name itself (`.js`; the sources' `.ts`
 * in tests, which DevTools compiles to `.js`).
 */
function resolveInMiniprogram(request, fromDir, root, extensions = ['.js']) {
  if (!isPackageRequest(request)) {
    const target = request.startsWith('/') ? path.join(root, request) : path.resolve(fromDir, request);
    return asFile(target, extensions);
  }
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const found = asFile(path.join(dir, 'miniprogram_npm', request), extensions);
    if (found) return found;
    if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) return null;
  }
}

/** Node's own modules, with and without `node:`: none of them exist in a mini program. */
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every file under `dir`. */
function filesUnder(dir) {
  if (!isDir(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return isDir(file) ? filesUnder(file) : [file];
  });
}

/** Where a project's "build npm" writes, per project.config.json (as DevTools reads it). */
function npmDirsOf(projectDir) {
  const config = JSON.parse(readFileSync(path.join(projectDir, 'project.config.json'), 'utf8'));
  const setting = config.setting ?? {};
  if (setting.packNpmManually && Array.isArray(setting.packNpmRelationList)) {
    return setting.packNpmRelationList.map((r) =>
      path.join(path.resolve(projectDir, r.miniprogramNpmDistDir), 'miniprogram_npm'),
    );
  }
  return [path.join(path.resolve(projectDir, config.miniprogramRoot ?? '.'), 'miniprogram_npm')];
}

/**
 * What is wrong with the examples' packed npm output, or []: it must exist, hold rxjs, and hold
 * rxroom exactly as the repository's miniprogram_dist is now (WeChat copies a mini program
 * package's build folder as it is), and miniprogram_dist must be newer than every file in src/.
 */
function packedProblems() {
  const dist = path.join(repo, 'miniprogram_dist');
  const fix = 'run `npm run examples:pack` (builds rxroom, installs the examples, packs with miniprogram-ci)';
  const distFiles = filesUnder(dist);
  if (distFiles.length === 0) return [`miniprogram_dist/ is missing: ${fix}`];
  const newestSource = Math.max(...filesUnder(path.join(repo, 'src')).map((f) => statSync(f).mtimeMs));
  const oldestBuilt = Math.min(...distFiles.map((f) => statSync(f).mtimeMs));
  const problems = [];
  if (newestSource > oldestBuilt) problems.push(`miniprogram_dist/ is older than src/: ${fix}`);
  for (const project of EXAMPLES) {
    for (const npm of npmDirsOf(project)) {
      const where = path.relative(repo, npm);
      const packed = path.join(npm, 'rxroom');
      if (!isFile(path.join(npm, 'rxjs', 'index.js')) || !isDir(packed)) {
        problems.push(`${where} is missing or incomplete: ${fix}`);
        continue;
      }
      const rel = (files, base) => files.map((f) => path.relative(base, f)).sort();
      const same =
        JSON.stringify(rel(filesUnder(packed), packed)) === JSON.stringify(rel(distFiles, dist)) &&
        distFiles.every((f) =>
          readFileSync(f).equals(readFileSync(path.join(packed, path.relative(dist, f)))),
        );
      if (!same) problems.push(`${where}/rxroom differs from miniprogram_dist/: ${fix}`);
    }
  }
  return problems;
}

module.exports = {
  EXAMPLES,
  NODE_BUILTINS,
  filesUnder,
  isPackageRequest,
  miniprogramRootOf,
  npmDirsOf,
  packedProblems,
  resolveInMiniprogram,
};
