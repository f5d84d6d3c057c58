/**
 * Vendor error codes to rxroom's one code table (ARCHITECTURE.md decision 8). The table in
 * `src/error-vendors.ts` lists, for each rxroom code, the vendor codes that mean the same thing;
 * this module reads it backwards so a driver never keeps a second, drifting copy.
 */
import { RTC_ERROR_CODE_LIST, RtcError, type RtcErrorCode } from '../../../errors';
import { RTC_ERROR_VENDOR_CODES } from '../../../error-vendors';

/**
 * A vendor whose codes the code table lists.
 *
 * @example
 * ```ts
 * const vendor: ErrorVendor = 'agora'
 * ```
 */
export type ErrorVendor = 'volcengine' | 'agora' | 'rongcloud';

/**
 * The rxroom code the table gives a vendor code, or `undefined` when the table has none. When a
 * vendor code is listed twice (RongCloud 53008 under `KICKED` and `DESTROYED`), the first in table
 * order wins; drivers that know better pass overrides to {@link vendorError}.
 *
 * @example
 * ```ts
 * vendorErrorCode('agora', 904) // 'CONNECTION_LOST'
 * vendorErrorCode('agora', 12345) // undefined
 * ```
 */
export function vendorErrorCode(vendor: ErrorVendor, code: number): RtcErrorCode | undefined {
  for (const name of RTC_ERROR_CODE_LIST) {
    if (RTC_ERROR_VENDOR_CODES[name]?.[vendor]?.includes(code)) return name;
  }
  return undefined;
}

/**
 * The numeric code and the text a vendor error carries, whatever its shape: a number,
 * `{code, reason}`, `{code, message}`, `{errMsg}`, a numeric string code, or anything else.
 *
 * @example
 * ```ts
 * readVendorError({ code: '53004', msg: 'request failed' }) // { code: 53004, reason: 'request failed' }
 * ```
 */
export function readVendorError(err: unknown): { code: number | undefined; reason: string } {
  if (typeof err === 'number') return { code: err, reason: '' };
  if (typeof err === 'object' && err !== null) {
    const record = err as Record<string, unknown>;
    const raw = record.code;
    const code =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && /^-?\d+$/.test(raw)
          ? Number(raw)
          : undefined;
    const text = record.reason ?? record.message ?? record.errMsg ?? record.msg;
    return { code, reason: typeof text === 'string' ? text : '' };
  }
  return { code: undefined, reason: typeof err === 'string' ? err : String(err) };
}

/**
 * Turns whatever a vendor SDK failed with (`{code, reason}`, a bare number, an Error…) into an
 * {@link RtcError}: first `overrides`, then the code table, else `fallback`. The vendor code stays
 * in the reason so users can look it up in the vendor's docs.
 *
 * @example
 * ```ts
 * vendorError('volcengine', { code: 200004, reason: 'login failed' }, 'INTERNAL')
 * // RtcError TOKEN_INVALID: "volcengine 200004: login failed"
 * ```
 */
export function vendorError(
  vendor: ErrorVendor | 'trtc',
  err: unknown,
  fallback: RtcErrorCode,
  overrides: Readonly<Record<number, RtcErrorCode>> = {},
): RtcError {
  if (err instanceof RtcError) return err;
  const { code, reason } = readVendorError(err);
  const mapped =
    code === undefined
      ? undefined
      : (overrides[code] ?? (vendor === 'trtc' ? undefined : vendorErrorCode(vendor, code)));
  const text =
    code === undefined ? `${vendor}: ${reason}` : `${vendor} ${code}${reason ? `: ${reason}` : ''}`;
  return new RtcError(mapped ?? fallback, text, { cause: err });
}
