// Jest resolver of the examples' mini program tests: code inside a mini program root (pages and
// everything in miniprogram_npm/) finds npm packages the way the mini program does, in the
// miniprogram_npm/ that "build npm" wrote, never in node_modules; a name it cannot find there fails
// as it would on a phone. Everything else resolves as in the rest of the tests (`rxroom` by name
// is the source, as tsconfig.json says).
const path = require('node:path');
const {
  isPackageRequest,
  miniprogramRootOf,
  resolveInMiniprogram,
} = require('../../scripts/miniprogram-lookup.cjs');

const SOURCE = path.join(__dirname, '../../src/index.ts');

module.exports = (request, options) => {
  const root = miniprogramRootOf(options.basedir);
  if (root && isPackageRequest(request)) {
    const found = resolveInMiniprogram(request, options.basedir, root, ['.js', '.ts']);
    if (found) return found;
    throw new Error(
      `Cannot find module '${request}' from ${path.relative(process.cwd(), options.basedir)}: a mini program ` +
        `looks in miniprogram_npm/ up to ${path.relative(process.cwd(), root)}/ (run \`npm run examples:pack\`)`,
    );
  }
  if (request === 'rxroom') return SOURCE;
  return options.defaultResolver(request, options);
};
