/**
 * What the two signed tokens say. The server signs and verifies them (node:crypto HMAC for
 * queue tokens, jose for admission tokens); the claims are defined here so that every part
 * of the product reads them the same way.
 */

/** The first part of every queue token (a signed id, see the server's queue-tokens.ts). */
export const QUEUE_TOKEN_PREFIX = 'q1';
/** The `typ` header of an admission token. */
export const ADMISSION_TOKEN_TYPE = 'wr-admission+jwt';

/** A queue token proves a place in a line and nothing else. */
export interface QueueTokenClaims {
  /** The ticket id. */
  sub: string;
  /** The room id. */
  rid: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/**
 * An admission token lets its holder place an order in one room until `exp`. `aud` is the
 * room id, so a shop verifying offline checks it is for its own sale.
 */
export interface AdmissionTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  rid: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  jti: string;
}

export function admissionClaims(
  issuer: string,
  roomId: string,
  ticketId: string,
  admittedAt: number,
  expiresAt: number,
): AdmissionTokenClaims {
  return {
    iss: issuer,
    sub: ticketId,
    aud: roomId,
    rid: roomId,
    iat: Math.floor(admittedAt / 1000),
    exp: Math.floor(expiresAt / 1000),
    jti: ticketId,
  };
}
