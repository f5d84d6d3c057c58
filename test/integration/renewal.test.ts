/**
 * Token renewal against the reference server (issue 15, "Done means" 3): real clients on the Node
 * platform, the real server on 127.0.0.1, tokens that live two seconds. The server honours a
 * token until its `exp` plus 5 s of clock skew (server/tokens.ts), so "expired" below means past
 * that. Outcomes and order only: waits end when what they wait for happens.
 */
import { decodeJwt } from 'jose';
import { defer, firstValueFrom, from } from 'rxjs';
import { createToken } from '../../server';
import { CLOCK_TOLERANCE_S } from '../../server/tokens';
import type { RoomEvent } from '../../src/streams/room-event';
import { eventually, Harness, until, waitFor, type TestClient } from '../support/integration';

const ROOM = 'renewal';
const h = new Harness({ tokenExpiryLead: 1000, grace: 30_000 });
beforeEach(() => h.start());
afterEach(() => h.stop());

/** Tokens of one user, each living `ttl` s, in the order they were handed out. */
function tokenService(user: string, ttl = 2) {
  const issued: string[] = [];
  const log: string[] = [];
  const mint = async () => {
    const token = await createToken({ room: ROOM, user, publish: true, ttl });
    issued.push(token);
    return token;
  };
  return {
    issued,
    /** `fetch` each time the client asks for a token. */
    log,
    mint,
    renewToken: () =>
      defer(() => {
        log.push('fetch');
        return from(mint());
      }),
    /** Whether the server no longer honours `token`. */
    gone: (token: string) => Date.now() > (decodeJwt(token).exp! + CLOCK_TOLERANCE_S) * 1000,
  };
}

async function join(c: TestClient, token: string): Promise<void> {
  await firstValueFrom(c.client.join({ token, roomId: ROOM, userId: c.userId }));
}

/** b publishing, with a long-lived token, and what b sees happen. */
async function publisher(): Promise<{ b: TestClient; bEvents: RoomEvent[] }> {
  const b = h.client('b');
  const bEvents: RoomEvent[] = [];
  b.client.events$.subscribe((e) => bEvents.push(e));
  await join(b, await createToken({ room: ROOM, user: 'b', publish: true }));
  await firstValueFrom(b.client.publish());
  return { b, bEvents };
}

describe('token renewal against the reference server', () => {
  it('a call survives three token lifetimes with renewal', async () => {
    const { b } = await publisher();
    const tokens = tokenService('a');
    const a = h.client('a', { renewToken: tokens.renewToken });
    const statuses: string[] = [];
    a.client.connection$.subscribe((c) => statuses.push(c.status));
    await join(a, await tokens.mint());
    await until(a, (r) => !!r.streams.get('b:main'));
    await firstValueFrom(a.client.subscribe('b:main'));
    const session = a.client.state.sessionId;

    // Three tokens handed out after the first, and the first three no longer honoured.
    await eventually(() => tokens.issued.length >= 4, 30_000);
    await eventually(() => tokens.issued.slice(0, 3).every(tokens.gone), 30_000);

    await firstValueFrom(a.client.setAttributes({ still: 'here' }));
    expect(statuses).toEqual(['idle', 'connecting', 'connected']);
    expect(a.client.state.sessionId).toBe(session);
    expect(a.client.state.streams.get('b:main')?.subscription).toBeDefined();
    expect([...b.client.state.peers.keys()]).toEqual(['a']);
    await until(b, (r) => r.attributes.still === 'here');
  }, 60_000);

  it('a network cut after the first token expired resumes with a fresh token', async () => {
    const { bEvents } = await publisher();
    const tokens = tokenService('a');
    const a = h.client('a', { renewToken: tokens.renewToken });
    a.client.connection$.subscribe((c) => {
      if (c.status === 'reconnecting' || c.status === 'resumed') tokens.log.push(c.status);
    });
    await join(a, await tokens.mint());
    const session = a.client.state.sessionId;
    // Renewed once, and the first token is gone.
    await eventually(() => tokens.issued.length >= 2 && tokens.gone(tokens.issued[0]!), 30_000);

    // The cut lasts until even the latest token the client holds has expired.
    a.platform.goOffline();
    a.platform.dropSockets();
    await waitFor(a.client.connection$, (c) => c.status === 'reconnecting');
    const held = tokens.issued.length;
    await eventually(() => tokens.gone(tokens.issued[held - 1]!), 30_000);
    a.platform.goOnline();

    await waitFor(a.client.connection$, (c) => c.status === 'resumed', 15_000);
    expect(a.client.state.sessionId).toBe(session);
    // The fresh token was fetched after the cut and before the resume.
    const afterCut = tokens.log.slice(tokens.log.indexOf('reconnecting'));
    expect(afterCut.slice(0, 3)).toEqual(['reconnecting', 'fetch', 'resumed']);
    // b never saw a leave.
    expect(bEvents.some((e) => e.type === 'peer-left')).toBe(false);
    await firstValueFrom(a.client.setAttributes({ back: 'yes' }));
  }, 60_000);

  it('without renewal the session ends with kicked: token-expired', async () => {
    const { b, bEvents } = await publisher();
    const tokens = tokenService('a');
    const a = h.client('a');
    const events: string[] = [];
    a.client.events$.subscribe((e) => {
      if (e.type === 'token-expiring' || e.type === 'kicked' || e.type === 'left') events.push(e.type);
    });
    await join(a, await tokens.mint());

    const ended = await waitFor(a.client.connection$, (c) => c.status === 'kicked', 30_000);
    expect(ended).toEqual({ status: 'kicked', kickReason: 'token-expired' });
    expect(events).toEqual(['token-expiring', 'kicked', 'left']);
    await until(b, (r) => !r.peers.has('a'));
    expect(bEvents).toContainEqual({ type: 'peer-left', userId: 'a', reason: 'kicked' });
  }, 60_000);
});
