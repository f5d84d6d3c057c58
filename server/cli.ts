#!/usr/bin/env node
/**
 * `rxroom-server` executable: runs {@link main} against the real process. Everything testable is
 * in ./cli-main.ts.
 */
import { main, processIo } from './cli-main';

main(process.argv.slice(2), processIo()).then(
  (outcome) => {
    if (outcome.stopped) {
      // Serving: exit once a signal has closed the server (pino's stderr writes are synchronous).
      void outcome.stopped.then(() => process.exit(0));
    } else {
      process.exitCode = outcome.exitCode;
    }
  },
  (e: unknown) => {
    process.stderr.write(`rxroom-server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
