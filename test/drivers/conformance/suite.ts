/**
 * The driver conformance suite: one set of specifications every driver passes through the public
 * client (`createClient({ driver })`), so the room, reducer, operators and page binding can rely
 * on the same behaviour whatever backend runs (ARCHITECTURE.md decision 2).
 *
 * Each runner calls `runConformance(name, makeHarness)` with a harness over its backend.
 */
import type { Observable } from 'rxjs';
import type { RtcError } from '../../../src/errors';
import type { VendorCommandType } from '../../../src/bindings/drivers/kit/vendor-driver';
import type { Capability } from '../../../src/streams/command';
import type { RtcClient } from '../../../src/streams/create-client';
import type { ConnectionState } from '../../../src/streams/model';
import type { RoomEvent } from '../../../src/streams/room-event';
import { documentedCapabilities } from './capability-matrix';
import { failure, result, type ConformanceHarness } from './harness';

/** How to call each command on a joined client (`other` is a peer publishing `other:main`). */
const INVOKE: Record<VendorCommandType, (c: RtcClient, other: string) => Observable<unknown>> = {
  publish: (c) => c.publish(),
  unpublish: (c) => c.unpublish(),
  subscribe: (c, other) => c.subscribe(`${other}:main`),
  unsubscribe: (c, other) => c.unsubscribe(`${other}:main`),
  'mute-local': (c) => c.muteLocal({ audio: true }),
  'mute-remote': (c, other) => c.muteRemote(`${other}:main`, { audio: true }),
  'set-visibility': (c) => c.setVisibility(false),
  'set-role': (c) => c.setRole('audience'),
  'set-business-id': (c) => c.setBusinessId('biz-1'),
  'set-attributes': (c) => c.setAttributes({ topic: 'maths' }),
  'get-attributes': (c) => c.getAttributes(),
  'delete-attributes': (c) => c.deleteAttributes(['topic']),
  'send-message': (c) => c.sendMessage('hello', 'world'),
  report: (c) => c.report({ kind: 'pusher-state', code: 1002 }),
};

/** The error an Observable fails with synchronously on subscribe, if any. */
function immediateError(o: Observable<unknown>): RtcError | undefined {
  let error: RtcError | undefined;
  o.subscribe({ error: (e: RtcError) => (error = e) }).unsubscribe();
  return error;
}

function statuses(client: RtcClient): ConnectionState[] {
  const seen: ConnectionState[] = [];
  client.connection$.subscribe((c) => seen.push(c));
  return seen;
}

function eventsOf(client: RtcClient): RoomEvent[] {
  const seen: RoomEvent[] = [];
  client.events$.subscribe((e) => seen.push(e));
  return seen;
}

/**
 * Registers the conformance specifications of one driver.
 *
 * @example
 * ```ts
 * runConformance('agora', async () => agoraHarness())
 * ```
 */
