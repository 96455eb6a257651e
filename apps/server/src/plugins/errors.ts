import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorCode, httpStatusOf, InvalidRequestError, WaitroomError } from '@waitroom/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The JSON error shape of CONTRACT.md. */
export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID_REQUEST',
  401: 'INVALID_TOKEN',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  406: 'INVALID_REQUEST',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** "body/count must be >= 1", "body must NOT have additional property 'x'": the field named. */
export function describeValidation(context: string | undefined, issues: readonly ValidationIssue[]): string {
  const first = issues[0];
  if (!first) return 'The request is not valid';
  const where = `${context ?? 'request'}${first.instancePath ?? ''}`;
  const params = first.params ?? {};
  if (typeof params.additionalProperty === 'string')
    return `${where} has an unknown field '${params.additionalProperty}'`;
  if (typeof params.missingProperty === 'string') return `${where}/${params.missingProperty} is required`;
  return `${where} ${first.message ?? 'is not valid'}`;
}

/**
 * One error handler for the whole app: an expected refusal keeps its code and message;
 * a framework refusal (bad JSON, a body too large, a schema mismatch) becomes the matching
 * code; anything else is a 500 whose details stay in the log, never in the response.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | WaitroomError, request: FastifyRequest, reply: FastifyReply) => {
    // A refusal names its request, so that a report can be matched with the server's log.
    reply.header('x-request-id', request.id);
    if (error instanceof WaitroomError) {
      if (error.statusCode >= 500) request.log.warn({ code: error.code }, error.message);
      return reply.code(error.statusCode).send(errorBody(error.code, error.message));
    }
    const fe = error as FastifyError & { validationContext?: string };
    if (fe.validation) {
      return reply
        .code(400)
        .send(errorBody('INVALID_REQUEST', describeValidation(fe.validationContext, fe.validation)));
    }
    const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = CODE_BY_STATUS[status] ?? 'INVALID_REQUEST';
      const message = status === 429 ? fe.message : publicMessage(fe, status);
      return reply.code(httpStatusOf(code) === status ? status : 400).send(errorBody(code, message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', 'Something went wrong on our side; try again'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.header('x-request-id', request.id);
    reply.code(404).send(errorBody('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
  });

  // Node answers these two itself, with an empty body, before any route sees the request:
  // an HTTP/1.1 request without Host (400) and an Expect other than 100-continue (417).
  // Refused here instead, in the error shape (buildApp turns Node's Host check off).
  app.addHook('onRequest', (request, _reply, done) => {
    const { raw } = request;
    if (raw.headers.host === undefined && raw.httpVersionMajor === 1 && raw.httpVersionMinor === 1) {
      done(new InvalidRequestError('headers/host is required'));
    } else {
      done();
    }
  });
  app.server.on('checkExpectation', refuseExpectation);
}

/** Node's `checkExpectation`: no route and no Fastify reply yet, so the refusal is written to Node's response. */
function refuseExpectation(_request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify(
    errorBody('INVALID_REQUEST', 'headers/expect: only 100-continue is understood'),
  );
  response.writeHead(400, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
}

const CLIENT_ERROR_MESSAGES: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'The request headers are too large',
  ERR_HTTP_REQUEST_TIMEOUT: 'The request did not arrive in time',
};

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a bad Content-Length, a header
 * it will not read, headers too large, a request too slow): a 400 in the error shape rather
 * than Fastify's own `{error, message, statusCode}`, and the connection closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const message = CLIENT_ERROR_MESSAGES[error.code ?? ''] ?? 'The request is not valid HTTP';
    const body = JSON.stringify(errorBody('INVALID_REQUEST', message));
    socket.write(
      'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function publicMessage(error: FastifyError, status: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? "body is empty but Content-Type is 'application/json'"
        : 'body is not valid JSON';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'body must be application/json';
    default:
      return status === 400
        ? 'The request is not valid'
        : (error.message || 'The request is not valid').slice(0, 200);
  }
}

const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is malformed',
  FST_ERR_MAX_PARAM_LENGTH: 'A part of the path is too long (at most 200 characters)',
};

/** Requests the router itself refuses (a malformed URL, a path part too long). */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  reply
    .code(400)
    .send(errorBody('INVALID_REQUEST', FRAMEWORK_MESSAGES[error.code] ?? 'The request is not valid'));
}
