/**
 * A typical mini program room page, as an app would write it: the bundle benchmark tree-shakes
 * rxroom (and optionally rxjs) for exactly these imports. Never run; only bundled.
 */
import type { Subscription } from 'rxjs';
import {
  autoSubscribe,
  bindPage,
  createClient,
  nativeHandlers,
  roomViewModel,
  subscribeAll,
  type RtcClient,
} from '../../src';

const Page = (globalThis as unknown as { Page: (options: object) => void }).Page;

let client: RtcClient | null = null;
let subscriptions: Subscription | null = null;

/** The page definition (exported so a bundle that re-exports it keeps all of it). */
export const roomPage = bindPage(
  {
    data: {},
    ...nativeHandlers(() => client),
    onLoad(query: Record<string, string | undefined>) {
      const c = createClient({ url: 'wss://rtc.example.com' });
      client = c;
      subscriptions = c
        .join({ token: query.token ?? '', roomId: query.room ?? 'lobby', userId: query.user ?? 'me' })
        .subscribe({
          next: () => subscriptions?.add(c.publish().subscribe()),
          error: (e: unknown) => console.error(e),
        });
      subscriptions.add(autoSubscribe(c, subscribeAll()).subscribe());
    },
    onUnload() {
      subscriptions?.unsubscribe();
      client?.destroy();
      client = null;
    },
    toggleMic(this: { data: { pusher?: { enableMic?: boolean } } }) {
      client?.muteLocal({ audio: !!this.data.pusher?.enableMic }).subscribe();
    },
  },
  () => roomViewModel(client!),
);

Page(roomPage);
