/**
 * Setup errors: the `errMsg` strings WeChat gives when the mini program, not the network, is at
 * fault, read into codes whose reason names the fix (docs/lifecycle.md, "Setup errors"). The
 * forms matched are the ones WeChat's base library is seen to produce; matching is on the stable
 * part only, so a different API prefix (`connectSocket:fail …`, `createSocketTask:fail …`) or a
 * trailing detail (`…, appId=wx…`) still matches.
 */
import { RtcError, type RtcErrorCode } from '../errors';

interface SetupErrorForm {
  readonly pattern: RegExp;
  readonly code: RtcErrorCode;
  readonly fix: string;
}

const FORMS: readonly SetupErrorForm[] = [
  {
    // `connectSocket:fail url not in domain list`, `createSocketTask:fail wss url not in domain list`
    pattern: /url not in domain list/i,
    code: 'DOMAIN_NOT_ALLOWED',
    fix:
      "add the server's domain to the socket domains (WeChat console: Development → Development " +
      'Management → Server Domains); DevTools hides this while "do not verify domains" is ticked',
  },
  {
    // `operateLivePlayer:fail no permission, appId=wx…` (and the pusher's twin)
    pattern: /live-?(pusher|player)[^:]*:fail[: ]*no permission/i,
    code: 'LIVE_COMPONENT_NOT_ENABLED',
    fix:
      'enable live-pusher and live-player for this mini program (an eligible category, then ' +
      'Development → Development Management → API Settings in the WeChat console)',
  },
  {
    // `insertLivePusher:fail:system permission denied`
    pattern: /system permission denied/i,
    code: 'SYSTEM_PERMISSION_DENIED',
    fix: "allow WeChat to use the camera and microphone in the phone's system settings",
  },
];

/**
 * The setup error an `errMsg` reports, or null when it is not one. The reason keeps the errMsg and
 * names the fix.
 *
 * @example
 * ```ts
 * setupError('connectSocket:fail url not in domain list')?.code // 'DOMAIN_NOT_ALLOWED'
 * setupError('connectSocket:fail timeout') // null
 * ```
 */
export function setupError(errMsg: string | undefined): RtcError | null {
  if (!errMsg) return null;
  const form = FORMS.find((f) => f.pattern.test(errMsg));
  return form ? new RtcError(form.code, `${errMsg}: ${form.fix}`) : null;
}
