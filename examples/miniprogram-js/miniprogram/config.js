// @ts-check
/**
 * Where this mini program finds the rxroom server and its join tokens. Change these two lines for
 * your own deployment.
 */
module.exports = {
  /** The rxroom server (`npm start -- --forever` prints its address; a phone needs your LAN address). */
  SERVER_URL: 'ws://127.0.0.1:8080',
  /**
   * The HTTP endpoint that hands out join tokens (`POST {room, user}` answered `{token}`). Empty: the
   * reference server's development endpoint on the same host (`/dev/token`, served with
   * `--dev-tokens`). A real app points this at its own backend.
   */
  TOKEN_ENDPOINT: '',
};
