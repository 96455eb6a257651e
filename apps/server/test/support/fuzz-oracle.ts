import { ERROR_STATUS } from '@waitroom/core';
import type { FuzzRoute } from './fuzz-inputs.js';
import type { AuthChoice, KnownToken } from './fuzz-parts.js';

/** What the oracle knows of the server under test. */
export interface Oracle {
  /** Values no answer may ever carry: tokens, key secrets, private key material, a file's content. */
  secrets: readonly string[];
  /** Text an answer may hold only where the request itself put it: the server's folders. */
  paths: readonly string[];
  /** The documented routes, with the kinds of token each takes. */
  routes: readonly FuzzRoute[];
}

/** The kind of token each known one is, as the document's security schemes name them. */
export const SCHEME_OF: Record<KnownToken, string> = {
  admin: 'operator',
  'read-key': 'operator',
  'write-key': 'operator',
  queue: 'queueToken',
  'queue-admitted': 'queueToken',
  'queue-soon': 'queueToken',
  admission: 'admissionToken',
  'used-admission': 'admissionToken',
};

export const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** A frame of a V8 stack trace: `at fn (file:1:2)` or `at /path/file.js:1:2`, wherever it stands. */
const STACK_FRAME = /\bat (?:async )?[^\s()]+ \([^()]+:\d+:\d+\)|\bat (?:\/|file:|node:)\S+:\d+:\d+/;

/**
 * What every answer must be: below 500, no stack, no folder of the server's, no secret, every
 * refusal in the contract's error shape, and a token that is not good for a route opens nothing.
 */
export function checkAnswer(
  oracle: Oracle,
  request: { method: string; url: string; headers?: Record<string, string>; payload?: unknown },
  status: number,
  headers: Record<string, unknown>,
  body: string,
  opened?: { route: FuzzRoute | null; auth: AuthChoice },
): void {
  const where = `${request.method} ${request.url.slice(0, 300)} → ${status}`;
  const fail = (why: string) => {
    throw new Error(`${where}: ${why}\n${body.slice(0, 500)}`);
  };
  if (status >= 500) fail('a 5xx');
  const headerText = JSON.stringify(headers);
  for (const secret of oracle.secrets) {
    if (body.includes(secret) || headerText.includes(secret)) fail('the answer carries a secret');
  }
  const echo = `${request.url}${typeof request.payload === 'string' ? request.payload : ''}${JSON.stringify(request.headers ?? {})}`;
  for (const needle of oracle.paths) {
    if ((body.includes(needle) || headerText.includes(needle)) && !echo.includes(needle))
      fail(`the answer names a file or folder (${needle})`);
  }
  if (STACK_FRAME.test(body) || STACK_FRAME.test(headerText)) fail('the answer carries a stack trace');
  if (status >= 400) {
    const type = String(headers['content-type'] ?? '');
    if (!type.includes('application/json')) fail(`a refusal that is not JSON (${type})`);
    if (request.method !== 'HEAD') checkErrorShape(body, status, fail);
  }
  if (opened && status >= 200 && status < 300) {
    const route = matchedRoute(oracle.routes, opened.route, request.method);
    if (route && route.schemes.length > 0) {
      const { auth } = opened;
      const scheme = auth.kind === 'known' ? SCHEME_OF[auth.token] : null;
      if (scheme === null || !route.schemes.includes(scheme))
        fail(`a ${auth.kind} token opened a guarded route`);
      if (auth.kind === 'known' && auth.token === 'read-key' && !SAFE_METHODS.has(request.method))
        fail('a read key made a change');
    }
  }
}

function checkErrorShape(body: string, status: number, fail: (why: string) => never): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    fail('a refusal whose body is not JSON');
  }
  const error = (parsed as { error?: unknown } | null)?.error as
    | { code?: unknown; message?: unknown }
    | undefined;
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    Object.keys(parsed).join() !== 'error' ||
    error === null ||
    typeof error !== 'object' ||
    Object.keys(error).sort().join() !== 'code,message'
  ) {
    fail('a refusal not in the shape {"error": {"code", "message"}}');
  }
  const { code, message } = error as { code: unknown; message: unknown };
  if (typeof code !== 'string' || !(code in ERROR_STATUS)) fail(`an unknown error code ${String(code)}`);
  if (ERROR_STATUS[code as keyof typeof ERROR_STATUS] !== status)
    fail(`the code ${String(code)} with the status ${status}`);
  if (typeof message !== 'string' || message.trim() === '') fail('an error without a message');
}

/** The route a request with this method reaches on the shot's path (HEAD reaches GET's). */
function matchedRoute(
  routes: readonly FuzzRoute[],
  route: FuzzRoute | null,
  method: string,
): FuzzRoute | undefined {
  if (!route) return undefined;
  const m = method === 'HEAD' ? 'GET' : method;
  return routes.find((r) => r.path === route.path && r.method === m);
}
