// Checks that every test of test/security fails when its protection is removed: applies one
// mutation to the server at a time, runs the matching test, and expects it to fail.
// Run: node scripts/security-mutations.mjs  (a few minutes; not part of npm test)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const mutations = [
  [
    'missing token',
    'server/tokens.ts',
    "if (token.length === 0) throw new RtcError('TOKEN_MISSING'",
    "if (false) throw new RtcError('TOKEN_MISSING'",
    'missing token',
  ],
  [
    'signature check',
    'server/tokens.ts',
    'if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {',
    'if (false) {',
    'forged|edited',
  ],
  [
    'expiry',
    'server/tokens.ts',
    "throw new RtcError('TOKEN_EXPIRED', 'the token has expired')",
    "throw new RtcError('TOKEN_INVALID', 'the token has expired')",
    'expired',
  ],
  [
    'not before',
    'server/tokens.ts',
    "throw new RtcError('TOKEN_NOT_YET_VALID'",
    "throw new RtcError('TOKEN_INVALID'",
    'not yet valid',
  ],
  [
    'room binding',
    'server/tokens.ts',
    'if (claims.room !== expected.room) return',
    'if (false) return',
    'another room',
  ],
  [
    'user binding',
    'server/tokens.ts',
    'if (claims.user !== expected.user) return',
    'if (false) return',
    'another user',
  ],
  [
    'app binding',
    'server/tokens.ts',
    'if (claims.app !== expected.appId) return',
    'if (false) return',
    'another app',
  ],
  [
    'publish privilege',
    'server/handlers.ts',
    'if (!session.privileges.publish) throw',
    'if (false) throw',
    'subscribe-only token cannot publish',
  ],
  [
    'invisible publish',
    'server/handlers.ts',
    "if (!session.visible) throw new RtcError('NOT_ALLOWED'",
    "if (false) throw new RtcError('NOT_ALLOWED'",
    'invisible user cannot publish',
  ],
  [
    'own stream check',
    'server/handlers.ts',
    'if (stream.slice(0, colon) !== session.user || !session.publications.has(tag)) {',
    'if (false) {',
    "another user's stream",
  ],
  [
    'subscribe privilege',
    'server/handlers.ts',
    'if (!session.privileges.subscribe)',
    'if (false)',
    'subscribe-less token',
  ],
  [
    'room isolation',
    'server/handlers.ts',
    'const target = room.stream(frame.stream);',
    'const target = [...ctx.hub.rooms.values()].map((x) => x.stream(frame.stream)).find(Boolean);',
    'stay in their room',
  ],
  // two layers guard the frame size (ws's maxPayload and the decoder's limit): remove both
  [
    'frame size',
    'server/index.ts',
    'maxPayload: resolved.maxFrameBytes,',
    'maxPayload: 100 * 1024 * 1024,',
    'oversized frame',
    ['server/connection.ts', "if (!result.ok && result.error.code === 'FRAME_TOO_LARGE') {", 'if (false) {'],
  ],
  [
    'rate limit',
    'server/connection.ts',
    "if (verdict === 'close') {",
    "if (verdict === 'never') {",
    'request flood',
  ],
  [
    'connections per address',
    'server/index.ts',
    'if (resolved.maxConnectionsPerIp > 0 && open >= resolved.maxConnectionsPerIp) {',
    'if (false) {',
    'more sockets from one address',
  ],
  [
    'unfinished connections per address',
    'server/index.ts',
    'if (open >= max) {',
    'if (false) {',
    'unfinished upgrades',
  ],
  [
    'headers timeout',
    'server/index.ts',
    'headersTimeout: resolved.headersTimeout,',
    'headersTimeout: 60_000,',
    'unfinished upgrades',
  ],
  [
    'join timeout',
    'server/connection.ts',
    "if (!this.session) this.close(CLOSE.joinTimeout, 'no join in time');",
    '',
    'slow loris',
  ],
  [
    'admin auth',
    'server/http.ts',
    'if (!match?.[1] || !sameSecret(match[1], options.adminSecret)) {',
    'if (false) {',
    'admin API',
  ],
];

let failures = 0;
for (const [name, file, find, replace, test, ...more] of mutations) {
  const edits = [[file, find, replace], ...more];
  const originals = new Map(edits.map(([f]) => [f, readFileSync(f, 'utf8')]));
  const missing = edits.find(([f, x]) => !originals.get(f).includes(x));
  if (missing) {
    console.log(`✗ ${name}: the code to mutate was not found in ${missing[0]} (update this script)`);
    failures++;
    continue;
  }
  const mutated = new Map(originals);
  for (const [f, x, y] of edits) mutated.set(f, mutated.get(f).replace(x, y));
  for (const [f, text] of mutated) writeFileSync(f, text);
  let failed = false;
  try {
    execFileSync('npx', ['jest', 'test/security', '-t', test], { stdio: 'pipe' });
  } catch {
    failed = true;
  } finally {
    for (const [f, text] of originals) writeFileSync(f, text);
  }
  console.log(`${failed ? '✓' : '✗'} ${name}: ${failed ? 'caught' : 'NOT caught'} by "${test}"`);
  if (!failed) failures++;
}
console.log(
  failures === 0 ? 'every protection is guarded by a test' : `${failures} protection(s) not guarded`,
);
process.exit(failures === 0 ? 0 : 1);
