#!/usr/bin/env node
/**
 * `rxroom-server` command line. Subcommands and flags land with the server issue.
 */
import { PROTOCOL_VERSION } from './index';

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`rxroom-server (protocol v${PROTOCOL_VERSION})\n`);
} else {
  process.stdout.write('usage: rxroom-server [--version]\n');
}
