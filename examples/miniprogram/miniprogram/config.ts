/**
 * Where the rxroom server runs. In DevTools (with "不校验合法域名", urlCheck off) a loopback `ws://`
 * URL works; on a phone use your computer's LAN address (start the server with `--host 0.0.0.0`),
 * and in production a `wss://` domain on the mini program's allowed list.
 */
export const DEFAULT_SERVER_URL = 'ws://127.0.0.1:8080';

/**
 * Where the lobby gets join tokens: `POST {room, user, publish, subscribe}` answered `{token}`.
 * Empty: the reference server's development endpoint on the server's own host and port
 * (`/dev/token`, served when it runs with `--dev-tokens`, as `npm start -- --forever` does). A real
 * app sets this to its own backend, which signs tokens with the server's `--secret`.
 */
export const TOKEN_ENDPOINT = '';
