/** Why an admission token was refused. */
export type AdmissionErrorCode = 'MISSING' | 'INVALID' | 'EXPIRED' | 'WRONG_ROOM' | 'KEYS_UNAVAILABLE';

const MESSAGES: Record<AdmissionErrorCode, string> = {
  MISSING: 'An admission token is required',
  INVALID: 'The admission token is not valid here',
  EXPIRED: 'The admission has expired',
  WRONG_ROOM: 'The admission is for another room',
  KEYS_UNAVAILABLE: "The waiting room's signing keys cannot be fetched; try again shortly",
};

/**
 * A refused admission token. Its message is fixed per code and safe to show to the shopper: it
 * never quotes the token or its claims. `reason` says a little more for the shop's logs (a
 * jose error code such as `ERR_JWS_SIGNATURE_VERIFICATION_FAILED`, or the claim at fault),
 * again without the token's contents.
 */
export class AdmissionError extends Error {
  readonly code: AdmissionErrorCode;
  readonly reason: string | undefined;

  constructor(code: AdmissionErrorCode, reason?: string) {
    super(MESSAGES[code]);
    this.name = 'AdmissionError';
    this.code = code;
    this.reason = reason;
  }
}

/** The waiting room's error vocabulary, as a shop's middleware answers in it. */
export type HttpErrorCode = 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'FORBIDDEN' | 'UNAVAILABLE';

export interface HttpRefusal {
  status: 401 | 403 | 503;
  body: { error: { code: HttpErrorCode; message: string } };
}

/** The HTTP answer to a refused admission, in the waiting room's `{ error: { code, message } }` shape. */
export function httpRefusal(error: AdmissionError): HttpRefusal {
  const [status, code] = HTTP[error.code];
  return { status, body: { error: { code, message: error.message } } };
}

const HTTP: Record<AdmissionErrorCode, [HttpRefusal['status'], HttpErrorCode]> = {
  MISSING: [401, 'INVALID_TOKEN'],
  INVALID: [401, 'INVALID_TOKEN'],
  EXPIRED: [401, 'TOKEN_EXPIRED'],
  WRONG_ROOM: [403, 'FORBIDDEN'],
  KEYS_UNAVAILABLE: [503, 'UNAVAILABLE'],
};
