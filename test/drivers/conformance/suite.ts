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
import { selectPeer, selectStream } from '../../../src/streams/selectors';
import { decodePusherNetStatus, decodePusherStateChange } from '../../../src/bindings/native/decode';
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
  'renew-token': (c) => c.renewToken('a-newer-token'),
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
      await h.until(`${A} sees ${B}:main`, () => !!selectStream(`${B}:main`)(a.state));
      return { a, b };
    };

    it('declares exactly the capabilities docs/drivers.md lists for it', () => {
      const client = h.client(A);
      expect(client.driverName).toBe(h.driverName);
      expect([...h.capabilities].sort()).toEqual(
        [...documentedCapabilities(h.matrixColumn ?? h.driverName)].sort(),
      );
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
        await h.until(`${A} sees peer ${B}`, () => !!selectPeer(B)(a.state));
        await h.until(`${B} sees peer ${A}`, () => !!selectPeer(A)(b.state));
        expect(selectPeer(B)(a.state)).toMatchObject({ userId: B, visible: true });
      }
      expect(selectStream(`${B}:main`)(a.state)).toBeNull();
      await result(b.publish());
      await h.until(`${A} sees ${B}:main`, () => !!selectStream(`${B}:main`)(a.state));
      expect(selectPeer(B)(a.state)).toMatchObject({ userId: B });
      expect(selectStream(`${B}:main`)(a.state)).toMatchObject({
        id: `${B}:main`,
        userId: B,
        kind: 'main',
        hasAudio: true,
        audioMuted: false,
        videoMuted: false,
        subscription: null,
      });
      // Nobody sees themselves as a peer.
      expect(selectPeer(A)(a.state)).toBeNull();
      expect(selectStream(`${B}:main`)(b.state)).toBeNull();
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
      expect(selectStream(`${B}:main`)(a.state)?.subscription?.url).toBe(subscription.url);
      await result(a.unsubscribe(`${B}:main`));
      expect(selectStream(`${B}:main`)(a.state)?.subscription).toBeNull();
    });

    it('mute bits: an owner mute is seen by the others; a receiver mute stays local', async () => {
      const { a, b } = await twoInRoom();
      await result(a.subscribe(`${B}:main`));
      const muted = await result(b.muteLocal({ audio: true }));
      expect(muted).toMatchObject({ id: `${B}:main`, audioMuted: true, videoMuted: false });
      expect(b.state.self?.publications[`${B}:main`]?.stream.audioMuted).toBe(true);
      await h.until(
        `${A} sees ${B} audio muted`,
        () => selectStream(`${B}:main`)(a.state)?.audioMuted === true,
      );
      expect(selectStream(`${B}:main`)(a.state)?.videoMuted).toBe(false);
      await result(b.muteLocal({ audio: false }));
      await h.until(
        `${A} sees ${B} audio back`,
        () => selectStream(`${B}:main`)(a.state)?.audioMuted === false,
      );

      const sub = await result(a.muteRemote(`${B}:main`, { video: true }));
      expect(sub).toMatchObject({ streamId: `${B}:main`, videoMuted: true, audioMuted: false });
      expect(selectStream(`${B}:main`)(a.state)?.subscription?.videoMuted).toBe(true);
      expect(b.state.self?.publications[`${B}:main`]?.stream.videoMuted).toBe(false);
    });

    it('subscribe small/tiny: the small variant where the driver declares it, UNSUPPORTED at once otherwise', async () => {
      const a = h.client(A);
      const b = h.client(B);
      await h.join(a, A);
      await h.join(b, B);
      // Publishers that can offer a small variant do; vendors that make it themselves refuse.
      const offered = await result(b.publish({ small: true })).then(
        () => null,
        (e: RtcError) => e,
      );
      if (offered) {
        expect(offered.code).toBe('UNSUPPORTED');
        await result(b.publish());
      }
      await h.until(`${A} sees ${B}:main`, () => !!selectStream(`${B}:main`)(a.state));
      if (!h.capabilities.has('small-stream')) {
        expect(immediateError(a.subscribe(`${B}:main`, { small: true }))?.code).toBe('UNSUPPORTED');
        return;
      }
      const sub = await result(a.subscribe(`${B}:main`, { small: true }));
      expect(sub).toMatchObject({
        streamId: `${B}:main`,
        small: true,
        url: expect.stringMatching(/^[a-z]+:\/\/./),
      });
      expect(selectStream(`${B}:main`)(a.state)?.subscription?.small).toBe(true);
      const big = await result(a.subscribe(`${B}:main`, { small: false }));
      expect(big.small).toBe(false);
    });

    it('mute local and remote, both ways: mute and unmute each track, seen where they should be', async () => {
      const { a, b } = await twoInRoom();
      await result(a.subscribe(`${B}:main`));
      const seenByA = (bit: 'audioMuted' | 'videoMuted', value: boolean) =>
        h.until(`${A} sees ${B} ${bit}=${value}`, () => selectStream(`${B}:main`)(a.state)?.[bit] === value);
      for (const [track, bit] of [
        ['video', 'videoMuted'],
        ['audio', 'audioMuted'],
      ] as const) {
        expect(await result(b.muteLocal({ [track]: true }))).toMatchObject({ [bit]: true });
        await seenByA(bit, true);
        expect(await result(b.muteLocal({ [track]: false }))).toMatchObject({ [bit]: false });
        await seenByA(bit, false);
      }
      for (const [track, bit] of [
        ['audio', 'audioMuted'],
        ['video', 'videoMuted'],
      ] as const) {
        expect(await result(a.muteRemote(`${B}:main`, { [track]: true }))).toMatchObject({ [bit]: true });
        expect(h.receiving?.(A, `${B}:main`)?.[track] ?? false).toBe(false);
        expect(selectStream(`${B}:main`)(a.state)?.subscription?.[bit]).toBe(true);
        expect(await result(a.muteRemote(`${B}:main`, { [track]: false }))).toMatchObject({ [bit]: false });
        if (h.receiving) expect(h.receiving(A, `${B}:main`)?.[track]).toBe(true);
        // The owner's bits are the owner's: a receiver mute changes nothing for the others.
        expect(selectStream(`${B}:main`)(a.state)?.[bit]).toBe(false);
        expect(b.state.self?.publications[`${B}:main`]?.stream[bit]).toBe(false);
      }
    });

    it('screen and tagged streams: each stream of a user stays apart, or the driver refuses at once', async () => {
      const { a, b } = await twoInRoom();
      if (h.capabilities.has('screen')) {
        await result(b.publish({ kind: 'screen', audio: false }));
        await h.until(`${A} sees ${B}:screen`, () => !!selectStream(`${B}:screen`)(a.state));
        expect(selectStream(`${B}:screen`)(a.state)).toMatchObject({ kind: 'screen', userId: B });
      } else expect(immediateError(b.publish({ kind: 'screen' }))?.code).toBe('UNSUPPORTED');
      if (h.traits.tags) {
        const tagged = await result(b.publish({ tag: 'board', audio: false }));
        expect(tagged.stream).toMatchObject({ id: `${B}:board`, tag: 'board', kind: 'main' });
        await h.until(`${A} sees ${B}:board`, () => !!selectStream(`${B}:board`)(a.state));
        expect(selectStream(`${B}:board`)(a.state)).toMatchObject({ tag: 'board', hasAudio: false });
        const sub = await result(a.subscribe(`${B}:board`));
        expect(sub.url).not.toBe(selectStream(`${B}:main`)(a.state)?.subscription?.url);
        await result(b.unpublish(`${B}:board`));
        await h.until(`${B}:board goes`, () => !selectStream(`${B}:board`)(a.state));
      } else expect(immediateError(b.publish({ tag: 'board' }))?.code).toBe('UNSUPPORTED');
      expect(selectStream(`${B}:main`)(a.state)).toMatchObject({ id: `${B}:main`, kind: 'main' });
    });

    it('stats reports: every component state and net event reaches the vendor, or report is offered, or refused', async () => {
      const a = h.client(A);
      await h.join(a, A);
      await result(a.publish());
      if (h.reports) {
        for (const code of [1001, 1002, 1003])
          a.dispatchNative(decodePusherStateChange({ detail: { code, message: `state ${code}` } }));
        a.dispatchNative(decodePusherNetStatus({ detail: { info: { videoFPS: 15 } } }));
        await h.until(`${A}'s SDK has the reports`, () => JSON.stringify(h.reports!(A)).includes('videoFPS'));
        const text = JSON.stringify(h.reports(A));
        // No sampling: every state code is there, in order.
        expect([1001, 1002, 1003].map((code) => text.indexOf(String(code)))).toEqual(
          [...[1001, 1002, 1003].map((code) => text.indexOf(String(code)))].sort((x, y) => x - y),
        );
        expect([1001, 1002, 1003].every((code) => text.includes(String(code)))).toBe(true);
      } else if (h.capabilities.has('report')) {
        await expect(
          result(a.report({ kind: 'pusher-state', code: 1002, message: 'pushing' })),
        ).resolves.toBeUndefined();
      } else {
        expect(immediateError(a.report({ kind: 'pusher-state', code: 1002 }))?.code).toBe('UNSUPPORTED');
      }
    });

    it('leave: it ends disconnected; the others see the peer and its stream go', async () => {
      const { a, b } = await twoInRoom();
      const events = eventsOf(b);
      await result(b.leave());
      expect(b.state.roomId).toBeNull();
      expect(b.state.connection.status).toBe('disconnected');
      expect(events.filter((e) => e.type === 'left')).toEqual([{ type: 'left', reason: 'leave' }]);
      await h.until(
        `${A} sees ${B} go`,
        () => !selectStream(`${B}:main`)(a.state) && !selectPeer(B)(a.state),
      );
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
      await h.until(
        `${A} sees ${B} go`,
        () => !selectStream(`${B}:main`)(a.state) && !selectPeer(B)(a.state),
      );
    });

    it('reconnection: a drop is reported and recovered, with what the user had', async () => {
      const { a, b } = await twoInRoom();
      await result(a.publish());
      await result(a.subscribe(`${B}:main`, { video: false }));
      await h.until(`${B} sees ${A}:main`, () => !!selectStream(`${A}:main`)(b.state));
      const seen = statuses(a);
      await h.drop(A);
      await h.until(
        `${A} recovers (${h.traits.recovery}) with its publication and subscription`,
        () =>
          a.state.connection.status === h.traits.recovery &&
          !!a.state.self?.publications[`${A}:main`] &&
          !!selectStream(`${B}:main`)(a.state)?.subscription,
      );
      await h.until(`${B} sees ${A}:main again`, () => !!selectStream(`${A}:main`)(b.state));
      const order = seen.map((s) => s.status).filter((s) => s !== 'connected');
      const firstReconnecting = order.indexOf('reconnecting');
      expect(firstReconnecting).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(h.traits.recovery)).toBeGreaterThan(firstReconnecting);
      const reconnecting = seen.find((s) => s.status === 'reconnecting');
      expect(reconnecting?.attempt).toBeGreaterThanOrEqual(1);
      expect(selectStream(`${B}:main`)(a.state)?.subscription).toMatchObject({ audio: true, video: false });
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
