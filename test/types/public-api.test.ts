/**
 * Type-level tests: these pin the public types. A change that breaks them fails compilation,
 * and so this suite, before it reaches users.
 */
import { expectTypeOf } from 'expect-type';
import * as api from '../../src/index';
import type {
  AckData,
  JoinAckData,
  PushFrame,
  RequestBody,
  RequestFrame,
  RtcErrorCode,
  ServerFrame,
  StreamInfo,
} from '../../src/index';

describe('public types', () => {
  it('narrows request frames by type', () => {
    expectTypeOf<RequestFrame<'subscribe'>>().toMatchTypeOf<{ t: 'subscribe'; id: number; stream: string }>();
    expectTypeOf<RequestFrame<'subscribe'>['small']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<RequestBody<'publish'>>().not.toHaveProperty('id');
    expectTypeOf<RequestFrame['t']>().toEqualTypeOf<api.RequestType>();
    expect(api.FRAME_TYPES.requests).toContain('subscribe');
  });

  it('gives every push a seq and a narrowable tag', () => {
    expectTypeOf<PushFrame['seq']>().toEqualTypeOf<number>();
    expectTypeOf<Extract<ServerFrame, { t: 'peer-left' }>>().toEqualTypeOf<PushFrame<'peer-left'>>();
    expectTypeOf<PushFrame<'peer-left'>['reason']>().toEqualTypeOf<
      'leave' | 'timeout' | 'kicked' | 'replaced' | 'hidden' | 'room-closed'
    >();
    expect(api.FRAME_TYPES.pushes).toContain('peer-left');
  });

  it('types ack data by request', () => {
    expectTypeOf<AckData<'subscribe'>['url']>().toEqualTypeOf<string>();
    expectTypeOf<AckData<'join'>>().toEqualTypeOf<JoinAckData>();
    expectTypeOf<Extract<JoinAckData, { mode: 'resumed' }>>().not.toHaveProperty('peers');
    expectTypeOf<StreamInfo['kind']>().toEqualTypeOf<'main' | 'screen'>();
    expect(api.decodeAckData('leave', {}).ok).toBe(true);
  });

  it('keeps error codes a closed union', () => {
    expectTypeOf<'NOT_JOINED'>().toMatchTypeOf<RtcErrorCode>();
    expectTypeOf<'SOMETHING_ELSE'>().not.toMatchTypeOf<RtcErrorCode>();
    expectTypeOf<api.RtcError['code']>().toEqualTypeOf<RtcErrorCode>();
    expect(new api.RtcError('TIMEOUT', 'x').code).toBe('TIMEOUT');
  });

  it('exports decoders that return results, not throws', () => {
    expectTypeOf(api.decodeServerFrame).returns.toEqualTypeOf<api.DecodeResult<ServerFrame>>();
    expect(api.decodeServerFrame('nope').ok).toBe(false);
  });
});
