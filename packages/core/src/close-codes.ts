/** WebSocket close codes (RFC 6455 section 7.4.1 and the IANA registry): `CloseCode.PolicyViolation === 1008`. */
export const CloseCode = Object.freeze({
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  UnsupportedData: 1003,
  /** Reported when a close frame carried no code. Never sent. */
  NoStatus: 1005,
  /** Reported when the connection was lost without a close frame. Never sent. */
  Abnormal: 1006,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  MandatoryExtension: 1010,
  InternalError: 1011,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
  BadGateway: 1014,
  TlsHandshake: 1015,
} as const)

/** One of the standard close codes. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** `reason` of the local close event (code 1006) when lifeline drops a connection that stopped answering. */
export const HEARTBEAT_TIMEOUT = 'heartbeat timeout'
/** `reason` of the local close event (code 1006) when a connection attempt took longer than `connectTimeout`. */
export const CONNECT_TIMEOUT = 'connect timeout'
/** `reason` of the local close event (code 1006) when the `handshake` hook threw or rejected. */
export const HANDSHAKE_FAILED = 'handshake failed'
/** `reason` of the final close event (code 1006) when the server's close frame did not come within `closeTimeout`. */
export const CLOSE_TIMEOUT = 'close timeout'
