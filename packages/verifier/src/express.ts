import { bearerToken } from './bearer.js';
import { AdmissionError, httpRefusal } from './errors.js';
import type { Admission, AdmissionVerifier } from './verifier.js';

// `req.admission` in an Express app's handlers, without this package depending on Express.
declare global {
  namespace Express {
    interface Request {
      /** The verified admission, set by `admissionRequired`. */
      admission?: Admission;
    }
  }
}

/** As much of an Express (4 or 5) request as the middleware reads. */
export interface ExpressLikeRequest {
  headers: { authorization?: string | undefined };
  admission?: Admission;
}

/** As much of an Express response as the middleware writes. */
export interface ExpressLikeResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
}

export type ExpressLikeNext = (error?: unknown) => void;

export interface AdmissionRequiredOptions<Req extends ExpressLikeRequest = ExpressLikeRequest> {
  /** The room the admission must be for (a fixed id, or one read from the request); the verifier's by default. */
  roomId?: string | ((req: Req) => string | undefined);
  /** Where the token is; `Authorization: Bearer <token>` by default. */
  getToken?: (req: Req) => string | null | undefined;
}

/**
 * Express middleware that lets a request through only with a good admission token, and puts
 * the admission on `req.admission`. Refusals are answered here, in the waiting room's JSON
 * error shape: 401 INVALID_TOKEN or TOKEN_EXPIRED, 403 FORBIDDEN for another room's
 * admission, 503 UNAVAILABLE when the signing keys cannot be fetched.
 */
export function admissionRequired<Req extends ExpressLikeRequest = ExpressLikeRequest>(
  verifier: AdmissionVerifier,
  options: AdmissionRequiredOptions<Req> = {},
): (req: Req, res: ExpressLikeResponse, next: ExpressLikeNext) => void {
  const getToken = options.getToken ?? ((req: Req) => bearerToken(req.headers.authorization));
  return (req, res, next) => {
    // Express 4 ignores a returned promise: every outcome is handled here.
    void (async () => {
      const roomId = typeof options.roomId === 'function' ? options.roomId(req) : options.roomId;
      req.admission = await verifier.verify(getToken(req), { roomId });
    })().then(
      () => next(),
      (error: unknown) => {
        if (!(error instanceof AdmissionError)) {
          next(error);
          return;
        }
        const { status, body } = httpRefusal(error);
        if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
        res.status(status);
        res.json(body);
      },
    );
  };
}
