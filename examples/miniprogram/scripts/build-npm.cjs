#!/usr/bin/env node
/**
 * WeChat DevTools' "Tools → Build npm" (工具 → 构建 npm) without DevTools, for CI: packs a mini
 * program project's npm dependencies into `miniprogram_npm/` with `miniprogram-ci`, Tencent's
 * package extracted from DevTools, in the same manual mode DevTools uses for this project
 * (`setting.packNpmManually` and `setting.packNpmRelationList` in project.config.json).
 *
 *   node scripts/build-npm.cjs [project-dir …]     (default: this example)
 *
 * Each relation's `miniprogram_npm/` is removed first, so nothing of an earlier build survives.
 * Exits non-zero when miniprogram-ci reports warnings (a `require` it could not follow, say).
 */
const fs = require('fs');
const path = require('path');

/** miniprogram-ci is a dev dependency of this example; other projects borrow it from here. */
const ci = require(path.join(__dirname, '../node_modules/miniprogram-ci'));

/** The pack relations of a project, as DevTools reads them. */
function relationsOf(projectDir) {
  const config = JSON.parse(fs.readFileSync(path.join(projectDir, 'project.config.json'), 'utf8'));
  const setting = config.setting ?? {};
  if (setting.packNpmManually && Array.isArray(setting.packNpmRelationList)) {
    return setting.packNpmRelationList.map((r) => ({
      packageJsonPath: path.resolve(projectDir, r.packageJsonPath),
      miniprogramNpmDistDir: path.resolve(projectDir, r.miniprogramNpmDistDir),
    }));
  }
  // Automatic mode: package.json at the mini program root, miniprogram_npm next to it.
  const root = path.resolve(projectDir, config.miniprogramRoot ?? '.');
  return [{ packageJsonPath: path.join(root, 'package.json'), miniprogramNpmDistDir: root }];
}

async function buildNpm(projectDir) {
  for (const relation of relationsOf(projectDir)) {
    const out = path.join(relation.miniprogramNpmDistDir, 'miniprogram_npm');
    fs.rmSync(out, { recursive: true, force: true });
    const result = await ci.packNpmManually({ ...relation, ignores: [] });
    const where = path.relative(process.cwd(), out) || '.';
    process.stdout.write(
      `build npm: ${where}: ${result.miniProgramPackNum} mini program package(s), ` +
        `${result.otherNpmPackNum} other package(s)\n`,
    );
    if (result.warnList.length > 0) {
      for (const w of result.warnList)
        process.stderr.write(`  ${w.code ?? ''} ${w.msg} @ ${w.jsPath ?? ''}\n`);
      throw new Error(`miniprogram-ci warned about ${result.warnList.length} thing(s) in ${where}`);
    }
  }
}

async function main() {
  const dirs = process.argv.slice(2);
  for (const dir of dirs.length > 0 ? dirs : [path.join(__dirname, '..')]) await buildNpm(path.resolve(dir));
}

main().then(
  // miniprogram-ci leaves handles open (2.1.13's changelog: "进程不退出"); the work is done.
  () => process.exit(0),
  (e) => {
    process.stderr.write(`build npm failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
