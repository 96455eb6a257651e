import { InvalidTokenError } from '@waitroom/core';
import type { FastifyRequest } from 'fastify';

/** The token of an `Authorization: Bearer …` header; refuses a missing or malformed one. */
export function bearerToken(request: FastifyRequest): string {
  return parseBearer(request.headers.authorization);
}

/** The token of an Authorization header's value; refuses a missing or malformed one. */
export function parseBearer(header: string | undefined): string {
  if (typeof header !== 'string') throw new InvalidTokenError('An Authorization: Bearer token is required');
  const match = /^Bearer[ ]+([\x21-\x7e]{1,4096})[ ]*$/i.exec(header);
  if (!match?.[1]) throw new InvalidTokenError('The Authorization header must be "Bearer <token>"');
  return match[1];
}
