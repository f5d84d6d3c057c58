import { BehaviorSubject, distinctUntilChanged, map, type Observable } from 'rxjs';
import type { RtcClient } from './client/types';

/**
 * Clients by name, so custom components (`<rx-player client="…">`) can find the client a page
 * created without passing objects through properties, which WeChat deep-copies.
 */
const clients = new BehaviorSubject<ReadonlyMap<string, RtcClient>>(new Map());

/**
 * Makes `client` findable under `name` (default `default`). Returns the function that removes it;
 * call it in `onUnload`. A destroyed client is removed automatically.
 *
 * @example
 * ```ts
 * onLoad() { this.client = createClient({ url }); this.unregister = registerClient(this.client) }
 * onUnload() { this.unregister(); this.client.destroy() }
 * ```
 */
export function registerClient(client: RtcClient, name = 'default'): () => void {
  const next = new Map(clients.value);
  next.set(name, client);
  clients.next(next);
  const remove = () => {
    if (clients.value.get(name) !== client) return;
    const after = new Map(clients.value);
    after.delete(name);
    clients.next(after);
  };
  client.room$.subscribe({ complete: remove });
  return remove;
}

/** The client registered under `name`, or undefined. */
export function getClient(name = 'default'): RtcClient | undefined {
  return clients.value.get(name);
}

/** The client registered under `name` over time (undefined while there is none). */
export function client$(name = 'default'): Observable<RtcClient | undefined> {
  return clients.pipe(
    map((all) => all.get(name)),
    distinctUntilChanged(),
  );
}
