/**
 * Stream tags (issue 14): a user's streams under `main`, `screen` and custom tags stay distinct in
 * the room state, carry their tag, and all go when the user leaves.
 */
import { selectStream, selectStreamList, selectStreamsOfUser } from '../../src/streams/selectors';
import { joined, peer, reduceAll, stream } from '../support/room-fixtures';

const lecture = stream('bob', { id: 'bob:lecture', tag: 'lecture' });

describe('stream tags in the room state', () => {
  it("keeps a user's main, screen and tagged streams apart, each with its tag", () => {
    const s = reduceAll([
      joined({ peers: [peer('bob')], streams: [stream('bob')] }),
      { type: 'stream-added', stream: stream('bob', { kind: 'screen', hasAudio: false }) },
      { type: 'stream-added', stream: lecture },
    ]);
    expect(
      selectStreamsOfUser('bob')(s)
        .map((x) => x.id)
        .sort(),
    ).toEqual(['bob:lecture', 'bob:main', 'bob:screen']);
    expect(selectStream('bob:lecture')(s)).toMatchObject({
      kind: 'main',
      tag: 'lecture',
      subscription: null,
    });
    expect(selectStream('bob:main')(s)?.tag).toBeUndefined();
    // A change of the tag alone is a change of the stream.
    const retagged = reduceAll([{ type: 'stream-updated', stream: { ...lecture, tag: 'lecture2' } }], s);
    expect(selectStream('bob:lecture')(retagged)?.tag).toBe('lecture2');
  });

  it('peer-left drops every stream of the user, tagged ones too (needs the state-core change of peer-left)', () => {
    const s = reduceAll([
      joined({ peers: [peer('bob'), peer('carol')], streams: [stream('bob'), lecture, stream('carol')] }),
      { type: 'peer-left', userId: 'bob', reason: 'leave' },
    ]);
    expect(selectStreamList(s).map((x) => x.id)).toEqual(['carol:main']);
  });
});
