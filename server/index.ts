/**
 * The rxroom reference signaling server (Node only). Its programmatic API, `startServer`, lands
 * with the server issue; this module is the build entry point `dist-server/index.cjs`.
 */
export { PROTOCOL_VERSION } from '../src/protocol';
