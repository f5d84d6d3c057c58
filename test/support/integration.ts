/**
 * Integration test support: the real reference server on 127.0.0.1 and real rxroom clients on the
 * Node platform. Waiting is for conditions on the clients' own streams, with a deadline.
 */
import { filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import { createToken, startServer, type RunningServer, type ServerOptions } from '../../server';
import { createClient, type ClientOptions, type RtcClient } from '../../src/streams/create-client';
import { nodePlatform, type NodePlatform } from '../../src/bindings/node-platform';
import type { RoomState } from '../../src/streams/model';

export interface TestClient {
  readonly client: RtcClient;
  readonly platform: NodePlatform;
  readonly userId: string;
}

export class Harness {
  server!: RunningServer;
  private readonly clients: TestClient[] = [];

  constructor(private readonly options: ServerOptions = {}) {}

  async start(): Promise<void> {
    this.server = await startServer({ port: 0, ...this.options });
  }

  /** Stops the server and starts a new one on the same port (a server restart). */
  async restart(): Promise<void> {
    const port = this.server.port;
    await this.server.close();
    this.server = await startServer({ ...this.options, port });
  }

  client(userId: string, options: Partial<ClientOptions> = {}): TestClient {
    const c = testClient(this.server.url, userId, options);
    this.clients.push(c);
    return c;
  }

  async join(c: TestClient, room = 'room-1', extra: JoinExtra = {}): Promise<void> {
    await joinRoom(c, room, extra);
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.client.destroy();
    this.clients.length = 0;
    await this.server?.close();
  }
}
/** A client of the server at `url` on its own Node platform (destroy it when done). */
export function testClient(url: string, userId: string, options: Partial<ClientOptions> = {}): TestClient {
  const platform = nodePlatform();
  return { client: createClient({ url, platform, ...options }), platform, userId };
}

/** What a test join may set besides the room (the token's privileges and the join's fields). */
export interface JoinExtra {
  publish?: boolean;
  subscribe?: boolean;
  visible?: boolean;
  role?: 'broadcaster' | 'audience';
}

/** Joins `room` as `c.userId`, with a token signed by the development secret. */
export async function joinRoom(c: TestClient, room = 'room-1', extra: JoinExtra = {}): Promise<void> {
  const token = await createToken({
    room,
    user: c.userId,
    publish: extra.publish ?? true,
    subscribe: extra.subscribe ?? true,
  });
  await firstValueFrom(
    c.client.join({
      token,
      roomId: room,
      userId: c.userId,
      ...(extra.visible !== undefined ? { visible: extra.visible } : {}),
      ...(extra.role ? { role: extra.role } : {}),
    }),
  );
}

/** Resolves with the first value of `o` that passes `test`, or fails after `ms`. */
export function waitFor<T>(o: Observable<T>, test: (value: T) => boolean, ms = 5000): Promise<T> {
  return firstValueFrom(o.pipe(filter(test), timeout({ first: ms })));
}

/** Resolves once the client's room satisfies `test`. */
export function until(c: TestClient, test: (room: RoomState) => boolean, ms = 5000): Promise<RoomState> {
  return waitFor(c.client.room$, test, ms);
}

/** The part of a room every member must agree on, seen from one member (for convergence checks). */
export function view(room: RoomState) {
  const me = room.self?.userId;
  const users = [...[...room.peers.keys()], ...(me ? [me] : [])].sort();
  const streams = [
    ...[...room.streams.values()].map(
      (s) => `${s.id}/${s.audioMuted ? 'a' : 'A'}${s.videoMuted ? 'v' : 'V'}`,
    ),
    ...Object.values(room.self?.publications ?? {}).map(
      (p) => `${p.stream.id}/${p.stream.audioMuted ? 'a' : 'A'}${p.stream.videoMuted ? 'v' : 'V'}`,
    ),
  ].sort();
  return { users, streams, attributes: room.attributes };
}

/** Polls `check` until it holds (for facts with no stream to watch, e.g. socket counts). */
export async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
