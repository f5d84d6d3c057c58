// Parses every .js file under a directory with acorn at a fixed ECMAScript version, so syntax newer
// than the mini program target (`?.`, `??`, `catch {}`, object spread, regexp flags…) fails CI
// instead of failing on an old WeChat client. CommonJS, as miniprogram_dist is.
//
//   node scripts/check-syntax.cjs miniprogram_dist [2017]
//
// Exported for the tests as checkSyntax(dir, ecmaVersion): a list of "file:line:column message".
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');
const acorn = require('acorn');

/** The ECMAScript version miniprogram_dist may use at most. */
const MINIPROGRAM_ECMA = 2017;

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) return jsFiles(file);
    return name.endsWith('.js') ? [file] : [];
  });
}

function checkSyntax(dir, ecmaVersion = MINIPROGRAM_ECMA) {
  const files = jsFiles(dir);
  if (files.length === 0) return [`${dir}: no .js files (was it built?)`];
  const problems = [];
  for (const file of files) {
    try {
      acorn.parse(readFileSync(file, 'utf8'), { ecmaVersion, sourceType: 'script', locations: true });
    } catch (e) {
      const at = e.loc ? `:${e.loc.line}:${e.loc.column + 1}` : '';
      problems.push(`${relative(process.cwd(), file)}${at} ${e.message}`);
    }
  }
  return problems;
}

module.exports = { checkSyntax, MINIPROGRAM_ECMA };

if (require.main === module) {
  const [dir = 'miniprogram_dist', version] = process.argv.slice(2);
  const ecmaVersion = version ? Number(version) : MINIPROGRAM_ECMA;
  const problems = checkSyntax(dir, ecmaVersion);
  if (problems.length > 0) {
    process.stderr.write(`${dir} is not ES${ecmaVersion}:\n${problems.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`${dir}: every .js file parses as ES${ecmaVersion}\n`);
}
