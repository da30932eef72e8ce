/** Why the server closes a websocket (4000–4999 are the application's own codes). */
export const closeCodes = {
  /** The server shuts down. */
  goingAway: 1001,
  /** A wrong token, or a token of another service than the one named. */
  authenticationFailed: 4001,
  /** No credentials within `authTimeoutMs`. */
  authenticationTimeout: 4008,
  /** More than `maxBufferedBytes` waited to be sent: the client does not keep up. */
  tooSlow: 4009,
} as const;
