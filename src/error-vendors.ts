/**
 * The codes of the seed vendor SDKs that mean the same as an rxroom code (ARCHITECTURE.md
 * decision 8): the part of the code table vendor drivers need at run time. The sentences are in
 * `./error-codes.ts`, for docs and tooling.
 */
import type { RtcErrorCode } from './errors';

/** Vendor codes by vendor, for one rxroom code. */
export interface VendorErrorCodes {
  readonly volcengine?: readonly number[];
  readonly agora?: readonly number[];
  readonly rongcloud?: readonly number[];
}

/** The vendor codes of each rxroom code that has any, in table order. */
export const RTC_ERROR_VENDOR_CODES: { readonly [C in RtcErrorCode]?: VendorErrorCodes } = {
  TOKEN_INVALID: { volcengine: [200004], rongcloud: [50006] },
  TOKEN_MISMATCH: { agora: [401] },
  NOT_JOINED: { volcengine: [100002], rongcloud: [50003] },
  ALREADY_JOINED: { volcengine: [100003], rongcloud: [50002] },
  PUBLISHER_LIMIT: { rongcloud: [53026] },
  DUPLICATE_SESSION: { rongcloud: [53029] },
  USER_NOT_FOUND: { volcengine: [100007] },
  STREAM_NOT_FOUND: { volcengine: [200001] },
  ALREADY_PUBLISHED: { volcengine: [100005] },
  NOT_PUBLISHED: { volcengine: [100006] },
  INVALID_ARGUMENT: { volcengine: [100001], rongcloud: [50001] },
  INVALID_STATE: { volcengine: [100004, 100009] },
  TIMEOUT: { agora: [903] },
  CONNECT_FAILED: { agora: [901, 905], volcengine: [200003] },
  CONNECTION_LOST: { agora: [904], rongcloud: [50000] },
  KICKED: { agora: [430], rongcloud: [53008] },
  RATE_LIMITED: { agora: [429] },
  DESTROYED: { rongcloud: [53008] },
  INTERNAL: { agora: [500, 501, 502] },
};
