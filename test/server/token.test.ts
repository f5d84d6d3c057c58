/**
 * Token renewal on the reference server (docs/protocol.md §5 `renew-token`, §6 `token-expiring`,
 * §9 "Expiry during a session"): real sockets on 127.0.0.1, tokens that expire within seconds.
 * Outcomes and order only; waits end when the awaited frame arrives.
 */
import { decodeJwt } from 'jose';
import type { RunningServer } from '../../server';
import { CLOCK_TOLERANCE_S } from '../../server/tokens';
import { Client, closeClients, eventually, startTestServer, token } from './support';

let server: RunningServer;
let n = 0;
const room = () => `tok-${++n}`;

beforeAll(async () => {
  // Raw clients send no pings: a long heartbeat timeout keeps them in until their tokens run out.
  server = await startTestServer({ grace: 30_000, heartbeatTimeout: 60_000, tokenExpiryLead: 1000 });
});
afterEach(() => closeClients());
afterAll(() => server.close());

const expOf = (t: string) => decodeJwt(t).exp!;

describe('renew-token', () => {
  it('answers the exp of the new token, whose privileges apply from then on', async () => {
    const r = room();
    const { client } = await Client.join(server, r, 'alice', {}, { publish: false });
    expect((await client.fail('publish', { audio: true, video: true })).code).toBe('NOT_ALLOWED');
    const newer = await token(r, 'alice', { exp: 7200 });
    expect(await client.ok('renew-token', { token: newer })).toEqual({ exp: expOf(newer) });
    await client.ok('publish', { audio: true, video: true });
  });

  it('refuses a token of another room, user or app, an expired, a forged and an empty one; the session carries on', async () => {
    const r = room();
    const { client } = await Client.join(server, r, 'alice');
    const refusals = [
      [await token('elsewhere', 'alice'), 'TOKEN_MISMATCH'],
      [await token(r, 'bob'), 'TOKEN_MISMATCH'],
      [await token(r, 'alice', { app: 'other-app' }), 'TOKEN_MISMATCH'],
      [await token(r, 'alice', { exp: -60 }), 'TOKEN_EXPIRED'],
      [await token(r, 'alice', { secret: 'not-the-secret' }), 'TOKEN_INVALID'],
      [await token(r, 'alice', { nbf: 600 }), 'TOKEN_NOT_YET_VALID'],
      ['', 'TOKEN_MISSING'],
    ] as const;
    for (const [t, code] of refusals) {
      expect({ code: (await client.fail('renew-token', { token: t })).code }).toEqual({ code });
    }
    await client.ok('attrs-set', { attributes: { still: 'here' } });
    expect(client.pushes('kicked')).toEqual([]);
  });

  it('needs a joined session', async () => {
    const client = await Client.open(server.url);
    expect((await client.fail('renew-token', { token: await token(room(), 'alice') })).code).toBe(
      'NOT_JOINED',
    );
  });
});

describe('when tokens run out', () => {
  it('warns a lead before exp, then kicks the session that did not renew; renewed and detached sessions stay', async () => {
    const r = room();
    const short = { exp: 2 };
    // alice never renews; bob renews on the warning; carol loses her socket before the expiry.
    const { client: alice, ack: aliceAck } = await Client.join(server, r, 'alice', {}, short);
    const { client: bob } = await Client.join(server, r, 'bob', {}, short);
    const { client: carol, ack: carolAck } = await Client.join(server, r, 'carol', {}, short);
    const aliceExp = aliceAck.exp!;
    expect(aliceExp).toBeGreaterThan(0);
    carol.drop();

    const warning = await bob.next('token-expiring');
    const renewed = await token(r, 'bob', { exp: 3600 });
    expect(await bob.ok('renew-token', { token: renewed })).toEqual({ exp: expOf(renewed) });
    expect(warning.exp).toBeLessThan(expOf(renewed));

    // alice: warned, then kicked (token-expired) and closed with 4001; the others see her leave.
    const warned = await alice.next('token-expiring');
    expect(warned.exp).toBe(aliceExp);
    const kicked = await alice.next('kicked');
    expect(kicked.reason).toBe('token-expired');
    expect(kicked.seq).toBeGreaterThan(warned.seq);
    expect((await alice.waitClose()).code).toBe(4001);
    expect(await bob.next('peer-left', (p) => p.user === 'alice')).toMatchObject({ reason: 'kicked' });

    // bob holds the renewed token: still in, never kicked.
    await bob.sync();
    expect(bob.pushes('kicked')).toEqual([]);
    expect(bob.closeInfo).toBeUndefined();

    // carol was in her grace window when her token ran out: the session waited for her resume,
    // which presents a fresh token.
    await eventually(() => Date.now() > (carolAck.exp! + CLOCK_TOLERANCE_S) * 1000, 'carol token gone');
    const fresh = await token(r, 'carol', { exp: 3600 });
    const back = await Client.open(server.url);
    const resume = { session: carolAck.session, seq: carolAck.seq };
    const ack = await back.ok('join', { token: fresh, room: r, user: 'carol', resume });
    expect(ack).toMatchObject({ mode: 'resumed', session: carolAck.session, exp: expOf(fresh) });
    expect(await back.next('token-expiring')).toMatchObject({ exp: carolAck.exp });
  });
});
