/**
 * The `<live-pusher>`/`<live-player>` contexts custom components register with a client, with the
 * platform's page-level contexts as the fallback.
 */
import type { Platform, PlayerContext, PusherContext, Unlisten } from '../../bindings/platform';
import { playerElementId } from '../../bindings/native/handlers';

/** Where media recovery finds the native contexts of a client. */
export interface MediaContexts {
  /** The pusher context last registered, else the platform's page-level one, else null. */
  pusher(): PusherContext | null;
  /** The player context registered for a stream, else the platform's page-level one, else null. */
  player(streamId: string): PlayerContext | null;
}

export interface ContextRegistry extends MediaContexts {
  registerPusher(context: PusherContext): Unlisten;
  registerPlayer(streamId: string, context: PlayerContext): Unlisten;
  clear(): void;
}

export function contextRegistry(platform: Platform | undefined): ContextRegistry {
  const pushers: PusherContext[] = [];
  const players = new Map<string, PlayerContext>();
  return {
    registerPusher(context) {
      pushers.push(context);
      return () => {
        const i = pushers.indexOf(context);
        if (i >= 0) pushers.splice(i, 1);
      };
    },
    registerPlayer(streamId, context) {
      players.set(streamId, context);
      return () => {
        if (players.get(streamId) === context) players.delete(streamId);
      };
    },
    pusher: () => pushers[pushers.length - 1] ?? platform?.createPusherContext() ?? null,
    player: (streamId) =>
      players.get(streamId) ?? platform?.createPlayerContext(playerElementId(streamId)) ?? null,
    clear() {
      pushers.length = 0;
      players.clear();
    },
  };
}
