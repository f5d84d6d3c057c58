/**
 * Join tokens for development, from the reference server's `POST /dev/token` (served only when it
 * runs with `--dev-tokens`). A real app gets its token from its own backend, which signs it with the
 * server's secret; never ship a mini program that can mint its own tokens.
 */

/** The id rules of the rxroom protocol (room and user ids). */
const ID = /^[A-Za-z0-9_.@+-]{1,64}$/;

/** Why {@link isValidId} said no, for the form. */
export const ID_RULE = '1–64 characters of A–Z a–z 0–9 _ . @ + -';

/** Whether `value` can be a room or user id. */
export function isValidId(value: string): boolean {
  return ID.test(value);
}

/**
 * The token endpoint to ask: `endpoint` when one is configured (config.ts `TOKEN_ENDPOINT`), else
 * the development endpoint of the server at `serverUrl`: same host and port, since the server
 * answers HTTP and WebSocket on one port.
 *
 * @example
 * ```ts
 * tokenUrlFor('ws://192.168.1.20:8080') // 'http://192.168.1.20:8080/dev/token'
 * tokenUrlFor('wss://rtc.example.com', 'https://api.example.com/rtc-token') // the latter
 * ```
 */
export function tokenUrlFor(serverUrl: string, endpoint = ''): string {
  if (endpoint) return endpoint;
  const match = /^(wss?):\/\/([^/?#]+)/.exec(serverUrl.trim());
  if (!match) throw new Error(`not a ws:// or wss:// address: ${serverUrl}`);
  return `${match[1] === 'wss' ? 'https' : 'http'}://${match[2]}/dev/token`;
}

/**
 * Asks the token endpoint ({@link tokenUrlFor}) for a token that lets `user` join `room`, publish
 * and subscribe.
 *
 * @example
 * ```ts
 * const token = await fetchDevToken('ws://127.0.0.1:8080', 'demo', 'alice')
 * ```
 */
export function fetchDevToken(serverUrl: string, room: string, user: string, endpoint = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    let url: string;
    try {
      url = tokenUrlFor(serverUrl, endpoint);
    } catch (e) {
      reject(e);
      return;
    }
    wx.request({
      url,
      method: 'POST',
      header: { 'content-type': 'application/json' },
      data: { room, user, publish: true, subscribe: true },
      success: (res) => {
        const token = (res.data as { token?: unknown } | undefined)?.token;
        if (res.statusCode === 200 && typeof token === 'string') resolve(token);
        else if (res.statusCode === 404)
          reject(new Error('the server has no /dev/token: start it with --dev-tokens'));
        else reject(new Error(`token request failed (HTTP ${res.statusCode})`));
      },
      fail: (e) => reject(new Error(`cannot reach ${url}: ${e.errMsg}`)),
    });
  });
}
