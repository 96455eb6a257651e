import type { ApiPath, ErrorCode, Method, PathWith, RequestBody, SuccessBody } from './types';

/** A refusal in the contract's error shape, or a failure to reach the server at all (`NETWORK`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status; 0 when no answer came. */
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK' | 'BAD_RESPONSE',
    message: string,
    /** Seconds to wait, from `Retry-After` (429). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** The token is not (or no longer) good: nothing will change by trying again. */
  get isTokenRefused(): boolean {
    return this.code === 'INVALID_TOKEN' || this.code === 'TOKEN_EXPIRED';
  }
}

export interface CallOptions<P extends ApiPath, M extends Method> {
  /** Values for the `{name}` parts of the path. */
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: RequestBody<P, M>;
  /** Sent as `Authorization: Bearer …`: tokens never go in a URL. */
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The URL of a path of the API, its `{name}` parts filled in and encoded. */
export function apiUrl(
  path: string,
  params: Record<string, string> = {},
  query: Record<string, string | number | undefined> = {},
): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`apiUrl: no value for {${name}} in ${path}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

/** Calls one operation of the API; the path, the body and the answer are typed by the OpenAPI document. */
export async function callApi<M extends Method, P extends PathWith<M>>(
  method: M,
  path: P,
  options: CallOptions<P, M> = {},
): Promise<SuccessBody<P, M>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(apiUrl(path, options.params, options.query), {
      method: method.toUpperCase(),
      headers,
      body,
      signal: options.signal,
      cache: 'no-store',
      // The join cookie (one place per browser) goes to this server only, never elsewhere.
      credentials: 'same-origin',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'NETWORK', 'The server could not be reached. Check your connection.');
  }
  if (res.status === 204) return null as SuccessBody<P, M>;
  if (res.ok) {
    try {
      return (await res.json()) as SuccessBody<P, M>;
    } catch {
      throw new ApiError(res.status, 'BAD_RESPONSE', 'The server sent an answer that could not be read.');
    }
  }
  throw await errorOf(res);
}

/** The contract's `{error: {code, message}}` of a refusal, or a plain description of an odd one. */
export async function errorOf(res: Response): Promise<ApiError> {
  const retryAfter = Number(res.headers.get('retry-after'));
  const retry = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  try {
    const parsed = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') {
      return new ApiError(res.status, code as ErrorCode, message, retry);
    }
  } catch {
    // Not JSON: a proxy's page, say. Described below.
  }
  const message =
    res.status >= 500
      ? 'The server is having trouble. Please try again in a moment.'
      : `The request was refused (${res.status}).`;
  return new ApiError(res.status, 'BAD_RESPONSE', message, retry);
}
