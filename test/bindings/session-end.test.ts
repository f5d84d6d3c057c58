import { sessionEnding } from '../../src/bindings/session-end';
import { RtcError } from '../../src/errors';

describe('sessionEnding', () => {
  it('a kick ends as kicked, with the reason the server gave', () => {
    expect(sessionEnding(new RtcError('KICKED', 'x'), 'replaced')).toMatchObject({
      reason: 'kicked',
      state: { status: 'kicked', kickReason: 'replaced' },
    });
    expect(sessionEnding(new RtcError('KICKED', 'x'), null).state).toEqual({ status: 'kicked' });
  });
  it('a policy that gave up ends as failed; anything else as disconnected, with the error', () => {
    expect(sessionEnding(new RtcError('RECONNECT_FAILED', 'gave up')).state).toEqual({
      status: 'failed',
      error: { code: 'RECONNECT_FAILED', reason: 'gave up' },
    });
    expect(sessionEnding(new Error('boom'))).toMatchObject({
      reason: 'connection-lost',
      state: { status: 'disconnected', error: { code: 'INTERNAL' } },
    });
  });
});
