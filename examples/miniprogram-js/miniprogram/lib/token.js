// @ts-check
/**
 * Join tokens from an HTTP endpoint: by default the reference server's development endpoint
 * (`POST /dev/token`, on when the server runs with `--dev-tokens`).
 */

/**
 * The token endpoint to ask: `endpoint` when set, else `/dev/token` on the server's host.
 *
 * @param {string} serverUrl the rxroom server, `ws://` or `wss://`
 * @param {string} [endpoint] an explicit token endpoint (`http(s)://…`)
 * @returns {string}
 */
function tokenUrlFor(serverUrl, endpoint) {
  if (endpoint) return endpoint;
  const match = /^(wss?):\/\/([^/?#]+)/.exec(serverUrl.trim());
  if (!match) throw new Error('not a ws:// or wss:// address: ' + serverUrl);
  return (match[1] === 'wss' ? 'https' : 'http') + '://' + match[2] + '/dev/token';
}

/**
 * Asks for a token that lets `user` join `room`, publish and subscribe.
 *
 * @param {string} url the token endpoint ({@link tokenUrlFor})
 * @param {string} room
 * @param {string} user
 * @returns {Promise<string>}
 */
function fetchToken(url, room, user) {
  return new Promise(function (resolve, reject) {
    wx.request({
      url: url,
      method: 'POST',
      header: { 'content-type': 'application/json' },
      data: { room: room, user: user, publish: true, subscribe: true },
      success: function (res) {
        const data = /** @type {{ token?: unknown, error?: unknown } | undefined} */ (res.data);
        if (res.statusCode === 200 && data && typeof data.token === 'string') resolve(data.token);
        else
          reject(
            new Error(
              'token request failed (HTTP ' +
                res.statusCode +
                (data && data.error ? ': ' + String(data.error) : '') +
                ')',
            ),
          );
      },
      fail: function (e) {
        reject(new Error('cannot reach ' + url + ': ' + e.errMsg));
      },
    });
  });
}

module.exports = { tokenUrlFor: tokenUrlFor, fetchToken: fetchToken };
