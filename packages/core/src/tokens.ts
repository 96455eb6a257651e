/**
 * What the two signed tokens say. The server signs and verifies them (jose, fast-jwt); the
 * claims are defined here so that every part of the product reads them the same way.
 */

/** The `typ` header of each kind of token: a token of one kind is refused as the other. */
export const QUEUE_TOKEN_TYPE = 'wr-queue+jwt';
export const ADMISSION_TOKEN_TYPE = 'wr-admission+jwt';

/** A queue token proves a place in a line and nothing else. */
export interface QueueTokenClaims {
  /** The ticket id. */
  sub: string;
  /** The room id. */
  rid: string;
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
