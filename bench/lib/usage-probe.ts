/**
 * Preloaded into `rxroom-server` (`node --expose-gc --import tsx --import ./bench/lib/usage-probe.ts
 * server/cli.ts …`, forked with an IPC channel) so the bench can ask a node started from its
 * command line what it costs, the way it asks its own forked servers. It changes nothing else.
 */
import { answerUsage } from './usage';

answerUsage();
// The channel must not keep a node alive once its server has stopped.
process.channel?.unref();
