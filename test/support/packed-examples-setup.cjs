// Global setup of the examples' mini program tests: they run over the npm output miniprogram-ci
// packed (what a phone loads), so it has to be there and current, or nothing here means anything.
const { packedProblems } = require('../../scripts/miniprogram-lookup.cjs');

module.exports = () => {
  const problems = packedProblems();
  if (problems.length > 0) {
    throw new Error(`the examples' packed npm output is not usable:\n  ${problems.join('\n  ')}`);
  }
};
