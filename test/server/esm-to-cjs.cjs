// Jest transform for ESM-only dependencies (jose 6): Jest runs CommonJS, so their files are
// turned into CommonJS with TypeScript's transpiler, keeping modern syntax (class fields) intact.
// ts-jest itself cannot do it here: it reuses the first tsconfig (target ES2019) for every file,
// and that down-levelling breaks jose's error classes.
const ts = require('typescript');
const { createHash } = require('node:crypto');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  sourceMap: false,
  inlineSourceMap: true,
};

module.exports = {
  process(sourceText, sourcePath) {
    const { outputText } = ts.transpileModule(sourceText, { compilerOptions, fileName: sourcePath });
    return { code: outputText };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha1').update(ts.version).update(sourcePath).update(sourceText).digest('hex');
  },
};
