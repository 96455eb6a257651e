import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from './bearer.js';
import { AdmissionError, httpRefusal } from './errors.js';
import type { Admission, AdmissionVerifier } from './verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified admission (set by `fastifyAdmission` or `admissionPreHandler`), or null. */
    admission: Admission | null;
  }
}

export interface FastifyAdmissionHookOptions {
  /** The room the admission must be for (a fixed id, or one read from the request); the verifier's by default. */
  roomId?: string | ((request: FastifyRequest) => string | undefined);
  /** Where the token is; `Authorization: Bearer <token>` by default. */
  getToken?: (request: FastifyRequest) => string | null | undefined;
}

export interface FastifyAdmissionOptions extends FastifyAdmissionHookOptions {
  verifier: AdmissionVerifier;
}

/**
 * A Fastify hook (for a route's `onRequest` or `preHandler`) that lets a request through only
 * with a good admission token and sets `request.admission`. Refusals are answered in the
 * waiting room's JSON error shape: 401 INVALID_TOKEN or TOKEN_EXPIRED, 403 FORBIDDEN,
 * 503 UNAVAILABLE.
 */
export function admissionPreHandler(
  verifier: AdmissionVerifier,
  options: FastifyAdmissionHookOptions = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const getToken =
    options.getToken ?? ((request: FastifyRequest) => bearerToken(request.headers.authorization));
  return async (request, reply) => {
    const roomId = typeof options.roomId === 'function' ? options.roomId(request) : options.roomId;
    try {
      request.admission = await verifier.verify(getToken(request), { roomId });
      return undefined;
    } catch (error) {
      if (!(error instanceof AdmissionError)) throw error;
      const { status, body } = httpRefusal(error);
      if (status === 401) reply.header('www-authenticate', 'Bearer');
      // Returning the reply after sending it ends the request here.
      return reply.code(status).send(body);
    }
  };
}

async function admissionPlugin(app: FastifyInstance, options: FastifyAdmissionOptions): Promise<void> {
  if (!app.hasRequestDecorator('admission')) app.decorateRequest('admission', null);
  // onRequest: a request without an admission is refused before its body is read.
  app.addHook('onRequest', admissionPreHandler(options.verifier, options));
}

/**
 * A Fastify plugin that requires a good admission token on every route of the context it is
 * registered in, and decorates `request.admission`. Like a fastify-plugin plugin it is not
 * encapsulated: register it inside the scope of the protected routes (or on the root to guard
 * them all).
 */
export const fastifyAdmission: FastifyPluginAsync<FastifyAdmissionOptions> = Object.assign(admissionPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@waitroom/verifier',
});
