/**
 * The product's error vocabulary. Every refusal a caller can see is one of these codes;
 * the HTTP layer maps each code to a status through one table (`httpStatusOf`).
 */
export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  /** The room asks each join for a solved proof-of-work challenge, and none came. */
  CHALLENGE_REQUIRED: 403,
  /** The challenge's solution was wrong, expired, for another room or already used. */
  CHALLENGE_FAILED: 403,
  ROOM_NOT_FOUND: 404,
  NOT_FOUND: 404,
  ROOM_CLOSED: 409,
  ROOM_EXISTS: 409,
  SOLD_OUT: 409,
  ADMISSION_USED: 409,
  /** An operator (or a shop) tried to end an admission that had already run out. */
  ADMISSION_EXPIRED: 409,
  IDEMPOTENCY_CONFLICT: 409,
  LIMIT_EXCEEDED: 409,
  /** A lottery's draw was asked for before the room opened and drew it: its seed is still secret. */
  LOTTERY_NOT_DRAWN: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The deployment cannot hold a live event stream open (LIVE_STREAMS=false, e.g. AWS Lambda): poll instead. */
  STREAMING_UNAVAILABLE: 501,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/** An expected refusal: its message is safe to show to the caller. */
export class WaitroomError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'WaitroomError';
    this.code = code;
    this.details = details;
  }

  get statusCode(): number {
    return httpStatusOf(this.code);
  }
}

export class InvalidRequestError extends WaitroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INVALID_REQUEST', message, details);
  }
}

export class RoomNotFoundError extends WaitroomError {
  constructor(roomId: string) {
    super('ROOM_NOT_FOUND', `Room '${roomId}' does not exist`);
  }
}

export class NotFoundError extends WaitroomError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class InvalidTokenError extends WaitroomError {
  constructor(message = 'The token is missing, malformed or not valid here') {
    super('INVALID_TOKEN', message);
  }
}

export class TokenExpiredError extends WaitroomError {
  constructor(message = 'The token has expired') {
    super('TOKEN_EXPIRED', message);
  }
}

export class ConflictError extends WaitroomError {}

export class UnavailableError extends WaitroomError {
  constructor(message = 'A store the server depends on is not answering; try again shortly') {
    super('UNAVAILABLE', message);
  }
}