export function runConformance(name: string, makeHarness: () => Promise<ConformanceHarness>): void {
  describe(`driver conformance: ${name}`, () => {
    let h: ConformanceHarness;
    let A: string;
    let B: string;
    let C: string;

    beforeEach(async () => {
      h = await makeHarness();
      [A, B, C] = h.userIds;
    });
    afterEach(async () => {
      await h.teardown();
    });

    /** A and B in the room, B publishing, A seeing B's stream. */
    const twoInRoom = async () => {
      const a = h.client(A);
      const b = h.client(B);
      await h.join(a, A);
      await h.join(b, B);
      await result(b.publish());
      await h.until(`${A} sees ${B}:main`, () => !!a.state.streams.get(`${B}:main`));
      return { a, b };
    };

    it('declares exactly the capabilities docs/drivers.md lists for it', () => {
      const client = h.client(A);
      expect(client.driverName).toBe(h.driverName);
      expect([...h.capabilities].sort()).toEqual([...documentedCapabilities(h.driverName)].sort());
    });

    it('joins: connecting, then connected, with its room and itself', async () => {
      const a = h.client(A);
      const seen = statuses(a);
      await h.join(a, A);
      expect(seen.map((s) => s.status)).toEqual(['idle', 'connecting', 'connected']);
      expect(a.state.roomId).toBe(h.roomId);
      expect(a.state.sessionId).toEqual(expect.any(String));
      expect(a.state.self).toMatchObject({ userId: A, role: 'broadcaster', visible: true, publications: {} });
      expect(await failure(a.join({ token: 't', roomId: h.roomId, userId: A }))).toMatchObject({
        code: 'ALREADY_JOINED',
      });
    });

    it('sees the peers and streams of others', async () => {
      const a = h.client(A);
      const b = h.client(B);
      await h.join(a, A);
      await h.join(b, B);
      if (h.traits.presence) {
        await h.until(`${A} sees peer ${B}`, () => !!a.state.peers.get(B));
        await h.until(`${B} sees peer ${A}`, () => !!b.state.peers.get(A));
        expect(a.state.peers.get(B)).toMatchObject({ userId: B, visible: true });
      }
      expect(a.state.streams.get(`${B}:main`)).toBeUndefined();
      await result(b.publish());
      await h.until(`${A} sees ${B}:main`, () => !!a.state.streams.get(`${B}:main`));
      expect(a.state.peers.get(B)).toMatchObject({ userId: B });
      expect(a.state.streams.get(`${B}:main`)).toMatchObject({
        id: `${B}:main`,
        userId: B,
        kind: 'main',
        hasAudio: true,
        audioMuted: false,
        videoMuted: false,
        subscription: null,
      });
      // Nobody sees themselves as a peer.
      expect(a.state.peers.get(A)).toBeUndefined();
      expect(b.state.streams.get(`${B}:main`)).toBeUndefined();
    });

    it('publishes: a push URL on its local stream, and no second one', async () => {
      const a = h.client(A);
      await h.join(a, A);
      const publication = await result(a.publish());
      expect(publication.url).toMatch(/^[a-z]+:\/\/./);
      expect(publication.stream).toMatchObject({ id: `${A}:main`, userId: A, kind: 'main' });
      expect(a.state.self?.publications[`${A}:main`]?.url).toBe(publication.url);
      expect(await failure(a.publish())).toMatchObject({ code: 'ALREADY_PUBLISHED' });
    });

    it('subscribes: a play URL for a remote stream, then unsubscribes', async () => {
      const { a } = await twoInRoom();
      const subscription = await result(a.subscribe(`${B}:main`, { audio: true, video: true }));
      expect(subscription.url).toMatch(/^[a-z]+:\/\/./);
      expect(subscription).toMatchObject({
        streamId: `${B}:main`,
        audio: true,
        video: true,
        audioMuted: false,
      });
      expect(a.state.streams.get(`${B}:main`)?.subscription?.url).toBe(subscription.url);
      await result(a.unsubscribe(`${B}:main`));
      expect(a.state.streams.get(`${B}:main`)?.subscription).toBeNull();
    });

    it('mute bits: an owner mute is seen by the others; a receiver mute stays local', async () => {
      const { a, b } = await twoInRoom();
      await result(a.subscribe(`${B}:main`));
      const muted = await result(b.muteLocal({ audio: true }));
      expect(muted).toMatchObject({ id: `${B}:main`, audioMuted: true, videoMuted: false });
      expect(b.state.self?.publications[`${B}:main`]?.stream.audioMuted).toBe(true);
      await h.until(
        `${A} sees ${B} audio muted`,
        () => a.state.streams.get(`${B}:main`)?.audioMuted === true,
      );
      expect(a.state.streams.get(`${B}:main`)?.videoMuted).toBe(false);
      await result(b.muteLocal({ audio: false }));
      await h.until(
        `${A} sees ${B} audio back`,
        () => a.state.streams.get(`${B}:main`)?.audioMuted === false,
      );

      const sub = await result(a.muteRemote(`${B}:main`, { video: true }));
      expect(sub).toMatchObject({ streamId: `${B}:main`, videoMuted: true, audioMuted: false });
      expect(a.state.streams.get(`${B}:main`)?.subscription?.videoMuted).toBe(true);
      expect(b.state.self?.publications[`${B}:main`]?.stream.videoMuted).toBe(false);
    });

    it('leave: it ends disconnected; the others see the peer and its stream go', async () => {
      const { a, b } = await twoInRoom();
      const events = eventsOf(b);
      await result(b.leave());
      expect(b.state.roomId).toBeNull();
      expect(b.state.connection.status).toBe('disconnected');
      expect(events.filter((e) => e.type === 'left')).toEqual([{ type: 'left', reason: 'leave' }]);
      await h.until(`${A} sees ${B} go`, () => !a.state.streams.get(`${B}:main`) && !a.state.peers.get(B));
      expect(await failure(b.publish())).toMatchObject({ code: 'NOT_JOINED' });
    });

    it('kick: the kicked client ends kicked and is not retried; the others see it go', async () => {
      const { a, b } = await twoInRoom();
      const events = eventsOf(b);
      const seen = statuses(b);
      await h.kick(B);
      await h.until(`${B} is kicked`, () => b.state.connection.status === 'kicked');
      expect(b.state.roomId).toBeNull();
      expect(events.some((e) => e.type === 'kicked')).toBe(true);
      expect(events.filter((e) => e.type === 'left')).toEqual([{ type: 'left', reason: 'kicked' }]);
      expect(seen.some((s) => s.status === 'reconnecting')).toBe(false);
      await h.until(`${A} sees ${B} go`, () => !a.state.streams.get(`${B}:main`) && !a.state.peers.get(B));
    });

    it('reconnection: a drop is reported and recovered, with what the user had', async () => {
      const { a, b } = await twoInRoom();
      await result(a.publish());
      await result(a.subscribe(`${B}:main`, { video: false }));
      await h.until(`${B} sees ${A}:main`, () => !!b.state.streams.get(`${A}:main`));
      const seen = statuses(a);
      await h.drop(A);
      await h.until(
        `${A} recovers (${h.traits.recovery}) with its publication and subscription`,
        () =>
          a.state.connection.status === h.traits.recovery &&
          !!a.state.self?.publications[`${A}:main`] &&
          !!a.state.streams.get(`${B}:main`)?.subscription,
      );
      await h.until(`${B} sees ${A}:main again`, () => !!b.state.streams.get(`${A}:main`));
      const order = seen.map((s) => s.status).filter((s) => s !== 'connected');
      const firstReconnecting = order.indexOf('reconnecting');
      expect(firstReconnecting).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(h.traits.recovery)).toBeGreaterThan(firstReconnecting);
      const reconnecting = seen.find((s) => s.status === 'reconnecting');
      expect(reconnecting?.attempt).toBeGreaterThanOrEqual(1);
      expect(a.state.streams.get(`${B}:main`)?.subscription).toMatchObject({ audio: true, video: false });
      expect(a.state.roomId).toBe(h.roomId);
    });

    it('error mapping: vendor refusals and errors become documented codes', async () => {
      const c = h.client(C);
      const seen = statuses(c);
      const error = await failure(c.join({ token: h.refusedJoin.token, roomId: h.roomId, userId: C }));
      expect({ vendor: h.refusedJoin.vendorCode, code: error.code }).toEqual({
        vendor: h.refusedJoin.vendorCode,
        code: h.refusedJoin.expected,
      });
      expect(c.state.roomId).toBeNull();
      expect(seen[seen.length - 1]?.status).toBe('disconnected');

      const a = h.client(A);
      await h.join(a, A);
      const errors: string[] = [];
      a.errors$.subscribe((e) => errors.push(e.code));
      const expected = await h.backgroundError(A);
      if (expected) await h.until(`${A} reports ${expected}`, () => errors.includes(expected));
      expect(a.state.connection.status).toBe('connected');
    });

    it('answers UNSUPPORTED at once for every capability it does not declare', async () => {
      const { a } = await twoInRoom();
      const declared = h.capabilities;
      const missing = (Object.keys(INVOKE) as VendorCommandType[]).filter((t) => !declared.has(t));
      for (const type of missing) {
        expect({ type, code: immediateError(INVOKE[type](a, B))?.code }).toEqual({
          type,
          code: 'UNSUPPORTED',
        });
      }
      const features: [Capability, () => Observable<unknown>][] = [
        ['screen', () => a.publish({ kind: 'screen' })],
        ['small-stream', () => a.subscribe(`${B}:main`, { small: true })],
        [
          'invisible',
          () => h.client(C).join({ token: 'token', roomId: h.roomId, userId: C, visible: false }),
        ],
      ];
      for (const [feature, call] of features.filter(([f]) => !declared.has(f))) {
        expect({ feature, code: immediateError(call())?.code }).toEqual({ feature, code: 'UNSUPPORTED' });
      }
      // Refusals never reach the backend, so the room is untouched.
      expect(a.state.connection.status).toBe('connected');
      expect(Object.keys(a.state.self?.publications ?? {})).toEqual([]);
    });
  });
}
