/**
 * The cluster benchmark's count of cross-node deliveries (bench/sections/server-cluster.ts): which
 * deliveries reach a receiver on another node than the room's home, from the homes and the load's
 * fixed order of senders. No timing here: benchmarks are not tests.
 */
import { crossNodeShare } from '../../bench/sections/server-cluster';
import { LIMIT_LOAD } from '../../bench/sections/server-limit';

describe('crossNodeShare', () => {
  it('counts receivers away from the home and senders relayed to it', () => {
    // One room of 3 on nodes a, b, c (member u on node u), homed on a; each member sends once.
    const share = crossNodeShare(
      { ...LIMIT_LOAD, rooms: 1, perRoom: 3, sendsPerSecond: 3, seconds: 1 },
      ['a', 'b', 'c'],
      ['a'],
    );
    // Sender 0 (on a): b and c are away; sender 1: c; sender 2: b. 4 of 6; senders 1 and 2 relayed.
    expect(share).toEqual({ homes: { a: 1 }, crossDeliveries: 0.667, relayedSends: 0.667 });
  });

  it('finds nothing crossing on one node', () => {
    const share = crossNodeShare({ ...LIMIT_LOAD, seconds: 1 }, ['solo'], Array(100).fill('solo'));
    expect(share).toEqual({ homes: { solo: 100 }, crossDeliveries: 0, relayedSends: 0 });
  });

  it('spreads the rooms of the bench over three nodes so that most deliveries cross', () => {
    const ids = ['n1', 'n2', 'n3'];
    // The first join of room r comes from its member 0, on node r mod 3: that node claims it.
    const owners = [...Array(LIMIT_LOAD.rooms).keys()].map((r) => ids[r % 3]!);
    const share = crossNodeShare(LIMIT_LOAD, ids, owners);
    expect(share.homes).toEqual({ n1: 34, n2: 33, n3: 33 });
    // Of a room’s 10 members 4 sit on the home: a message from one of them reaches 6 receivers
    // elsewhere, one from the 6 others 5: 5.4 of 9 on average, and 6 senders of 10 are relayed.
    expect(share.crossDeliveries).toBe(0.6);
    expect(share.relayedSends).toBe(0.6);
  });

  it('counts a room without an owner as homed nowhere', () => {
    const share = crossNodeShare(
      { ...LIMIT_LOAD, rooms: 1, perRoom: 2, sendsPerSecond: 2, seconds: 1 },
      ['a', 'b'],
      [null],
    );
    expect(share).toEqual({ homes: { none: 1 }, crossDeliveries: 1, relayedSends: 1 });
  });
});
