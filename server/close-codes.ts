/** Close codes of docs/protocol.md §8. */
export const CLOSE = {
  normal: 1000,
  policy: 1008,
  tooLarge: 1009,
  /** Service restart: the client reconnects and resumes (a node stopping, or a room moving in a cluster). */
  restart: 1012,
  kicked: 4001,
  joinTimeout: 4003,
  heartbeatTimeout: 4004,
} as const;
