#!/usr/bin/env node
// `npm start`: prints its first line at once, then loads the demo (examples/demo/main.ts) through
// tsx, which compiles the TypeScript sources on the fly: on a cold cache that takes a few seconds,
// which used to pass with nothing on the screen but npm's banner.
import { createRequire } from 'node:module';

if (!process.argv.includes('--help')) {
  process.stdout.write('rxroom demo: starting the reference server and four clients on 127.0.0.1…\n');
}
const require = createRequire(import.meta.url);
// tsx's own hooks, both of them: main.ts is CommonJS (this package's type) and imports ESM-only
// packages (chalk, log-update).
require('tsx/cjs/api').register();
const { register } = await import('tsx/esm/api');
register();
await import('./main.ts');
